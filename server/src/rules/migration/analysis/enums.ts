import type { Operation } from './operations';
import { parsePgType } from './types';
import { literalOf } from './using';

// PostgreSQL cannot drop a value from an enum, so a migration that removes one swaps the type:
// `CREATE TYPE x_new AS ENUM (…)`, `ALTER COLUMN c TYPE x_new USING (c::text::x_new)`, then the old
// type dropped and the new one renamed (Prisma's generated SQL). The cast fails on any row holding a
// value the new type lacks. What decides it is which values the rows can hold there: those of the
// type the column had, as the migrations left it, less what this migration moved them off first.

/** A node of libpg-query's JSON parse tree. */
type JsonNode = Record<string, unknown>;

/** What a USING expression gives for a stored value: the value itself, or a constant. */
export type Mapped = { same: true } | { constant: string };

/**
 * How an `ALTER COLUMN … TYPE … USING` maps each stored value read as text: the first case whose
 * values hold it, else `otherwise` (null: the expression gives NULL).
 */
export interface ValueMapping {
  cases: { when: string[]; then: Mapped }[];
  otherwise: Mapped | null;
}

/** One enum type: its values (undefined where the migrations do not tell them) and every name it had. */
export interface EnumType {
  values: string[] | undefined;
  names: Set<string>;
}

/**
 * The enum types the migrations created, followed through ADD VALUE, RENAME VALUE, RENAME TO and
 * DROP TYPE. Names are compared without schema, quotes or case (`"public"."Role"` is `role`).
 */
export class EnumTypes {
  private live = new Map<string, EnumType>();
  private all: EnumType[] = [];

  /** Applies one operation (only the enum statements change anything). */
  apply(op: Operation): void {
    if (op.part !== 'up') return;
    const name = typeKey(op.table);
    if (name === undefined) return;
    const type = this.live.get(name);
    switch (op.kind) {
      case 'create-enum':
        // Created only when absent (a DO block's guarded CREATE): a type already there stays as it is.
        if (type && op.guarded) break;
        // A DO block's type (no values) may be one already there, with values of its own: unknown either way.
        if (type && !op.values) type.values = undefined;
        else this.add({ values: op.values && [...op.values], names: new Set([name]) });
        break;
      case 'add-enum-value':
        if (type?.values && op.name !== undefined && !type.values.includes(op.name)) type.values.push(op.name);
        break;
      case 'rename-enum-value':
        if (type?.values && op.name !== undefined && op.newName !== undefined) type.values = type.values.map((v) => (v === op.name ? op.newName! : v));
        break;
      case 'rename-type': {
        const to = typeKey(op.newName);
        if (!type || to === undefined) break;
        this.live.delete(name);
        this.live.set(to, type);
        type.names.add(to);
        break;
      }
      case 'drop-type':
        this.live.delete(name);
        break;
    }
  }

