import { sameName, type MigrationHistory } from './history';
import type { Operation } from './operations';

/**
 * Deletes of the rows a foreign key ON DELETE CASCADE would have deleted with their parents, had the
 * key always been there: the schema's own rule applied to the rows it missed, nothing the
 * application keeps. With any other ON DELETE the application keeps such rows (or their other
 * columns): those deletes stay reported.
 */
export function deletesOrphans(op: Operation, ops: Operation[], history: MigrationHistory | undefined): boolean {
  if (op.kind !== 'delete-rows' || op.part !== 'up' || !op.table) return false;
  if (op.orphansOf) {
    // `WHERE NOT EXISTS (SELECT … FROM parent …)`, `WHERE column NOT IN (SELECT key FROM parent)`.
    const key = keyOnceRun(op.table, op.orphansOf.column, ops, history);
    return key?.cascade === true && sameName(key.referencedTable, op.orphansOf.table);
  }
  // `WHERE column IS NULL` before the same migration makes the column NOT NULL: the rows with no
  // parent (left by an earlier ON DELETE SET NULL), which the new schema cannot hold.
  const column = nullKeyColumn(op.where);
  return column !== undefined &&
    ops.some((o) => o.part === 'up' && o.start > op.start && o.kind === 'set-not-null' && sameName(o.table, op.table) && o.column === column) &&
    keyOnceRun(op.table, column, ops, history)?.cascade === true;
}

interface ForeignKey {
  name?: string;
  referencedTable?: string;
  cascade: boolean;
}

/**
 * The foreign key of `table.column` once the migration has run: as the earlier migrations of the
 * folder declared it (ALTER TABLE … ADD [CONSTRAINT] FOREIGN KEY, or a REFERENCES on an added
 * column), then changed by this one (a key dropped by name and added again, Prisma's way of changing
 * its ON DELETE). Undefined where no migration read declares one.
 */
function keyOnceRun(table: string, column: string, ops: Operation[], history: MigrationHistory | undefined): ForeignKey | undefined {
  let key: ForeignKey | undefined;
  for (const o of [...(history?.operationsBefore(table) ?? []), ...ops.filter((o) => o.part === 'up' && sameName(o.table, table))]) {
    if (o.kind === 'add-foreign-key' && o.columns?.length === 1 && o.columns[0] === column) key = { name: o.name, referencedTable: o.referencedTable, cascade: o.onDeleteCascade === true };
    else if (key && ((o.kind === 'drop-constraint' && o.name !== undefined && o.name === key.name) || (o.kind === 'drop-column' && o.column === column) || o.kind === 'drop-table')) key = undefined;
  }
  return key;
}

/** The column of a WHERE that is only `[t.]column IS NULL`. */
function nullKeyColumn(where: string | undefined): string | undefined {
  const tested = where === undefined ? undefined : /^(\S+)\s+IS\s+NULL$/i.exec(where.trim())?.[1];
  const column = tested?.slice(tested.lastIndexOf('.') + 1).replace(/^"(\w+)"$/, '$1');
  return column !== undefined && /^\w+$/.test(column) ? column : undefined;
}
