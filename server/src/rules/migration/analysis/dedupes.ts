import { columnPath, operatorName, type JsonNode } from './parseTree';

/**
 * The columns a DELETE (its parse tree) groups the rows by when it removes only rows that share
 * their group's values with a row it leaves: every group keeps at least one row. Three forms:
 *
 * - a self-join ordered by a column: `DELETE FROM t a USING t b WHERE a.k = b.k AND a.x < b.x`.
 *   A row goes only if another of its group has a greater `x`; the greatest stays (a NULL compares
 *   to nothing, so a row without `x` stays). `a.id <> b.id` alone is no order: each row of a pair
 *   would delete the other.
 * - all but the MIN or MAX of each group: `WHERE x NOT IN (SELECT MIN(x) FROM t GROUP BY k)`. The
 *   row holding its group's minimum is never picked (one whose `x` is another group's minimum stays
 *   too). The subquery must read every row of `t`: a WHERE or HAVING there would leave groups out,
 *   and their rows with them.
 * - all but the first of each partition, by `ctid`: `WHERE ctid IN (SELECT ctid FROM (SELECT
 *   ctid, ROW_NUMBER() OVER (PARTITION BY k ORDER BY …) AS rn FROM t) s WHERE rn > 1)`, the
 *   numbering in a subquery or a CTE. ctid is each row's own; another column may be shared by the
 *   row numbered 1.
 *
 * Other conditions joined by AND only spare rows. Undefined for anything else.
 */
export function keptPerGroup(node: JsonNode): string[] | undefined {
  const relation = node.relation as JsonNode | undefined;
  if (!relation || !node.whereClause) return undefined;
  const conjuncts = andArgs(node.whereClause as JsonNode);
  const selfJoin = selfJoinGroup(node, relation, conjuncts);
  if (selfJoin) return selfJoin;
  for (const conjunct of conjuncts) {
    const group = allButExtreme(conjunct, relation) ?? allButFirst(conjunct, relation, ctes(node));
    if (group) return group;
  }
  return undefined;
}

function selfJoinGroup(node: JsonNode, relation: JsonNode, conjuncts: JsonNode[]): string[] | undefined {
  const using = (node.usingClause as JsonNode[] | undefined) ?? [];
  const other = using[0]?.RangeVar as JsonNode | undefined;
  if (using.length !== 1 || !other || !sameRelation(other, relation)) return undefined;
  const a = nameOf(relation);
  const b = nameOf(other);
  if (a === b) return undefined;
  const group: string[] = [];
  let ordered = false;
  for (const conjunct of conjuncts) {
    const expr = conjunct.A_Expr as JsonNode | undefined;
    if (expr?.kind !== 'AEXPR_OP') continue;
    const left = columnPath(expr.lexpr as JsonNode | undefined);
    const right = columnPath(expr.rexpr as JsonNode | undefined);
    if (left?.length !== 2 || right?.length !== 2 || left[1] !== right[1] || left[0] === right[0] || ![a, b].includes(left[0]) || ![a, b].includes(right[0])) continue;
    const operator = operatorName(expr);
    if (operator === '=') group.push(left[1]);
    else if (operator === '<' || operator === '>') ordered = true;
  }
  return ordered && group.length > 0 ? group : undefined;
}

/** `x NOT IN (SELECT MIN(x) FROM t GROUP BY …)` (or MAX), over every row of the deleted table. */
function allButExtreme(conjunct: JsonNode, relation: JsonNode): string[] | undefined {
  const not = conjunct.BoolExpr as JsonNode | undefined;
  const args = (not?.args as JsonNode[] | undefined) ?? [];
  const link = args[0]?.SubLink as JsonNode | undefined;
  if (not?.boolop !== 'NOT_EXPR' || args.length !== 1 || !link || !isIn(link)) return undefined;
  const tested = ownColumn(columnPath(link.testexpr as JsonNode | undefined), relation);
  const select = (link.subselect as JsonNode | undefined)?.SelectStmt as JsonNode | undefined;
  const from = (select?.fromClause as JsonNode[] | undefined) ?? [];
  const inner = from[0]?.RangeVar as JsonNode | undefined;
  const targets = (select?.targetList as JsonNode[] | undefined) ?? [];
  const call = ((targets[0]?.ResTarget as JsonNode | undefined)?.val as JsonNode | undefined)?.FuncCall as JsonNode | undefined;
  const callArgs = (call?.args as JsonNode[] | undefined) ?? [];
  if (!tested || !select || !inner || from.length !== 1 || targets.length !== 1 || !call || callArgs.length !== 1 || !sameRelation(inner, relation) || !plainSelect(select)) return undefined;
  if (!['min', 'max'].includes(functionName(call) ?? '') || call.agg_distinct || call.agg_filter || ownColumn(columnPath(callArgs[0]), inner) !== tested) return undefined;
  return groupColumns((select.groupClause as JsonNode[] | undefined) ?? [], inner);
}

