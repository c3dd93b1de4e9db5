import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { DESTRUCTIVE } from './analysis/operations';
import { judgedMigration, opReport } from './common';

const RESTORES = new Set(['add-column', 'create-table', 'rename-column', 'rename-table', 'change-type']);

/**
 * A down/undo/revert part that "reverses" a destructive change: it brings the column or table
 * back, not the data, and running it after new data was written loses that too. The plan is a
 * forward fix, not a rollback.
 */
export const rollbackNotAPlanRule: Rule = {
  id: 'migration/rollback-not-a-plan',
  area: 'migration',
  defaultSeverity: 'warning',
  description: 'A down migration that pretends to undo a destructive change.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    if (!analysis) return [];
    const destructiveUp = analysis.operations.some((op) => op.part === 'up' && DESTRUCTIVE.has(op.kind));
    // A whole-file down (golang-migrate .down.sql, Flyway U, sqitch revert) reverses a file we do not see.
    if (!destructiveUp && !analysis.file.wholeFileDown) return [];
    return analysis.operations
      .filter((op) => op.part === 'down' && RESTORES.has(op.kind))
      .slice(0, 1)
      .map((op) => opReport(doc, op, `Rolling back is not a plan: this down part recreates ${op.column ? `${op.table}.${op.column}` : op.table ?? 'the schema'}, not its data, and running it after the deploy drops what was written since. Keep the down part for local development if you must, and write the forward fix (forward-fix: block) for production.`));
  },
};
