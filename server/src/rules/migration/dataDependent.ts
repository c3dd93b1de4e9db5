import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { sameName, type EarlierMigration, type MigrationHistory } from './analysis/history';
import { followKeys, impliedBy, traceName, type UniqueKey } from './analysis/keys';
import { generatesDistinctValues, type Operation } from './analysis/operations';
import { literalFits } from './analysis/using';
import { valuesNotTaken } from './analysis/enums';
import { escape } from './analysis/sql';
import { earlierOnTable, operationsOn } from './analysis/tableIndex';
import { judgedMigration, opReport } from './common';

const WHAT: Record<string, string> = {
  'add-unique': 'a UNIQUE index or constraint fails if two existing rows share a value',
  'add-primary-key': 'a PRIMARY KEY fails if existing rows have duplicates or NULLs',
  'set-not-null': 'SET NOT NULL fails if any existing row is NULL',
  'add-required-column': 'a NOT NULL column without a default fails on a table that has rows',
  'change-type': 'the conversion fails on any existing value the new type cannot hold',
};

/** Changes whose success depends on the rows already in production, not on the code. */
export const dataDependentRule: Rule = {
  id: 'migration/data-dependent',
  area: 'migration',
  defaultSeverity: 'warning',
  description: 'A unique index, primary key, NOT NULL or type conversion that fails when existing rows violate it.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    if (!analysis) return [];
    const ups = analysis.operations.filter((op) => op.part === 'up');
    // What the migrations shipped with this one did first counts as earlier in it, but for writes
    // by application code (a RunPython, and the SQL it sends): in a migration of its own, rows the running code inserts
    // before the next one runs miss the field again.
    const shipped = analysis.history?.shippedBefore ?? [];
    const before = [...shipped.filter((o) => !(o.kind === 'backfill' && !o.parsed && !o.mapped) && o.runsAt === undefined), ...ups];
    // Whether a column is still empty counts every write, those of the running code's window too.
    const writes = [...shipped, ...ups];
    const history = analysis.history;
    // For a conversion into an enum, the values rows may hold that it lacks, where the migrations tell them.
    const notTaken = (op: Operation) => op.kind === 'change-type' && history && op.table && op.column ? valuesNotTaken(op, ups, history.enumTypes(), history.typeBefore(op.table, op.column)) : undefined;
    const found = ups.filter((op) => op.kind in WHAT && dependsOnRows(op, before, writes) && !usingIndex(doc.text, op) && !guaranteedHere(op, ups, writes, doc.text, history));
    const unchecked: Operation[] = [];
    for (const op of found) if (!(history && (await checkedEarlier(op, ups, history)))) unchecked.push(op);
    return unchecked
      .map((op) => [op, notTaken(op)] as const)
      .filter(([, values]) => values?.length !== 0)
      .map(([op, values]) => opReport(doc, op, `Depends on existing data: ${values ? `the conversion fails on any row holding ${values.map((v) => `'${v}'`).join(', ')}, which the new type does not have` : WHAT[op.kind]}. It passed on your database, not necessarily on production's: check the data first (or backfill) in an earlier migration, and know the forward fix if it fails halfway.`));
  },
};

/**
 * Whether existing rows can make the operation fail: not on a table this migration (or one shipped
 * with it) created, not when Django fills the new column's rows, not for a unique key (a primary
 * key admits no NULL) over a column added without a default and not filled since (every row is
 * NULL, and NULLs never collide), not for SET NOT NULL once this migration filled the column, and a type change only
 * when its conversion can fail.
 */
function dependsOnRows(op: Operation, before: Operation[], writes: Operation[]): boolean {
  if (op.freshTable) return false;
  switch (op.kind) {
    case 'add-required-column':
      return !op.existingRowsFilled;
    case 'change-type':
      return op.typeEffect?.mayFail === true && op.safeConversion === undefined;
    case 'add-unique':
      // NULLs never collide: one key column that holds only NULLs makes every key distinct.
      return !(op.columns ?? []).some((column) => addedEmpty(op, column, writes));
    case 'add-primary-key':
      // A primary key admits no NULL: a column that holds only NULLs fails it on the first row.
      return true;
    case 'set-not-null':
      return !op.existingRowsFilled && !(op.freshColumn && addedWithDefault(op, before)) && !filledEarlier(op, before);
    default:
      return true;
  }
}

