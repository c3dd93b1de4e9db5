import type { SourceDocument } from '../../engine/document';
import type { Rule } from '../../engine/rule';
import type { Fix, Report } from '../../engine/types';
import { analyseMigration, isMigrationCandidate, type MigrationAnalysis } from './analysis/analyze';
import { DESTRUCTIVE, describeOperation } from './analysis/operations';
import type { Operation } from './analysis/operations';
import { migrationOptions } from './analysis/options';
import { acknowledged, judgedMigration, opReport } from './common';
import { ormConcurrentlyFix } from './concurrentIndexFix';
import { lockOf } from './locks';

/** Where each framework says "do not wrap this migration in a transaction". */
const NO_TRANSACTION_MARKER: Partial<Record<MigrationAnalysis['file']['framework'], string>> = {
  goose: '-- +goose NO TRANSACTION',
  rails: 'disable_ddl_transaction!',
  django: 'atomic = False',
  knex: 'exports.config = { transaction: false };',
  typeorm: 'transaction = false',
  atlas: '-- atlas:txmode none',
};

/**
 * PostgreSQL statements that take locks production traffic queues behind: indexes without
 * CONCURRENTLY (and CONCURRENTLY inside a transaction, which fails), FOREIGN KEY and CHECK without
 * NOT VALID, SET NOT NULL scans, rewriting type changes, and ACCESS EXCLUSIVE locks taken without
 * a lock_timeout. Only statements the PostgreSQL parser read are judged.
 */
export const lockRiskRule: Rule = {
  id: 'migration/lock-risk',
  area: 'migration',
  defaultSeverity: 'warning',
  description: 'A PostgreSQL statement that blocks reads or writes while it runs (index, constraint, rewrite, missing lock_timeout).',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    if (!analysis) return [];
    const ups = analysis.operations.filter((op) => op.part === 'up' && (op.parsed || op.mapped));
    const inTransaction = (op: Operation) => (analysis.file.transactional && !analysis.file.noTransaction) || ups.some((o) => o.kind === 'begin' && o.start < op.start);
    const reports: Report[] = [];
    let lockTimeoutReported = false;
    for (const op of ups) {
      // A table this migration created is empty; a foreign key on a column it added checks no row.
      if (op.freshTable || (op.kind === 'add-foreign-key' && op.freshColumn)) continue;
      // A binary-coercible type change (varchar to text, a longer limit) rewrites nothing.
      if (op.typeEffect && !op.typeEffect.rewrite) continue;
      const before = reports.length;
      const lock = lockOf(op);
      const lockText = lock ? ` It takes ${lock.lock}, which blocks ${lock.blocks}.` : '';
      if ((op.kind === 'create-index' || op.kind === 'drop-index') && !op.concurrently) {
        reports.push(opReport(doc, op, `${op.kind === 'create-index' ? 'CREATE INDEX' : 'DROP INDEX'} without CONCURRENTLY on a table that already exists.${lockText} Use CONCURRENTLY, outside a transaction.`, { fixes: concurrentlyFixes(doc, analysis, op) }));
      } else if ((op.kind === 'create-index' || op.kind === 'drop-index' || op.kind === 'add-unique') && op.concurrently && inTransaction(op)) {
        reports.push(opReport(doc, op, `CONCURRENTLY cannot run inside a transaction, and ${analysis.file.framework} wraps this migration in one: it will fail. ${NO_TRANSACTION_MARKER[analysis.file.framework] ? `Add \`${NO_TRANSACTION_MARKER[analysis.file.framework]}\`.` : 'Run it in a migration that is not transactional.'}`));
      } else if ((op.kind === 'add-foreign-key' || op.kind === 'add-check') && !op.notValid) {
        reports.push(opReport(doc, op, `${op.kind === 'add-foreign-key' ? 'FOREIGN KEY' : 'CHECK'} constraint without NOT VALID scans the whole table.${lockText} Add it NOT VALID, then VALIDATE CONSTRAINT in a separate statement (it takes a weaker lock).`, { fixes: notValidFix(doc, op) }));
      } else if (op.kind === 'set-not-null') {
        const advice = migrationOptions(ctx.config).postgresVersion >= 12
          ? 'Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL uses the constraint and skips the scan.'
          : 'Before PostgreSQL 12 nothing avoids the scan: run it when the table is quiet, or keep a validated CHECK (col IS NOT NULL) instead.';
        reports.push(opReport(doc, op, `SET NOT NULL scans the whole table.${lockText} ${advice}`));
      } else if (op.kind === 'change-type' || op.kind === 'narrow-type') {
        reports.push(opReport(doc, op, `Changing a column's type rewrites the table unless the types are binary-compatible.${lockText}`));
      } else if (lock?.lock === 'ACCESS EXCLUSIVE' && !lockTimeoutReported && !analysis.lockTimeout && !ups.some((o) => o.kind === 'set-lock-timeout' && o.start < op.start)) {
        lockTimeoutReported = true;
        reports.push(opReport(doc, op, `ACCESS EXCLUSIVE lock without a lock_timeout: behind one long query this statement waits, and every read and write of the table queues behind it. Start the migration with SET lock_timeout = '5s' (and retry).`, { severity: 'info' }));
      }
      if (reports.length > before) reports[before] = acknowledged(reports[before], op);
    }
    return reports;
  },
  async hover(doc, ctx, offset) {
    const analysis = await analyseMigration(doc, ctx);
    const ops = analysis?.operations.filter((op) => op.statementStart <= offset && offset <= op.statementEnd && op.kind !== 'unparseable') ?? [];
    if (!analysis || ops.length === 0) return null;
    const lines = ops.map((op) => {
      const lock = op.parsed ? lockOf(op) : null;
      return `**${describeOperation(op)}**${lock ? `: takes ${lock.lock}, which blocks ${lock.blocks}.` : '.'}`;
    });
    if (ops.some((op) => DESTRUCTIVE.has(op.kind))) {
      const plan = analysis.plan;
      lines.push(
        plan && !plan.problem
          ? `Forward-fix plan${plan.source === 'inline' ? '' : ` (${plan.source})`}: ${['risk', 'fix', 'runbook'].filter((k) => plan.fields[k]).map((k) => `*${k}:* ${plan.fields[k]}`).join(' · ')}`
          : 'No forward-fix plan covers this statement.',
      );
    }
    return lines.join('\n\n');
  },
};

