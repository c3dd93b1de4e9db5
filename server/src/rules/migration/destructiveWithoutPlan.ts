import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { DESTRUCTIVE, describeOperation } from './analysis/operations';
import { insertPlanFix, judgedMigration, opReport, planCovers } from './common';

/**
 * A migration that destroys or reshapes state (drop table/column/schema/type, truncate, DELETE or
 * UPDATE without WHERE, a narrowing type change) without a forward-fix plan. Once it has run, a
 * rollback cannot bring the data back: the repair is a new migration, and it should be planned now.
 */
export const destructiveWithoutPlanRule: Rule = {
  id: 'migration/destructive-without-plan',
  area: 'migration',
  defaultSeverity: 'error',
  description: 'A migration that destroys or reshapes data without a forward-fix plan.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    if (!analysis) return [];
    return analysis.operations
      .filter((op) => op.part === 'up' && DESTRUCTIVE.has(op.kind) && !planCovers(analysis, op))
      .map((op) => {
        const fix = insertPlanFix(doc, analysis, op);
        return opReport(
          doc,
          op,
          `This migration ${describeOperation(op)} and has no forward-fix plan. Once it has run, rolling back cannot bring the data back: plan the new migration that repairs it (a forward-fix: block), and ship it expand/contract so old and new code both work during the deploy.`,
          fix ? { fixes: [fix] } : {},
        );
      });
  },
};
