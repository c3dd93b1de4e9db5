import type { MigrationFile, Section } from './recognize';
import type { Operation, OperationKind } from './operations';
import { sqlOperations } from './sql';

/**
 * ORM migration calls mapped onto the operation model, and SQL embedded in them (`execute`,
 * `queryRunner.query`, `knex.raw`, `RunSQL`, `op.execute`, `addSql`) handed to the SQL parser.
 * Calls are recognised by their shape in the source text: migrations are generated, regular code,
 * and a pattern per call keeps each framework's mapping readable in one table.
 */

/** A quoted or symbol argument: 'users', "users", :users, `users` (never across a line: no name spans one). */
const A = `(?::(\\w+)|'([^'\\n\\r]*)'|"([^"\\n\\r]*)"|\`([^\`$\\n\\r]*)\`)`;
const SEP = '\\s*,\\s*';

export interface CallPattern {
  regex: RegExp;
  kind: OperationKind;
  /** Which arguments (0-based, among the quoted ones) are table, column and new name. */
  args: ('table' | 'column' | 'newName')[];
  /** The call must (or must not) contain this to match, e.g. `null: false` without `default:`. */
  requires?: RegExp;
  forbids?: RegExp;
  /** A call spanning lines: it runs from the match to the first match of this after it. */
  until?: RegExp;
  /** A keyword argument inside the call (up to `until`) whose quoted value is the next of `args`; the call must have it. */
  keyword?: RegExp;
}

// `\s*(?:\(\s*)?`, not `\s*\(?\s*`: two adjacent `\s*` split a blank run every way before failing.
const call = (name: string, count: number) => new RegExp(`\\b(?:${name})\\s*(?:\\(\\s*)?${Array(count).fill(A).join(SEP)}[^\\n]*`, 'g');

const RUBY: CallPattern[] = [
  { regex: call('remove_column', 2), kind: 'drop-column', args: ['table', 'column'] },
  { regex: call('drop_table', 1), kind: 'drop-table', args: ['table'] },
  { regex: call('rename_column', 3), kind: 'rename-column', args: ['table', 'column', 'newName'] },
  { regex: call('rename_table', 2), kind: 'rename-table', args: ['table', 'newName'] },
  { regex: call('change_column', 2), kind: 'change-type', args: ['table', 'column'] },
  { regex: call('change_column_null', 2), kind: 'set-not-null', args: ['table', 'column'], requires: /,\s*false/ },
  { regex: call('change_column_default', 2), kind: 'drop-default', args: ['table', 'column'], requires: /(to:\s*nil|,\s*nil\s*\)?\s*$)/ },
  { regex: call('add_column', 2), kind: 'add-column', args: ['table', 'column'] },
  { regex: call('add_column', 2), kind: 'add-required-column', args: ['table', 'column'], requires: /null:\s*false/, forbids: /default:/ },
  { regex: call('add_index', 1), kind: 'create-index', args: ['table'] },
  { regex: call('remove_index', 1), kind: 'drop-index', args: ['table'] },
  { regex: call('add_foreign_key', 2), kind: 'add-foreign-key', args: ['table', 'column'] },
];

/** The `)` that closes a Django operation written over lines: the first line that starts with it. */
const CALL_CLOSE = /\n[ \t]*\),?/g;
/**
 * The first `)` after a call's head, found once per head with `Searches`: a `[^)]*\)` tail in the
 * pattern would scan to the end of the file from every head without one (200 KB: seconds), and
 * `[^)]*keyword[^)]*\)` does so again from every keyword it passes.
 */
const PAREN_CLOSE = /\)/g;
/** `op.alter_column('table', 'column'`: the rest of the call is read up to its `)`. */
const ALTER_COLUMN = new RegExp(`op\\.alter_column\\(\\s*${A}${SEP}${A}`, 'g');