/**
 * What this migration did first that the rows cannot defeat: it emptied the table (and wrote no
 * rows back); for a type change, it set every value to a constant the new type takes; for SET NOT
 * NULL, the column was NOT NULL already; for a new key, it gave a key column distinct values (a sequence, a random UUID),
 * removed the duplicates (a DELETE keeping one row per key value), or the table already holds a
 * unique key over some of the new key's columns (before this migration, or added or dropped by it
 * with the key's values left alone since).
 */
function guaranteedHere(op: Operation, ups: Operation[], writes: Operation[], text: string, history: MigrationHistory | undefined): boolean {
  const earlier = earlierOnTable(ups, op);
  // The table is empty here: the migration emptied it, or (for what is not itself such a column) got
  // past a NOT NULL column added without a default, which fails on any row; and wrote no rows back.
  const empties = (o: Operation) => o.kind === 'delete-all' || o.kind === 'truncate' || (op.kind !== 'add-required-column' && failsOnRows(o, earlier));
  if (earlier.some((o) => empties(o) && !INSERT.test(text.slice(o.statementEnd, op.statementStart)))) return true;
  // SET NOT NULL restating a column an earlier migration left NOT NULL (Sequelize's changeColumn states the whole column).
  // Only if this migration left the column alone before: dropped, re-added or renamed into place, it is not the one the history knew.
  if (op.kind === 'set-not-null' && op.table && op.column && !earlier.some((o) => REPLACES_COLUMN.has(o.kind) && (o.column === op.column || o.newName === op.column)) && history?.nullableBefore(op.table, op.column) === false) return true;
  // A conversion of values this migration just set to one constant the new type takes (`content = '{}'` into jsonb).
  if (op.kind === 'change-type' && op.column !== undefined) {
    const last = earlier.filter((o) => (o.columns ?? []).includes(op.column!)).pop();
    const literal = last?.where === undefined ? last?.literals?.[op.column] : undefined;
    if (literal && literalFits(literal, op.columnType)) return true;
  }
  if (op.kind !== 'add-unique' && op.kind !== 'add-primary-key') return false;
  const columns = op.columns ?? [];
  if (columns.length === 0 || columns.includes('expression') || !op.table) return false;
  const primary = op.kind === 'add-primary-key';
  const generated = columns.filter((column) => [...earlier, op].some((o) => o.kind === 'add-column' && o.column === column && generatesDistinctValues(o)));
  if (primary ? generated.length === columns.length : generated.length > 0) return true;
  // The keys the table held when the migration started, under the name it had then (renamed here, its keys came along).
  const sinceStart = ups.slice(0, ups.indexOf(op));
  const keys = followKeys(history?.uniqueKeys(traceName(sinceStart, op.table).name) ?? [], sinceStart, op.table, false);
  const unique = ['ctid', ...keys.filter((key) => key.columns.length === 1).map((key) => key.columns[0])];
  // A unique key over a column every row got a value of its own for (`SET old_id = id`,
  // `SET code = gen_random_uuid()`): rows written since without it hold NULL, which never collides
  // (a primary key admits none).
  // The one-column keys of another table when this migration's UPDATE `at` ran (for a copy by a join).
  const uniqueIn = (table: string, at: Operation): string[] => {
    const before = ups.slice(0, Math.max(ups.indexOf(at), 0));
    return ups.includes(at) ? followKeys(history?.uniqueKeys(traceName(before, table).name) ?? [], before, table, false).filter((key) => key.columns.length === 1).map((key) => key.columns[0]) : [];
  };
  if (!primary && columns.some((column) => distinctByWrite(op, column, writes, unique, uniqueIn))) return true;
  if (!primary && rankedWithin(op, columns, writes, unique)) return true;
  // Columns copied on every row from those of a unique key the rows hold (`SET key = name`, then
  // UNIQUE (key, env) where (name, env) was unique): the same values under other names.
  const sources = columns.map((column) => copiedFrom(op, column, writes) ?? column);
  if (!primary && sources.some((source, i) => source !== columns[i]) && keys.some((key) => impliedBy(key, sources, false, () => false))) return true;
  if (!primary && mappedFromKey(op, columns, writes, uniqueIn, (at) => {
    const before = ups.slice(0, ups.indexOf(at));
    return followKeys(history?.uniqueKeys(traceName(before, op.table!).name) ?? [], before, op.table!, false);
  })) return true;
  if (earlier.some((o) => o.kind === 'delete-rows' && removesDuplicates(text.slice(o.statementStart, o.statementEnd), columns, unique))) return true;
  if (!primary && earlier.some((o) => o.kind === 'update-rows' && movesOutRanked(text, o, op, columns, unique))) return true;
  // A data migration that deleted (or renamed) the duplicates it found by grouping on some of the key's columns (the rest only widen the key).
  if (earlier.some((o) => (o.kind === 'delete-rows' || o.kind === 'backfill') && o.deduplicates !== undefined && groupedWithin(o.deduplicates, columns))) return true;
  // Or that marked the row each group keeps in a column added empty, and deleted the unmarked rows.
  if (!primary && keptByMarks(earlierOnTable(writes, op), op.table, columns, unique, (sweep) => ups.includes(sweep))) return true;
  // A column holds no NULL: added here with a default, made NOT NULL here, or NOT NULL as the earlier migrations left it.
  const filled = (column: string) => earlier.some((o) => o.kind === 'add-column' && o.column === column && o.defaultValue !== undefined && !/^null$/i.test(o.defaultValue));
  const notNull = (column: string) =>
    filled(column) || earlier.some((o) => o.kind === 'set-not-null' && o.column === column) ||
    (!earlier.some((o) => REPLACES_COLUMN.has(o.kind) && (o.column === column || o.newName === column)) && history?.nullableBefore(op.table!, column) === false);
  return keys.some((key) => impliedBy(key, columns, primary, notNull));
}

