import type { MigrationHistory } from './history';
import { followKeys, traceName } from './keys';
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
  if (!seedRows(before).some((row) => key.every(([column, literal]) => row.get(column) === literal.value))) return false;
  const own = ownOperations.filter((o) => o.part === 'up' && o.start < op.start);
  const keys = followKeys(history.uniqueKeys(traceName(own, op.table).name), own, op.table, true);
  return keys.some((k) => k.columns.every((column) => key.some(([c]) => c === column)));
}

/** A row's known values by column: a column whose value is not known is absent. */
type Row = Map<string, string>;

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
        rows.push(...(op.rows ?? []).map((values) => new Map(Object.entries(values).filter(([, literal]) => !templated(literal)).map(([column, literal]) => [column, literal.value]))));
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
