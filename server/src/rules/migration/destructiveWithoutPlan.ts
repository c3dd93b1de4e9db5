import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { sameName } from './analysis/history';
import { DESTRUCTIVE, describeOperation, type Operation } from './analysis/operations';
import { deletesOrphans } from './analysis/orphans';
import type { Framework } from './analysis/recognize';
import { rewritesSeedRow } from './analysis/seeds';
import { operationsOn } from './analysis/tableIndex';
import { insertPlanFix, judgedMigration, opReport, planCovers } from './common';

/**
 * An UPDATE of the rows a WHERE picks to constants, which the down part sets back to constants on
 * the same rows (`SET display_name = 'Create feature flags' WHERE permission = 'CREATE_FEATURE'`,
 * down: `… = 'Create feature toggles'`): the values it overwrites are written in the migration,
 * nothing is lost that a new migration could not write back from it.
 */
function restoredByDown(op: Operation, ops: Operation[]): boolean {
  if (op.kind !== 'update-rows' || op.where === undefined || !op.literals) return false;
  const set = Object.keys(op.literals);
  if (set.length === 0 || set.length !== (op.columns?.length ?? 0)) return false;
  const where = normalized(op.where);
  return operationsOn(ops, op.table).some((o) => o.part === 'down' && o.kind === 'update-rows' && o.where !== undefined && normalized(o.where) === where && set.every((c) => o.literals?.[c] !== undefined));
}

/**
 * The table each framework keeps its own record of applied migrations in (its default name). Rows
 * deleted there are bookkeeping (a migration made to run again), not the application's data.
 */
const BOOKKEEPING: Partial<Record<Framework, string[]>> = {
  'db-migrate': ['migrations'],
  typeorm: ['migrations'],
  knex: ['knex_migrations', 'knex_migrations_lock'],
  sequelize: ['SequelizeMeta'],
  rails: ['schema_migrations', 'ar_internal_metadata'],
  django: ['django_migrations'],
  alembic: ['alembic_version'],
  flyway: ['flyway_schema_history'],
  goose: ['goose_db_version'],
  'golang-migrate': ['schema_migrations'],
  dbmate: ['schema_migrations'],
  mikroorm: ['mikro_orm_migrations'],
  kysely: ['kysely_migration', 'kysely_migration_lock'],
  prisma: ['_prisma_migrations'],
};

/**
 * A column dropped before the same migration drops its table (Django's RemoveField of a foreign key,
 * then DeleteModel): the table's drop is the loss to plan for, reported once there.
 */
function droppedWithTable(op: Operation, ops: Operation[]): boolean {
  return op.kind === 'drop-column' && operationsOn(ops, op.table).some((o) => o.part === 'up' && o.start > op.start && o.kind === 'drop-table');
}

function editsBookkeeping(op: Operation, framework: Framework): boolean {
  return (op.kind === 'delete-rows' || op.kind === 'update-rows') && (BOOKKEEPING[framework] ?? []).some((table) => sameName(op.table, table));
}

function normalized(condition: string): string {
  return condition.replace(/\s+/g, ' ').trim();
}

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
      .filter((op) => !restoredByDown(op, analysis.operations) && !deletesOrphans(op, analysis.operations, analysis.history) && !droppedWithTable(op, analysis.operations) && !editsBookkeeping(op, analysis.file.framework) && !rewritesSeedRow(op, analysis.operations, analysis.history))
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