function concurrentlyFixes(doc: SourceDocument, analysis: MigrationAnalysis, op: Operation): Fix[] {
  if (op.mapped) return [ormConcurrentlyFix(doc, analysis, op)].filter((fix): fix is Fix => fix !== null);
  const statement = doc.text.slice(op.statementStart, op.statementEnd);
  const keyword = /\bINDEX\b/i.exec(statement);
  if (!keyword || analysis.file.language !== 'sql') return [];
  const at = doc.positionAt(op.statementStart + keyword.index + keyword[0].length);
  const edits = [{ range: { start: at, end: at }, newText: ' CONCURRENTLY' }];
  const marker = NO_TRANSACTION_MARKER[analysis.file.framework];
  if (analysis.file.transactional && !analysis.file.noTransaction) {
    if (analysis.file.framework === 'dbmate') {
      // dbmate's marker is an option on the up line: `-- migrate:up transaction:false`.
      const line = firstLineMatching(doc, /--\s*migrate:up/i);
      const end = doc.lineText(line).length;
      edits.push({ range: { start: { line, character: end }, end: { line, character: end } }, newText: ' transaction:false' });
    } else if (marker?.startsWith('--')) {
      const top = analysis.file.framework === 'goose' ? firstLineMatching(doc, /--\s*\+goose\s+up/i) : 0;
      edits.push({ range: { start: { line: top, character: 0 }, end: { line: top, character: 0 } }, newText: `${marker}${doc.eol}` });
    }
  }
  return [{ title: `Use ${op.kind === 'create-index' ? 'CREATE' : 'DROP'} INDEX CONCURRENTLY${edits.length > 1 ? ' and run this migration outside a transaction' : ''}`, edits, isPreferred: true }];
}

function notValidFix(doc: SourceDocument, op: Operation): Fix[] {
  if (!op.parsed || !op.column || !op.table) return [];
  const end = doc.positionAt(op.statementEnd);
  return [{
    title: 'Add the constraint NOT VALID, then VALIDATE it separately',
    edits: [{ range: { start: end, end }, newText: ` NOT VALID;${doc.eol}ALTER TABLE ${op.table} VALIDATE CONSTRAINT ${op.column}` }],
    isPreferred: true,
  }];
}

function firstLineMatching(doc: SourceDocument, pattern: RegExp): number {
  for (let line = 0; line < doc.lineCount; line++) if (pattern.test(doc.lineText(line))) return line;
  return 0;
}
