import type { MigrationHistory } from './history';
import { bareName, sameName } from './history';
import { runsBefore, type Operation } from './operations';
import type { MigrationFile } from './recognize';
import { declaredColumnType, escape } from './sql';
import { lexSql } from './sqlLexer';
import { formatPgType, parsePgType, typeChangeEffect } from './types';

/**
 * What a migration's operations mean together, as the database sees them run in order: a table
 * or column the same migration created is new and empty (dropping it loses nothing, locking it
 * blocks nobody); an UPDATE that fills columns the migration just added overwrites nothing; a type
 * change is judged by the type before (from the migration history) and after; a default dropped
 * and set again in the same migration never leaves the column without one.
 */
export function refineOperations(operations: Operation[], text: string, file: MigrationFile, history: MigrationHistory | undefined): Operation[] {
  let ops = operations;
  // Patterns below read statements, not the comments about them.
  const code = file.language === 'sql' ? text.replace(/--[^\n]*/g, (comment) => ' '.repeat(comment.length)) : text;
  if (file.framework === 'clickhouse') ops = clickHouse(ops, code);
  for (const op of ops) if (op.parsed) describeFromSql(op, text);
  for (const [op, fresh] of freshness(ops, text, history?.shippedBefore ?? [])) {
    if (fresh.table) op.freshTable = true;
    if (fresh.column) op.freshColumn = true;
  }
  ops = ops.flatMap((op) => refineTypeChange(op, ops, text, history));
  for (const op of ops) markReAdded(op, ops, text, history);
  const later = laterStatements(code);
  const additions = columnAdditions(ops);
  return ops
    .filter((op) => !dropsNothing(op) && !forcesNothing(op, history) && !restoredLater(op, later) && !(op.kind === 'drop-type' && !/\bCASCADE\b/i.test(text.slice(op.statementStart, op.statementEnd))))
    .map((op) => (overwritesNothing(op, ops, additions, text, history?.shippedBefore ?? []) ? { ...op, kind: 'backfill' } : op));
}

/**
 * What the SQL says beyond the parser's operation: an added column's type and default, and the
 * columns of a key (`FOREIGN KEY ("a")`, `UNIQUE (a, b)`, `ON t (a)`), plainly named ones only.
 */
