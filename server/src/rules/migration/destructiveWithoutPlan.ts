import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { sameName, type MigrationHistory } from './analysis/history';
import { DESTRUCTIVE, describeOperation, runsBefore, type Operation } from './analysis/operations';
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
 * A value renamed, `SET c = 'new' WHERE c = 'old'` (nothing else set or tested), that the down part
 * renames back, `SET c = 'old' WHERE c = 'new'`: the down part is the repair. It is exact when no
 * row held `'new'` before, which an application renaming its own value (an event type, a status)
 * takes for granted. The migrations can say otherwise, and then it stays reported: an earlier
 * migration wrote `'new'` into the column (inserted it, set it, made it the default), or this one
 * writes it otherwise too (inserts it, or renames another value to it: two values merged, which no
 * inverse can tell apart again).
 */
function renamedBackByDown(op: Operation, ops: Operation[], history: MigrationHistory | undefined): boolean {
  const rename = valueRename(op);
  if (!rename || op.part !== 'up' || !op.table) return false;
  const { column, from, to } = rename;
  const back = (o: Operation) => {
    const inverse = valueRename(o);
    return o.part === 'down' && sameName(o.table, op.table) && inverse?.column === column && inverse.from === to && inverse.to === from;
  };
  if (!ops.some(back)) return false;
  // This migration's other writes of 'new', before or after the rename (a second value renamed to it
  // merges the two). A default it sets applies to rows written after it, by the version that writes 'new'.
  const own = ops.filter((o) => o !== op && o.part === 'up' && sameName(o.table, op.table) && o.kind !== 'set-default' && o.kind !== 'add-column');
  return ![...(history?.operationsBefore(op.table) ?? []), ...own].some((o) => writesValue(o, column, to));
}

/** `SET c = 'new' WHERE c = 'old'`: one column set to a constant, the rows picked by one constant of it. */
function valueRename(op: Operation): { column: string; from: string; to: string } | undefined {
  if (op.kind !== 'update-rows' || op.columns?.length !== 1 || !op.valuesIn || !op.keyedBy?.exact || Object.keys(op.keyedBy.values).length !== 1) return undefined;
  const [column] = op.columns;
  const to = op.literals?.[column]?.value;
  const from = op.valuesIn.column === column && op.valuesIn.values.length === 1 ? op.valuesIn.values[0] : undefined;
  return to === undefined || from === undefined ? undefined : { column, from, to };
}

/** Whether the operation leaves `value` in `column` of some row: an insert, an update, a default (for the rows written after it). */
function writesValue(op: Operation, column: string, value: string): boolean {
  switch (op.kind) {
    case 'insert-rows':
      return (op.rows ?? []).some((row) => row[column]?.value === value);
    case 'update-rows':
    case 'update-all':
    case 'backfill':
      return op.literals?.[column]?.value === value;
    case 'add-column':
    case 'set-default':
      return op.column === column && op.defaultValue !== undefined && sqlConstant(op.defaultValue) === value;
    default:
      return false;
  }
}

/** The value of a SQL constant default (`'active'`, `'active'::text`, `0`). */
function sqlConstant(text: string): string {
  const quoted = /^'((?:[^']|'')*)'(?:::[\w ."]{1,64})?$/.exec(text.trim());
  return quoted ? quoted[1].replace(/''/g, "'") : text.trim();
}

/**
 * A DELETE of the extra rows of each group (keeping at least one, dedupes.ts) before the same
 * migration adds a primary key or unique constraint over columns it grouped by: the rows it
 * deletes repeat the key of a row that stays, and the new schema holds one row per key. Which of
 * them stays is the migration's choice; nothing a key names is lost.
 */
function dedupesBeforeKey(op: Operation, ops: Operation[]): boolean {
  const groups = op.kind === 'delete-rows' ? (op.keepsOnePer ?? op.deduplicates) : undefined;
  if (!groups) return false;
  return ops.some((o) => o.part === 'up' && runsBefore(op, o) && (o.kind === 'add-primary-key' || o.kind === 'add-unique') && sameName(o.table, op.table) && (o.columns?.length ?? 0) > 0 && o.columns!.every((column) => groups.includes(column)));
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
 * A summary table emptied and computed again from the tables it sums up, later in the same
 * migration (`TRUNCATE trends; INSERT INTO trends SELECT …, sum(n) FROM stats GROUP BY …`): what
 * it held was derived from data that stays, and running the computation again is the repair. An
 * INSERT … SELECT that copies rows, or writes constants, is no summary (rowValues.ts): the rows
 * it leaves out may hold what no other table has.
 */
function recomputedSummary(op: Operation, ops: Operation[]): boolean {
  // TRUNCATE … CASCADE empties the tables referencing it too, which nothing fills again.
  if ((op.kind !== 'truncate' && op.kind !== 'delete-all') || op.cascade) return false;
  return operationsOn(ops, op.table).some((o) => o.part === 'up' && o.kind === 'insert-rows' && o.summarises !== undefined && sameName(o.table, op.table) && runsBefore(op, o));
}

/**
 * A column dropped before the same migration drops its table (Django's RemoveField of a foreign key,
 * then DeleteModel): the table's drop is the loss to plan for, reported once there.
 */
function droppedWithTable(op: Operation, ops: Operation[]): boolean {
  return op.kind === 'drop-column' && operationsOn(ops, op.table).some((o) => o.part === 'up' && runsBefore(op, o) && o.kind === 'drop-table');
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
      .filter((op) => !restoredByDown(op, analysis.operations) && !renamedBackByDown(op, analysis.operations, analysis.history) && !dedupesBeforeKey(op, analysis.operations) && !deletesOrphans(op, analysis.operations, analysis.history) && !droppedWithTable(op, analysis.operations) && !editsBookkeeping(op, analysis.file.framework) && !rewritesSeedRow(op, analysis.operations, analysis.history) && !recomputedSummary(op, analysis.operations))
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
