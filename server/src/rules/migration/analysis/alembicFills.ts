import type { Source } from './calls';
import type { Emitter, Span } from './emitter';

/**
 * Data steps an Alembic revision writes in Python, read as backfills of the table they loop over
 * (so a NOT NULL after them counts the column filled), in two forms:
 *
 * - a SQLAlchemy session: `for row in session.query(Model)[.filter(Model.col == None)]:` setting
 *   `row.col = …`, with the session committed or flushed after (else nothing is written). The
 *   model is a class of the file with `__tablename__`; a filter that is not a NULL test of one
 *   column restricts the rows to some nobody can tell, so it fills nothing;
 * - SQLAlchemy Core: `for row in conn.execute(t.select()):` running
 *   `t.update().where(t.c.id == row.id).values(col=…)`, `t` a `table("name", …)` of the file:
 *   every row updated by its own key.
 *
 * Not a SQL statement: no lock is judged on it.
 */
export function alembicFills(source: Source, emit: Emitter): void {
  const committed = /\.(?:commit|flush)\(\s*\)/;
  let functions: Span[] | undefined;
  for (const loop of source.code.matchAll(LOOP)) {
    const variable = loop[1];
    const iterable = (loop.index ?? 0) + loop[0].length;
    const body = source.pythonBlockAfter(iterable);
    const bodyCode = source.code.slice(body.start, body.end);
    const span = { start: loop.index! + loop[0].length - loop[0].trimStart().length, end: iterable };
    const query = /^(\w+)\.query\((\w+)\)/.exec(source.code.slice(iterable, iterable + 200));
    if (query) {
      const table = tableOfClass(source, query[2]);
      const where = rowsOfQuery(source, iterable + query[0].length, query[2]);
      const underCondition = conditionalCode(bodyCode);
      const columns = [...bodyCode.matchAll(new RegExp(`^([ \\t]*)${variable}\\.(\\w+)[ \\t]*=(?!=)`, 'gm'))].filter((m) => !underCondition(m.index + m[1].length)).map((m) => m[2]);
      // The commit must follow in the same function: the downgrade's commits write nothing of the upgrade's.
      functions ??= functionBlocks(source);
      const scope = functions.findLast((block) => block.start <= loop.index! && loop.index! < block.end) ?? { start: 0, end: source.code.length };
      if (table && where !== FILTERED && columns.length && committed.test(source.code.slice(body.end, scope.end))) {
        emit.push('backfill', span, { table, columns, mapped: false, ...(where ? { where } : {}) });
      }
      continue;
    }
    const core = /^(\w+)\.execute\((\w+)\.select\(\)\)[ \t]*:/.exec(source.code.slice(iterable, iterable + 200));
    if (!core) continue;
    const table = tableOfVariable(source, core[2]);
    const t = core[2];
    const update = new RegExp(`\\b${t}\\.update\\(\\)\\s*\\.where\\(\\s*${t}\\.c\\.(\\w+)\\s*==\\s*${variable}\\.(\\w+)\\s*\\)\\s*\\.values\\(`).exec(bodyCode);
    if (!table || !update || update[1] !== update[2] || conditionalCode(bodyCode)(update.index)) continue;
    const open = body.start + update.index + update[0].length - 1;
    const close = source.closing(open);
    if (close < 0) continue;
    const columns = source.splitArgs(open + 1, close).map((arg) => arg.key).filter((key): key is string => key !== undefined);
    if (columns.length) emit.push('backfill', span, { table, columns, mapped: false });
  }
}

/**
 * Which code of a loop body runs under a condition of its own (an `if`, `else`, inner loop or
 * `except` of the body): it fills some rows, which nobody can tell. One pass over the body's lines
 * notes where each of its own statements starts and whether it opens such a block; a position
 * belongs to the last one starting at or before it.
 */
