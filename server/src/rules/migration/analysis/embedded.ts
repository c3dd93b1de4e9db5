import { keyword, positional, type Arg, type Source } from './calls';
import type { Emitter } from './emitter';
import type { Operation } from './operations';
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
    const [sql, params] = positional(call);
    const ops = read(source, emit, sql, undefined, source.language === 'python' && (params ?? keyword(call, 'params')) !== undefined);
    // SQL a Django RunPython function sends runs where that operation stands, in its part.
    const runner = source.language === 'python' ? emit.runnerAt(call.start) : undefined;
    if (runner) for (const op of ops) Object.assign(op, { runsAt: runner.at, part: runner.part }, runner.looped ? { repeated: true } : {});
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

/** The operations of the SQL an argument holds; with `params`, a DB-API call's `%s` placeholders are bound. */
function read(source: Source, emit: Emitter, arg: Arg | undefined, part: 'down' | undefined, params = false): Operation[] {
  const pieces = arg && stringPieces(source, arg);
  return pieces?.length ? parse(source, emit, pieces, part, params) : [];
}

/**
 * A DB-API placeholder, `%s` or `%(name)s` (psycopg binds them when the call passes parameters,
 * `%%` being a percent sign): as PostgreSQL's `$1`, padded to the same length, so offsets stay.
 */
function bindPlaceholders(text: string): string {
  return text.replace(/%%|%(?:\(\w{1,64}\))?s/g, (m) => (m === '%%' ? m : `$1${' '.repeat(m.length - 2)}`));
}