/**
 * The data check an earlier data migration did, where the running version cannot undo it: each
 * column the operation needs was known to a released version before this one (added by a migration
 * that did not ship with this one), so the running code writes it. Then a backfill of every row in
 * any earlier migration this one runs after holds for SET NOT NULL (rows inserted since carry the
 * value); a deduplication holds for a unique key only from a migration shipped or released with
 * this one (the running code may write a duplicate again: only a deploy's window is left to it).
 * A column new in this release is another matter: the running code leaves it NULL (see the rule's
 * page, "A backfill in a migration of its own").
 */
async function checkedEarlier(op: Operation, ups: Operation[], history: MigrationHistory): Promise<boolean> {
  if (!op.table || (op.kind !== 'set-not-null' && op.kind !== 'add-unique')) return false;
  const columns = op.kind === 'set-not-null' ? (op.column ? [op.column] : []) : (op.columns ?? []);
  if (columns.length === 0) return false;
  const earlier = await history.runsAfterOn(op.table);
  const at = ups.indexOf(op);
  const own = ups.slice(0, at + 1);
  const ownBefore = at >= 0 ? earlierOnTable(ups, op) : [];
  if (!columns.every((column) => knownBefore(op, column, earlier, ownBefore))) return false;
  const all = [...earlier.flatMap((m) => m.operations), ...own];
  if (op.kind === 'set-not-null') return filledEarlier(op, all);
  if (earlier.some((m) => m.withThis && m.operations.some((o) => (o.kind === 'delete-rows' || o.kind === 'backfill') && o.deduplicates !== undefined && groupedWithin(o.deduplicates, columns)))) return true;
  const withThis = new Set(earlier.filter((m) => m.withThis).flatMap((m) => m.operations));
  const unique = ['ctid', ...history.uniqueKeys(op.table).filter((key) => key.columns.length === 1).map((key) => key.columns[0])];
  return keptByMarks(all, op.table, columns, unique, (sweep) => withThis.has(sweep));
}

/**
 * A deduplication by marks (a temporary column): the column added empty, set by an UPDATE on the
 * row of least (or greatest) unique `by` of each group (`keeps`), then a DELETE of every row whose
 * mark is NULL (`sweeps`; a batch only when a loop of the RunPython function sends it again). Each
 * group keeps one row at most, the marked one (a group the marking left out loses every row), so
 * a key over the groups' columns (and maybe more) holds. Nothing else may write the mark from its
 * addition to the DELETE; `counts` tells the DELETEs that count (this migration's, or one shipped
 * or released with the key).
 */
