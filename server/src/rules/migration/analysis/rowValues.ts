import { literalOf, type Literal } from './using';
import type { Operation } from './operations';

/** A node of libpg-query's JSON parse tree. */
type JsonNode = Record<string, unknown>;

// The constant values a statement names rows by: the rows an INSERT writes and the `column =
// constant` tests of an UPDATE's or DELETE's WHERE. What is not a constant (a subquery, a function,
// a column) is left out: which value it holds is not known from the migration.

/**
 * The tables an INSERT writes and the constant values of each row it writes (`VALUES (…)`, or a
 * `SELECT` of constants from no table), its WITH clause's INSERTs included.
 */
export function insertedRows(insert: JsonNode): { table: string; rows: Record<string, Literal>[] }[] {
  const nested = ((((insert.withClause as JsonNode | undefined)?.ctes as JsonNode[] | undefined) ?? []))
    .map((cte) => ((cte.CommonTableExpr as JsonNode | undefined)?.ctequery as JsonNode | undefined)?.InsertStmt as JsonNode | undefined)
    .flatMap((inner) => (inner ? insertedRows(inner) : []));
  const table = (insert.relation as JsonNode | undefined)?.relname as string | undefined;
  if (!table) return nested;
  const columns = ((insert.cols as JsonNode[] | undefined) ?? []).map((c) => (c.ResTarget as JsonNode | undefined)?.name as string | undefined);
  const select = (insert.selectStmt as JsonNode | undefined)?.SelectStmt as JsonNode | undefined;
  // Without a column list the values' columns are the table's in order, which the statement does not tell.
  const lists: (JsonNode | undefined)[][] =
    columns.length === 0 || columns.some((c) => c === undefined) || !select ? []
    : select.valuesLists ? (select.valuesLists as JsonNode[]).map((list) => ((list.List as JsonNode | undefined)?.items as JsonNode[] | undefined) ?? [])
    // A SELECT from a table writes that table's rows, not constants.
    : select.targetList && !select.fromClause && !select.larg ? [(select.targetList as JsonNode[]).map((t) => (t.ResTarget as JsonNode | undefined)?.val as JsonNode | undefined)]
    : [];
  const rows = lists.filter((items) => items.length === columns.length).map((items) => {
    const row: Record<string, Literal> = {};
    items.forEach((item, i) => {
      const literal = constantOf(item);
      if (literal) row[columns[i]!] = literal;
    });
    return row;
  });
  return [{ table, rows }, ...nested];
}

/** PostgreSQL's aggregate functions a summary table is computed with. */
const AGGREGATE_CALL = /"FuncCall":\{"funcname":\[\{"String":\{"sval":"(?:count|sum|avg|min|max|array_agg|string_agg|json_agg|jsonb_agg|json_object_agg|jsonb_object_agg|bool_and|bool_or|every|bit_and|bit_or)"\}\}\]/;

/**
 * The tables an `INSERT … SELECT` summarises: its query (its WITH clause's included) groups rows
 * (`GROUP BY`) or aggregates them (`count`, `sum`, …) of these tables, none of them the one it
 * writes. The rows it writes are computed from them: a trend or total table filled again from the
 * data it sums up. Undefined when it writes constants or copies rows as they are.
 */
export function summarisedTables(insert: JsonNode): string[] | undefined {
  const table = (insert.relation as JsonNode | undefined)?.relname as string | undefined;
  if (!table || !insert.selectStmt) return undefined;
  const query = JSON.stringify([insert.selectStmt, insert.withClause ?? null]);
  if (!query.includes('"groupClause"') && !AGGREGATE_CALL.test(query)) return undefined;
  const ctes = new Set(((((insert.withClause as JsonNode | undefined)?.ctes as JsonNode[] | undefined) ?? [])).map((cte) => (cte.CommonTableExpr as JsonNode | undefined)?.ctename as string | undefined));
  const read = [...new Set(Array.from(query.matchAll(/"relname":"([^"]+)"/g), (match) => match[1]))].filter((name) => !ctes.has(name));
  // Reading the table it writes, it is no summary of others: emptied first, that table joins nothing.
  return read.length > 0 && !read.includes(table) ? read : undefined;
}

/**
 * The `column = constant` conjuncts of a WHERE, on the columns of the table the statement changes
 * (unqualified, or qualified by its name or alias: a FROM or USING table's columns are another
 * table's), and whether the WHERE tests nothing else.
 */
export function keyedBy(where: JsonNode | undefined, target: JsonNode | undefined): Pick<Operation, 'keyedBy'> {
  if (!where || !target) return {};
  const bool = where.BoolExpr as JsonNode | undefined;
  if (bool && bool.boolop !== 'AND_EXPR') return {};
  const conjuncts = bool ? ((bool.args as JsonNode[] | undefined) ?? []) : [where];
  const names = new Set([target.relname as string, ((target.alias as JsonNode | undefined)?.aliasname as string | undefined) ?? (target.relname as string)]);
  const values: Record<string, Literal> = {};
  let exact = true;
  for (const conjunct of conjuncts) {
    const test = equality(conjunct, names);
    // `c = 'a' AND c = 'b'` picks no row: the second test is kept out of the values.
    if (test && values[test.column] === undefined) values[test.column] = test.literal;
    else exact = false;
  }
  return Object.keys(values).length > 0 ? { keyedBy: { values, exact } } : {};
}

/** `column = constant`, either way round. */
function equality(node: JsonNode, names: Set<string>): { column: string; literal: Literal } | undefined {
  const expr = node.A_Expr as JsonNode | undefined;
  if (expr?.kind !== 'AEXPR_OP' || (((expr.name as JsonNode[] | undefined) ?? [])[0]?.String as JsonNode | undefined)?.sval !== '=') return undefined;
  for (const [side, other] of [[expr.lexpr, expr.rexpr], [expr.rexpr, expr.lexpr]] as [JsonNode | undefined, JsonNode | undefined][]) {
    const fields = ((side?.ColumnRef as JsonNode | undefined)?.fields as JsonNode[] | undefined)?.map((f) => (f.String as JsonNode | undefined)?.sval as string | undefined);
    const literal = constantOf(other);
    if (!fields || !literal || fields.some((f) => f === undefined) || fields.length > 2 || (fields.length === 2 && !names.has(fields[0]!))) continue;
    return { column: fields[fields.length - 1]!, literal };
  }
  return undefined;
}

/** A constant, or a constant cast (`'root'::text`); NULL is no value a row is named by. */
export function constantOf(node: JsonNode | undefined): Literal | undefined {
  const value = ((node?.TypeCast as JsonNode | undefined)?.arg as JsonNode | undefined) ?? node;
  const constant = value?.A_Const as JsonNode | undefined;
  return constant && !constant.isnull ? literalOf(constant) : undefined;
}
