import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { codeReferences } from './analysis/codeReferences';
import { describeOperation } from './analysis/operations';
import { judgedMigration, opReport } from './common';

const REMOVES = new Set(['drop-table', 'drop-column', 'rename-table', 'rename-column']);

/**
 * A dropped or renamed table or column that application code in the workspace still uses (ORM
 * models and fields, SQL strings, query builders in TS/JS, Python, Ruby): the contract step came
 * before the code stopped using it. Related locations point at each use.
 */
export const stillReferencedRule: Rule = {
  id: 'migration/still-referenced',
  area: 'migration',
  defaultSeverity: 'error',
  description: 'A dropped or renamed table or column that application code still uses.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    const ops = analysis?.operations.filter((op) => op.part === 'up' && REMOVES.has(op.kind) && op.table) ?? [];
    if (ops.length === 0) return [];
    const references = await codeReferences(ctx, ops.map((op) => ({ table: op.table!, column: op.kind.endsWith('column') ? op.column : undefined })));
    if (!references) return [];
    return ops.flatMap((op, i) => {
      const related = references[i];
      if (related.length === 0) return [];
      const files = new Set(related.map((r) => r.file)).size;
      return [opReport(doc, op, `This migration ${describeOperation(op)}, but ${files} ${files === 1 ? 'file' : 'files'} of application code still ${files === 1 ? 'uses' : 'use'} it (see related locations). Contract only after the code stopped using it: ship the code change first, then this migration.`, { related })];
    });
  },
};
