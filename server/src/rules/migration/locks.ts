import type { Operation } from './analysis/operations';

/**
 * The lock each PostgreSQL statement takes, what it blocks and for how long: what the hover says
 * and what the lock rule judges. test/postgres/locks.test.ts runs every example statement on a real
 * PostgreSQL and compares these claims with pg_locks (and a rewrite's claim with the table's file
 * node), so a claim here that PostgreSQL contradicts fails the tests.
 */
export type LockMode = 'ACCESS SHARE' | 'ROW SHARE' | 'ROW EXCLUSIVE' | 'SHARE UPDATE EXCLUSIVE' | 'SHARE' | 'SHARE ROW EXCLUSIVE' | 'EXCLUSIVE' | 'ACCESS EXCLUSIVE';

/** Weakest first: the order of PostgreSQL's table lock modes. */
export const LOCK_MODES: readonly LockMode[] = ['ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];

export interface LockInfo {
  /** The strongest lock on the statement's table (for an index: the index's table). */
  mode: LockMode;
  /** The lock on the table a FOREIGN KEY references. */
  referenced?: LockMode;
  /** How long it is held in effect: a catalog change, a scan of every row, a rewrite, an index build. */
  work: 'catalog' | 'scan' | 'rewrite' | 'build';
}

export interface LockContext {
  postgresVersion: number;
  /** SET NOT NULL: a validated CHECK (column IS NOT NULL) lets PostgreSQL 12+ skip the scan. */
  provenNotNull?: boolean;
  /** ALTER COLUMN TYPE between binary-compatible types changes the catalog only. */
  binaryCompatible?: boolean;
}

export function lockOf(op: Operation, context: LockContext): LockInfo | null {
  const v = context.postgresVersion;
  switch (op.kind) {
    case 'create-index':
      return { mode: op.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', work: 'build' };
    case 'add-unique':
    case 'add-primary-key':
      // CREATE UNIQUE INDEX names its access method; the constraint forms build the index under ACCESS EXCLUSIVE.
      if (op.method) return { mode: op.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', work: 'build' };
      return { mode: 'ACCESS EXCLUSIVE', work: op.usingIndex ? 'catalog' : 'build' };
    case 'add-exclusion':
      return { mode: 'ACCESS EXCLUSIVE', work: 'build' };
    case 'drop-index':
      return { mode: op.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', work: 'catalog' };
    case 'reindex':
      // REINDEX blocks writes to the table, and reads that would use the index being rebuilt.
      return { mode: op.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', work: 'build' };
    case 'cluster':
    case 'vacuum-full':
      return { mode: 'ACCESS EXCLUSIVE', work: 'rewrite' };
    case 'add-foreign-key':
      return { mode: 'SHARE ROW EXCLUSIVE', referenced: 'SHARE ROW EXCLUSIVE', work: op.notValid || op.emptyColumn ? 'catalog' : 'scan' };
    case 'add-check':
      return { mode: 'ACCESS EXCLUSIVE', work: op.notValid ? 'catalog' : 'scan' };
    case 'validate-constraint':
      return { mode: 'SHARE UPDATE EXCLUSIVE', work: 'scan' };
    case 'set-not-null':
      return { mode: 'ACCESS EXCLUSIVE', work: context.provenNotNull && v >= 12 ? 'catalog' : 'scan' };
    case 'change-type':
    case 'narrow-type':
    case 'change-embedding':
      return { mode: 'ACCESS EXCLUSIVE', work: context.binaryCompatible && !op.usingExpression ? 'catalog' : 'rewrite' };
    case 'add-column':
      return { mode: 'ACCESS EXCLUSIVE', work: rewritesOnAdd(op, v) ? 'rewrite' : 'catalog' };
    case 'attach-partition':
      // From PostgreSQL 12 the parent takes SHARE UPDATE EXCLUSIVE; the partition is scanned for the bound.
      return { mode: v >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', work: 'scan' };
    case 'detach-partition':
      return { mode: op.concurrently && v >= 14 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', work: 'catalog' };
    case 'refresh-materialized-view':
      return { mode: op.concurrently ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE', work: 'rewrite' };
    case 'update-all':
    case 'update-rows':
    case 'backfill':
      return { mode: 'ROW EXCLUSIVE', work: 'scan' };
    case 'drop-column':
    case 'drop-table':
    case 'rename-column':
    case 'rename-table':
    case 'add-required-column':
    case 'drop-default':
    case 'drop-not-null':
    case 'truncate':
      return { mode: 'ACCESS EXCLUSIVE', work: 'catalog' };
    default:
      return null;
  }
}

/** ADD COLUMN computes a value for every existing row: the table is rewritten. */
export function rewritesOnAdd(op: Operation, postgresVersion: number): boolean {
  if (op.fill === 'volatile' || op.fill === 'serial' || op.fill === 'identity' || op.fill === 'generated-stored') return true;
  return op.fill === 'constant' && postgresVersion < 11;
}

/** What a lock mode blocks, in the words of PostgreSQL's conflict table. */
export function blocks(mode: LockMode): string {
  switch (mode) {
    case 'ACCESS EXCLUSIVE': return 'every read and write';
    case 'EXCLUSIVE': return 'every write (reads go on)';
    case 'SHARE ROW EXCLUSIVE':
    case 'SHARE': return 'every INSERT, UPDATE and DELETE (reads go on)';
    case 'SHARE UPDATE EXCLUSIVE': return 'other schema changes and VACUUM, not reads or writes';
    case 'ROW EXCLUSIVE': return 'schema changes and locked rows';
    default: return 'only ACCESS EXCLUSIVE locks';
  }
}

/** Locks that make reads or writes of the table wait while they are held (or queued). */
export function blocksTraffic(mode: LockMode): boolean {
  return LOCK_MODES.indexOf(mode) >= LOCK_MODES.indexOf('SHARE');
}

const WORK: Record<LockInfo['work'], string> = {
  catalog: 'only while the catalog changes (but it waits behind every running query on the table, and everything queues behind it)',
  scan: 'while every row is checked',
  rewrite: 'while the whole table is rewritten',
  build: 'until the index is built',
};

/** One sentence for messages and hovers: `takes SHARE on orders, which blocks …, until the index is built`. */
export function describeLock(lock: LockInfo, table: string | undefined): string {
  const on = table ? ` on ${table}` : '';
  const referenced = lock.referenced ? ` and ${lock.referenced} on the table it references` : '';
  return `takes ${lock.mode}${on}${referenced}, which blocks ${blocks(lock.mode)}, ${WORK[lock.work]}`;
}
