import type { SourceDocument } from '../../../engine/document';
import type { RuleContext } from '../../../engine/rule';
import type { MigrationAnalysis } from './analyze';
import type { Operation } from './operations';
import type { Framework } from './recognize';
import { statementCount } from './sql';

/**
 * How a migration's statements reach PostgreSQL: whether its framework wraps it in a transaction,
 * how that is turned off, whether a text is sent as one query, and from that which statements run
 * inside a transaction block. Several statements sent as one query run in one implicit
 * transaction, so `CREATE INDEX CONCURRENTLY` fails there too (golang-migrate and dbmate send a
 * whole file, Prisma before 7.4 too; Rails `execute`, `knex.raw`, `queryRunner.query`, Sequelize
 * and Alembic `op.execute` send their string).
 */
export interface Execution {
  framework: Framework;
  /** The framework wraps the up part in a transaction (its marker is absent). */
  wrapped: boolean;
  /** How the framework turns its transaction off, or null when it cannot. */
  marker: string | null;
  /** Each text handed to the database (a file, an `execute` string) is sent as one query. */
  oneQuery: boolean;
  placements: Map<Operation, Placement>;
}

export interface Placement {
  /** Shared by the operations of one transaction; null when the statement runs on its own. */
  transaction: number | null;
  /** What holds the transaction open. */
  by: 'framework' | 'BEGIN' | 'one query' | null;
}

interface FrameworkExecution {
  /** Wraps the up part in a transaction unless its marker is there. */
  wraps: boolean;
  marker: string | null;
  oneQuery: boolean;
}

const FRAMEWORKS: Record<Framework, FrameworkExecution> = {
  goose: { wraps: true, marker: '-- +goose NO TRANSACTION', oneQuery: false },
  dbmate: { wraps: true, marker: 'transaction:false', oneQuery: true },
  'golang-migrate': { wraps: false, marker: null, oneQuery: true },
  // `prisma migrate deploy` sent the whole file as one query before Prisma 7.4.
  prisma: { wraps: false, marker: null, oneQuery: true },
  // Flyway runs a migration whose statements all refuse a transaction outside one by itself.
  flyway: { wraps: true, marker: 'executeInTransaction=false', oneQuery: false },
  sqitch: { wraps: false, marker: null, oneQuery: false },
  liquibase: { wraps: true, marker: 'runInTransaction:false', oneQuery: false },
  atlas: { wraps: true, marker: '-- atlas:txmode none', oneQuery: false },
  // drizzle-kit applies every pending migration in one transaction, with no way out per file.
  drizzle: { wraps: true, marker: null, oneQuery: false },
  sql: { wraps: false, marker: null, oneQuery: false },
  rails: { wraps: true, marker: 'disable_ddl_transaction!', oneQuery: true },
  // RunSQL splits its string into statements.
  django: { wraps: true, marker: 'atomic = False', oneQuery: false },
  alembic: { wraps: true, marker: 'with op.get_context().autocommit_block():', oneQuery: true },
  knex: { wraps: true, marker: 'config = { transaction: false }', oneQuery: true },
  // Honoured when migrations run with `--transaction each` (or none).
  typeorm: { wraps: true, marker: 'transaction = false', oneQuery: true },
  sequelize: { wraps: false, marker: null, oneQuery: true },
  mikroorm: { wraps: true, marker: 'isTransactional(): boolean { return false; }', oneQuery: true },
  kysely: { wraps: false, marker: null, oneQuery: true },
  // `db.runSql` sends its string as one query; the migration runs outside a transaction (recognize.ts).
  'db-migrate': { wraps: false, marker: null, oneQuery: true },
  // Not PostgreSQL: the lock rules skip it (lockRisk.ts), and ClickHouse has no transactions.
  clickhouse: { wraps: false, marker: null, oneQuery: false },
};

