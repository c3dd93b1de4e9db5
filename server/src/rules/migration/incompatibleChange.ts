import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { INCOMPATIBLE, describeOperation, type Operation } from './analysis/operations';
import { judgedMigration, opReport } from './common';
import { expandContractFix } from './expandContract';

const ADVICE: Partial<Record<Operation['kind'], string>> = {
  'rename-table': 'create the new table (or keep a view with the old name), write both, move reads, then drop the old name in a later migration',
  'rename-column': 'add the new column, write both (or sync them with a trigger), backfill, move reads, then drop the old column in a later migration',
  'change-type': 'add a column of the new type, write both, backfill, move reads, then drop the old column later',
  'add-required-column': 'add it nullable or with a default, backfill, then set NOT NULL in a later migration',
  'drop-default': 'deploy code that always writes the column first, then drop the default',
  'drop-not-null': 'deploy code that reads the column as nullable first, then drop NOT NULL',
  'rename-enum-value': 'add the new value, write it, move the rows and the code that reads the old one, then stop using the old value',
  'rename-schema': 'create the new schema (or keep views or a search_path entry under the old name), move the code, then drop the old name later',
};

/**
 * A change the code still running during the deploy cannot live with: renames, type changes, a new
 * NOT NULL column without a default, a dropped default or NOT NULL. The expand step that makes it
 * safe (a compatibility view with the old table name, the old column kept or re-added) silences
 * it, and so does a default or NOT NULL dropped from a column this migration adds (no code knows it yet).
 */
export const incompatibleChangeRule: Rule = {
  id: 'migration/incompatible-change',
  area: 'migration',
  defaultSeverity: 'warning',
  description: 'A rename, type change, required column, dropped default or dropped NOT NULL that breaks the code still running during the deploy.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    if (!analysis) return [];
    const ups = analysis.operations.filter((op) => op.part === 'up');
    const expanded = (op: Operation) =>
      (op.kind === 'rename-table' && ups.some((o) => o.kind === 'create-view' && o.table === op.table)) ||
      (op.kind === 'rename-column' && ups.some((o) => o.kind === 'add-column' && o.table === op.table && o.column === op.column)) ||
      ((op.kind === 'drop-default' || op.kind === 'drop-not-null') && ups.some((o) => (o.kind === 'add-column' || o.kind === 'add-required-column') && o.start < op.start && o.table === op.table && o.column === op.column));
    const reports = [];
    for (const op of ups.filter((o) => INCOMPATIBLE.has(o.kind) && o.kind !== 'narrow-type' && !expanded(o))) {
      const fix = await expandContractFix(doc, ctx, analysis, op);
      reports.push(opReport(doc, op, `This migration ${describeOperation(op)}: the app version still running during the deploy expects the old shape and breaks. Expand/contract instead: ${ADVICE[op.kind]}.`, fix ? { fixes: [fix] } : {}));
    }
    return reports;
  },
};
