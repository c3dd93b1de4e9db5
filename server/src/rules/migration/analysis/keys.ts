import { createHash } from 'node:crypto';
import type { Operation } from './operations';

/**
 * The unique keys a table holds, followed through migrations: a new key whose columns include all
 * of one the rows already satisfy (or just satisfied, before this migration dropped it) cannot
 * find duplicates. Only keys over plain columns and without a WHERE count; anything that may have
 * changed a key's values or removed it ends it (when unsure, the key is forgotten: forgetting only
 * keeps a finding).
 */
export interface UniqueKey {
  columns: string[];
  /** A primary key: its columns hold no NULL either. */
  primary: boolean;
  /** The names a later migration can drop it by: the one written, and the frameworks' default names. */
  names: Set<string>;
  /**
   * Dropped by the migration being read (where a drop does not end a key): the rows satisfied it
   * then, but it no longer checks the writes that follow.
   */
  dropped?: boolean;
}

/**
 * The keys after `ops` ran, from `keys` before; `table` is the table's name after them (keys held
 * under an earlier name, before a rename to this one, are followed: a renamed table keeps its rows
 * and its indexes); `drops` says whether a drop ends a key.
 */
export function followKeys(keys: UniqueKey[], ops: Operation[], table: string, drops: boolean): UniqueKey[] {
  const trace = traceName(ops, table);
  const start = Math.max(trace.from, 0);
  let current = trace.from >= 0 ? [] : keys;
  let name = trace.name;
  ops.slice(start).forEach((op, offset) => {
    if (op.part !== 'up') return;
    if (op.kind === 'rename-table' && op.newName !== undefined) {
      if (trace.renames.has(start + offset)) {
        // The same rows under a new name: its keys hold, and can be dropped by the new table's default names too.
        name = op.newName;
        current = current.map((key) => ({ ...key, names: new Set([...key.names, ...defaultNames(op.newName!, key.columns, key.primary, undefined)]) }));
      } else if (bare(op.newName) === bare(name) || bare(op.table) === bare(name)) {
        // Renamed away, or another table renamed to this name: the keys held here are another table's now.
        current = [];
      }
      return;
    }
    // DROP INDEX names no table: its name alone tells which key it ends.
    const unplaced = op.table === undefined && op.kind === 'drop-index';
    if (bare(op.table) !== bare(name) && !unplaced) return;
    const added = keyOf(op, name);
    if (added) current = [...current, ...added];
    else if (op.kind === 'rename-column' && op.column !== undefined && op.newName !== undefined) {
      // A renamed column keeps its values: the keys over it hold under the new name.
      const [from, to] = [op.column, op.newName];
      current = current.map((key) => (key.columns.includes(from) ? { ...key, columns: key.columns.map((c) => (c === from ? to : c)) } : key));
    } else {
      const named = namedKey(op, current, drops);
      current = current.filter((key) => !ends(op, key, drops)).map((key) => (!drops && dropsKey(op, key) ? { ...key, dropped: true } : key));
      if (named) current = [...current, named];
    }
  });
  return current;
}

/**
 * The name the table called `table` after `ops` had before them, found walking back through the
 * renames to it: the renames followed, and where the table starts (its CREATE TABLE, or the DROP of
 * the one that had its name before; -1 when it is older than `ops`).
 */
export function traceName(ops: Operation[], table: string): { name: string; from: number; renames: Set<number> } {
  let name = table;
  const renames = new Set<number>();
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i];
    if (op.part !== 'up') continue;
    if (op.kind === 'rename-table' && op.table !== undefined && op.newName !== undefined && bare(op.newName) === bare(name) && bare(op.table) !== bare(name)) {
      renames.add(i);
      name = op.table;
    } else if ((op.kind === 'create-table' || op.kind === 'drop-table') && bare(op.table) === bare(name)) return { name, from: i, renames };
  }
  return { name, from: -1, renames };
}

/** Every name a key created on `table` by `ops` can be dropped by (what to look for in other migrations). */
export function keyNames(ops: Operation[], table: string): string[] {
  return [...new Set(ops.filter((op) => op.part === 'up' && bare(op.table) === bare(table)).flatMap((op) => keyOf(op, table) ?? []).flatMap((key) => [...key.names]))];
}

/**
 * A key no earlier migration told of, that this one drops by a name telling its columns: Django's
 * `<table>_<columns>_<digest>_uniq`, the digest the first 8 hex digits of the MD5 of the table's
 * and the columns' names (a key of Django's own `auth` tables, which the project's migrations never
 * created). The DROP CONSTRAINT (without IF EXISTS) fails unless the table held it: the rows
 * satisfied it then.
 */
function namedKey(op: Operation, current: UniqueKey[], drops: boolean): UniqueKey | undefined {
  if (drops || op.kind !== 'drop-constraint' || op.guarded || op.name === undefined || current.some((key) => dropsKey(op, key))) return undefined;
  const columns = djangoUniqueColumns(op.name, op.table);
  return columns && { columns, primary: false, names: new Set([op.name.toLowerCase()]), dropped: true };
}

/**
 * The columns of a unique constraint Django named (`auth_permission_content_type_id_codename_01ab375a_uniq`):
 * the split of the name's words into a table and columns whose digest the name carries. With the
 * table known (the constraint's own, when the name starts with it), only the columns are split. Names Django shortened to fit 63
 * characters do not tell their columns whole and are not read. Each split costs a digest, and
 * there are 2^(words-1): the words are capped, and each name is worked out once.
 */
