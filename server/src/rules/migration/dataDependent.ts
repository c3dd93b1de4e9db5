import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { judgedMigration, opReport } from './common';

const WHAT: Record<string, string> = {
  'add-unique': 'a UNIQUE index or constraint fails if two existing rows share a value',
  'add-primary-key': 'a PRIMARY KEY fails if existing rows have duplicates or NULLs',
  'set-not-null': 'SET NOT NULL fails if any existing row is NULL',
  'add-required-column': 'a NOT NULL column without a default fails on a table that has rows',
};

/** Changes whose success depends on the rows already in production, not on the code. */
export const dataDependentRule: Rule = {
  id: 'migration/data-dependent',
  area: 'migration',
  defaultSeverity: 'warning',
  description: 'A unique index, primary key or NOT NULL that fails when existing rows violate it.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    if (!analysis) return [];
    const createdHere = new Set(analysis.operations.filter((op) => op.kind === 'create-table').map((op) => op.table));
    return analysis.operations
      .filter((op) => op.part === 'up' && op.kind in WHAT && !createdHere.has(op.table))
      .map((op) => opReport(doc, op, `Depends on existing data: ${WHAT[op.kind]}. It passed on your database, not necessarily on production's: check the data first (or backfill) in an earlier migration, and know the forward fix if it fails halfway.`));
  },
};