interface Piece {
  /** The literal, its prefix and quotes included (`r"…"`, `<<~'SQL'`). */
  start: number;
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
  if (name) return boundString(source, name[1], start);
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
 * A module or class constant (`DROP_SQL = """…"""`, `const sql = `…``), or a local bound in the
 * function: the last binding before the use, so `upgrade()` and `downgrade()` (or `up()` and
 * `down()`) may each bind `query` to their own SQL (a module constant a function uses may also
 * come after it).
 */
function boundString(source: Source, name: string, use: number): Piece[] | null {
  let value: number | undefined;
  for (const at of bindingsOf(source, name)) {
    if (value !== undefined && at >= use) break;
    value = at;
  }
  const span = value === undefined ? null : source.stringAt(value);
  return span ? [span] : null;
}

/** Where the values bound to `name` start, in order: found once per file and name (a template may name the same variable many times). */
function bindingsOf(source: Source, name: string): number[] {
  let byName = bindings.get(source);
  if (!byName) bindings.set(source, (byName = new Map()));
  let found = byName.get(name);
  if (!found) {
    const declaration = source.language === 'js' ? '(?:(?:export\\s+)?(?:const|let|var)\\s+)?' : '';
    found = [...source.code.matchAll(new RegExp(`^[ \\t]*${declaration}${name}\\s*=\\s*`, 'gm'))].map((m) => m.index + m[0].length);
    byName.set(name, found);
  }
  return found;
}

const bindings = new WeakMap<Source, Map<string, number[]>>();

function parse(source: Source, emit: Emitter, pieces: Piece[], part: 'down' | undefined, params = false): Operation[] {
  const read = sqlText(source, pieces);
  const { offsets } = read;
  const text = params ? bindPlaceholders(read.text) : read.text;
  // Templated SQL (`${table}`, `#{…}`) is read only for what it plainly changes.
  if (pieces.some((p) => p.interpolated) && !/\b(DROP|ALTER|TRUNCATE|RENAME|DELETE|UPDATE|CREATE)\b/i.test(text)) return [];
  const base = pieces[0].contentStart;
  const at = part ?? emit.partAt(base);
  if (!offsets) return emit.add(sqlOperations(text, base, at).filter((op) => op.kind !== 'unparseable'));
  // Offsets in the read text back to the file, character by character.
  const map = (offset: number) => offsets[Math.min(Math.max(offset, 0), offsets.length - 1)];
  return emit.add(
    sqlOperations(text, 0, at)
      .filter((op) => op.kind !== 'unparseable')
      .map((op) => ({
        ...op,
        start: map(op.start),
        end: map(op.end),
        statementStart: map(op.statementStart),
        statementEnd: map(op.statementEnd),
        ...(op.batch ? { batch: { start: map(op.batch.start), end: map(op.batch.end) } } : {}),
      })),
  );
}

/**
 * The SQL the pieces hold, as the host language reads them: joined, and with the literal's escapes
 * undone (`'… check ("op" in (\'in\')) …'` sends PostgreSQL `'in'`, `'… default \'\';'` sends
 * `default ''`; read as written the parser refuses them and their operations are lost).
 * `offsets[i]` is where the text's i-th character stands in the file (and, last, where the text
 * ends); null when the text is the one literal's contents unchanged.
 */
function sqlText(source: Source, pieces: Piece[]): { text: string; offsets: number[] | null } {
  const raw = pieces.map((p) => source.text.slice(p.contentStart, p.contentEnd));
  const modes = pieces.map((p) => escapeMode(source, p));
  const substitutes = pieces.some((p) => p.interpolated && source.language === 'js');
  if (pieces.length === 1 && !substitutes && (modes[0] === 'none' || !raw[0].includes('\\'))) return { text: raw[0], offsets: null };
  let text = '';
  const offsets: number[] = [];
  pieces.forEach((piece, i) => {
    const content = raw[i];
    for (let k = 0; k < content.length; k++) {
      const at = piece.contentStart + k;
      const bound = substitutes && piece.interpolated ? boundPlaceholder(source, content, k, at) : null;
      if (bound) {
        // The bound string's characters all stand where the placeholder is written.
        text += bound.value;
        for (let c = 0; c < bound.value.length; c++) offsets.push(at);
        k += bound.length - 1;
        continue;
      }
      const decoded = content[k] === '\\' && k + 1 < content.length ? unescape(modes[i], content[k + 1]) : null;
      if (decoded === null) {
        text += content[k];
        offsets.push(at);
        continue;
      }
      k++;
      // A backslash before a line break continues the literal on the next line: no character.
      if (decoded === '') continue;
      text += decoded;
      offsets.push(at);
    }
  });
  offsets.push(pieces[pieces.length - 1].contentEnd);
  return { text, offsets };
}

/**
 * A template's placeholder of a name bound to a plain string in the file (`tableName = "users"`
 * before `` `alter table "${tableName}" …` ``): the string it stands for, so the SQL names the
 * table, not the variable. Null for any other placeholder (an expression, a name bound to
 * something else), which stays as written.
 */
function boundPlaceholder(source: Source, content: string, k: number, use: number): { value: string; length: number } | null {
  if (content[k] !== '$' || content[k + 1] !== '{') return null;
  const name = /^\$\{\s*(\w+)\s*\}/.exec(content.slice(k, k + 120));
  if (!name) return null;
  const [piece] = boundString(source, name[1], use) ?? [];
  if (!piece || piece.interpolated) return null;
  return { value: source.text.slice(piece.contentStart, piece.contentEnd), length: name[0].length };
}

/**
 * How a literal's backslashes read: not at all (Python's raw strings, a Ruby heredoc with a quoted
 * label), only before a quote or a backslash (Ruby's single quotes), Python's (an unknown escape
 * keeps its backslash), or JavaScript's and Ruby's double quotes (an unknown escape is the
 * character itself).
 */
type EscapeMode = 'none' | 'quotes' | 'python' | 'all';

function escapeMode(source: Source, piece: Piece): EscapeMode {
  const opening = source.text.slice(piece.start, Math.min(piece.contentStart, piece.start + 4));
  if (source.language === 'python') return /[rR]/.test(opening) ? 'none' : 'python';
  if (source.language === 'ruby') return /^<<[~-]?'/.test(opening) ? 'none' : /^(?:'|%q)/.test(opening) ? 'quotes' : 'all';
  return 'all';
}

const CONTROL: Record<string, string> = { n: '\n', t: '\t', r: '\r' };

/** What a backslash and `next` read as (empty: a line continuation), or null when the backslash stays. */
function unescape(mode: EscapeMode, next: string): string | null {
  if (mode === 'none') return null;
  if (next === '\\' || next === "'") return next;
  if (mode === 'quotes') return null;
  if (next === '\n') return '';
  if (CONTROL[next]) return CONTROL[next];
  if (next === '"') return next;
  return mode === 'all' ? next : null;
}
