import { parsePgType } from './types';

/** A node of libpg-query's JSON parse tree. */
type JsonNode = Record<string, unknown>;

/**
 * When an `ALTER COLUMN … TYPE … USING <expression>` conversion succeeds whatever the rows hold (and
 * whether it then leaves any NULL):
 * the expression is a NULL test (`x IS NOT NULL` into a boolean), or a CASE whose conditions only
 * compare columns with constants and whose every result is NULL or a constant the new type takes
 * (`CASE WHEN archived = 0 THEN false ELSE true END`). Casts, function calls and column values as
 * results can fail on some value, so any of them keeps the conversion data-dependent. (A constant
 * the type cannot take would fail on every database alike; it is not taken as safe either.)
 */
export function safeUsing(using: JsonNode | undefined, targetType: string | undefined): { neverNull: boolean } | undefined {
  const target = parsePgType(targetType);
  if (!using || !target || target.array) return undefined;
  // A NULL test yields true or false, never NULL.
  if (using.NullTest || using.BooleanTest) return target.base === 'bool' && safeCondition(using) ? { neverNull: true } : undefined;
  const expr = using.CaseExpr as JsonNode | undefined;
  if (!expr) return undefined;
  const whens = ((expr.args as JsonNode[] | undefined) ?? []).map((w) => w.CaseWhen as JsonNode | undefined);
  // `CASE col WHEN 1 THEN …`: each WHEN value is compared with the column.
  const simple = expr.arg !== undefined;
  if (simple && !operand(expr.arg as JsonNode)) return undefined;
  const results = [...whens.map((w) => w?.result as JsonNode | undefined), expr.defresult as JsonNode | undefined];
  const safe = whens.every((w) => w !== undefined && (simple ? operand(w.expr as JsonNode) : safeCondition(w.expr as JsonNode))) &&
    results.every((result) => result === undefined || constantFits(result, target.base, target.mods));
  // Without an ELSE, rows no WHEN matches get NULL.
  return safe ? { neverNull: results.every((result) => result !== undefined && !(result.A_Const as JsonNode).isnull) } : undefined;
}

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

/** A condition that evaluates on any row: comparisons, IN lists, NULL tests, AND/OR/NOT over columns and constants. */
function safeCondition(node: JsonNode | undefined): boolean {
  if (!node) return false;
  const test = (node.NullTest ?? node.BooleanTest) as JsonNode | undefined;
  if (test) return operand(test.arg as JsonNode);
  const bool = node.BoolExpr as JsonNode | undefined;
  if (bool) return ((bool.args as JsonNode[] | undefined) ?? []).every(safeCondition);
  const a = node.A_Expr as JsonNode | undefined;
  if (!a) return false;
  const name = (((a.name as JsonNode[] | undefined) ?? [])[0]?.String as JsonNode | undefined)?.sval as string | undefined;
  if (!name || !COMPARISONS.has(name) || !operand(a.lexpr as JsonNode)) return false;
  if (a.kind === 'AEXPR_OP') return operand(a.rexpr as JsonNode);
  if (a.kind === 'AEXPR_IN') return (((a.rexpr as JsonNode | undefined)?.List as JsonNode | undefined)?.items as JsonNode[] | undefined ?? []).every(operand);
  return false;
}

/** A column or a constant: comparing either never fails on a value. */
function operand(node: JsonNode | undefined): boolean {
  return node !== undefined && (node.ColumnRef !== undefined || node.A_Const !== undefined);
}

const INTEGER_RANGE: Record<string, number> = { int2: 32767, int4: 2147483647 };

/** A constant written in SQL or in an ORM call: `'{}'`, `0`, `true`. */
export interface Literal {
  kind: 'string' | 'integer' | 'boolean';
  value: string;
}

/** Whether a column of `targetType` takes the constant (converted the way ALTER COLUMN TYPE converts a stored value). */
export function literalFits(literal: Literal, targetType: string | undefined): boolean {
  const target = parsePgType(targetType);
  return target !== null && !target.array && fits(literal, target.base, target.mods);
}

/** A NULL, or a constant literal of the new type's kind that it holds (a string within a varchar's limit, an integer within range). */
function constantFits(node: JsonNode, base: string, mods: number[]): boolean {
  const constant = node.A_Const as JsonNode | undefined;
  if (!constant) return false;
  if (constant.isnull) return true;
  const literal = literalOf(constant);
  return literal !== undefined && fits(literal, base, mods);
}

/** The constant an `A_Const` node holds (libpg-query leaves a zero or false out: `{ ival: {} }`). */
export function literalOf(constant: JsonNode): Literal | undefined {
  if ('boolval' in constant) return { kind: 'boolean', value: String(((constant.boolval as JsonNode).boolval as boolean | undefined) ?? false) };
  if ('ival' in constant) return { kind: 'integer', value: String(((constant.ival as JsonNode).ival as number | undefined) ?? 0) };
  if ('sval' in constant) return { kind: 'string', value: ((constant.sval as JsonNode).sval as string | undefined) ?? '' };
  return undefined;
}

function fits(literal: Literal, base: string, mods: number[]): boolean {
  switch (literal.kind) {
    case 'boolean':
      return base === 'bool';
    case 'integer': {
      const value = Math.abs(Number(literal.value));
      if (base in INTEGER_RANGE) return value <= INTEGER_RANGE[base];
      return base === 'int8' || base === 'float4' || base === 'float8' || (base === 'numeric' && mods.length === 0);
    }
    case 'string': {
      // `char` without a length is char(1).
      const limit = base === 'varchar' ? mods[0] ?? Infinity : base === 'bpchar' ? mods[0] ?? 1 : Infinity;
      if (base === 'text' || base === 'varchar' || base === 'citext' || base === 'bpchar') return [...literal.value].length <= limit;
      return (base === 'json' || base === 'jsonb') && parsesAsJson(literal.value);
    }
  }
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return !text.includes('\\u0000');
  } catch {
    return false;
  }
}
