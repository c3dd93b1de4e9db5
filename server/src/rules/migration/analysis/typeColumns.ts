import type { Operation } from './operations';
import { escape } from './sql';

/** A column declared with a given type. */
export interface TypeColumn {
  table: string;
  column: string;
}

/**
 * The columns of a type (an enum a migration created) as one migration's up operations leave
 * them, those starting before `end`: `DROP TYPE … CASCADE` drops every column still of the type
 * with it, and nothing when the migrations converted them all. `before` is what the earlier
 * migrations left: undefined while no migration created the type (its columns are unknown, as of
 * a type made outside the migrations). 'unknown' when a statement names the type otherwise than
 * these follow (a function, a domain, a view, a cast, an ORM call): what CASCADE reaches is then
 * not known. Names compare without schema, quotes or case.
 */
export function followTypeColumns(text: string, operations: readonly Operation[], type: string, before: TypeColumn[] | undefined, end = Infinity): TypeColumn[] | undefined | 'unknown' {
  const name = bare(type);
  const ops = operations.filter((op) => op.statementStart < end).sort((a, b) => a.statementStart - b.statementStart);
  if (!everyMentionFollowed(text, ops, name, end)) return 'unknown';
  let columns = before && [...before];
  for (const op of ops) {
    if (op.part !== 'up') continue;
    const table = op.table && bare(op.table);
    if (op.kind === 'create-enum' && table === name) columns = op.guarded && columns ? columns : [];
    else if (op.kind === 'drop-type' && table === name) columns = undefined;
    else if (!columns || !table) continue;
    // A column whose type is not told (an ALTER TABLE of several clauses, `ADD COLUMN IF NOT
    // EXISTS`) counts when its statement names the type: one column too many keeps a finding, one
    // too few would hide a column CASCADE drops.
    else if (op.kind === 'add-column' && op.column && (op.columnType === undefined ? mentions(statementOf(text, op), name) : declaresType(op.columnType, name))) columns.push({ table, column: op.column });
    else if ((op.kind === 'change-type' || op.kind === 'narrow-type') && op.column) {
      const column = op.column;
      columns = columns.filter((c) => !(c.table === table && c.column === column));
      if (convertsTo(text, op, name)) columns.push({ table, column });
    } else if (op.kind === 'create-table') for (const column of declaredIn(text.slice(op.statementStart, op.statementEnd), name)) columns.push({ table, column });
    else if (op.kind === 'drop-column') columns = columns.filter((c) => !(c.table === table && c.column === op.column));
    else if (op.kind === 'drop-table') columns = columns.filter((c) => c.table !== table);
    else if (op.kind === 'rename-column' && op.newName) columns = columns.map((c) => (c.table === table && c.column === op.column ? { table, column: op.newName! } : c));
    else if (op.kind === 'rename-table' && op.newName) columns = columns.map((c) => (c.table === table ? { ...c, table: bare(op.newName!) } : c));
  }
  return columns;
}

/**
 * Whether every place before `end` that names the type is a statement these follow: its own
 * CREATE, ALTER and DROP TYPE, a column declared of it, a column converted to or from it, or a
 * down part (which does not run forward), or a comment line.
 */
function everyMentionFollowed(text: string, ops: readonly Operation[], name: string, end: number): boolean {
  const mention = new RegExp(`\\b${escape(name)}\\b`, 'gi');
  // The mentions come in order: the statement covering one is the started one reaching furthest,
  // and lines are found going forward (a long line of mentions is read once).
  let next = 0;
  let reaching: Operation | undefined;
  let lineStart = 0;
  let commentLine: boolean | undefined;
  for (let match = mention.exec(text); match && match.index < end; match = mention.exec(text)) {
    const at = match.index;
    while (next < ops.length && ops[next].statementStart <= at) {
      if (!reaching || ops[next].statementEnd > reaching.statementEnd) reaching = ops[next];
      next++;
    }
    const op = reaching && reaching.statementEnd > at ? reaching : undefined;
    if (!op) {
      for (let newline = text.indexOf('\n', lineStart); newline !== -1 && newline < at; newline = text.indexOf('\n', lineStart)) {
        lineStart = newline + 1;
        commentLine = undefined;
      }
      COMMENT_LINE.lastIndex = lineStart;
      commentLine ??= COMMENT_LINE.test(text);
      if (commentLine) continue;
      return false;
    }
    if (op.part === 'down') continue;
    if (!op.parsed || !FOLLOWED.has(op.kind)) return false;
  }
  return true;
}

/** A line that begins as a comment does (from its start; sticky). */
const COMMENT_LINE = /[ \t]*(?:--|\/\/|#|\*|\/\*)/y;

const FOLLOWED = new Set<Operation['kind']>(['create-enum', 'add-enum-value', 'rename-enum-value', 'drop-type', 'add-column', 'change-type', 'narrow-type', 'create-table']);

function bare(name: string): string {
  return name.replace(/"/g, '').replace(/^.*\./, '').trim().toLowerCase();
}

function declaresType(declared: string | undefined, name: string): boolean {
  return declared !== undefined && bare(declared.replace(/\[\]$/, '').trim()) === name;
}

/**
 * `ALTER COLUMN c [SET DATA] TYPE <the type>`: the type the statement gives the column is this
 * one. Where the clause cannot be read so (an ORM's call), a statement naming the type counts.
 */
function convertsTo(text: string, op: Operation, name: string): boolean {
  const rest = text.slice(op.end, op.statementEnd);
  const head = /^\s*(?:SET\s+DATA\s+)?TYPE\s+/i.exec(rest);
  if (!head) return mentions(statementOf(text, op), name);
  return new RegExp(`^(?:"?\\w+"?\\.)?"?${escape(name)}"?(?![\\w."])`, 'i').test(rest.slice(head[0].length));
}

function statementOf(text: string, op: Operation): string {
  return text.slice(op.statementStart, op.statementEnd);
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`\\b${escape(name)}\\b`, 'i').test(text);
}

/** The columns a CREATE TABLE declares of the type (`status order_status NOT NULL`). */
function declaredIn(statement: string, name: string): string[] {
  const pattern = new RegExp(`[(,]\\s*"?(\\w+)"?\\s+(?:"?\\w+"?\\.)?"?${escape(name)}"?(?![\\w."])`, 'gi');
  return [...statement.matchAll(pattern)].map((m) => m[1]);
}
