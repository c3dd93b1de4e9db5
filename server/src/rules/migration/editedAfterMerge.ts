import type { Rule } from '../../engine/rule';
import { analyseMigration, isMigrationCandidate } from './analysis/analyze';

/**
 * A migration already on the base branch has run in production; editing it changes nothing there,
 * makes environments disagree, and breaks checksums (Flyway, Liquibase, Atlas). Roll forward with
 * a new migration instead.
 */
export const editedAfterMergeRule: Rule = {
  id: 'migration/edited-after-merge',
  area: 'migration',
  defaultSeverity: 'error',
  description: 'An edit to a migration that is already on the base branch.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await analyseMigration(doc, ctx);
    if (analysis?.scope !== 'edited' || analysis.editedLine === undefined) return [];
    const line = Math.min(analysis.editedLine - 1, doc.lineCount - 1);
    return [{
      message: 'This migration is already on the base branch, so it has run in production: editing it changes nothing there and makes environments disagree. Revert the edit and write a new migration.',
      range: { start: { line, character: 0 }, end: { line, character: doc.lineText(line).length } },
    }];
  },
};
