import type { SourceDocument } from '../../engine/document';
import type { Rule, RuleContext } from '../../engine/rule';
import type { Fix, Report } from '../../engine/types';
import { analyseMigration, isMigrationCandidate, type MigrationAnalysis } from './analysis/analyze';
import { executionOf, refusesTransaction, type Execution, type Placement } from './analysis/execution';
import { DESTRUCTIVE, byRunOrder, describeOperation, runsBefore, type Operation } from './analysis/operations';
import { migrationOptions } from './analysis/options';
import { sameName } from './analysis/history';
import { unreleasedTargets } from './analysis/refine';
import { operationsOn } from './analysis/tableIndex';
import { codeReferences } from './analysis/codeReferences';
import { acknowledged, judgedMigration, opReport } from './common';
import { concurrentlyFixes, guardFix } from './fixes/concurrently';
import { notNullViaCheckFix, notValidFix, validateLaterFix } from './fixes/constraints';
import { timeoutFix } from './fixes/timeouts';
import { blocksTraffic, describeLock, lockOf, type LockContext, type LockInfo } from './locks';

/**
 * PostgreSQL statements that make production traffic wait, or that PostgreSQL refuses where the
 * framework runs them: index builds and drops without CONCURRENTLY, CONCURRENTLY inside an
 * explicit or implicit transaction, constraints validated under a strong lock, scans and
 * rewrites (SET NOT NULL, type changes, volatile defaults, serial and identity columns, CLUSTER,
 * VACUUM FULL), backfills under a schema change's lock, and strong locks taken without a
 * lock_timeout. Each finding names its lock; PostgreSQL's version (`migration.postgresVersion`)
 * decides what is safe. Tables created in the same migration hold no rows and take no traffic.
 */
export const lockRiskRule: Rule = {
  id: 'migration/lock-risk',
  area: 'migration',
  defaultSeverity: 'warning',
  description: 'A PostgreSQL statement that blocks reads or writes while it runs, or that fails where the framework runs it (index, constraint, rewrite, CONCURRENTLY in a transaction, missing lock_timeout).',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    if (!analysis || otherDialect(doc)) return [];
    const judge = await Judge.create(doc, ctx, analysis);
    const reports: Report[] = [];
    for (const op of judge.ups) {
      const report = await judge.report(op);
      if (report) reports.push(acknowledged(report, op));
    }
    const timeout = judge.timeoutReport();
    if (timeout) reports.push(timeout);
    return reports.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  },
  async hover(doc, ctx, offset) {
    const analysis = await analyseMigration(doc, ctx);
    const ops = analysis?.operations.filter((op) => op.statementStart <= offset && offset <= op.statementEnd && op.kind !== 'unparseable') ?? [];
    if (!analysis || ops.length === 0) return null;
    const judge = await Judge.create(doc, ctx, analysis);
    const postgres = !otherDialect(doc);
    const lines: string[] = [];
    for (const op of ops) {
      const lock = judged(op) && postgres ? judge.lockAt(op) : null;
      const table = await judge.tableOf(op);
      lines.push(`**${describeOperation(op)}**${lock ? `: ${describeLock(lock, table)}.` : '.'}`);
    }
    const placement = judge.execution.placements.get(ops[0]);
    if (postgres && judged(ops[0]) && placement) lines.push(transactionLine(judge.execution, placement));
    if (ops.some((op) => DESTRUCTIVE.has(op.kind))) {
      const plan = analysis.plan;
      lines.push(
        plan && !plan.problem
          ? `Forward-fix plan${plan.source === 'inline' ? '' : ` (${plan.source})`}: ${['risk', 'fix', 'runbook', 'summary'].filter((k) => plan.fields[k]).map((k) => `*${k}:* ${plan.fields[k]}`).join(' · ')}`
          : 'No forward-fix plan covers this statement.',
      );
    }
    return lines.join('\n\n');
  },
};

