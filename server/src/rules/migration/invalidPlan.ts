import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { judgedMigration } from './common';

/** A forward-fix plan that is empty or a placeholder does not count, and says so. */
export const invalidPlanRule: Rule = {
  id: 'migration/invalid-plan',
  area: 'migration',
  defaultSeverity: 'warning',
  description: 'A forward-fix plan that is empty, a placeholder (TODO, n/a) or names no repair.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    const plan = analysis?.plan;
    if (!plan?.problem) return [];
    const range = plan.source === 'inline' ? doc.rangeOf(plan.start, plan.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return [{ message: `The forward-fix plan${plan.source === 'inline' ? '' : ` in ${plan.source}`} does not count: ${plan.problem}. Say which new migration repairs the damage (fix:, or in words: a new migration, a backfill, a restore) or link a runbook (runbook:).`, range }];
  },
};
