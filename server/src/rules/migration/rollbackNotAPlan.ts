import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { sameName } from './analysis/history';
import { DESTRUCTIVE, generatesDistinctValues, type Operation } from './analysis/operations';
import { judgedMigration, opReport } from './common';

/**
 * A down/undo/revert part that "reverses" a destructive change by re-creating the dropped column
 * or table: it brings the column or table back, not the data, and running it after new data was
 * written loses that too. The plan is a forward fix, not a rollback. A down part that fills what
 * it re-creates (from a copy the up part kept) does restore the data, and is not reported; nor is
 * a surrogate key re-added with a default that generates it.
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
    const destroyed = analysis.operations.filter((op) => op.part === 'up' && DESTRUCTIVE.has(op.kind));
    const downs = analysis.operations.filter((op) => op.part === 'down');
    const recreated = downs.find((op) =>
      (op.kind === 'add-column' || op.kind === 'create-table') &&
      // A whole-file down (golang-migrate .down.sql, Flyway U, sqitch revert) reverses a file we do not see.
      (analysis.file.wholeFileDown || destroyed.some((d) => undoes(op, d))) &&
      !downs.some((fill) => fills(fill, op)) &&
      !(op.kind === 'add-column' && generatesDistinctValues(op)),
    );
    if (!recreated) return [];
    return [opReport(doc, recreated, `Rolling back is not a plan: this down part recreates ${recreated.column ? `${recreated.table}.${recreated.column}` : recreated.table ?? 'the schema'}, not its data, and running it after the deploy drops what was written since. Keep the down part for local development if you must, and write the forward fix (forward-fix: block) for production.`)];
  },
};

/** The down operation re-creates what the up operation destroyed. */
function undoes(down: Operation, up: Operation): boolean {
  if (!sameName(down.table, up.table)) return false;
  if (down.kind === 'create-table') return up.kind === 'drop-table';
  return (up.kind === 'drop-column' && up.column === down.column) || up.kind === 'drop-table';
}


/** A later statement of the down part writes values into the re-created column or table. */
function fills(fill: Operation, recreated: Operation): boolean {
  if (fill.start <= recreated.start || !sameName(fill.table, recreated.table)) return false;
  if (!['update-all', 'update-rows', 'backfill'].includes(fill.kind)) return false;
  return recreated.kind === 'create-table' || (fill.columns ?? []).includes(recreated.column ?? '');
}
