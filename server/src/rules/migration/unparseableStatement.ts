import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { judgedMigration, opReport } from './common';

/** A statement neither the PostgreSQL parser nor the tolerant recogniser understood: not judged. */
export const unparseableStatementRule: Rule = {
  id: 'migration/unparseable-statement',
  area: 'migration',
  defaultSeverity: 'info',
  description: 'A migration statement DeployRisk could not parse, so no rule judged it.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    if (!analysis) return [];
    return analysis.operations
      .filter((op) => op.kind === 'unparseable')
      .map((op) =>
        op.unterminated
          ? // Not a gap in what was judged but a migration that fails: a warning.
            opReport(doc, op, 'A new statement starts here, but the one before it has no semicolon: the database reads both as one statement and refuses it, so the migration fails here. End the statement above with `;`.', { severity: 'warning' })
          : opReport(doc, op, 'PostgreSQL could not parse this statement (another dialect, or a syntax error), so DeployRisk did not judge it. The statements around it were checked.'),
      );
  },
};
