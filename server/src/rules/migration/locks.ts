import type { Operation } from './analysis/operations';

/** The PostgreSQL lock an operation takes and what it blocks while held (for messages and hovers). */
export interface LockInfo {
  lock: string;
  blocks: string;
}

export function lockOf(op: Operation): LockInfo | null {
  switch (op.kind) {
    case 'create-index':
    case 'add-unique':
      return op.concurrently ? { lock: 'SHARE UPDATE EXCLUSIVE', blocks: 'other schema changes and VACUUM, not reads or writes' } : { lock: 'SHARE', blocks: 'every INSERT, UPDATE and DELETE on the table until the index is built' };
    case 'drop-index':
      return op.concurrently ? { lock: 'SHARE UPDATE EXCLUSIVE', blocks: 'other schema changes' } : { lock: 'ACCESS EXCLUSIVE', blocks: 'every read and write of the table' };
    case 'add-foreign-key':
      return { lock: 'SHARE ROW EXCLUSIVE on both tables', blocks: op.notValid ? 'writes briefly; no scan' : 'writes to both tables while every row is checked' };
    case 'add-check':
    case 'set-not-null':
    case 'add-primary-key':
      return { lock: 'ACCESS EXCLUSIVE', blocks: op.notValid ? 'reads and writes briefly; no scan' : 'every read and write of the table while every row is checked' };
    case 'change-type':
    case 'narrow-type':
      return { lock: 'ACCESS EXCLUSIVE', blocks: 'every read and write of the table while it is rewritten' };
    case 'drop-column':
    case 'drop-table':
    case 'rename-column':
    case 'rename-table':
    case 'add-column':
    case 'add-required-column':
    case 'drop-default':
    case 'truncate':
      return { lock: 'ACCESS EXCLUSIVE', blocks: 'every read and write of the table (briefly, once it gets the lock)' };
    default:
      return null;
  }
}