const PYTHON: CallPattern[] = [
  // Django: keyword arguments, model names stand for tables.
  { regex: /migrations\.RemoveField\(\s*model_name\s*=\s*['"](\w+)['"]\s*,\s*name\s*=\s*['"](\w+)['"]/g, until: PAREN_CLOSE, kind: 'drop-column', args: ['table', 'column'] },
  { regex: /migrations\.DeleteModel\(\s*name\s*=\s*['"](\w+)['"]/g, until: PAREN_CLOSE, kind: 'drop-table', args: ['table'] },
  { regex: /migrations\.RenameField\(\s*model_name\s*=\s*['"](\w+)['"]\s*,\s*old_name\s*=\s*['"](\w+)['"]\s*,\s*new_name\s*=\s*['"](\w+)['"]/g, until: PAREN_CLOSE, kind: 'rename-column', args: ['table', 'column', 'newName'] },
  { regex: /migrations\.RenameModel\(\s*old_name\s*=\s*['"](\w+)['"]\s*,\s*new_name\s*=\s*['"](\w+)['"]/g, until: PAREN_CLOSE, kind: 'rename-table', args: ['table', 'newName'] },
  { regex: /migrations\.AlterField\(\s*model_name\s*=\s*['"](\w+)['"]\s*,\s*name\s*=\s*['"](\w+)['"]/g, until: CALL_CLOSE, kind: 'change-type', args: ['table', 'column'] },
  { regex: /migrations\.AddField\(\s*model_name\s*=\s*['"](\w+)['"]\s*,\s*name\s*=\s*['"](\w+)['"]/g, until: CALL_CLOSE, kind: 'add-required-column', args: ['table', 'column'], forbids: /null\s*=\s*True|default\s*=/ },
  // Alembic.
  { regex: call('op\\.drop_column', 2), kind: 'drop-column', args: ['table', 'column'] },
  { regex: call('op\\.drop_table', 1), kind: 'drop-table', args: ['table'] },
  { regex: call('op\\.rename_table', 2), kind: 'rename-table', args: ['table', 'newName'] },
  { regex: ALTER_COLUMN, until: PAREN_CLOSE, kind: 'rename-column', args: ['table', 'column', 'newName'], keyword: new RegExp(`new_column_name\\s*=\\s*${A}`) },
  { regex: ALTER_COLUMN, until: PAREN_CLOSE, kind: 'change-type', args: ['table', 'column'], requires: /type_\s*=/ },
  { regex: ALTER_COLUMN, until: PAREN_CLOSE, kind: 'set-not-null', args: ['table', 'column'], requires: /nullable\s*=\s*False/ },
  { regex: new RegExp(`op\\.add_column\\(\\s*${A}${SEP}sa\\.Column\\(\\s*${A}[^\\n]*`, 'g'), kind: 'add-column', args: ['table', 'column'] },
  { regex: new RegExp(`op\\.add_column\\(\\s*${A}${SEP}sa\\.Column\\(\\s*${A}[^\\n]*`, 'g'), kind: 'add-required-column', args: ['table', 'column'], requires: /nullable\s*=\s*False/, forbids: /server_default/ },
  { regex: call('op\\.create_index', 2), kind: 'create-index', args: ['column', 'table'] },
];

const JS: CallPattern[] = [
  // TypeORM QueryRunner, Sequelize QueryInterface: (table, column[, newName]).
  { regex: call('(?:queryRunner|queryInterface)\\.(?:dropColumn|removeColumn)', 2), kind: 'drop-column', args: ['table', 'column'] },
  { regex: call('(?:queryRunner|queryInterface)\\.dropTable', 1), kind: 'drop-table', args: ['table'] },
  { regex: call('(?:queryRunner|queryInterface)\\.renameColumn', 3), kind: 'rename-column', args: ['table', 'column', 'newName'] },
  { regex: call('(?:queryRunner|queryInterface)\\.renameTable', 2), kind: 'rename-table', args: ['table', 'newName'] },
  { regex: call('(?:queryRunner|queryInterface)\\.(?:changeColumn)', 2), kind: 'change-type', args: ['table', 'column'] },
  // Knex and Kysely schema builders: table(...) or alterTable(...) then column calls.
  { regex: call('(?:schema)\\.dropTable(?:IfExists)?', 1), kind: 'drop-table', args: ['table'] },
  { regex: call('(?:schema)\\.renameTable', 2), kind: 'rename-table', args: ['table', 'newName'] },
  { regex: new RegExp(`(?:schema\\.(?:alterTable|table)\\(\\s*${A}[\\s\\S]{0,400}?)\\.dropColumns?\\(\\s*${A}[^\\n]*`, 'g'), kind: 'drop-column', args: ['table', 'column'] },
  { regex: new RegExp(`(?:schema\\.(?:alterTable|table)\\(\\s*${A}[\\s\\S]{0,400}?)\\.renameColumn\\(\\s*${A}${SEP}${A}[^\\n]*`, 'g'), kind: 'rename-column', args: ['table', 'column', 'newName'] },
];

/** Each host language's call patterns (the regex suite proves each linear on its own shape). */
export const CALL_PATTERNS: Readonly<Record<'ruby' | 'python' | 'js', readonly CallPattern[]>> = { ruby: RUBY, python: PYTHON, js: JS };

/**
 * SQL strings handed to the database directly: an opening (`execute <<~SQL`, `RunSQL(` and triple
 * quotes) whose body runs to a terminator (the heredoc's tag at the start of a later line, the
 * closing quotes), or one quoted string. Quoted bodies alternate an escape with any character but
 * a backslash, not with any character, which reads a backslash two ways and backtracks
 * exponentially.
 */
interface EmbeddedSql {
  regex: RegExp;
  /** Where a body that runs to a terminator starts, and the terminator; otherwise group 2 of the match is the body. */
  terminator?: { bodyFrom: 'next line' | 'opening end'; pattern: (open: RegExpExecArray) => RegExp };
}

const quoted = (calls: string) => new RegExp(`${calls}(['"])((?:\\\\.|(?!\\1)[^\\\\\\n])*)\\1`, 'g');

const EMBEDDED_SQL: Record<'ruby' | 'python' | 'js', EmbeddedSql[]> = {
  ruby: [
    { regex: /\bexecute\s*(?:\(\s*)?<<[~-]?(['"]?)(\w+)\1/g, terminator: { bodyFrom: 'next line', pattern: (open) => new RegExp(`\\n[ \\t]*${open[2]}\\b`, 'g') } },
    { regex: quoted('\\bexecute\\s*(?:\\(\\s*)?') },
  ],
  python: [
    { regex: /(?:migrations\.RunSQL|op\.execute)\(\s*(?:sql\s*=\s*)?[rub]?("""|''')/g, terminator: { bodyFrom: 'opening end', pattern: (open) => new RegExp(open[1], 'g') } },
    { regex: quoted('(?:migrations\\.RunSQL|op\\.execute)\\(\\s*(?:sql\\s*=\\s*)?[rub]?') },
  ],
  js: [
    { regex: /\b(?:queryRunner\.query|queryInterface\.sequelize\.query|knex\.raw|this\.addSql|sql)\s*(?:\(\s*)?(`)((?:\\.|[^`\\])*)`/g },
    { regex: quoted('\\b(?:queryRunner\\.query|queryInterface\\.sequelize\\.query|knex\\.raw|this\\.addSql)\\s*\\(\\s*') },
  ],
};

/**
 * Finds the first match of a pattern at or after an offset, for offsets asked in increasing order
 * (a search is reused while its answer still lies ahead, and a miss stays a miss), so many openings
 * without a terminator cost one scan, where a lazy `[\s\S]*?` rescans to the end from each.
 */
class Searches {
  private readonly last = new Map<string, { from: number; match: RegExpExecArray | null }>();

  constructor(private readonly text: string) {}

  next(pattern: RegExp, from: number): RegExpExecArray | null {
    const key = `${pattern.source}/${pattern.flags}`;
    const last = this.last.get(key);
    if (last && last.from <= from && (last.match === null || last.match.index >= from)) return last.match;
    pattern.lastIndex = from;
    const match = pattern.exec(this.text);
    this.last.set(key, { from, match });
    return match;
  }
}

/**
 * The matches of a global `regex`, each with the terminator `closeOf` finds for it (one without is
 * dropped, and the scan goes on after its start, as a regular expression would); a match with a
 * terminator resumes the scan after it.
 */
function* spans(text: string, regex: RegExp, closeOf?: (open: RegExpExecArray) => RegExpExecArray | null): Generator<{ open: RegExpExecArray; close?: RegExpExecArray }> {
  regex.lastIndex = 0;
  for (let open = regex.exec(text); open; open = regex.exec(text)) {
    if (!closeOf) {
      yield { open };
      continue;
    }
    const close = closeOf(open);
    if (!close) {
      regex.lastIndex = open.index + 1;
      continue;
    }
    yield { open, close };
    regex.lastIndex = close.index + close[0].length;
  }
}

export function dslOperations(text: string, file: MigrationFile, parts: Section[]): Operation[] {
  const language = file.language === 'ruby' ? 'ruby' : file.language === 'python' ? 'python' : 'js';
  const patterns = CALL_PATTERNS[language];
  const partAt = (offset: number) => parts.find((s) => s.start <= offset && offset < s.end)?.part ?? 'up';
  const operations: Operation[] = [];
  const searches = new Searches(text);
  for (const pattern of patterns) {
    const until = pattern.until;
    for (const { open: match, close } of spans(text, pattern.regex, until && ((open) => searches.next(until, open.index + open[0].length)))) {
      const whole = close ? text.slice(match.index, close.index + close[0].length) : match[0];
      if (pattern.requires && !pattern.requires.test(whole)) continue;
      if (pattern.forbids && pattern.forbids.test(whole)) continue;
      const keyword = pattern.keyword?.exec(whole);
      if (pattern.keyword && !keyword) continue;
      const values = [...match.slice(1), ...(keyword?.slice(1) ?? [])].filter((v) => v !== undefined);
      const extra: Partial<Operation> = {};
      pattern.args.forEach((role, i) => (extra[role] = values[i]));
      // Knex/Kysely matches start at the table call; the reported range is the column call.
      const columnCall = whole.search(/\.(dropColumns?|renameColumn)\(/);
      const callStart = pattern.args[0] === 'table' && columnCall > 0 && /schema\.(alterTable|table)\(/.test(whole) ? match.index + columnCall + 1 : match.index;
      const end = match.index + whole.trimEnd().length;
      operations.push({ kind: pattern.kind, part: partAt(callStart), start: callStart, end, statementStart: callStart, statementEnd: end, parsed: false, ...extra });
    }
  }
  for (const { regex, terminator } of EMBEDDED_SQL[language]) {
    const bodyStartOf = (open: RegExpExecArray) => {
      const openEnd = open.index + open[0].length;
      if (terminator?.bodyFrom !== 'next line') return openEnd;
      const lineEnd = searches.next(/\n/g, openEnd);
      return lineEnd ? lineEnd.index + 1 : -1;
    };
    const closeOf = terminator && ((open: RegExpExecArray) => {
      const bodyStart = bodyStartOf(open);
      return bodyStart < 0 ? null : searches.next(terminator.pattern(open), bodyStart);
    });
    for (const { open, close } of spans(text, regex, closeOf)) {
      // A quoted body is group 2, just before the closing quote.
      const bodyStart = close ? bodyStartOf(open) : open.index + open[0].length - 1 - open[2].length;
      const body = close ? text.slice(bodyStart, close.index) : open[2];
      if (/\$\{|#\{|%\(|\{\w+\}/.test(body) && !/\b(DROP|ALTER|TRUNCATE|RENAME|DELETE|UPDATE|CREATE)\b/i.test(body)) continue;
      operations.push(...sqlOperations(body, bodyStart, partAt(bodyStart)).filter((op) => op.kind !== 'unparseable'));
    }
  }
  return operations.sort((a, b) => a.start - b.start);
}

/** Liquibase YAML and XML change types. */
export function liquibaseOperations(text: string): Operation[] {
  const operations: Operation[] = [];
  const push = (kind: OperationKind, start: number, end: number, extra: Partial<Operation>, part: 'up' | 'down') =>
    operations.push({ kind, part, start, end, statementStart: start, statementEnd: end, parsed: false, ...extra });
  // Rollback blocks: XML to its closing tag, YAML to the next changeSet (or the end). Each opening's
  // end is found with Searches, not a lazy pattern that rescans to the end from every opening.
  const searches = new Searches(text);
  const rollbackRanges: [number, number][] = [];
  for (const { open, close } of spans(text, /<rollback>|^[ \t]*rollback:/gm, (open) => (open[0] === '<rollback>' ? searches.next(/<\/rollback>/g, open.index + open[0].length) : searches.next(/^[ \t]*-[ \t]*changeSet:|$(?![\s\S])/gm, open.index + open[0].length)))) {
    rollbackRanges.push([open.index, close!.index + close![0].length]);
  }
  const partAt = (offset: number): 'up' | 'down' => (rollbackRanges.some(([s, e]) => s <= offset && offset < e) ? 'down' : 'up');
  const kinds: [string, OperationKind][] = [['dropColumn', 'drop-column'], ['dropTable', 'drop-table'], ['renameColumn', 'rename-column'], ['renameTable', 'rename-table'], ['modifyDataType', 'change-type'], ['addNotNullConstraint', 'set-not-null'], ['dropDefaultValue', 'drop-default'], ['createIndex', 'create-index']];
  for (const [change, kind] of kinds) {
    // XML: <dropColumn tableName="users" columnName="legacy"/>; YAML: - dropColumn: then indented attributes.
    // Attributes stop at the next `<` too, so a run of unclosed tags is not rescanned from each.
    const xml = new RegExp(`<${change}\\b([^<>]*)/?>`, 'g');
    const yaml = new RegExp(`^([ \\t]*)(?:-[ \\t]*)?${change}:[ \\t]*\\r?\\n((?:\\1[ \\t]+.*\\n?)*)`, 'gm');
    for (const match of [...text.matchAll(xml), ...text.matchAll(yaml)]) {
      const body = match[0];
      const attr = (name: string) => new RegExp(`${name}["']?\\s*[:=]\\s*["']?([\\w.]+)`).exec(body)?.[1];
      const start = match.index + body.indexOf(change);
      push(kind, start, start + change.length, { table: attr('tableName') ?? attr('oldTableName'), column: attr('columnName') ?? attr('oldColumnName'), newName: attr('newColumnName') ?? attr('newTableName') }, partAt(start));
    }
  }
  return operations.sort((a, b) => a.start - b.start);
}