/** Statements PostgreSQL refuses inside a transaction block (Flyway runs a file of only these outside one). */
export function refusesTransaction(op: Operation): boolean {
  return ((op.kind === 'create-index' || op.kind === 'add-unique' || op.kind === 'drop-index' || op.kind === 'reindex') && op.concurrently === true)
    || (op.kind === 'detach-partition' && op.concurrently === true)
    || op.kind === 'vacuum-full' || op.kind === 'drop-database';
}

const cache = new WeakMap<MigrationAnalysis, Promise<Execution>>();

export function executionOf(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis): Promise<Execution> {
  let execution = cache.get(analysis);
  if (!execution) {
    execution = compute(doc, ctx, analysis);
    cache.set(analysis, execution);
  }
  return execution;
}

async function compute(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis): Promise<Execution> {
  const { framework } = analysis.file;
  const known = FRAMEWORKS[framework];
  const ups = analysis.operations.filter((op) => op.part === 'up').sort((a, b) => a.start - b.start);
  // Alembic's marker opens a block that commits the transaction for the statements inside it only.
  let wrapped = known.wraps && (framework === 'alembic' || !analysis.file.noTransaction);
  if (framework === 'flyway' && wrapped) {
    const config = await ctx.workspace.readText(`${doc.relPath}.conf`).catch(() => '');
    const statements = ups.length > 0 ? statementCount(doc.text) : 0;
    const refusing = ups.filter(refusesTransaction).length;
    wrapped = !/^\s*executeInTransaction\s*=\s*false\s*$/m.test(config) && !(refusing > 0 && refusing === statements);
  }
  const autocommit = framework === 'alembic' ? autocommitBlocks(doc.text) : [];
  const placements = new Map<Operation, Placement>();
  let next = 1;
  let frameworkTransaction: number | null = wrapped ? next++ : null;
  let explicit: number | null = null;
  let block: { start: number; end: number } | undefined;
  const batches = new Map<string, number | null>();
  for (const op of ups) {
    const inBlock = autocommit.find((b) => b.start <= op.start && op.start < b.end);
    if (inBlock !== block) {
      // Alembic commits its transaction where an autocommit block starts and begins a new one after it.
      frameworkTransaction = inBlock || !wrapped ? null : next++;
      block = inBlock;
    }
    if (op.kind === 'begin') explicit = next++;
    let transaction: number | null = explicit ?? frameworkTransaction;
    let by: Placement['by'] = explicit !== null ? 'BEGIN' : frameworkTransaction !== null ? 'framework' : null;
    if (transaction === null && known.oneQuery && op.batch) {
      const key = `${op.batch.start}:${op.batch.end}`;
      if (!batches.has(key)) batches.set(key, statementCount(doc.text.slice(op.batch.start, op.batch.end)) > 1 ? next++ : null);
      transaction = batches.get(key)!;
      by = transaction === null ? null : 'one query';
    }
    placements.set(op, { transaction, by });
    if (op.kind === 'commit' || op.kind === 'rollback') {
      // COMMIT ends whichever transaction is open, the framework's included: what follows runs on its own.
      if (explicit === null) frameworkTransaction = null;
      explicit = null;
    }
  }
  return { framework, wrapped, marker: known.marker, oneQuery: known.oneQuery, placements };
}

/** The lines under each `with op.get_context().autocommit_block():` (those indented deeper). */
function autocommitBlocks(text: string): { start: number; end: number }[] {
  const blocks: { start: number; end: number }[] = [];
  for (const match of text.matchAll(/^([ \t]*)with[ \t]+op\.get_context\(\)\.autocommit_block\(\)[ \t]*:[^\n]*\n/gm)) {
    const indent = match[1].length;
    const start = match.index + match[0].length;
    let end = start;
    for (let at = start; at < text.length; ) {
      const lineEnd = text.indexOf('\n', at);
      const line = text.slice(at, lineEnd < 0 ? text.length : lineEnd);
      const depth = line.length - line.trimStart().length;
      if (line.trim() !== '' && depth <= indent) break;
      at = lineEnd < 0 ? text.length : lineEnd + 1;
      end = at;
    }
    blocks.push({ start: match.index, end });
  }
  return blocks;
}