export function djangoUniqueColumns(name: string, table?: string): string[] | undefined {
  const key = `${table ?? ''}\0${name}`;
  if (!uniqueColumnsOf.has(key)) {
    if (uniqueColumnsOf.size >= 4096) uniqueColumnsOf.clear();
    uniqueColumnsOf.set(key, splitByDigest(name, table));
  }
  return uniqueColumnsOf.get(key);
}

const uniqueColumnsOf = new Map<string, string[] | undefined>();
const MAX_SPLIT_WORDS = 12;

function splitByDigest(name: string, table: string | undefined): string[] | undefined {
  const match = /^([a-z0-9_]{1,80})_([0-9a-f]{8})_uniq$/.exec(name);
  if (!match) return undefined;
  const bare = table?.slice(table.lastIndexOf('.') + 1).toLowerCase();
  // A table renamed since keeps the constraint's old name: then the table is one of the splits too.
  const prefix = bare !== undefined && match[1].startsWith(`${bare}_`) ? [bare] : [];
  const words = (prefix.length ? match[1].slice(bare!.length + 1) : match[1]).split('_');
  if (words.length + prefix.length < 2 || words.length > MAX_SPLIT_WORDS || words.includes('')) return undefined;
  // Each of the 2^(n-1) ways to cut the words into groups: the table (when not given, the first group), then the columns.
  for (let cuts = 0; cuts < 1 << (words.length - 1); cuts++) {
    if (prefix.length === 0 && cuts === 0) continue;
    const groups = [[words[0]]];
    for (let i = 1; i < words.length; i++) {
      if (cuts & (1 << (i - 1))) groups.push([words[i]]);
      else groups[groups.length - 1].push(words[i]);
    }
    const names = [...prefix, ...groups.map((group) => group.join('_'))];
    const digest = createHash('md5');
    for (const part of names) digest.update(part);
    if (digest.digest('hex').slice(0, 8) === match[2]) return names.slice(1);
  }
  return undefined;
}

/**
 * Whether `key` implies `op`'s key: its columns are among the new key's. A primary key also needs
 * no NULL in any of its columns: those of an old primary key hold none, the others must be NOT NULL.
 */
export function impliedBy(key: UniqueKey, columns: string[], primary: boolean, nonNull: (column: string) => boolean): boolean {
  if (!key.columns.every((column) => columns.includes(column))) return false;
  return !primary || columns.every((column) => (key.primary && key.columns.includes(column)) || nonNull(column));
}

/** The keys an operation creates: a table's own (CREATE TABLE), a unique index or constraint, a primary key. */
function keyOf(op: Operation, table: string): UniqueKey[] | undefined {
  if (op.kind === 'create-table') return (op.keys ?? []).map((key) => ({ columns: key.columns, primary: key.primary, names: defaultNames(table, key.columns, key.primary, key.name) }));
  if (op.kind !== 'add-unique' && op.kind !== 'add-primary-key') return undefined;
  const columns = op.columns ?? [];
  // A partial key, or one over an expression, says nothing about the whole column; it is still a key that can be dropped.
  if (op.where !== undefined || columns.length === 0 || columns.includes('expression') || op.usingIndex) return [];
  return [{ columns, primary: op.kind === 'add-primary-key', names: defaultNames(table, columns, op.kind === 'add-primary-key', op.name ?? op.column) }];
}

/**
 * Whether the operation ends the key: a drop naming it (or naming nothing known), a write to one of
 * its columns once it was dropped (a key in force checks every write: no UPDATE gets a duplicate
 * past it), the loss of one of its columns.
 */
function ends(op: Operation, key: UniqueKey, drops: boolean): boolean {
  switch (op.kind) {
    case 'drop-table':
      return true;
    case 'drop-index':
    case 'drop-constraint':
      return drops && dropsKey(op, key);
    case 'update-all':
    case 'update-rows':
    case 'backfill':
      return key.dropped === true && (op.columns === undefined || op.columns.some((column) => key.columns.includes(column)));
    case 'drop-column':
    case 'rename-column':
    case 'change-type':
    case 'narrow-type':
      return op.column === undefined || key.columns.includes(op.column);
    default:
      return false;
  }
}

/** A DROP INDEX or DROP CONSTRAINT naming the key (or naming nothing known). */
function dropsKey(op: Operation, key: UniqueKey): boolean {
  if (op.kind !== 'drop-index' && op.kind !== 'drop-constraint') return false;
  const name = op.name ?? op.column;
  if (name !== undefined) return key.names.has(name.toLowerCase());
  return op.columns === undefined || sameColumns(op.columns, key.columns);
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((column) => b.includes(column));
}

/**
 * PostgreSQL's names (`t_pkey`, `t_a_b_key`, `t_a_b_idx`), Rails' (`index_t_on_a_and_b`),
 * Sequelize's (`t_a_b`, `t_a_b_uk`) and Knex's (`t_a_b_unique`), lower-cased as compared.
 */
function defaultNames(table: string, columns: string[], primary: boolean, written: string | undefined): Set<string> {
  const t = bare(table);
  const joined = columns.join('_');
  const names = primary ? [`${t}_pkey`] : [`${t}_${joined}_key`, `${t}_${joined}_idx`, `index_${t}_on_${columns.join('_and_')}`, `${t}_${joined}`, `${t}_${joined}_uk`, `${t}_${joined}_unique`];
  return new Set([...names, ...(written ? [written] : [])].map((name) => name.toLowerCase()));
}

function bare(name: string | undefined): string {
  const written = name ?? '';
  // Asked for each operation of the migration for each key looked for: most names are plain.
  return written.includes('.') || written.includes('"') ? written.replace(/^.*\./, '').replace(/"/g, '') : written;
}