function keptByMarks(ops: Operation[], table: string, columns: string[], unique: string[], counts: (sweep: Operation) => boolean): boolean {
  const onTable = operationsOn(ops, table);
  return onTable.some((sweep, i) => {
    if (sweep.kind !== 'delete-rows' || !sweep.sweeps || (sweep.sweeps.batch && !sweep.repeated) || !counts(sweep)) return false;
    const mark = sweep.sweeps.column;
    const before = onTable.slice(0, i);
    const marking = before.filter((o) => o.keeps?.column === mark);
    if (marking.length === 0 || !addedEmpty(marking[0], mark, before)) return false;
    const since = before.slice(before.indexOf(marking[0]));
    if (since.some((o) => WRITES.has(o.kind) && !o.keeps && (o.columns === undefined || o.columns.includes(mark)))) return false;
    return marking.every((o) => unique.includes(o.keeps!.by) && o.keeps!.groups.every((group) => columns.includes(group)));
  });
}

/**
 * Whether the column (as named at `op`) was added, or its table created with it, by an earlier
 * migration that did not ship with this one, following its renames back (`ownBefore`: this
 * migration's operations on the table before it). Unknown (no migration adds it, or the table's
 * CREATE does not tell its columns) is not known.
 */
function knownBefore(op: Operation, column: string, earlier: EarlierMigration[], ownBefore: readonly Operation[]): boolean {
  let name = column;
  const files: { operations: readonly Operation[]; released: boolean }[] = [...earlier.map((m) => ({ operations: m.operations, released: !m.withThis })), { operations: ownBefore, released: false }];
  for (let f = files.length - 1; f >= 0; f--) {
    const ops = operationsOn(files[f].operations, op.table);
    for (let i = ops.length - 1; i >= 0; i--) {
      const o = ops[i];
      if (o.kind === 'rename-column' && o.newName === name && o.column) name = o.column;
      else if (o.kind === 'add-column' && o.column === name) return files[f].released;
      else if (o.kind === 'create-table') return files[f].released && o.columnNullable?.[name] !== undefined;
      // Renamed to this table (runsAfterOn names its earlier operations so): the columns came along.
      else if (o.kind === 'rename-table' && sameName(o.newName, op.table)) continue;
      else if (o.kind === 'drop-table' || o.kind === 'rename-table' || ((o.kind === 'drop-column' || o.kind === 'rename-column') && o.column === name)) return false;
    }
  }
  return false;
}

/**
 * A partial unique index after an UPDATE that moved every row but one per key out of the index's
 * `WHERE`: the rows it leaves inside are the first of each partition that a `ROW_NUMBER() OVER
 * (PARTITION BY …)` numbered over the index's own condition, the others (`rn > 1`, picked by a
 * unique column) set to a constant the condition excludes (`state NOT IN (…, 'Cancelled')`). The
 * partition's columns are all in the key. ROW_NUMBER numbers ties apart, so no two rows keep 1.
 */
