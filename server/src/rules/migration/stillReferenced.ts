import type { Rule } from '../../engine/rule';
import { isMigrationCandidate, type MigrationAnalysis } from './analysis/analyze';
import { codeReferences } from './analysis/codeReferences';
import { sameName } from './analysis/history';
import { describeOperation, runsBefore, type Operation } from './analysis/operations';
import { operationsOn } from './analysis/tableIndex';
import { judgedMigration, opReport } from './common';

const REMOVES = new Set(['drop-table', 'drop-column', 'rename-table', 'rename-column']);

/**
 * A dropped or renamed table or column that application code still uses: the model mapped to the
 * table still maps it (Prisma schema, Django, SQLAlchemy, Sequelize, TypeORM, MikroORM, Medusa,
 * ActiveRecord declarations), or SQL and query builders in the code name it. The contract step came
 * before the code stopped using it. Related locations point at each use. Not reported when the
 * same migration or a later one creates the name again (today's code uses the new one).
 */
export const stillReferencedRule: Rule = {
  id: 'migration/still-referenced',
  area: 'migration',
  defaultSeverity: 'error',
  description: 'A dropped or renamed table or column that application code still uses.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    // A column the file does not name (`remove_columns :t, *COLUMNS`) cannot be looked for: its table is not what is removed.
    const named = (op: Operation) => !op.kind.endsWith('column') || op.column !== undefined;
    const ops = analysis?.operations.filter((op) => op.part === 'up' && REMOVES.has(op.kind) && op.table && named(op) && !op.freshTable && !op.freshColumn && !createdAgain(analysis, op)) ?? [];
    if (!analysis || ops.length === 0) return [];
    const references = await codeReferences(ctx, ops.map((op) => ({ table: op.table!, ...(op.kind.endsWith('column') && op.column ? { column: op.column } : {}), ...(analysis.file.framework === 'clickhouse' ? { clickhouse: true } : {}) })));
    if (!references) return [];
    return ops.flatMap((op, i) => {
      const related = references[i];
      if (related.length === 0) return [];
      const files = new Set(related.map((r) => r.file)).size;
      return [opReport(doc, op, `This migration ${describeOperation(op)}, but ${files} ${files === 1 ? 'file' : 'files'} of application code still ${files === 1 ? 'uses' : 'use'} it (see related locations). Contract only after the code stopped using it: ship the code change first, then this migration.`, { related })];
    });
  },
};

/** The name exists again after the migration: re-created (or renamed into) later in it, or by a later migration. */
function createdAgain(analysis: MigrationAnalysis, op: Operation): boolean {
  const table = op.table!;
  const column = op.kind.endsWith('column') ? op.column : undefined;
  const later = (o: Operation) => o.part === 'up' && runsBefore(op, o);
  // The table's own operations, from its index: asked for each removal, a pass over all of them was quadratic.
  const onTable = operationsOn(analysis.operations, table);
  const again = column === undefined
    ? onTable.some((o) => later(o) && (o.kind === 'create-table' || o.kind === 'create-view')) || analysis.operations.some((o) => o.kind === 'rename-table' && later(o) && sameName(o.newName, table))
    : onTable.some((o) => later(o) && ((o.kind === 'add-column' && o.column === column) || (o.kind === 'rename-column' && o.newName === column)));
  return again || (analysis.history?.recreatedLater(table, column) ?? false);
}
