import { keyword, positional, type Arg, type Source } from './calls';
import type { Emitter } from './emitter';
import { sqlOperations } from './sql';

/**
 * SQL that ORM migrations hand to the database (`execute <<~SQL`, `migrations.RunSQL`,
 * `op.execute`, `queryRunner.query`, `queryInterface.sequelize.query`, `knex.raw`, `this.addSql`,
 * `db.runSql`, `` sql`…` ``), read by the SQL parser at its place in the file. A string made of
 * several literals (`'a' + 'b'`, Python's adjacent literals) is read as one, and a Python name
 * bound to a string in the file (`RunSQL(DROP_SQL)`) stands for that string.
 */
export const EMBEDDED_SQL_CALLS: Record<Source['language'], RegExp> = {
  // The receiver is one word (`connection.execute`): `[\w:]+` would rescan a line of `a:a:a…` from every colon.
  ruby: /\b(?:\w+\.)?(?:execute|exec_query|exec_update|exec_delete)\b/g,
  python: /(?:\b\w+|\))\.execute\b|\b(?:\w+\.)?RunSQL\b/g,
  js: /\b(?:queryRunner\.query|\w+\.sequelize\.query|(?:knex|trx|tx|schema)\.raw|this\.addSql|db\.runSql|pgm\.sql)\b/g,
};

export function embeddedSql(source: Source, emit: Emitter): void {
  for (const call of source.calls(EMBEDDED_SQL_CALLS[source.language])) {
    if (/RunSQL$/.test(call.name)) {
      const forward = keyword(call, 'sql') ?? positional(call)[0];
      const reverse = keyword(call, 'reverse_sql') ?? positional(call)[1];
      for (const arg of listItems(source, forward)) read(source, emit, arg, undefined);
      for (const arg of listItems(source, reverse)) read(source, emit, arg, 'down');
      continue;
    }
    read(source, emit, positional(call)[0], undefined);
  }
  // Tagged templates: sql`…` (Kysely, Drizzle).
  if (source.language === 'js') {
    for (const tag of source.code.matchAll(/\bsql\s*(?=`)/g)) {
      const span = source.stringAt(tag.index + tag[0].length);
      // An unclosed template is broken code, not a statement (and the parser would read the rest of the file).
      if (span && span.end > span.contentEnd) parse(source, emit, [span], undefined);
    }
  }
}

/** The items of a Python list or tuple argument (`RunSQL([…])`), or the argument itself. */
function listItems(source: Source, arg: Arg | undefined): Arg[] {
  if (!arg) return [];
  if ((source.code[arg.start] === '[' || source.code[arg.start] === '(') && source.closing(arg.start) === arg.end - 1) {
    const items = source.splitArgs(arg.start + 1, arg.end - 1);
    // `("SQL", [params])`: a tuple whose first item is the statement.
    return items.flatMap((item) => (source.code[item.start] === '(' && source.closing(item.start) === item.end - 1 ? source.splitArgs(item.start + 1, item.end - 1).slice(0, 1) : [item]));
  }
  return [arg];
}

function read(source: Source, emit: Emitter, arg: Arg | undefined, part: 'down' | undefined): void {
  const pieces = arg && stringPieces(source, arg);
  if (pieces?.length) parse(source, emit, pieces, part);
}

interface Piece {
  contentStart: number;
  contentEnd: number;
  interpolated: boolean;
}

/**
 * The string literals an argument is made of, or null when it is something else (a variable of
 * another scope, a call): `'a' + 'b'`, `"a" "b"`, `sa.text("…")`, `<<~SQL.squish`, a name bound
 * to a literal in the file.
 */
function stringPieces(source: Source, arg: Arg): Piece[] | null {
  let { start, end } = arg;
  const wrapper = /^(?:sa\.text|text|sqlalchemy\.text|sql\.raw)\(\s*/.exec(arg.text);
  if (wrapper && source.closing(start + wrapper[0].length - 1) === end - 1) {
    start += wrapper[0].length;
    end -= 1;
  }
  const trailing = /(?:\.(?:squish|strip_heredoc|strip|freeze|format\([^()]*\)))+\s*$/.exec(source.code.slice(start, end));
  if (trailing) end -= trailing[0].length;
  const name = /^\s*(\w+)\s*$/.exec(source.code.slice(start, end));
  if (name && source.language !== 'js') return boundString(source, name[1], start);
  const pieces: Piece[] = [];
  let at = start;
  while (at < end) {
    const ch = source.code[at];
    if (/[\s+\\(),]/.test(ch)) {
      at++;
      continue;
    }
    const span = source.stringAt(at);
    if (!span || span.end > end) return null;
    pieces.push(span);
    at = span.end;
  }
  return pieces;
}

/**
 * A Python module or class constant (`DROP_SQL = """…"""`), or a local bound in the function:
 * the last binding before the use, so `upgrade()` and `downgrade()` may each bind `query` to their
 * own SQL (a module constant a function uses may also come after it).
 */
function boundString(source: Source, name: string, use: number): Piece[] | null {
  let binding: RegExpMatchArray | undefined;
  for (const assignment of source.code.matchAll(new RegExp(`^[ \\t]*${name}\\s*=\\s*`, 'gm'))) {
    if (binding && assignment.index >= use) break;
    binding = assignment;
  }
  if (!binding) return null;
  const span = source.stringAt(binding.index! + binding[0].length);
  return span ? [span] : null;
}

function parse(source: Source, emit: Emitter, pieces: Piece[], part: 'down' | undefined): void {
  const { text, offsets } = joined(source, pieces);
  // Templated SQL (`${table}`, `#{…}`) is read only for what it plainly changes.
  if (pieces.some((p) => p.interpolated) && !/\b(DROP|ALTER|TRUNCATE|RENAME|DELETE|UPDATE|CREATE)\b/i.test(text)) return;
  const base = pieces[0].contentStart;
  const at = part ?? emit.partAt(base);
  const ops = sqlOperations(text, base, at).filter((op) => op.kind !== 'unparseable');
  const map = (offset: number) => offsets[Math.min(offset - base, offsets.length - 1)];
  emit.add(ops.map((op) => ({ ...op, start: map(op.start), end: map(op.end), statementStart: map(op.statementStart), statementEnd: map(op.statementEnd) })));
}

/**
 * The SQL the pieces spell, and for each of its characters (and its end) the offset in the file.
 * A JavaScript literal's escapes are the language's, not SQL's: `'… DEFAULT \'\';'` sends
 * `DEFAULT ''` (read as written, the statement does not parse and its operation is lost).
 */
function joined(source: Source, pieces: Piece[]): { text: string; offsets: number[] } {
  let text = '';
  const offsets: number[] = [];
  for (const piece of pieces) {
    for (let i = piece.contentStart; i < piece.contentEnd; i++) {
      let ch = source.text[i];
      const at = i;
      if (ch === '\\' && source.language === 'js' && i + 1 < piece.contentEnd) {
        const next = source.text[++i];
        // A backslash before a line break continues the literal on the next line: no character.
        if (next === '\n') continue;
        ch = JS_ESCAPES[next] ?? next;
      }
      text += ch;
      offsets.push(at);
    }
  }
  offsets.push(pieces[pieces.length - 1].contentEnd);
  return { text, offsets };
}

const JS_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r' };