  /**
   * The type a column an earlier migration declared of type `declared` has: the one type still
   * there that ever had that name (a column's type can be renamed, as the swap renames `x_new` to
   * `x`, but not dropped while the column uses it). Undefined when several could be it.
   */
  declaredType(declared: string | undefined): EnumType | undefined {
    const key = typeKey(declared);
    if (key === undefined) return undefined;
    const alive = new Set(this.live.values());
    const candidates = this.all.filter((type) => alive.has(type) && type.names.has(key));
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** The type called `name` now. */
  named(name: string | undefined): EnumType | undefined {
    const key = typeKey(name);
    return key === undefined ? undefined : this.live.get(key);
  }

  /** The name the type has now (undefined once dropped). */
  nameOf(type: EnumType): string | undefined {
    return [...this.live].find(([, t]) => t === type)?.[0];
  }

  /** A copy to follow further without changing this one. */
  copy(): EnumTypes {
    const copied = new EnumTypes();
    const of = new Map(this.all.map((type) => [type, { values: type.values && [...type.values], names: new Set(type.names) }]));
    copied.all = [...of.values()];
    for (const [name, type] of this.live) copied.live.set(name, of.get(type)!);
    return copied;
  }

  private add(type: EnumType): void {
    this.all.push(type);
    for (const name of type.names) this.live.set(name, type);
  }
}

/** A type's name without schema, quotes or case; undefined for what is no name. */
function typeKey(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const bare = name.replace(/"/g, '').replace(/^.*\./, '').trim().toLowerCase();
  return bare === '' ? undefined : bare;
}

/**
 * The values rows may hold that an `ALTER COLUMN … TYPE <enum>` conversion (`op`) cannot take: [] when
 * none (the cast cannot fail), undefined when not known. The rows hold the values of the enum the
 * column had when the migration started (`declared`, its type as the history last declared it,
 * looked up in `start`); the migration's statements before `op` change them: a cast through text
 * keeps them, an UPDATE setting a constant where the column holds given values moves those rows
 * (`SET c = 'paused' WHERE c = 'scheduled'`), a DELETE of such rows removes them. Anything else
 * writing the column, or renaming, dropping or re-adding it, makes them unknown.
 */
export function valuesNotTaken(op: Operation, ups: Operation[], start: EnumTypes, declared: string | undefined): string[] | undefined {
  const target = parsePgType(op.columnType);
  const from = parsePgType(declared);
  if (!target?.base.startsWith('user:') || !from || from.array !== target.array || !op.conversion || !op.table || !op.column) return undefined;
  const types = start.copy();
  let held = valueSet(start.declaredType(declared)?.values);
  for (const o of ups.slice(0, Math.max(ups.indexOf(op), 0))) {
    types.apply(o);
    // Another table renamed to this one brings rows of its own.
    if (o.kind === 'rename-table' && bare(o.newName) === bare(op.table)) held = undefined;
    else if (held && bare(o.table) === bare(op.table)) held = afterStatement(o, op.column, from.array, held);
  }
  const allowed = types.named(op.columnType)?.values;
  const converted = held && allowed && mapValues(held, op.conversion);
  return converted ? [...converted].filter((value) => !allowed!.includes(value)) : undefined;
}

/**
 * For a type change into an enum that leaves the column, once the migration is done, with an enum
 * under the name its type had when the migration started (a swap: Prisma's `x_new` renamed to `x`,
 * or the type dropped and created again under its name through text): the values of the type at
 * the start that the final one lacks ([] for a superset). The code still running casts to the name,
 * which resolves to the new type, and reads and writes values: only the ones it writes can fail.
 * Undefined when the change is no such swap, or either type's values are not known.
 */
export function valuesLost(op: Operation, ups: Operation[], start: EnumTypes, declared: string | undefined): string[] | undefined {
  const from = parsePgType(declared);
  const to = parsePgType(op.columnType);
  const before = start.declaredType(declared);
  const name = before && start.nameOf(before);
  if (!from || !to || from.array !== to.array || !to.base.startsWith('user:') || !before?.values || name === undefined) return undefined;
  const types = start.copy();
  const at = ups.indexOf(op);
  if (at < 0) return undefined;
  for (const o of ups.slice(0, at)) types.apply(o);
  const target = types.named(op.columnType);
  if (!target) return undefined;
  for (const o of ups.slice(at)) types.apply(o);
  const after = target.values;
  return types.nameOf(target) === name && after ? before.values.filter((value) => !after.includes(value)) : undefined;
}

function valueSet(values: string[] | undefined): Set<string> | undefined {
  return values && new Set(values);
}

/** The values `column` may hold after `o`, from `held` before; undefined when not known. */
function afterStatement(o: Operation, column: string, array: boolean, held: Set<string>): Set<string> | undefined {
  switch (o.kind) {
    case 'delete-all':
    case 'truncate':
      return new Set();
    case 'delete-rows':
      return o.valuesIn?.column === column ? without(held, o.valuesIn.values) : held;
    case 'update-all':
    case 'update-rows': {
      if (!(o.columns ?? []).includes(column)) return held;
      const literal = o.literals?.[column];
      if (array || literal?.kind !== 'string') return undefined;
      if (o.where === undefined) return new Set([literal.value]);
      const rest = o.valuesIn?.column === column ? without(held, o.valuesIn.values) : held;
      return new Set([...rest, literal.value]);
    }
    case 'insert-rows': {
      const values = (o.rows ?? []).map((row) => row[column]);
      if (array || values.length === 0 || values.some((v) => v?.kind !== 'string')) return undefined;
      return new Set([...held, ...values.map((v) => v!.value)]);
    }
    case 'change-type':
    case 'narrow-type': {
      if (o.column !== column) return held;
      // Into text or another enum and back, the strings are the same (a cast that fails is that statement's finding).
      const to = parsePgType(o.columnType);
      const keeps = to !== null && to.array === array && (to.base.startsWith('user:') || ['text', 'varchar', 'citext'].includes(to.base));
      return keeps && o.conversion ? mapValues(held, o.conversion) : undefined;
    }
    case 'add-column':
    case 'add-required-column':
    case 'drop-column':
      return o.column === column ? undefined : held;
    case 'rename-column':
      return o.column === column || o.newName === column ? undefined : held;
    case 'rename-table':
    case 'drop-table':
    case 'create-table':
      return undefined;
    case 'backfill':
      // `SET c = c` and positions renumbered in order list no column: they write no value of their own.
      return (o.columns ?? [column]).includes(column) ? undefined : held;
    default:
      return held;
  }
}

function without(held: Set<string>, values: string[]): Set<string> {
  return new Set([...held].filter((value) => !values.includes(value)));
}

/** What `held` becomes through the mapping; undefined if some value becomes NULL (a NOT NULL column would refuse it). */
function mapValues(held: Set<string>, mapping: ValueMapping): Set<string> | undefined {
  const result = new Set<string>();
  for (const value of held) {
    const mapped = mapping.cases.find((c) => c.when.includes(value))?.then ?? mapping.otherwise;
    if (mapped === null) return undefined;
    result.add('same' in mapped ? value : mapped.constant);
  }
  return result;
}

/**
 * How a USING expression maps the stored values of `column`: none, or a cast of the column
 * (`c::text::"Role_new"`, `c::text[]::"Role_new"[]`), keeps each; a CASE over the column (`CASE c::text
 * WHEN 'a' THEN 'b' ELSE c::text END`, or `CASE WHEN c = 'a' THEN …`, `WHEN c IN (…)`) whose
 * results are string constants or the column maps each. Undefined for anything else.
 */
export function valueMapping(using: JsonNode | undefined, column: string | undefined): ValueMapping | undefined {
  if (!using) return { cases: [], otherwise: { same: true } };
  const expr = uncast(using);
  if (isColumn(expr, column)) return { cases: [], otherwise: { same: true } };
  const node = expr.CaseExpr as JsonNode | undefined;
  if (!node) return undefined;
  const simple = node.arg !== undefined;
  if (simple && !isColumn(uncast(node.arg as JsonNode), column)) return undefined;
  const cases: ValueMapping['cases'] = [];
  for (const w of ((node.args as JsonNode[] | undefined) ?? []).map((a) => a.CaseWhen as JsonNode | undefined)) {
    const when = simple ? stringConstants([w?.expr as JsonNode]) : testedValues(w?.expr as JsonNode | undefined, column);
    const then = mapped(w?.result as JsonNode | undefined, column);
    if (!when || !then) return undefined;
    cases.push({ when, then });
  }
  const otherwise = node.defresult === undefined ? null : mapped(node.defresult as JsonNode, column);
  return otherwise === undefined ? undefined : { cases, otherwise };
}

/** A CASE result: a string constant (cast or not), the column itself, or NULL. */
function mapped(node: JsonNode | undefined, column: string | undefined): Mapped | null | undefined {
  if (!node) return undefined;
  const expr = uncast(node);
  if (isColumn(expr, column)) return { same: true };
  const constant = expr.A_Const as JsonNode | undefined;
  if (constant?.isnull) return null;
  const value = stringConstants([expr]);
  return value ? { constant: value[0] } : undefined;
}

/**
 * The column and values an UPDATE's or DELETE's WHERE picks its rows by, when that is all it tests
 * (`WHERE c = 'a'`, `WHERE c IN ('a', 'b')`): the column unqualified or qualified by the changed
 * table's name or alias, in a statement that reads no other table (no FROM or USING).
 */
export function pickedValues(statement: JsonNode): { column: string; values: string[] } | undefined {
  if (statement.fromClause || statement.usingClause) return undefined;
  const relation = statement.relation as JsonNode | undefined;
  const names = [relation?.relname, (relation?.alias as JsonNode | undefined)?.aliasname];
  let leaf = statement.whereClause as JsonNode | undefined;
  while (leaf?.BoolExpr) leaf = (((leaf.BoolExpr as JsonNode).args as JsonNode[] | undefined) ?? [])[0];
  const fields = ((uncast(((leaf?.A_Expr as JsonNode | undefined)?.lexpr as JsonNode | undefined) ?? {}).ColumnRef as JsonNode | undefined)?.fields as JsonNode[] | undefined) ?? [];
  const parts = fields.map((f) => (f.String as JsonNode | undefined)?.sval as string | undefined);
  if (parts.length === 0 || parts.length > 2 || parts.some((p) => p === undefined) || (parts.length === 2 && !names.includes(parts[0]))) return undefined;
  const column = parts[parts.length - 1]!;
  const values = testedValues(statement.whereClause as JsonNode | undefined, column);
  return values ? { column, values } : undefined;
}

/**
 * The values of `column` a WHERE (or a searched CASE's condition) picks exactly: `c = 'a'`,
 * `c IN ('a', 'b')`, and ORs of those on the column (cast or not).
 */
export function testedValues(node: JsonNode | undefined, column: string | undefined): string[] | undefined {
  if (!node) return undefined;
  const bool = node.BoolExpr as JsonNode | undefined;
  if (bool) {
    if (bool.boolop !== 'OR_EXPR') return undefined;
    const parts = ((bool.args as JsonNode[] | undefined) ?? []).map((arg) => testedValues(arg, column));
    return parts.every((part) => part !== undefined) ? parts.flat() as string[] : undefined;
  }
  const a = node.A_Expr as JsonNode | undefined;
  const operator = (((a?.name as JsonNode[] | undefined) ?? [])[0]?.String as JsonNode | undefined)?.sval;
  if (!a || operator !== '=' || !isColumn(uncast(a.lexpr as JsonNode), column)) return undefined;
  if (a.kind === 'AEXPR_OP') return stringConstants([a.rexpr as JsonNode]);
  if (a.kind === 'AEXPR_IN') return stringConstants(((a.rexpr as JsonNode | undefined)?.List as JsonNode | undefined)?.items as JsonNode[] | undefined);
  return undefined;
}

/** The string constants the nodes are (each cast or not), or undefined if one is something else. */
function stringConstants(nodes: JsonNode[] | undefined): string[] | undefined {
  if (!nodes || nodes.length === 0) return undefined;
  const values = nodes.map((node) => {
    const constant = uncast(node).A_Const as JsonNode | undefined;
    const literal = constant && !constant.isnull ? literalOf(constant) : undefined;
    return literal?.kind === 'string' ? literal.value : undefined;
  });
  return values.every((v) => v !== undefined) ? (values as string[]) : undefined;
}

/** The expression under any casts (`(c::text)::"Role"`). */
function uncast(node: JsonNode): JsonNode {
  let expr = node;
  while (expr?.TypeCast) expr = (expr.TypeCast as JsonNode).arg as JsonNode;
  return expr ?? {};
}

/** The column named by itself (or qualified by one name). */
function isColumn(node: JsonNode, column: string | undefined): boolean {
  const fields = ((node.ColumnRef as JsonNode | undefined)?.fields as JsonNode[] | undefined) ?? [];
  const last = (fields[fields.length - 1]?.String as JsonNode | undefined)?.sval;
  return column !== undefined && fields.length >= 1 && fields.length <= 2 && last === column;
}

function bare(name: string | undefined): string {
  return (name ?? '').replace(/^.*\./, '').replace(/"/g, '');
}
