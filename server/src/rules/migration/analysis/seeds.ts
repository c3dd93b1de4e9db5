import type { MigrationHistory } from './history';
import { followKeys, traceName, type UniqueKey } from './keys';
import type { Operation } from './operations';
import { operationsOn } from './tableIndex';
import type { Literal } from './using';

/**
 * The application's own rows: those its migrations insert with constant values (built-in roles,
 * permissions, strategy definitions), followed through what later migrations do to them. An
 * UPDATE that sets constants on one of them, picked by constants over a unique key, rewrites
 * what the application ships (`SET description = '…' WHERE name = 'Admin'`), not what its users
 * stored: the row is the one the migrations wrote, and the values it gets are written here.
 *
 * Assumed, as the migrations cannot tell: the application does not let its users edit those
 * values of its built-in rows. Not taken for a seed: a row keyed by values that are not unique
 * (every user's `theme` setting shares `key = 'theme'`), or by a value written into a template
 * (`'${p.name}'`), a row an earlier migration deleted by its key, or a row of a table an earlier
 * migration emptied, dropped or renamed.
 *
 * Unique by its values, without a declared key: a catalog's row (`permissions` keyed by a serial
 * `id`, each permission inserted once by name). See `catalogRow`.
 */
export function rewritesSeedRow(op: Operation, ownOperations: Operation[], history: MigrationHistory | undefined): boolean {
  if (op.kind !== 'update-rows' || !op.table || !op.keyedBy || !history) return false;
  const set = op.columns ?? [];
  if (set.length === 0 || set.some((column) => op.literals?.[column] === undefined)) return false;
  const key = Object.entries(op.keyedBy.values).filter(([, literal]) => !templated(literal));
  // The rows first: the migrations that touched this table are indexed, while the table's keys are
  // read from every migration naming it or one of its keys (asked for every UPDATE by a constant
  // key, that made a check of 2,000 migrations spend a tenth of its time on keys).
  const before = [...history.operationsBefore(op.table), ...operationsOn(ownOperations, op.table).filter((o) => o.part === 'up' && o.start < op.start)];
  const rows = seedRows(before);
  const picked = rows.filter((row) => key.every(([column, literal]) => row.get(column) === literal.value));
  if (picked.length === 0) return false;
  const own = ownOperations.filter((o) => o.part === 'up' && o.start < op.start);
  const name = traceName(own, op.table).name;
  const keys = followKeys(history.uniqueKeys(name), own, op.table, true);
  if (keys.some((k) => k.columns.every((column) => key.some(([c]) => c === column)))) return true;
  return op.keyedBy.exact && key.length === Object.keys(op.keyedBy.values).length && picked.length === 1 && !picked[0].fromTemplate && catalogRow(name, key.map(([column]) => column), keys, before, history);
}

/**
 * A table of the application's own entries (built-in permissions, roles, strategy types), where
 * the WHERE's columns tell its rows apart though no key declares them unique: nothing in the schema
 * says rows repeat over them, and every row the migrations inserted is known. Its keys are
 * generated ids alone (a serial `id`: a natural key over other columns, as `(user_id, name)`, says
 * `name` repeats); it references no other table (a row per user or project would); and every
 * insert into it gave the WHERE's columns constants (rows selected from another table may hold
 * anything). The caller has checked that exactly one inserted row holds the WHERE's values, and
 * that it is no row with a value written into a template (a loop's: one row per project under one
 * name).
 */
function catalogRow(table: string, where: string[], keys: UniqueKey[], before: Operation[], history: MigrationHistory): boolean {
  if (keys.length === 0 || !keys.every((k) => k.columns.length === 1 && GENERATED_ID.test(history.typeBefore(table, k.columns[0]) ?? ''))) return false;
  if (history.foreignKeysOf(table)?.length !== 0) return false;
  const inserts = before.filter((o) => o.kind === 'insert-rows');
  // No rows read (`INSERT … SELECT … FROM`, no column list): they may hold anything.
  return inserts.every((o) => o.rows !== undefined && o.rows.length > 0 && o.rows.every((row) => where.every((column) => row[column] !== undefined && !templated(row[column]))));
}

/** A column type whose values the database generates: serial types and identity columns. */
const GENERATED_ID = /^(?:small|big)?serial[248]?$|\bidentity\b/i;

/**
 * A row's known values by column: a column whose value is not known is absent. `fromTemplate`: it
 * was inserted with a value written into a template, so a loop may have inserted many like it.
 */
type Row = Map<string, string> & { fromTemplate?: boolean };

/** The constant rows `ops` (all on one table, in the order they run) leave in it. */
function seedRows(ops: Operation[]): Row[] {
  let rows: Row[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'create-table':
      case 'drop-table':
      case 'rename-table':
      case 'truncate':
      case 'delete-all':
        rows = [];
        break;
      case 'insert-rows':
        for (const values of op.rows ?? []) {
          const row: Row = new Map(Object.entries(values).filter(([, literal]) => !templated(literal)).map(([column, literal]) => [column, literal.value]));
          if (row.size < Object.keys(values).length) row.fromTemplate = true;
          rows.push(row);
        }
        break;
      case 'delete-rows':
        // Only a row the WHERE surely picks is known to be gone. One it may pick (duplicates found
        // by a subquery) is taken to stay: a migration removes a built-in row by naming it.
        if (op.keyedBy?.exact) rows = rows.filter((row) => picks(op, row) !== 'surely');
        break;
      case 'update-rows':
      case 'update-all':
      case 'backfill':
        for (const row of rows) {
          const picked = op.kind === 'update-all' ? 'surely' : picks(op, row);
          if (picked === 'no') continue;
          const columns = op.ranked ? [op.ranked.column] : op.columns;
          // Columns not listed: any value of the row may have changed.
          if (!columns) row.clear();
          for (const column of columns ?? []) {
            const literal = op.literals?.[column];
            if (picked === 'surely' && literal && !templated(literal)) row.set(column, literal.value);
            else row.delete(column);
          }
        }
        break;
      case 'drop-column':
        for (const row of rows) if (op.column) row.delete(op.column);
        break;
      case 'rename-column':
        for (const row of rows) {
          const value = op.column === undefined ? undefined : row.get(op.column);
          if (op.column !== undefined) row.delete(op.column);
          if (value !== undefined && op.newName !== undefined) row.set(op.newName, value);
        }
        break;
      default:
        break;
    }
  }
  return rows;
}

/** Whether the statement's WHERE picks the row: surely, perhaps (a value it tests is not known), or not. */
function picks(op: Operation, row: Row): 'surely' | 'perhaps' | 'no' {
  if (!op.keyedBy) return 'perhaps';
  let known = op.keyedBy.exact;
  for (const [column, literal] of Object.entries(op.keyedBy.values)) {
    const value = row.get(column);
    if (value === undefined || templated(literal)) known = false;
    else if (value !== literal.value) return 'no';
  }
  return known ? 'surely' : 'perhaps';
}

/** A value written into a template (`'${name}'`, `'#{name}'`): the SQL holds the placeholder, not the value. */
function templated(literal: Literal): boolean {
  return /\$\{|#\{/.test(literal.value);
}