function conditionalCode(body: string): (index: number) => boolean {
  const level = /^[ \t]*(?=\S)/m.exec(body)?.[0].length ?? 0;
  const starts: number[] = [];
  const conditional: boolean[] = [];
  // Brackets still open at a line's start make it a continuation (`if (\n    a\n):`), not a statement.
  let depth = 0;
  for (let at = 0; at < body.length; ) {
    const next = body.indexOf('\n', at);
    const stop = next < 0 ? body.length : next;
    const indent = /^[ \t]*/.exec(body.slice(at, Math.min(stop, at + 200)))![0].length;
    if (depth === 0 && at + indent < stop && indent <= level) {
      starts.push(at + indent);
      conditional.push(CONDITIONAL.test(body.slice(at + indent, Math.min(stop, at + indent + 10))));
    }
    for (let i = at; i < stop; i++) {
      const c = body.charCodeAt(i);
      if (c === 40 || c === 91 || c === 123) depth++;
      else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
    }
    at = stop + 1;
  }
  return (index) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= index) low = mid;
      else high = mid - 1;
    }
    // The code opening a statement of its own is not under that statement's block.
    return starts[low] < index && conditional[low];
  };
}

/** A compound statement's header whose block runs for some rows only. */
const CONDITIONAL = /^(?:if|elif|else|for|while|except|match|case)\b/;

/** The blocks of the file's `def`s, in source order (an inner one after the one holding it). */
function functionBlocks(source: Source): Span[] {
  return [...source.code.matchAll(DEF)].map((def) => source.pythonBlockAfter(def.index!));
}

const DEF = /^[ \t]*(?:async[ \t]+)?def[ \t]+\w+/gm;

/** `for x in ` at the start of a line: the iterable follows. */
const LOOP = /^[ \t]*for[ \t]+(\w+)[ \t]+in[ \t]+/gm;

const FILTERED = '(filtered rows)';

/**
 * The rows a `.query(Model)` chain going on at `from` visits, up to the loop's colon: none (every
 * row), `col IS NULL` for `.filter(Model.col == None)` / `.filter(Model.col.is_(None))`, else FILTERED.
 */
function rowsOfQuery(source: Source, from: number, model: string): string | undefined {
  const nulls: string[] = [];
  let at = from;
  for (let link = /^\.(\w+)\(/.exec(source.code.slice(at, at + 100)); link; link = /^\.(\w+)\(/.exec(source.code.slice(at, at + 100))) {
    const open = at + link[0].length - 1;
    const close = source.closing(open);
    if (close < 0) return FILTERED;
    const args = source.code.slice(open + 1, close).trim();
    if (link[1] === 'filter') {
      const column = new RegExp(`^${model}\\.(\\w{1,64})(?:\\s*==\\s*None|\\.is_\\(\\s*None\\s*\\))$`).exec(args)?.[1];
      if (!column) return FILTERED;
      nulls.push(`${column} IS NULL`);
    } else if (!ORDERING.has(link[1])) return FILTERED;
    at = close + 1;
  }
  if (!/^[ \t]*:/.test(source.code.slice(at, at + 20))) return FILTERED;
  return nulls.length ? nulls.join(' AND ') : undefined;
}

/** Links of a query chain that do not change which rows it visits. */
const ORDERING: ReadonlySet<string> = new Set(['all', 'order_by', 'yield_per', 'options']);

/** `class Model(Base):` of the file with `__tablename__ = "name"`: the table's name. */
function tableOfClass(source: Source, name: string): string | undefined {
  const def = new RegExp(`^[ \\t]*class[ \\t]+${name}\\b`, 'm').exec(source.code);
  if (!def) return undefined;
  const block = source.pythonBlockAfter(def.index);
  return /^[ \t]*__tablename__[ \t]*=[ \t]*["'](\w+)["']/m.exec(source.text.slice(block.start, block.end))?.[1];
}

/** `t = table("name", …)` (or `sa.table`, `sa.Table`) in the file: the table's name. */
function tableOfVariable(source: Source, variable: string): string | undefined {
  return new RegExp(`^[ \\t]*${variable}[ \\t]*=[ \\t]*(?:sa\\.)?(?:table|Table)\\(\\s*["'](\\w+)["']`, 'm').exec(source.text)?.[1];
}
