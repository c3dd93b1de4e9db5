import * as path from 'node:path';
import type { SourceDocument } from '../../engine/document';
import type { RuleContext } from '../../engine/rule';
import type { Fix } from '../../engine/types';
import type { MigrationAnalysis } from './analysis/analyze';
import type { Operation } from './analysis/operations';
import { declaredColumnType } from './analysis/sql';
import { followUpMigration } from './fixes/newMigration';

const FRAMEWORKS = new Set(['sql', 'flyway', 'golang-migrate', 'goose', 'dbmate', 'prisma']);

/**
 * Turns `RENAME COLUMN a TO b` into expand/contract: this migration adds `b` and backfills it (the
 * expand step, safe while old code runs), and a new migration, named by the framework's
 * convention, drops `a` once no deployed code uses it (the contract step). The new column's type
 * is taken from the migration that declared `a`; without it no fix is offered rather than a guess.
 */
export async function expandContractFix(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, op: Operation): Promise<Fix | null> {
  if (op.kind !== 'rename-column' || !op.parsed || !op.table || !op.column || !op.newName || !FRAMEWORKS.has(analysis.file.framework)) return null;
  const type = declaredColumnType(doc.text.slice(0, op.statementStart), op.table, op.column) ?? analysis.history?.typeBefore(op.table, op.column);
  if (!type) return null;
  const { table, column, newName } = op;
  const contract = await followUpMigration(doc, ctx, analysis, {
    slug: `contract_${table}_${column}`,
    comments: [`contract: run once no deployed code reads or writes ${table}.${column} (${newName} replaced it).`, 'forward-fix:', `  fix: a new migration re-adds ${table}.${column} ${type} and backfills it from ${newName}`],
    sql: [`ALTER TABLE ${table} DROP COLUMN ${column}`],
    noTransaction: false,
  });
  if (!contract) return null;
  const next = path.posix.basename(contract[0].file);
  const eol = doc.eol;
  const indent = ' '.repeat(doc.positionAt(op.statementStart).character);
  const expand = [
    `-- expand: ${table}.${column} becomes ${newName}. Deploy code that writes both and reads ${newName}; ${next} drops ${column} afterwards.`,
    `ALTER TABLE ${table} ADD COLUMN ${newName} ${type};${eol}UPDATE ${table} SET ${newName} = ${column} WHERE ${newName} IS NULL`,
  ];
  return {
    title: `Split into expand (add ${newName}, backfill) and contract (${next} drops ${column})`,
    edits: [{ range: doc.rangeOf(op.statementStart, op.statementEnd), newText: `${expand[0]}${eol}${indent}${expand[1]}` }],
    newFiles: contract,
  };
}