function movesOutRanked(text: string, update: Operation, op: Operation, columns: string[], unique: string[]): boolean {
  const index = text.slice(op.statementStart, op.statementEnd);
  const condition = /\bWHERE\b([^;]{1,2000})$/i.exec(index.replace(/;\s*$/, ''))?.[1];
  const picked = /^\s*"?(\w{1,64})"?\s+IN\s*\(\s*SELECT\s+"?(\w{1,64})"?\s+FROM\s+"?(\w{1,64})"?\s+WHERE\s+"?(\w{1,64})"?\s*>\s*1\s*\)\s*$/i.exec(update.where ?? '');
  if (!condition || !picked || picked[1] !== picked[2] || !unique.includes(picked[1])) return false;
  const normal = (sql: string) => sql.replace(/\s+/g, ' ').trim().toLowerCase();
  const statement = normal(text.slice(update.statementStart, update.statementEnd));
  const [, id, cte, rn] = [picked[0], picked[1].toLowerCase(), picked[3].toLowerCase(), picked[4].toLowerCase()];
  const ranked = new RegExp(`\\b${cte} as \\( ?select ${id}, row_number\\(\\) over \\( ?partition by ([\\w", ]{1,400}?) order by [^()]{1,200}\\) as ${rn} from "?${escape((op.table ?? '').toLowerCase())}"? where (.{1,2000}?) ?\\) update\\b`).exec(statement);
  if (!ranked || normal(ranked[2]) !== normal(condition)) return false;
  const partition = ranked[1].split(',').map((c) => c.trim().replace(/"/g, ''));
  if (!partition.every((c) => columns.map((k) => k.toLowerCase()).includes(c))) return false;
  // Every value the UPDATE sets is one the index's condition leaves out.
  const excluded = /^"?(\w{1,64})"?\s+NOT\s+IN\s*\(([^()]{1,1000})\)$/i.exec(condition.trim());
  const literals = Object.entries(update.literals ?? {});
  return excluded !== null && literals.length > 0 && literals.every(([column, literal]) =>
    column === excluded[1] && literal.kind === 'string' && excluded[2].split(',').map((v) => v.trim()).includes(`'${literal.value}'`));
}

/** Every field a deduplication grouped on (listed as `field` and `field_id`) is a column of the key. */
function groupedWithin(grouped: string[], columns: string[]): boolean {
  for (let i = 0; i < grouped.length; i += 2) if (!columns.includes(grouped[i]) && !columns.includes(grouped[i + 1])) return false;
  return true;
}

/**
 * A NOT NULL column added without a default or a fill for the rows there: PostgreSQL fails the ADD
 * COLUMN on a table with rows (not under IF NOT EXISTS: a column already there skips it).
 */
function failsOnRows(o: Operation, earlier: Operation[]): boolean {
  if (o.kind !== 'add-required-column' || o.existingRowsFilled) return false;
  const added = earlier.slice(0, earlier.indexOf(o)).filter((a) => a.kind === 'add-column' && a.column === o.column).pop();
  return added?.guarded !== true;
}

/** Operations after which a column of that name is not the one the earlier migrations left. */
const REPLACES_COLUMN: ReadonlySet<Operation['kind']> = new Set(['drop-not-null', 'drop-column', 'add-column', 'rename-column']);

/** Rows written back after a DELETE: by SQL, or by an ORM's bulk insert. */
const INSERT = /\bINSERT\s+INTO\b|\bbulkInsert\b|\.insert\(/i;

/**
 * A DELETE that keeps one row per key value: it names every key column and picks the row to keep
 * by a column unique in the table (`ctid`, a one-column key), ordering on it: `a.id < b.id` in a
 * self-join, `MIN(id)`/`MAX(id)` per group, `ROW_NUMBER() OVER (… ORDER BY id)`. Kept by a
 * timestamp, rows that tie survive; `a.id <> b.id` only tells a row from itself.
 */
function removesDuplicates(statement: string, columns: string[], unique: string[]): boolean {
  const word = (name: string) => new RegExp(`\\b${name.replace(/[^\w]/g, '')}\\b`, 'i');
  if (!columns.every((column) => word(column).test(statement))) return false;
  return unique.some((column) => {
    const name = column.replace(/[^\w]/g, '');
    return new RegExp(`\\.${name}\\s{0,20}[<>]\\s{0,20}\\w{1,64}\\.${name}\\b`, 'i').test(statement) ||
      new RegExp(`\\b(?:MIN|MAX)\\s{0,20}\\(\\s{0,20}(?:\\w{1,64}\\.)?${name}\\s{0,20}\\)`, 'i').test(statement) ||
      new RegExp(`\\bROW_NUMBER\\s{0,20}\\(\\s{0,20}\\)\\s{0,20}OVER\\b[^;]{0,400}?\\bORDER\\s+BY\\s+(?:\\w{1,64}\\.)?${name}\\b`, 'i').test(statement);
  });
}

/**
 * The last write of the column before the operation gave every row a value of its own: copied
 * from another column of the row that is unique in the table (`UPDATE t SET old_id = id`,
 * or by a join, `UPDATE t SET c = s.id FROM s WHERE s.t_id = t.id`, both sides unique,
 * Django's `.update(old_id=F("id"))`), or generated for each row (`gen_random_uuid()`, Django's
 * `RandomUUID()`). A write restricted to the column's NULL rows counts when the column was added
 * empty just before it.
 */
function distinctByWrite(op: Operation, column: string, writes: Operation[], unique: string[], uniqueIn: (table: string, at: Operation) => string[]): boolean {
  const earlier = earlierOnTable(writes, op);
  const at = earlier.map((o) => (o.columns ?? []).includes(column)).lastIndexOf(true);
  const last = earlier[at];
  if (!last) return false;
  // Copied by a join from a unique column of another table, matched by a unique column of this
  // one: each row of the other table gives its value to one row at most. The rows it matches no
  // row for keep what they held: NULL, in a column added empty just before.
  const joined = last.joinCopies?.[column];
  if (joined) return unique.includes(joined.on) && uniqueIn(joined.table, last).includes(joined.column) && addedEmpty(last, column, earlier);
  const source = last.copies?.[column];
  if (!(source !== undefined && unique.includes(source)) && !last.generated?.includes(column)) return false;
  return last.where === undefined || (isNullTest(column).test(last.where) && addedEmpty(last, column, earlier));
}

/**
 * A key over columns one UPDATE of this migration set by a join, each from a unique column of the
 * table it joins, matched one-to-one from a column of the row (`UPDATE t SET c = s.id FROM s WHERE
 * s.t_id = t.u`, or through a join, `s.f = 'doc_' || d.id … WHERE d.id = t.u`): rows with different
 * `u` get different `c`. Where the table held a key with `u` when the UPDATE ran (still, or dropped
 * with its values left alone), the new key with `c` in its place holds too, its other columns not
 * written nor rows inserted since: the old key renamed onto the new column (a table re-keyed onto
 * its parent's new id). The rows the join matched none for keep the NULL of a column added empty
 * just before, which never collides.
 */
function mappedFromKey(op: Operation, columns: string[], writes: Operation[], uniqueIn: (table: string, at: Operation) => string[], keysAt: (at: Operation) => UniqueKey[]): boolean {
  const earlier = earlierOnTable(writes, op);
  const lastWrite = (column: string) => earlier.filter((o) => (o.columns ?? []).includes(column)).pop();
  const at = columns.map(lastWrite).find((o) => o?.joinCopies !== undefined);
  if (!at) return false;
  const mapped = (column: string): string | undefined => {
    const joined = at.joinCopies?.[column];
    return joined && lastWrite(column) === at && uniqueIn(joined.table, at).includes(joined.column) && addedEmpty(at, column, earlier) ? joined.on : undefined;
  };
  const sources = columns.map((column) => mapped(column) ?? column);
  if (sources.every((source, i) => source === columns[i])) return false;
  const since = earlier.slice(earlier.indexOf(at) + 1);
  if (since.some((o) => o.kind === 'insert-rows' || (WRITES.has(o.kind) && (o.columns === undefined || o.columns.some((column) => columns.includes(column)))))) return false;
  return keysAt(at).some((key) => impliedBy(key, sources, false, () => false));
}

const WRITES: ReadonlySet<Operation['kind']> = new Set(['update-all', 'update-rows', 'backfill']);

/** The column of the same row the last write of `column` copied into it on every row (`UPDATE t SET key = name`). */
function copiedFrom(op: Operation, column: string, writes: Operation[]): string | undefined {
  const last = earlierOnTable(writes, op).filter((o) => (o.columns ?? []).includes(column)).pop();
  return last?.where === undefined ? last?.copies?.[column] : undefined;
}

/**
 * The last write of a key column numbered every row with ROW_NUMBER() over a partition whose
 * columns are all in the key, joined back by a unique column: no two rows of a partition share a
 * number (hoppscotch's orderIndex renumbered per parent before its unique key).
 */
function rankedWithin(op: Operation, columns: string[], writes: Operation[], unique: string[]): boolean {
  const earlier = earlierOnTable(writes, op);
  return columns.some((column) => {
    const last = earlier.filter((o) => (o.columns ?? []).includes(column) || o.ranked?.column === column).pop();
    const ranked = last?.ranked;
    return ranked !== undefined && unique.includes(ranked.by) && ranked.partition.every((c) => columns.includes(c));
  });
}

/** The column was added before with no default, and nothing filled it since: every existing row holds NULL. */
function addedEmpty(op: Operation, column: string, before: Operation[]): boolean {
  const earlier = earlierOnTable(before, op);
  return earlier.some((o) => o.kind === 'add-column' && o.column === column && o.defaultValue === undefined) &&
    !earlier.some((o) => WRITES.has(o.kind) && (o.columns ?? []).includes(column));
}

function addedWithDefault(op: Operation, before: Operation[]): boolean {
  return earlierOnTable(before, op).some((o) => o.kind === 'add-column' && o.column === op.column && o.defaultValue !== undefined);
}

/** `ADD CONSTRAINT … UNIQUE USING INDEX` (Rails `using_index:`): the unique index it adopts already holds the data to it. */
function usingIndex(text: string, op: Operation): boolean {
  return (op.kind === 'add-unique' || op.kind === 'add-primary-key') && (op.usingIndex !== undefined || /\bUSING\s+INDEX\b/i.test(text.slice(op.statementStart, op.statementEnd)));
}

/** An UPDATE earlier in the migration sets the column (under this or an earlier name) on every row (or every NULL one), a DELETE removes its NULLs, or a conversion left none. */
function filledEarlier(op: Operation, ups: Operation[]): boolean {
  // Only the table's operations can fill it.
  const earlier = earlierOnTable(ups, op);
  // The column under each name it had in this migration: renamed, it keeps the values written before.
  let name = op.column ?? '';
  const names = new Map<Operation, string>();
  for (let i = earlier.length - 1; i >= 0; i--) {
    const o = earlier[i];
    names.set(o, name);
    if (o.kind === 'rename-column' && o.newName === name && o.column) name = o.column;
    // Before it was added (or once another column of its name was dropped or renamed away), the name was another column's.
    else if ((o.kind === 'add-column' || o.kind === 'drop-column' || o.kind === 'rename-column') && o.column === name) name = '';
  }
  // The pattern of each name, built when a write of the table asks for it (not once per earlier operation).
  const nullTests = new Map<string, RegExp>();
  const isNull = (column: string, where: string) => {
    let test = nullTests.get(column);
    if (!test) nullTests.set(column, (test = isNullTest(column)));
    return test.test(where);
  };
  return earlier.some((o) => {
    const column = names.get(o)!;
    return column !== '' && (
      (WRITES.has(o.kind) && (o.columns ?? []).includes(column) && !batchOnce(o) && (o.where === undefined || isNull(column, o.where) || nullRowsOfEmpty(o, ups))) ||
      (o.kind === 'delete-rows' && o.where !== undefined && isNull(column, o.where)) ||
      // Converted by an expression that yields a value for every row (`USING (x IS NOT NULL)`).
      ((o.kind === 'change-type' || o.kind === 'narrow-type') && o.column === column && o.safeConversion?.neverNull === true)
    );
  });
}

/**
 * A statement a RunPython function sends that takes a batch of the rows its condition picks
 * (`WHERE id IN (SELECT … WHERE c IS NULL LIMIT 1000)`) and is not sent again by a loop of the
 * function: the rows past the first batch keep their NULL. Only there are the loops around SQL
 * read; a batch in a knex or Rails loop counts as a fill, as it did. `LIMIT 1` is a probe
 * (`EXISTS (SELECT 1 … LIMIT 1)`), not a batch.
 */
function batchOnce(o: Operation): boolean {
  return o.runsAt !== undefined && o.repeated !== true && /\bLIMIT\s+(?!1\b)\S/i.test(o.where ?? '');
}

/**
 * A write restricted to `c IS NULL` (and nothing else) where `c` was added empty just before it:
 * every row is NULL there, so it visits every row (both columns of a pair added together and the
 * write filtering on the first).
 */
function nullRowsOfEmpty(write: Operation, ups: Operation[]): boolean {
  const column = /^"?(\w{1,64})"?\s+IS\s+NULL$/i.exec(write.where?.trim() ?? '')?.[1];
  return column !== undefined && addedEmpty(write, column, ups);
}

/** `<column> IS NULL` (the column quoted or not) in a WHERE condition's text. */
function isNullTest(column: string): RegExp {
  return new RegExp(`(^|[\\s("])${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s+IS\\s+NULL\\b`, 'i');
}