/** `ctid IN (SELECT ctid FROM numbered WHERE rn > 1)`, `numbered` a subquery or CTE numbering the table's rows per partition. */
function allButFirst(conjunct: JsonNode, relation: JsonNode, named: Map<string, JsonNode>): string[] | undefined {
  const link = conjunct.SubLink as JsonNode | undefined;
  if (!link || !isIn(link) || ownColumn(columnPath(link.testexpr as JsonNode | undefined), relation) !== 'ctid') return undefined;
  const select = (link.subselect as JsonNode | undefined)?.SelectStmt as JsonNode | undefined;
  const from = (select?.fromClause as JsonNode[] | undefined) ?? [];
  const targets = (select?.targetList as JsonNode[] | undefined) ?? [];
  if (!select || from.length !== 1 || targets.length !== 1 || lastName((targets[0].ResTarget as JsonNode | undefined)?.val as JsonNode | undefined) !== 'ctid') return undefined;
  const source = from[0].RangeSubselect as JsonNode | undefined;
  const cte = from[0].RangeVar as JsonNode | undefined;
  const numbered = ((source?.subquery as JsonNode | undefined) ?? (cte && !cte.schemaname ? named.get(cte.relname as string) : undefined))?.SelectStmt as JsonNode | undefined;
  const numberedFrom = (numbered?.fromClause as JsonNode[] | undefined) ?? [];
  const table = numberedFrom[0]?.RangeVar as JsonNode | undefined;
  if (!numbered || numberedFrom.length !== 1 || !table || !sameRelation(table, relation)) return undefined;
  const numberTargets = ((numbered.targetList as JsonNode[] | undefined) ?? []).map((t) => t.ResTarget as JsonNode);
  if (!numberTargets.some((t) => lastName(t?.val as JsonNode | undefined) === 'ctid' && (t.name === undefined || t.name === 'ctid'))) return undefined;
  for (const target of numberTargets) {
    const call = (target?.val as JsonNode | undefined)?.FuncCall as JsonNode | undefined;
    const over = call?.over as JsonNode | undefined;
    if (!target?.name || !over || functionName(call!) !== 'row_number' || !beyondFirst(select.whereClause as JsonNode | undefined, target.name as string)) continue;
    return groupColumns((over.partitionClause as JsonNode[] | undefined) ?? [], table);
  }
  return undefined;
}

/** `rn > 1`, `rn >= 2`, `rn <> 1` (the column qualified or not): every row but each partition's first. */
function beyondFirst(where: JsonNode | undefined, column: string): boolean {
  const expr = where?.A_Expr as JsonNode | undefined;
  if (expr?.kind !== 'AEXPR_OP' || lastName(expr.lexpr as JsonNode | undefined) !== column) return false;
  const value = (((expr.rexpr as JsonNode | undefined)?.A_Const as JsonNode | undefined)?.ival as JsonNode | undefined)?.ival;
  const operator = operatorName(expr);
  return ((operator === '>' || operator === '<>' || operator === '!=') && value === 1) || (operator === '>=' && value === 2);
}

/** The columns of a GROUP BY or PARTITION BY, each a plain column of `table`; undefined for an expression. */
function groupColumns(items: JsonNode[], table: JsonNode): string[] | undefined {
  const columns = items.map((item) => ownColumn(columnPath(item), table));
  return columns.length > 0 && columns.every((c): c is string => c !== undefined) ? columns : undefined;
}

/** A SELECT that reads every row once: no WHERE, HAVING, DISTINCT, LIMIT or set operation. */
function plainSelect(select: JsonNode): boolean {
  return !select.whereClause && !select.havingClause && !select.distinctClause && !select.limitCount && !select.limitOffset && (select.op === undefined || select.op === 'SETOP_NONE');
}

function isIn(link: JsonNode): boolean {
  const operator = ((link.operName as JsonNode[] | undefined) ?? [])[0]?.String as JsonNode | undefined;
  return link.subLinkType === 'ANY_SUBLINK' && (!operator || operator.sval === '=');
}

function ctes(node: JsonNode): Map<string, JsonNode> {
  const list = (((node.withClause as JsonNode | undefined)?.ctes as JsonNode[] | undefined) ?? []).map((c) => c.CommonTableExpr as JsonNode);
  return new Map(list.filter((c) => c?.ctename && c.ctequery).map((c) => [c.ctename as string, c.ctequery as JsonNode]));
}

function andArgs(where: JsonNode): JsonNode[] {
  const bool = where.BoolExpr as JsonNode | undefined;
  return bool?.boolop === 'AND_EXPR' ? ((bool.args as JsonNode[] | undefined) ?? []) : [where];
}

function nameOf(range: JsonNode): string {
  return ((range.alias as JsonNode | undefined)?.aliasname as string | undefined) ?? (range.relname as string);
}

function sameRelation(a: JsonNode, b: JsonNode): boolean {
  return a.relname === b.relname && (a.schemaname ?? null) === (b.schemaname ?? null);
}

/** A column of `table` named alone or qualified by the table's name or alias. */
function ownColumn(path: string[] | undefined, table: JsonNode): string | undefined {
  if (path?.length === 1) return path[0];
  return path?.length === 2 && (path[0] === nameOf(table) || path[0] === table.relname) ? path[1] : undefined;
}

function lastName(node: JsonNode | undefined): string | undefined {
  return columnPath(node)?.at(-1);
}

function functionName(call: JsonNode): string | undefined {
  return (((call.funcname as JsonNode[] | undefined) ?? []).at(-1)?.String as JsonNode | undefined)?.sval as string | undefined;
}
