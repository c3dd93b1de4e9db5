import { bareName, sameName } from './history';
import type { Operation } from './operations';

/**
 * The operations of a list on each table, by bare name, built once per list: the rules ask, for
 * each operation, what the others did to its table, which compared every pair of a migration's
 * operations (a 500-statement migration: most of a keystroke). The list must not change once asked
 * about; a list of another length is indexed again.
 */
const indexes = new WeakMap<readonly Operation[], { length: number; byTable: Map<string, Operation[]> }>();

/** The operations of `ops` on `table` (as `sameName` matches names), in their order. */
export function operationsOn(ops: readonly Operation[], table: string | undefined): readonly Operation[] {
  if (table === undefined) return [];
  let index = indexes.get(ops);
  if (!index || index.length !== ops.length) {
    const byTable = new Map<string, Operation[]>();
    for (const op of ops) {
      if (op.table === undefined) continue;
      const name = bareName(op.table);
      const list = byTable.get(name);
      if (list) list.push(op);
      else byTable.set(name, [op]);
    }
    index = { length: ops.length, byTable };
    indexes.set(ops, index);
  }
  return index.byTable.get(bareName(table)) ?? [];
}

/** `ops.slice(0, ops.indexOf(op))` on `op`'s table, without a pass over the other tables' operations. */
export function earlierOnTable(ops: readonly Operation[], op: Operation): Operation[] {
  const onTable = operationsOn(ops, op.table);
  const at = onTable.indexOf(op);
  // Not in the list (never so today): what the slice before -1 would give.
  return at >= 0 ? onTable.slice(0, at) : ops.slice(0, -1).filter((o) => sameName(o.table, op.table));
}