function transactionLine(execution: Execution, placement: Placement): string {
  switch (placement.by) {
    case 'framework': return `Runs inside the transaction ${execution.framework} opens for the migration${execution.marker ? ` (\`${execution.marker}\` turns it off)` : ''}.`;
    case 'BEGIN': return 'Runs inside the transaction this migration opens with BEGIN.';
    case 'one query': return `Runs in an implicit transaction: ${execution.framework} sends this text to PostgreSQL as one query of several statements.`;
    default: return 'Runs on its own, outside any transaction.';
  }
}

/** SQL of another database that PostgreSQL's parser happens to read: the lock model does not apply. */
function otherDialect(doc: SourceDocument): boolean {
  return /(^|\/)(clickhouse|mysql|mariadb|sqlite|mssql|sqlserver|tidb)(\/|[_-])/i.test(doc.relPath)
    || /\bENGINE\s*=\s*\w*MergeTree|\bON\s+CLUSTER\b|\bLowCardinality\(|\bDateTime64\(/i.test(doc.text);
}

const REFUSED_NAMES: Partial<Record<Operation['kind'], string>> = {
  'create-index': 'CREATE INDEX CONCURRENTLY',
  'add-unique': 'CREATE UNIQUE INDEX CONCURRENTLY',
  'drop-index': 'DROP INDEX CONCURRENTLY',
  reindex: 'REINDEX CONCURRENTLY',
  'detach-partition': 'DETACH PARTITION … CONCURRENTLY',
  'vacuum-full': 'VACUUM',
  'drop-database': 'DROP DATABASE',
};

const TIMEOUT_ADVICE = "Start the migration with SET lock_timeout = '5s' (and retry when it times out) and a statement_timeout";

/** The facts every check of one migration needs, computed once. */
class Judge {
  readonly ups: Operation[];
  /** Each operation's place in `ups`: the order statements run in (one ORM call's several share a start). */
  private readonly order: Map<Operation, number>;
  /** Tables created in this migration, by any CREATE TABLE (a partition attached after it is new). */
  private readonly createdHere: Set<string>;
  private readonly version: number;
  /**
   * The statement the missing lock_timeout is reported on, with the older tables its foreign keys
   * lock (`referenced`) and whether its own table's lock is one traffic waits for too (`own`).
   */
  private timeoutCandidate: { op: Operation; referenced?: string[]; own?: boolean } | undefined;
  private readonly locks = new Map<Operation, LockInfo | null>();
  private readonly tables = new Map<Operation, Promise<string | undefined>>();
  private sinceRelease: Promise<Set<Operation>> | undefined;

  private constructor(
    readonly doc: SourceDocument,
    readonly ctx: RuleContext,
    readonly analysis: MigrationAnalysis,
    readonly execution: Execution,
  ) {
    this.ups = analysis.operations.filter((op) => op.part === 'up' && judged(op)).sort(byRunOrder);
    this.order = new Map(this.ups.map((op, i) => [op, i]));
    this.createdHere = new Set(this.ups.filter((op) => op.kind === 'create-table').map((op) => op.table!));
    this.version = migrationOptions(ctx.config).postgresVersion;
  }

  static async create(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis): Promise<Judge> {
    return new Judge(doc, ctx, analysis, await executionOf(doc, ctx, analysis));
  }

  private placement(op: Operation): Placement {
    return this.execution.placements.get(op) ?? { transaction: null, by: null };
  }

  private sameTransaction(op: Operation): Operation[] {
    const id = this.placement(op).transaction;
    return id === null ? [] : this.ups.filter((o) => o !== op && this.placement(o).transaction === id);
  }

  /** The table a statement works on; for an index, the table it was built on, when that can be told. */
  tableOf(op: Operation): Promise<string | undefined> {
    let table = this.tables.get(op);
    if (!table) {
      table = (op.kind === 'drop-index' || op.kind === 'reindex') && !op.table ? this.indexTable(op) : Promise.resolve(op.table);
      this.tables.set(op, table);
    }
    return table;
  }

  private async indexTable(op: Operation): Promise<string | undefined> {
    if (!op.name) return undefined;
    const here = this.ups.find((o) => runsBefore(o, op) && (o.kind === 'create-index' || o.kind === 'add-unique') && o.name === op.name);
    if (here?.table) return here.table;
    const before = this.analysis.history?.indexTable(op.name);
    if (before) return before;
    // Index names start with their table's name by the convention of most tools (`board_slug_key`,
    // `IDX_fulfillment_deleted_at`): of the tables this migration names, the longest such prefix.
    const name = op.name.toLowerCase().replace(/^(idx|ix|index|uq|uniq|unique|pk|fk)_/, '');
    const tables = [...new Set(this.ups.map((o) => o.table).filter((t): t is string => !!t))];
    const named = tables.filter((t) => name.startsWith(`${t.toLowerCase()}_`)).sort((a, b) => b.length - a.length)[0];
    if (named || !op.batch) return named;
    // A generated name (TypeORM's `IDX_<hash>`) tells nothing; dropped in one SQL string with
    // statements that all work on one table, the index is that table's.
    const batch = op.batch;
    const around = new Set(this.ups.filter((o) => o.batch?.start === batch.start && o.batch.end === batch.end && o.table).map((o) => o.table));
    return around.size === 1 ? [...around][0] : undefined;
  }

  lockAt(op: Operation): LockInfo | null {
    if (!this.locks.has(op)) this.locks.set(op, lockOf(op, this.lockContext(op)));
    return this.locks.get(op)!;
  }

  private lockContext(op: Operation): LockContext {
    const context: LockContext = { postgresVersion: this.version };
    if (op.kind === 'set-not-null') context.provenNotNull = this.provenNotNull(op);
    // Both types known (refine.ts, from this migration or its history): a binary-coercible change rewrites nothing.
    if (op.typeEffect) context.binaryCompatible = !op.typeEffect.rewrite;
    return context;
  }

  /** A validated CHECK (column IS NOT NULL) on the table: added and validated here, or added earlier and validated here. */
  private provenNotNull(op: Operation): boolean {
    const before = (op.table === undefined ? this.ups : operationsOn(this.ups, op.table)).filter((o) => runsBefore(o, op) && o.table === op.table);
    const checks = before.filter((o) => o.kind === 'add-check' && o.checksNotNull === op.column);
    if (checks.some((c) => !c.notValid || before.some((v) => v.kind === 'validate-constraint' && v.name === c.name))) return true;
    for (const validate of before.filter((o) => o.kind === 'validate-constraint' && o.name)) {
      if (checks.some((c) => c.name === validate.name)) continue;
      if (this.analysis.history?.notNullCheck(op.table!, validate.name!) === op.column) return true;
    }
    return false;
  }

  /**
   * Strong locks already held when `op` starts: taken by earlier statements of its transaction. One
   * ORM call may run several statements from one place (Django's AddField of a ForeignKey: ADD
   * COLUMN, then the index on it): `ups` keeps them in the order they run.
   */
  private async heldBefore(op: Operation): Promise<{ op: Operation; lock: LockInfo; table: string }[]> {
    const held = [];
    const at = this.order.get(op) ?? -1;
    for (const earlier of this.sameTransaction(op).filter((o) => (this.order.get(o) ?? -1) < at)) {
      const lock = this.lockAt(earlier);
      const table = await this.tableOf(earlier);
      if (lock && table && blocksTraffic(lock.mode) && !(await this.fresh(earlier, table))) held.push({ op: earlier, lock, table });
    }
    return held;
  }

  /**
   * Whether `op` works on a table created earlier in this migration or by the pull request (as
   * refine.ts marks it: in text order, and not after a CREATE TABLE IF NOT EXISTS the migration
   * then adapts), or by a migration that first reached a release with this one (releases.ts): no
   * release ran between them, so a database deployed from releases gets the table empty, and one
   * deployed from the main branch had it for less than a release: it is small, and locking it is
   * brief. A table told only here (an index dropped by name) is read the same way under that name.
   */
  private async fresh(op: Operation, table: string | undefined): Promise<boolean> {
    if (op.freshTable) return true;
    if (table && table !== op.table && this.ups.some((o) => runsBefore(o, op) && o.table === table && o.freshTable)) return true;
    return (await this.createdSinceRelease()).has(op);
  }

  /** The statements on a table created since the last release; git is read once per migration, when a lock is judged. */
  private createdSinceRelease(): Promise<Set<Operation>> {
    this.sinceRelease ??= (async () => {
      const history = this.analysis.history;
      if (!history) return new Set<Operation>();
      const told = await Promise.all(this.ups.map((op) => this.tableOf(op)));
      const named = this.ups.map((op, i) => (told[i] && told[i] !== op.table ? { ...op, table: told[i] } : op));
      const targets = unreleasedTargets(named, this.doc.text, await history.releasedBefore());
      return new Set(this.ups.filter((_, i) => targets.get(named[i])?.table));
    })();
    return this.sinceRelease;
  }

  private line(op: Operation): number {
    return this.doc.positionAt(op.statementStart).line + 1;
  }

  /** Where a held lock was taken: its line, and what took it when the same call or statement ran that first. */
  private heldWhere(holder: Operation, op: Operation): string {
    if (holder.statementStart !== op.statementStart) return `line ${this.line(holder)}`;
    const target = holder.column ? `${holder.table}.${holder.column}` : holder.table;
    return `line ${this.line(holder)}, taken by the ${holder.kind.replace(/-/g, ' ')}${target ? ` of ${target}` : ''} before it`;
  }

  async report(op: Operation): Promise<Report | null> {
    const table = await this.tableOf(op);
    const lock = this.lockAt(op);
    const placement = this.placement(op);
    const says = (message: string, extra: Partial<Report> = {}) => opReport(this.doc, op, message, extra);
    const lockText = lock ? ` It ${describeLock(lock, table)}.` : '';

    if (refusesTransaction(op) && placement.transaction !== null) return says(this.refusedMessage(op, placement), { severity: 'error', fixes: await concurrentlyFixes(this.doc, this.ctx, this.analysis, this.execution, op) });
    if (op.kind === 'add-enum-value' && placement.transaction !== null) return this.enumValueReport(op, placement);
    if (op.kind === 'begin' && this.execution.wrapped && placement.by === 'BEGIN' && !this.ups.some((o) => runsBefore(o, op) && (o.kind === 'commit' || o.kind === 'rollback'))) {
      return says(`${this.execution.framework} already runs this migration in a transaction: this BEGIN only warns, and the COMMIT that follows ends the framework's transaction early, so the statements after it run without one.${this.execution.marker ? ` Remove BEGIN and COMMIT, or turn the framework's transaction off with \`${this.execution.marker}\`.` : ' Remove BEGIN and COMMIT.'}`);
    }
    if (op.kind === 'begin' && !this.ups.some((o) => runsBefore(op, o) && (o.kind === 'commit' || o.kind === 'rollback'))) {
      return says('BEGIN without COMMIT: the migration runs, then its transaction is rolled back when the connection closes, and nothing of it stays. Add COMMIT at the end.', { severity: 'error' });
    }
    // ALTER DOMAIN … ADD CONSTRAINT checks every column of the domain, each table under SHARE (not the domain's own lock).
    if (op.kind === 'domain-constraint' && !op.notValid) {
      if (/^CREATE\b/i.test(this.doc.text.slice(op.statementStart, op.statementEnd).trimStart())) {
        return says(`Domain ${op.table} carries a CHECK: every later change to it is checked against every column of that type, each table scanned under a lock that blocks its writes. Put the CHECK on the columns instead.`, { severity: 'info' });
      }
      return says(`A CHECK added to domain ${op.table} is checked against every column of that type: each table is scanned under a lock that blocks its writes. Put the CHECK on the columns instead (NOT VALID, then VALIDATE).`);
    }
    if (!lock) return null;
    if (await this.fresh(op, table)) {
      // Dropping a table drops its foreign keys, and with them the triggers on each table they
      // reference: PostgreSQL locks that table ACCESS EXCLUSIVE, however new the dropped one is.
      // A foreign key added to it by a later migration takes SHARE ROW EXCLUSIVE on the table it
      // references, as old as that one is. (One added in the migration creating the table is judged
      // as the CREATE TABLE's own REFERENCES are.)
      const createdHere = this.ups.some((o) => runsBefore(o, op) && o.kind === 'create-table' && sameName(o.table, op.table));
      const referenced = op.kind === 'drop-table' && table ? await this.olderReferenced(op, table) : op.kind === 'add-foreign-key' && !createdHere ? [await this.older(op, op.referencedTable)].filter((t) => t !== undefined) : [];
      if (referenced.length) this.noteTimeoutCandidate(op, referenced);
      return null;
    }
    if (op.kind === 'drop-table' && table) {
      const unused = await this.unusedTable(op, table);
      if (unused) {
        // Nothing queues behind the lock on a table no code uses; the lock its foreign key takes on
        // a table still there is the one traffic waits for.
        if (unused.referenced.length) this.noteTimeoutCandidate(op, unused.referenced);
        return null;
      }
    }

    if ((op.kind === 'create-index' || (op.kind === 'add-unique' && op.method)) && !op.concurrently) {
      const held = (await this.heldBefore(op)).find((h) => h.table === table && h.lock.mode === 'ACCESS EXCLUSIVE');
      const vector = op.method === 'hnsw' || op.method === 'ivfflat' ? ` A pgvector ${op.method} build takes minutes to hours on a populated table.` : '';
      const worse = held ? ` This transaction already holds ACCESS EXCLUSIVE on ${table} (${this.heldWhere(held.op, op)}), so reads wait for the build too.` : '';
      return says(`CREATE ${op.kind === 'add-unique' ? 'UNIQUE ' : ''}INDEX without CONCURRENTLY on ${table}, a table that already exists.${lockText}${vector}${worse} Build it CONCURRENTLY, outside a transaction.`, { fixes: await concurrentlyFixes(this.doc, this.ctx, this.analysis, this.execution, op) });
    }
    // The retry advice is SQL's (IF NOT EXISTS, DROP … IF EXISTS); ORM calls have no such form here yet.
    if ((op.kind === 'create-index' || op.kind === 'add-unique') && op.parsed && op.concurrently && !op.guarded && !this.guardedByDrop(op)) {
      return says(`If this concurrent build fails (a deadlock, a unique violation, a cancelled deploy) it leaves an INVALID index ${op.name ?? ''} behind, and running the migration again fails with "already exists".${op.name ? ' Add IF NOT EXISTS (and check pg_index.indisvalid after a failure: IF NOT EXISTS also skips an invalid index), or drop it IF EXISTS first.' : ' Name the index and add IF NOT EXISTS.'}`.replace(/ {2}/g, ' '), { severity: 'info', fixes: guardFix(this.doc, op) });
    }
    if (op.kind === 'drop-index' && !op.concurrently) {
      if (this.guardedRetry(op)) return null;
      const holder = table ? this.sameTransaction(op).find((o) => o.table === table && o.kind !== 'drop-index' && accessExclusive(this.version, o)) : undefined;
      if (holder) return null;
      return says(`DROP INDEX without CONCURRENTLY${table ? ` on ${table}` : ''}.${lockText} Use DROP INDEX CONCURRENTLY, outside a transaction.`, { fixes: await concurrentlyFixes(this.doc, this.ctx, this.analysis, this.execution, op) });
    }
    if (op.kind === 'reindex' && !op.concurrently) {
      return says(`REINDEX without CONCURRENTLY.${lockText} ${this.version >= 12 ? 'Use REINDEX … CONCURRENTLY, outside a transaction.' : 'Before PostgreSQL 12 there is no REINDEX CONCURRENTLY: build a new index CONCURRENTLY and drop the old one.'}`, { fixes: this.version >= 12 ? await concurrentlyFixes(this.doc, this.ctx, this.analysis, this.execution, op) : [] });
    }
    if (op.kind === 'detach-partition' && !op.concurrently) {
      return says(`DETACH PARTITION without CONCURRENTLY.${lockText} ${this.version >= 14 ? 'Use DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+), outside a transaction.' : 'Before PostgreSQL 14 only a quiet moment avoids it.'}`, { fixes: this.version >= 14 ? await concurrentlyFixes(this.doc, this.ctx, this.analysis, this.execution, op) : [] });
    }
    if (op.kind === 'attach-partition' && !(op.name && this.createdHere.has(op.name))) {
      return says(`ATTACH PARTITION scans ${op.name ?? 'the partition'} under ACCESS EXCLUSIVE to prove its rows fit the bound${this.version >= 12 ? ` (${table} itself takes only SHARE UPDATE EXCLUSIVE from PostgreSQL 12)` : `, and before PostgreSQL 12 it also takes ACCESS EXCLUSIVE on ${table}`}. Add a CHECK constraint that matches the bound first (NOT VALID, then VALIDATE): the attach then skips the scan.`);
    }
    // NOT VALID, or a foreign key written into the ADD COLUMN of its column without a default
    // (PostgreSQL then checks nothing: every row is NULL), changes only the catalog.
    if ((op.kind === 'add-foreign-key' || op.kind === 'add-check') && lock.work === 'scan') {
      const what = op.kind === 'add-foreign-key' ? 'FOREIGN KEY' : 'CHECK';
      // Added by a statement of its own after the ADD COLUMN, the key is checked row by row like
      // any other (test/postgres/locks.test.ts reads the scan), under the ADD COLUMN's ACCESS EXCLUSIVE.
      const added = op.kind === 'add-foreign-key' && !!op.columns?.length && op.columns.every((c) => this.ups.some((o) => o.kind === 'add-column' && o.table === table && o.column === c && runsBefore(o, op)));
      const held = op.kind === 'add-foreign-key' ? (await this.heldBefore(op)).find((h) => h.table === table && h.lock.mode === 'ACCESS EXCLUSIVE') : undefined;
      const nulls = added ? ` The column is new and NULL in every row, but PostgreSQL still reads them all: only a REFERENCES written in the ADD COLUMN itself, without a default, is not checked.` : '';
      const worse = held ? ` This transaction already holds ACCESS EXCLUSIVE on ${table} (${this.heldWhere(held.op, op)}), so reads wait for the check too.` : '';
      return says(`${what} constraint without NOT VALID: PostgreSQL checks every existing row of ${table} before it commits.${lockText}${nulls}${worse} Add it NOT VALID (instant), then VALIDATE CONSTRAINT in a later transaction: validation takes only SHARE UPDATE EXCLUSIVE, and reads and writes go on.`, { fixes: await notValidFix(this.doc, this.ctx, this.analysis, this.execution, op) });
    }
    if (op.kind === 'validate-constraint') {
      const added = this.sameTransaction(op).find((o) => runsBefore(o, op) && o.name === op.name && o.notValid && (o.kind === 'add-foreign-key' || o.kind === 'add-check'));
      if (!added) return null;
      const addedLock = (this.lockAt(added))!;
      return says(`VALIDATE CONSTRAINT ${op.name} runs in the same transaction that added it NOT VALID (line ${this.line(added)}), so the ${addedLock.mode} lock of the ADD is still held while every row is checked: NOT VALID gains nothing. Validate it in the next migration.`, { fixes: await validateLaterFix(this.doc, this.ctx, this.analysis, op) });
    }
    if (op.kind === 'set-not-null' && lock.work === 'scan') {
      const advice = this.version >= 12
        ? `Add CHECK (${op.column} IS NOT NULL) NOT VALID, VALIDATE it in a later transaction (no lock on traffic), and SET NOT NULL then uses it and skips the scan.`
        : 'Before PostgreSQL 12 nothing avoids the scan: run it when the table is quiet, or keep a validated CHECK (col IS NOT NULL) instead.';
      return says(`SET NOT NULL on ${table}.${op.column} checks every row.${lockText} ${advice}`, { fixes: this.version >= 12 ? await notNullViaCheckFix(this.doc, this.ctx, this.analysis, this.execution, op) : [] });
    }
    if ((op.kind === 'change-type' || op.kind === 'narrow-type' || op.kind === 'change-embedding') && lock.work === 'rewrite') {
      const why = op.usingExpression ? ' (USING always rewrites)' : op.kind === 'change-embedding' ? '' : ' unless the old and new types are binary-compatible (a longer varchar, varchar to text, more numeric precision), which DeployRisk could not confirm from the earlier migrations';
      return says(`Changing the type of ${table}.${op.column}${op.columnType ? ` to ${op.columnType}` : ''} rewrites the table and every index on it${why}.${lockText} Add a column of the new type, write both, backfill in batches, and switch over.`);
    }
    if (op.kind === 'add-column' && lock.work === 'rewrite') {
      const cause: Record<string, string> = {
        volatile: 'a volatile default (evaluated for every row)',
        serial: 'serial (a sequence value for every row)',
        identity: 'an identity (a sequence value for every row)',
        'generated-stored': 'a stored generated column (computed for every row)',
        constant: `a default before PostgreSQL 11 (postgresVersion is ${this.version})`,
      };
      const advice = op.fill === 'volatile' || op.fill === 'constant' ? 'Add the column without a default, SET DEFAULT in a second statement (new rows get it), then backfill existing rows in batches.' : op.fill === 'generated-stored' ? 'Add a plain column, fill it with a trigger for new rows, and backfill in batches.' : 'Create a new table with the column and move the data, or add a nullable bigint and backfill it in batches before it becomes the key.';
      return says(`ADD COLUMN ${op.column} with ${cause[op.fill!]} rewrites ${table}.${lockText} ${advice}`);
    }
    if ((op.kind === 'add-unique' || op.kind === 'add-primary-key') && !op.method && !op.usingIndex) {
      const constraint = op.kind === 'add-unique' ? 'UNIQUE' : 'PRIMARY KEY';
      return says(`${constraint} builds its index under ACCESS EXCLUSIVE on ${table}: every read and write waits for the whole build. Build the index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … ${constraint} USING INDEX (instant).`);
    }
    if (op.kind === 'add-exclusion') {
      return says(`An EXCLUDE constraint builds its index and checks every row under ACCESS EXCLUSIVE on ${table}, and it cannot be added NOT VALID. Run it when the table is quiet, or enforce the rule in a new table.`);
    }
    if (op.kind === 'cluster' || op.kind === 'vacuum-full') {
      const statement = op.kind === 'cluster' ? 'CLUSTER' : 'VACUUM FULL';
      return says(`${statement} rewrites ${table ?? 'every table it reaches'} under ACCESS EXCLUSIVE: every read and write waits until it finishes. ${this.version >= 19 ? 'Use REPACK (CONCURRENTLY).' : 'Use pg_repack (or REPACK (CONCURRENTLY) from PostgreSQL 19).'}`);
    }
    if (op.kind === 'refresh-materialized-view' && !op.concurrently) {
      return says(`REFRESH MATERIALIZED VIEW without CONCURRENTLY${lockText} Use REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view): reads go on while it runs.`);
    }
    // A backfill overwrites nothing (refine.ts), but it still runs under the locks its transaction holds.
    if (op.kind === 'update-all' || op.kind === 'update-rows' || op.kind === 'backfill') {
      const held = (await this.heldBefore(op)).filter((h) => h.lock.mode === 'ACCESS EXCLUSIVE' || h.table === table);
      if (held.length === 0) return null;
      const tables = [...new Set(held.map((h) => `${h.table} (${this.heldWhere(h.op, op)})`))].join(', ');
      return says(`This UPDATE backfills ${table} inside the transaction that already holds ${held[0].lock.mode} on ${tables}: ${held.some((h) => h.lock.mode === 'ACCESS EXCLUSIVE') ? 'every read and write' : 'every write'} of ${held.length > 1 ? 'them' : 'it'} waits until the whole backfill commits. Backfill in a migration of its own, in batches, after the schema change has committed.`);
    }
    // A lock the transaction already holds is not waited for again: lock_timeout belongs where it was first requested.
    if (blocksTraffic(lock.mode) && !op.concurrently && !(await this.heldBefore(op)).some((h) => h.table === table && (h.lock.mode === 'ACCESS EXCLUSIVE' || h.lock.mode === lock.mode))) {
      // A dropped table still in use: the older tables its foreign keys reference are locked too.
      this.noteTimeoutCandidate(op, op.kind === 'drop-table' && table ? await this.keptReferenced(op, table) : [], true);
    }
    return null;
  }

  private refusedMessage(op: Operation, placement: Placement): string {
    const statement = REFUSED_NAMES[op.kind] ?? op.kind;
    const where = placement.by === 'BEGIN'
      ? 'this migration opens a transaction with BEGIN before it'
      : placement.by === 'one query'
        ? `${this.execution.framework} sends ${this.execution.framework === 'prisma' ? 'the whole file (before Prisma 7.4)' : this.analysis.file.language === 'sql' ? 'the whole file' : 'this string'} as one query, and several statements in one query run in one implicit transaction`
        : `${this.execution.framework} runs this migration in a transaction`;
    const way = placement.by === 'BEGIN'
      ? 'Run it after the COMMIT.'
      : placement.by === 'one query'
        ? 'Put it in a migration of its own.'
        : this.execution.marker
          ? `Turn the transaction off with \`${this.execution.marker}\` (or move the statement into a migration of its own when the others must stay transactional).`
          : `${this.execution.framework} cannot run a migration outside a transaction: run it outside ${this.execution.framework}, or without CONCURRENTLY while the table is small.`;
    return `${statement} cannot run inside a transaction block, and ${where}: PostgreSQL refuses it and the migration fails. ${way}`;
  }

  private enumValueReport(op: Operation, placement: Placement): Report | null {
    if (this.version < 12) {
      return opReport(this.doc, op, `Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block, and ${placement.by === 'framework' ? `${this.execution.framework} runs this migration in one` : 'this migration runs it in one'}: the migration fails. Add the value in a migration that runs outside a transaction.`, { severity: 'error' });
    }
    const quoted = `'${op.name}'`;
    const use = this.sameTransaction(op).find((o) => runsBefore(op, o) && this.doc.text.slice(o.statementStart, o.statementEnd).includes(quoted));
    if (!use) return null;
    return opReport(this.doc, op, `The new enum value ${quoted} is used at line ${this.line(use)} in the same transaction that adds it: PostgreSQL refuses that ("unsafe use of new value") until the ADD VALUE commits. Add the value in an earlier migration.`, { severity: 'error' });
  }

  /** `DROP INDEX IF EXISTS x` that clears a failed earlier attempt of the `CREATE INDEX CONCURRENTLY x` after it. */
  private guardedRetry(op: Operation): boolean {
    return op.guarded === true && this.ups.some((o) => runsBefore(op, o) && (o.kind === 'create-index' || o.kind === 'add-unique') && o.concurrently && o.name === op.name);
  }

  private guardedByDrop(op: Operation): boolean {
    return this.ups.some((o) => runsBefore(o, op) && o.kind === 'drop-index' && o.guarded && o.name === op.name);
  }

  private noteTimeoutCandidate(op: Operation, referenced: string[], own = false): void {
    this.timeoutCandidate ??= { op, ...(referenced.length ? { referenced } : {}), own };
  }

  /** What this migration's statement before `op` and the migrations since the last release did. */
  private async earlier(op: Operation): Promise<Operation[]> {
    return [...((await this.analysis.history?.releasedBefore()) ?? []), ...this.ups.filter((o) => runsBefore(o, op))];
  }

  /** The tables the dropped table's foreign keys reference that were not created since the last release (nor earlier in this migration). */
  private async olderReferenced(op: Operation, table: string): Promise<string[]> {
    const earlier = await this.earlier(op);
    const creates = earlier.filter((o) => o.kind === 'create-table');
    const create = creates.filter((o) => sameName(o.table, table)).at(-1);
    if (!create) return [];
    // Keys written in the CREATE TABLE, and those added to the table after it (Prisma's `ADD CONSTRAINT`).
    const added = earlier.slice(earlier.indexOf(create)).filter((o) => o.kind === 'add-foreign-key' && sameName(o.table, table) && o.referencedTable).map((o) => o.referencedTable!);
    return [...new Set([...(create.references ?? []), ...added])].filter((r) => !sameName(r, table) && !creates.some((o) => sameName(o.table, r)));
  }

  /**
   * The tables a dropped table's foreign keys reference (as the DROP tells them, a Django model's
   * from its fields, or the earlier migrations), those this migration does not drop too and not
   * created since the last release: PostgreSQL locks each ACCESS EXCLUSIVE to remove the key's triggers.
   */
  private async keptReferenced(op: Operation, table: string): Promise<string[]> {
    const keys = op.references ?? this.analysis.history?.foreignKeysOf(table) ?? [];
    const kept = keys.filter((name) => !sameName(name, table) && !this.ups.some((o) => o.kind === 'drop-table' && sameName(o.table, name)));
    const older = await Promise.all(kept.map((name) => this.older(op, name)));
    return [...new Set(older.filter((name) => name !== undefined))];
  }

  /**
   * A table this DROP TABLE removes that no application code uses (what migration/still-referenced
   * reads), not created again later, whose foreign keys the earlier migrations tell: the live
   * table the first of them references, whose lock traffic can wait for (PostgreSQL drops the key's
   * triggers under ACCESS EXCLUSIVE on it; test/postgres/locks.test.ts reads it), if any. Without
   * CASCADE no other table's key can reference it (PostgreSQL refuses the drop), so none is locked
   * that way. Undefined when any of that is not known.
   */
  private async unusedTable(op: Operation, table: string): Promise<{ referenced: string[] } | undefined> {
    // A Django join table's drop names its keys itself (django.ts: the model's table and the target's).
    if (!(op.parsed || op.references) || op.cascade || this.ups.some((o) => runsBefore(o, op) && sameName(o.table, table))) return undefined;
    if (this.ups.some((o) => runsBefore(op, o) && (o.kind === 'create-table' || o.kind === 'create-view') && sameName(o.table, table)) || this.analysis.history?.recreatedLater(table)) return undefined;
    const keys = op.references ?? this.analysis.history?.foreignKeysOf(table);
    if (!keys) return undefined;
    const uses = await codeReferences(this.ctx, [{ table }]);
    if (!uses || uses[0].length > 0) return undefined;
    // A referenced table this migration drops too is judged by its own DROP.
    return { referenced: [...new Set(keys.filter((name) => !sameName(name, table) && !this.ups.some((o) => o.kind === 'drop-table' && sameName(o.table, name))))] };
  }

  /** `table` when it was not created since the last release (nor earlier in this migration). */
  private async older(op: Operation, table: string | undefined): Promise<string | undefined> {
    if (!table) return undefined;
    return (await this.earlier(op)).some((o) => o.kind === 'create-table' && sameName(o.table, table)) ? undefined : table;
  }

  /** One finding per migration: the first statement that queues traffic behind its lock while no lock_timeout is set. */
  timeoutReport(): Report | null {
    const candidate = this.timeoutCandidate;
    // A project file that sets lock_timeout for every migration (lockTimeout.ts) covers this one too.
    if (!candidate || this.analysis.lockTimeout) return null;
    const { op, referenced, own } = candidate;
    const before = this.ups.filter((o) => runsBefore(o, op));
    if (before.some((o) => o.kind === 'set-lock-timeout' && o.timeoutMs !== 0)) return null;
    const fix: Fix | null = timeoutFix(this.doc, this.analysis, this.execution, this.ups);
    const lock = lockOf(op, { postgresVersion: this.version })!;
    const many = (referenced?.length ?? 0) > 1;
    const names = referenced ? [referenced.slice(0, -1).join(', '), referenced.at(-1)].filter(Boolean).join(' and ') : '';
    const why = op.kind === 'drop-table' ? `dropping ${op.table} drops its foreign key${many ? 's' : ''} to ${many ? 'them' : 'it'}` : `the foreign key on ${op.table} references it`;
    const on = !referenced ? (op.table ? ` on ${op.table}` : '') : own ? ` on ${op.table} and on ${names} (its foreign key${many ? 's reference them' : ' references it'})` : ` on ${names} (${why})`;
    const tables = referenced && (own || many) ? 'each of these tables' : 'the table';
    return acknowledged(opReport(this.doc, op, `No lock_timeout is set, and this statement takes ${lock.mode}${on}: behind one long-running query it waits, and every ${lock.mode === 'ACCESS EXCLUSIVE' ? 'read and write' : 'write'} of ${tables} queues behind it. ${TIMEOUT_ADVICE} that bounds how long the lock is held.`, { severity: 'info', ...(fix ? { fixes: [fix] } : {}) }), op);
  }
}

/** PostgreSQL the parser read, or an ORM call PostgreSQL runs as exactly that operation: what the lock model judges. */
function judged(op: Operation): boolean {
  return op.parsed || op.mapped === true;
}

/** Whether a statement takes ACCESS EXCLUSIVE on its table (a cheap, synchronous test for the statements that hold a transaction's lock). */
function accessExclusive(version: number, op: Operation): boolean {
  return lockOf(op, { postgresVersion: version })?.mode === 'ACCESS EXCLUSIVE';
}