function describeFromSql(op: Operation, text: string): void {
  const statement = text.slice(op.statementStart, op.statementEnd);
  if (op.kind === 'add-column' && op.table && op.column) {
    const clause = text.slice(op.start, clauseEnd(text, op.end, op.statementEnd));
    op.columnType ??= declaredColumnType(statement, op.table, op.column) ?? undefined;
    const defaultAt = /\bDEFAULT\s+/i.exec(clause);
    if (defaultAt && op.defaultValue === undefined) {
      const rest = clause.slice(defaultAt.index + defaultAt[0].length);
      const end = rest.search(/\s(?:NOT\s+NULL|NULL|PRIMARY|REFERENCES|UNIQUE|CHECK|CONSTRAINT|GENERATED|COLLATE)\b/i);
      op.defaultValue = (end < 0 ? rest : rest.slice(0, end)).trim();
    }
    if (/\b(?:SERIAL|BIGSERIAL|SMALLSERIAL)\b|\bGENERATED\b/i.test(clause) && op.defaultValue === undefined) op.defaultValue = 'generated';
  }
  if (op.columns) return;
  // Column lists are short: bounded, so a statement of unclosed lists is not rescanned from each.
  const keyColumns =
    op.kind === 'add-foreign-key' ? /\bFOREIGN\s+KEY\s*\(([^()]{0,2000})\)/i.exec(statement)
    : op.kind === 'add-unique' || op.kind === 'add-primary-key' || op.kind === 'create-index' ? /\b(?:UNIQUE|PRIMARY\s+KEY|ON\s+(?:ONLY\s+)?[\w".]+(?:\s+USING\s+\w+)?)\s*\(([^()]{0,2000})\)/i.exec(statement)
    : null;
  if (!keyColumns) return;
  const names = keyColumns[1].split(',').map((c) => /^\s*"?(\w+)"?(?:\s+(?:ASC|DESC))?\s*$/i.exec(c)?.[1]);
  if (names.every((n): n is string => n !== undefined)) op.columns = names;
}

/** The end of an ALTER TABLE clause: the next comma outside parentheses, or the statement's end. */
function clauseEnd(text: string, from: number, statementEnd: number): number {
  let depth = 0;
  for (let i = from; i < statementEnd; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) return i;
  }
  return statementEnd;
}

/**
 * ClickHouse statements are not PostgreSQL: no lock rule applies, and what PostgreSQL could not
 * parse is not a gap, unless a second statement starts inside it (the semicolon between them is
 * missing, and ClickHouse refuses the pair as PostgreSQL would). Its CREATE TABLE and CREATE
 * MATERIALIZED VIEW are read here, so a table swap (create a copy, rename it into place) is seen
 * for what it is.
 */
function clickHouse(ops: Operation[], text: string): Operation[] {
  const creates: Operation[] = [...text.matchAll(/\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|MATERIALIZED\s+VIEW|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:[\w"`]+\.)?[\w"`]+)/gi)].map((m) => ({
    kind: 'create-table', part: 'up', start: m.index, end: m.index + m[0].length, statementStart: m.index, statementEnd: m.index + m[0].length, parsed: false, table: m[1].replace(/[`"]/g, ''),
  }));
  const code = codeOnly(text);
  const unterminated = code === null ? [] : ops.flatMap((op) => (op.kind === 'unparseable' ? secondStatement(op, code) : []));
  return [...ops.filter((op) => op.kind !== 'unparseable' && op.kind !== 'create-table').map((op) => ({ ...op, parsed: false })), ...creates, ...unterminated].sort((a, b) => a.start - b.start);
}

/**
 * A statement's first words (DDL or an INSERT), and where another statement starts a line inside
 * one: at the line's first column. Not a SELECT or an UPDATE, which continue statements
 * (`CREATE VIEW … AS` / `SELECT`, ClickHouse's `ALTER TABLE t` / `UPDATE …`).
 */
const STATEMENT_HEAD = /(?:ALTER|CREATE|DROP|RENAME|TRUNCATE|INSERT|OPTIMIZE)[ \t]+(?:TABLE|INTO|VIEW|MATERIALIZED|DATABASE|DICTIONARY|OR[ \t]+REPLACE)\b/iy;
const STATEMENT_LINE = /^(?:ALTER|CREATE|DROP|RENAME|TRUNCATE|INSERT|OPTIMIZE)[ \t]+(?:TABLE|INTO|VIEW|MATERIALIZED|DATABASE|DICTIONARY|OR[ \t]+REPLACE)\b/gim;

/**
 * The text with its comments and quoted strings blanked (line breaks kept), so that words in them
 * start nothing; null when it does not lex (an unterminated string): then nothing is claimed.
 */
function codeOnly(text: string): string | null {
  let tokens;
  try {
    tokens = lexSql(text);
  } catch {
    return null;
  }
  let code = '';
  let at = 0;
  for (const token of tokens) {
    if (!/^(?:--|\/\*|[eEbBxXuU]?&?['"$])/.test(text.slice(token.start, token.start + 3)) || /^\$\d/.test(text.slice(token.start, token.start + 2))) continue;
    code += text.slice(at, token.start) + text.slice(token.start, token.end).replace(/[^\n]/g, ' ');
    at = token.end;
  }
  return code + text.slice(at);
}

/** The unparseable statement's second statement, when one starts on a line of its own after the first's (in `code`, comments and strings blanked). */
function secondStatement(op: Operation, code: string): Operation[] {
  const statement = code.slice(op.statementStart, op.statementEnd);
  const first = statement.search(/\S/);
  STATEMENT_HEAD.lastIndex = first;
  if (first < 0 || !STATEMENT_HEAD.test(statement)) return [];
  const second = [...statement.matchAll(STATEMENT_LINE)].map((m) => m.index).find((index) => index > first);
  if (second === undefined || insideParentheses(statement, second)) return [];
  const at = op.statementStart + second;
  const lineEnd = code.indexOf('\n', at);
  return [{ ...op, start: at, end: lineEnd < 0 ? op.statementEnd : Math.min(lineEnd, op.statementEnd), unterminated: true }];
}

function insideParentheses(text: string, at: number): boolean {
  let depth = 0;
  for (let i = 0; i < at; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
  }
  return depth > 0;
}

/** Changes to a table's columns: after a CREATE TABLE IF NOT EXISTS, the author expects an older table to be there. */
const ADAPTS = new Set<Operation['kind']>(['add-column', 'add-required-column', 'drop-column', 'rename-column', 'change-type', 'narrow-type', 'set-not-null', 'drop-not-null', 'drop-default']);

function adapted(create: Operation, ops: Operation[]): boolean {
  return ops.some((op) => op.part === 'up' && runsBefore(create, op) && ADAPTS.has(op.kind) && sameName(op.table, create.table) && !addsToNew(op, create));
}

/**
 * A column the CREATE does not declare, added after it: the new table needs it too (a reference to
 * a table created after this one), so it tells nothing of an older table. Adding one the CREATE
 * declares only makes sense on an older table without it.
 */
function addsToNew(op: Operation, create: Operation): boolean {
  return (op.kind === 'add-column' || op.kind === 'add-required-column') && !!op.column && !!create.columnNullable && !Object.hasOwn(create.columnNullable, op.column);
}

/** A CREATE TABLE IF NOT EXISTS whose table the migration then adapts: an older table may be there. */
function mayFindOlder(create: Operation, ops: Operation[], text: string): boolean {
  return create.kind === 'create-table' && /^\s*create\s+table\s+if\s+not\s+exists\b/i.test(text.slice(create.statementStart, create.statementEnd)) && adapted(create, ops);
}

/**
 * An `ADD COLUMN IF NOT EXISTS` on a table that may be an older one (see mayFindOlder) may find the
 * column there, with its values (medusa's v2 modules adapting v1's `price_list`, which had `name`).
 */
function mayExistAlready(add: Operation, ops: Operation[], text: string): boolean {
  return add.guarded === true && ops.some((o) => o.part === 'up' && runsBefore(o, add) && sameName(o.table, add.table) && mayFindOlder(o, ops, text));
}

/** Which of a migration's operations touch only what no released version used. */
export interface Unreleased {
  /** The operation's table was created since the last release (by `earlier` or this migration). */
  table: boolean;
  /** Every column it names was added since the last release. */
  column: boolean;
}

/**
 * The operations of `ops` on a table or columns created since the last release: by `earlier` (the
 * up operations of the migrations that reached a release with this one) or earlier in this one.
 * Read as refineOperations reads a pull request's migrations (freshness); an operation on neither
 * is not in the map.
 */
export function unreleasedTargets(ops: Operation[], text: string, earlier: Operation[]): Map<Operation, Unreleased> {
  return freshness(ops, text, earlier);
}

/** Kinds whose `column` is a column (for indexes and constraints it is their name). */
const COLUMN_KINDS = new Set<Operation['kind']>(['drop-column', 'rename-column', 'change-type', 'narrow-type', 'add-column', 'add-required-column', 'drop-default', 'set-not-null', 'drop-not-null']);

/**
 * The up operations on a table this migration (or one shipped with it) created earlier, and those
 * on columns it added: the operations' freshness, computed without touching them (the rules read
 * it again against the last release). A `CREATE TABLE IF NOT EXISTS` may find a table
 * with rows: it counts as creating the table unless the migration then adapts that table's columns
 * (adds, drops, retypes, renames one, or changes its NULL or default), the sign that its author
 * expects an older table there (Medusa's v2 modules upgrading v1 tables).
 */
function freshness(ops: Operation[], text: string, shippedBefore: Operation[]): Map<Operation, Unreleased> {
  const found = new Map<Operation, Unreleased>();
  const tables = new Set<string>();
  const columns = new Set<string>();
  const key = (table: string | undefined, column?: string) => `${bareName(table ?? '')}${column === undefined ? '' : `.${column}`}`;
  // What the migrations shipped with this one created first (their texts are not at hand: a
  // create-table's IF NOT EXISTS cannot be read there, so only tables are taken that no later
  // statement of theirs drops).
  for (const op of shippedBefore) record(op, true);
  for (const op of ops) {
    if (op.part !== 'up') continue;
    const table = !!op.table && tables.has(key(op.table));
    const opColumns = op.columns ?? (op.column && COLUMN_KINDS.has(op.kind) ? [op.column] : []);
    const creates = op.kind === 'add-column' || op.kind === 'add-required-column';
    const column = table || (!creates && opColumns.length > 0 && opColumns.every((c) => columns.has(key(op.table, c))));
    if (column) found.set(op, { table, column });
    record(op, op.kind === 'create-table' ? !mayFindOlder(op, ops, text) : !(op.kind === 'add-column' && mayExistAlready(op, ops, text)));
  }
  return found;

  function record(op: Operation, creates: boolean): void {
    if (op.kind === 'create-table' && creates) tables.add(key(op.table));
    // A shipped migration's column is taken as its own, like its tables: the pull request added it.
    if (op.kind === 'add-column' && op.column && creates) columns.add(key(op.table, op.column));
    if (op.kind === 'drop-table') tables.delete(key(op.table));
    if (op.kind === 'rename-table' && op.newName && tables.has(key(op.table))) tables.add(key(op.newName));
    if (op.kind === 'rename-column' && op.newName && columns.has(key(op.table, op.column))) columns.add(key(op.table, op.newName));
  }
}

/**
 * A type change read with both types: PostgreSQL's widenings become compatible (and often free),
 * a lossy change a narrowing, and restating the same type (Sequelize's `changeColumn` does it with
 * every call) no change at all.
 */
function refineTypeChange(op: Operation, ops: Operation[], text: string, history: MigrationHistory | undefined): Operation[] {
  if ((op.kind !== 'change-type' && op.kind !== 'narrow-type') || op.typeEffect || !op.table || !op.column) return [op];
  const toType = op.columnType ?? (op.parsed ? alterTypeTarget(text, op) : undefined);
  const inFile = op.fromType ?? typeEarlierInFile(op, ops, text);
  let fromType = inFile ?? history?.typeBefore(op.table, op.column);
  // An enum an earlier migration declared may have been renamed since, and its old name reused (Prisma's `x_new`).
  const identity = inFile === undefined && history ? enumIdentity(history, fromType, toType, ops.slice(0, ops.indexOf(op))) : undefined;
  if (identity) fromType = identity.name;
  const from = parsePgType(fromType);
  const to = parsePgType(toType);
  if (!from || !to) return [op];
  // Another enum under the same name (dropped and created again) is a change between two types like any other.
  const effect = typeChangeEffect(from, to) ?? (identity?.same === false ? { rewrite: true, compatible: false, mayFail: true, lossy: false } : null);
  if (effect === null) return [];
  return [{ ...op, kind: effect.lossy ? 'narrow-type' : 'change-type', columnType: formatPgType(to), fromType: formatPgType(from), typeEffect: effect }];
}

/**
 * The enum a column was declared of before this migration, followed to where `before` (this
 * migration's earlier operations) leaves it: its name when the migration started, and whether
 * `target` names it there.
 */
function enumIdentity(history: MigrationHistory, declared: string | undefined, target: string | undefined, before: Operation[]): { name: string; same: boolean } | undefined {
  const types = history.enumTypes();
  const type = types.declaredType(declared);
  const name = type && types.nameOf(type);
  if (!type || name === undefined) return undefined;
  for (const o of before) types.apply(o);
  return { name, same: types.named(target) === type };
}

/**
 * A column added under the name an earlier rename of the same migration moved away (`RENAME role
 * TO old_role`, then `ADD role`): the code still running reads and writes the new column as it did
 * the old one, so the type that column had is the re-added one's `fromType`.
 */
function markReAdded(op: Operation, ops: Operation[], text: string, history: MigrationHistory | undefined): void {
  if (op.kind !== 'add-column' || op.part !== 'up' || !op.table || !op.column) return;
  const at = ops.indexOf(op);
  // The last operation before it that names the column: a rename away from it, or anything else (then no rename moved it away last).
  let rename: Operation | undefined;
  for (let i = at - 1; i >= 0 && !rename; i--) {
    const other = ops[i];
    if (other.part !== 'up' || (other.column !== op.column && !(other.kind === 'rename-column' && other.newName === op.column)) || !sameName(other.table, op.table)) continue;
    if (other.kind !== 'rename-column' || other.column !== op.column) return;
    rename = other;
  }
  if (!rename) return;
  const fromType = typeEarlierInFile(rename, ops, text) ?? history?.typeBefore(op.table, op.column);
  if (fromType) op.fromType = fromType;
}

/** The type an earlier statement or call of the same migration gave the column. */
function typeEarlierInFile(op: Operation, ops: Operation[], text: string): string | undefined {
  for (let i = ops.indexOf(op) - 1; i >= 0; i--) {
    const other = ops[i];
    if (other.part !== 'up' || other.column !== op.column || !sameName(other.table, op.table)) continue;
    if (other.kind === 'add-column' || other.kind === 'change-type' || other.kind === 'narrow-type') {
      if (other.columnType) return other.columnType;
      if (other.parsed) {
        const declared = declaredColumnType(text.slice(other.statementStart, other.statementEnd + 1), other.table!, other.column!);
        if (declared) return declared;
      }
    }
  }
  if (op.parsed && op.table && op.column) {
    const declared = declaredColumnType(text.slice(0, op.statementStart), op.table, op.column);
    if (declared && !/^(?:SET\s+DATA\s+)?TYPE\b/i.test(declared)) return declared;
  }
  return undefined;
}

/** The new type of `ALTER COLUMN c [SET DATA] TYPE t [USING …]`, read after the clause the operation spans. */
function alterTypeTarget(text: string, op: Operation): string | undefined {
  const rest = text.slice(op.end, op.statementEnd);
  const head = /^\s*(?:SET\s+DATA\s+)?TYPE\s+/i.exec(rest);
  if (!head) return undefined;
  let depth = 0;
  let i = head[0].length;
  for (; i < rest.length; i++) {
    const ch = rest[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && (ch === ',' || ch === ';')) break;
    if (depth === 0 && /\s/.test(ch) && /^\s+(?:USING|COLLATE)\b/i.test(rest.slice(i, i + 12))) break;
  }
  return rest.slice(head[0].length, i).trim() || undefined;
}

/** A drop, truncate or delete of what this migration created: no production row is lost. */
function dropsNothing(op: Operation): boolean {
  if (op.part !== 'up') return false;
  if ((op.kind === 'drop-table' || op.kind === 'truncate' || op.kind === 'delete-all' || op.kind === 'delete-rows') && op.freshTable) return true;
  return op.kind === 'drop-column' && op.freshColumn === true;
}

/**
 * Rails' `create_table force: true` (a mapped DROP TABLE IF EXISTS) of a table none of the earlier
 * migrations of the folder created: run in order, there is no table to drop. A migration with no
 * earlier one in its folder cannot tell (the tables may predate the folder): its force is judged.
 */
function forcesNothing(op: Operation, history: MigrationHistory | undefined): boolean {
  return op.kind === 'drop-table' && op.mapped === true && op.guarded === true && op.part === 'up' && !!op.table && history?.createdBefore(op.table) === false;
}

/**
 * An UPDATE whose SET columns this migration just added (a backfill), or another migration of the
 * same pull request did (a sibling migration adds the column, the next fills it), or which only
 * fills NULLs (`WHERE c IS NULL`), or of a table created here, overwrites nothing.
 */
function overwritesNothing(op: Operation, ops: Operation[], additions: Map<string, Operation[]>, text: string, shippedBefore: Operation[]): boolean {
  if (op.part !== 'up' || (op.kind !== 'update-all' && op.kind !== 'update-rows')) return false;
  if (op.freshTable) return true;
  const set = op.columns ?? [];
  if (set.length === 0) return false;
  const table = op.table;
  const fresh = (column: string) => table !== undefined && (shippedColumn(shippedBefore, table, column) || (additions.get(columnKey(table, column)) ?? []).some((o) => runsBefore(o, op) && !mayExistAlready(o, ops, text)));
  // Parsed SQL says which columns a conjunct of the WHERE tests, and on which table (`t.c IS NULL` of an UPDATE … FROM).
  const fillsNulls = (column: string) => op.parsed ? (op.nullsOnly ?? []).includes(column) : op.where !== undefined && new RegExp(`(^|[\\s("])${escape(column)}"?\\s+IS\\s+NULL\\b`, 'i').test(op.where);
  return set.every((column) => fresh(column) || fillsNulls(column) || addsMissingKey(op, text, column));
}

/**
 * The up part's ADD COLUMNs by table and column (bare names, as sameName compares them): an
 * UPDATE is matched with its column's additions, not with every operation (in a 500-statement
 * migration that comparison was about a sixteenth of each keystroke).
 */
function columnAdditions(ops: Operation[]): Map<string, Operation[]> {
  const additions = new Map<string, Operation[]>();
  for (const o of ops) {
    if (o.part !== 'up' || o.kind !== 'add-column' || !o.table || o.column === undefined) continue;
    const key = columnKey(o.table, o.column);
    additions.set(key, [...(additions.get(key) ?? []), o]);
  }
  return additions;
}

const columnKey = (table: string, column: string) => `${bareName(table)}\u0000${column}`;

/**
 * Whether the migrations shipped with this one (the same pull request) leave `table.column` as one
 * of them added: added, and not dropped (nor its table) after.
 */
function shippedColumn(shippedBefore: Operation[], table: string | undefined, column: string): boolean {
  let added = false;
  for (const o of shippedBefore) {
    if (!sameName(o.table, table)) continue;
    // `ADD COLUMN IF NOT EXISTS` may have met a column holding data: not counted as new.
    if (o.kind === 'add-column' && o.column === column) added = o.guarded !== true;
    else if (o.kind === 'drop-table' || (o.kind === 'drop-column' && o.column === column)) added = false;
  }
  return added;
}

/**
 * `SET c = jsonb_set(c, '{k}', …) WHERE c->>'k' IS NULL` (or `NOT c ? 'k'`): a JSON key is added
 * to the rows that lack it, every value already there is kept.
 */
function addsMissingKey(op: Operation, text: string, column: string): boolean {
  if (op.where === undefined) return false;
  const c = `"?${escape(column)}"?`;
  const set = new RegExp(`\\bSET\\s+${c}\\s*=\\s*jsonb_set\\s*\\(\\s*${c}(?:::jsonb)?\\s*,\\s*'\\{"?(\\w+)"?\\}'`, 'i').exec(text.slice(op.statementStart, op.statementEnd));
  if (!set) return false;
  const key = escape(set[1]);
  return new RegExp(`(?:^|[\\s(])${c}\\s*->>?\\s*'${key}'\\s*(?:\\)\\s*)?IS\\s+NULL\\b|\\bNOT\\s*(?:\\(\\s*)?${c}\\s*\\?\\s*'${key}'`, 'i').test(op.where);
}

interface LaterStatements {
  /** `ALTER TABLE t ALTER [COLUMN] c SET DEFAULT`, by `table.column`: where each is. */
  defaults: Map<string, number[]>;
  /** `CREATE [MATERIALIZED] VIEW v`, by name. */
  views: Map<string, number[]>;
}

/** The statements that undo a drop later in the same file, found in one pass each. */
function laterStatements(text: string): LaterStatements {
  const name = (raw: string) => raw.replace(/^.*\./, '').replace(/"/g, '');
  const collect = (pattern: RegExp, key: (m: RegExpMatchArray) => string) => {
    const found = new Map<string, number[]>();
    for (const m of text.matchAll(pattern)) found.set(key(m), [...(found.get(key(m)) ?? []), m.index]);
    return found;
  };
  return {
    defaults: collect(/\bALTER\s+TABLE\s+(?:ONLY\s+)?((?:[\w"]+\.)?[\w"]+)\s+ALTER\s+(?:COLUMN\s+)?([\w"]+)\s+SET\s+DEFAULT\b/gi, (m) => `${name(m[1])}.${name(m[2])}`),
    views: collect(/\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:MATERIALIZED\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:[\w"]+\.)?[\w"]+)/gi, (m) => name(m[1])),
  };
}

/**
 * A drop the same migration undoes: a default dropped and set again (Prisma's enum swap), a
 * (materialized) view dropped and created again (a view holds no rows of its own).
 */
function restoredLater(op: Operation, later: LaterStatements): boolean {
  const after = (positions: number[] | undefined) => positions?.some((at) => at > op.statementEnd) ?? false;
  const name = (op.table ?? '').replace(/^.*\./, '').replace(/"/g, '');
  if (op.kind === 'drop-default') return after(later.defaults.get(`${name}.${op.column}`));
  if (op.kind === 'drop-table') return after(later.views.get(name));
  return false;
}
