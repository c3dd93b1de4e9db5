import type { SourceDocument } from '../../engine/document';
import type { Rule } from '../../engine/rule';
import type { RuleContext } from '../../engine/rule';
import { isMigrationCandidate, type MigrationAnalysis } from './analysis/analyze';
import { executionOf } from './analysis/execution';
import { sameName } from './analysis/history';
import { INCOMPATIBLE, describeOperation, type Operation } from './analysis/operations';
import { unreleasedTargets, type Unreleased } from './analysis/refine';
import { parsePgType, typeChangeEffect } from './analysis/types';
import { valuesCodeMayWrite } from './analysis/codeValues';
import { valuesLost } from './analysis/enums';
import { acknowledged, judgedMigration, opReport } from './common';
import { expandContractFix } from './expandContract';

const ADVICE: Partial<Record<Operation['kind'], string>> = {
  'rename-table': 'create the new table (or keep a view with the old name), write both, move reads, then drop the old name in a later migration',
  'rename-column': 'add the new column, write both (or sync them with a trigger), backfill, move reads, then drop the old column in a later migration',
  'change-type': 'add a column of the new type, write both, backfill, move reads, then drop the old column later',
  'add-required-column': 'add it nullable or with a default, backfill, then set NOT NULL in a later migration',
  'drop-default': 'deploy code that always writes the column first, then drop the default',
  'drop-not-null': 'deploy code that reads the column as nullable first, then drop NOT NULL',
  'rename-enum-value': 'add the new value, write it, move the rows and the code that reads the old one, then stop using the old value',
  'rename-schema': 'create the new schema (or keep views or a search_path entry under the old name), move the code, then drop the old name later',
};

/**
 * Whether the code running during the deploy notices: not on a table or column created since the
 * last release (by this migration, one shipped with it, or one that reached a release with it),
 * which no running version uses, nor on a table under a name a rename just gave it, not for a type
 * change it reads and writes unchanged (varchar to text, a longer limit, more numeric precision,
 * integer to bigint).
 */
function breaksRunningCode(op: Operation, before: Operation[], unreleased: Unreleased | undefined, ups: Operation[]): boolean {
  if (op.freshTable || unreleased?.table) return false;
  if ((UNKNOWN_TO_RUNNING_CODE.has(op.kind) || op.kind === 'add-required-column') && renamedToUnknownTable(op, before, ups)) return false;
  // A column added since the last release is one the running code never knew, unless it is renamed
  // to the name of one it did know (dropped before, the new one takes its place).
  const takesDroppedName = op.kind === 'rename-column' && before.some((o) => o.kind === 'drop-column' && sameName(o.table, op.table) && o.column === op.newName);
  if ((op.freshColumn || unreleased?.column) && (UNKNOWN_TO_RUNNING_CODE.has(op.kind) || (op.kind === 'rename-column' && !takesDroppedName))) return false;
  if (UNKNOWN_TO_RUNNING_CODE.has(op.kind) && renamedToUnknownName(op, before)) return false;
  if (op.kind === 'change-type' && !op.typeEffect && takesAnyString(op.columnType)) return false;
  return !(op.kind === 'change-type' && op.typeEffect?.compatible);
}

/**
 * Whether the type is text or an unlimited varchar, with the type before unknown (no migration of
 * the history tells it: a table an older version of the product created). From any string type, an
 * enum or a uuid the change is invisible to code, which reads and writes the same strings; from a
 * number, boolean or JSON type the driver would return strings instead, but nothing says the column
 * was one, and the finding would rest on that guess. Known before, such a type change is judged
 * with both types (typeChangeEffect): integer to text is reported.
 */
function takesAnyString(type: string | undefined): boolean {
  const parsed = parsePgType(type);
  return !!parsed && !parsed.array && (parsed.base === 'text' || (parsed.base === 'varchar' && parsed.mods.length === 0));
}

/**
 * Whether the column's name came from a rename since the last deploy (earlier in this migration or
 * one shipped with it) and no operation before that rename names a column of the table so (none
 * dropped, renamed away, added or changed under it): the running code never reads or writes it by
 * that name, so dropping its default or NOT NULL, or changing its type, is invisible to it. What
 * the rename breaks is the rename's own finding, or its expand step's (the old name added again
 * with another type, retypedReAdd).
 */
function renamedToUnknownName(op: Operation, before: Operation[]): boolean {
  const names = (o: Operation) => sameName(o.table, op.table) && (o.column === op.column || (o.kind === 'rename-column' && o.newName === op.column));
  // The last rename that gave the name: what comes after it acts on the renamed column (or a fresh one).
  const at = before.findLastIndex((o) => o.kind === 'rename-column' && o.newName === op.column && sameName(o.table, op.table));
  return at >= 0 && !before.slice(0, at).some(names);
}

/**
 * Whether the table's name came from a rename since the last deploy (earlier in this migration or
 * one shipped with it), no operation before that rename names a table so, and no view keeps the
 * old name: the running code queries the old name, which is gone, and never reaches the table
 * under the new one. Its columns' NOT NULL, default or type, or a required column added to it, are
 * invisible to that code; the rename carries the break. Column renames are still reported: each is
 * a change of its own to expand.
 */
function renamedToUnknownTable(op: Operation, before: Operation[], ups: Operation[]): boolean {
  const at = before.findLastIndex((o) => o.kind === 'rename-table' && sameName(o.newName, op.table));
  if (at < 0) return false;
  const oldName = before[at].table;
  const names = (o: Operation) => sameName(o.table, op.table) || (o.kind === 'rename-table' && sameName(o.newName, op.table));
  const viewed = [...before, ...ups].some((o) => o.kind === 'create-view' && sameName(o.table, oldName));
  return !viewed && !before.slice(0, at).some(names);
}

/** Changes to a column no running version knows that nothing running can notice. */
const UNKNOWN_TO_RUNNING_CODE = new Set<Operation['kind']>(['change-type', 'drop-not-null', 'drop-default']);

/**
 * What of each candidate's target no released version used: created since the last release, by
 * this migration or one that reached a release with it. Git is read only when there is a candidate.
 * (Not for migration/destructive-without-plan: a main branch deployed between releases writes rows
 * no release tag tells of; unleash cleared onboarding events its hosted service had collected
 * from tables created earlier in the same release.)
 */
async function sinceRelease(doc: SourceDocument, analysis: MigrationAnalysis, candidates: Operation[]): Promise<Map<Operation, Unreleased>> {
  if (candidates.length === 0 || !analysis.history) return new Map();
  return unreleasedTargets(analysis.operations, doc.text, await analysis.history.releasedBefore());
}

/**
 * A required column whose default the same transaction sets again after adding it (Django adds a
 * field's default and drops it; a RunSQL, `execute` or `op.alter_column(server_default=…)` after
 * it sets a database default): the transaction commits the column and its default together, so
 * the running code never meets the column without one and its inserts that omit it get the
 * default. Outside a transaction (Django's `atomic = False`, a plain SQL file run statement by
 * statement) an insert can land between the two statements, and the finding stays. A default
 * dropped again after it counts as none.
 */
function defaultedLater(op: Operation, ups: Operation[], transaction: (op: Operation) => number | null): boolean {
  if (op.kind !== 'add-required-column' || transaction(op) === null) return false;
  const last = ups.findLast((o) => (o.kind === 'set-default' || o.kind === 'drop-default') && o.start > op.start && sameName(o.table, op.table) && o.column === op.column);
  return last?.kind === 'set-default' && transaction(last) === transaction(op);
}

/** A table swap: the renamed table's name is taken again later in the migration (created, or another table renamed to it). */
function takesName(op: Operation, table: string | undefined): boolean {
  return (op.kind === 'create-table' && sameName(op.table, table)) || (op.kind === 'rename-table' && sameName(op.newName, table));
}

/**
 * The column a rename's old name is added again as, when it is no expand step: its type differs
 * from the renamed column's (both known) in a way the code still running, which reads and writes
 * the new column by the old name, cannot live with (another enum, text to integer). Same types or
 * a compatible change (varchar to text) are the expand step; unknown types stay quiet.
 */
function retypedReAdd(rename: Operation, ups: Operation[]): Operation | undefined {
  if (rename.kind !== 'rename-column') return undefined;
  const reAdd = ups.find((o) => o.kind === 'add-column' && o.start > rename.start && o.table === rename.table && o.column === rename.column);
  const [from, to] = [parsePgType(reAdd?.fromType), parsePgType(reAdd?.columnType)];
  if (!reAdd || !from || !to) return undefined;
  const effect = typeChangeEffect(from, to);
  return effect && !effect.compatible ? reAdd : undefined;
}

/**
 * The type changes among `ops` that swap the column's enum for one under the same name (Prisma's
 * `x_new` renamed to `x`, a type dropped and created again) keeping every value the code still
 * running may write: a superset, or, for a migration new in the branch, the values it lacks appear
 * nowhere in the code before or after the branch as a value (valuesCodeMayWrite). The running
 * code's casts name the type, which resolves to the new one, and it reads and writes values the new
 * type takes. Rows holding a value the new type lacks fail the cast: data-dependent's finding.
 */
async function enumSwapsKeepingWrites(ctx: RuleContext, analysis: MigrationAnalysis, ops: Operation[], ups: Operation[]): Promise<Set<Operation>> {
  const history = analysis.history;
  const kept = new Set<Operation>();
  if (!history) return kept;
  for (const op of ops) {
    if (op.kind !== 'change-type' || !op.table || !op.column) continue;
    const lost = valuesLost(op, ups, history.enumTypes(), history.typeBefore(op.table, op.column));
    // Which values the running code writes is known only for a migration new in the branch.
    if (lost && (lost.length === 0 || (analysis.scope === 'new' && (await valuesCodeMayWrite(ctx, lost))?.length === 0))) kept.add(op);
  }
  return kept;
}

function typeChange(op: Operation): string {
  return op.kind === 'change-type' && op.fromType && op.columnType ? ` from ${op.fromType} to ${op.columnType}` : '';
}

/**
 * A change the code still running during the deploy cannot live with: renames, type changes, a new
 * NOT NULL column without a default, a dropped default or NOT NULL. The expand step that makes it
 * safe (a compatibility view with the old table name, the old column kept or re-added) silences
 * it, and so does a default or NOT NULL dropped from a column this migration adds (no code knows it
 * yet), or a required column whose default the same transaction sets after adding it.
 */
export const incompatibleChangeRule: Rule = {
  id: 'migration/incompatible-change',
  area: 'migration',
  defaultSeverity: 'warning',
  description: 'A rename, type change, required column, dropped default or dropped NOT NULL that breaks the code still running during the deploy.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    if (!analysis) return [];
    const ups = analysis.operations.filter((op) => op.part === 'up');
    const expanded = (op: Operation) =>
      (op.kind === 'rename-table' && ups.some((o) => (o.kind === 'create-view' && o.table === op.table) || (o.start > op.start && takesName(o, op.table)))) ||
      (op.kind === 'rename-column' && ups.some((o) => o.kind === 'add-column' && o.table === op.table && o.column === op.column) && !retypedReAdd(op, ups)) ||
      ((op.kind === 'drop-default' || op.kind === 'drop-not-null') && ups.some((o) => (o.kind === 'add-column' || o.kind === 'add-required-column') && o.start < op.start && o.table === op.table && o.column === op.column)) ||
      // Restated, not dropped: the column already allowed NULL (Sequelize's changeColumn sends DROP NOT NULL whenever allowNull is not false).
      (op.kind === 'drop-not-null' && op.table !== undefined && op.column !== undefined && analysis.history?.nullableBefore(op.table, op.column) === true);
    // A type change a later one of the same column supersedes in the same transaction: the running code sees only the last.
    const execution = await executionOf(doc, ctx, analysis);
    const transaction = (op: Operation) => execution.placements.get(op)?.transaction ?? null;
    const superseded = (op: Operation) => (op.kind === 'change-type' && transaction(op) !== null &&
      ups.some((o) => o.start > op.start && (o.kind === 'change-type' || o.kind === 'narrow-type') && sameName(o.table, op.table) && o.column === op.column && transaction(o) === transaction(op))) ||
      defaultedLater(op, ups, transaction);
    const reports = [];
    const before = [...(analysis.history?.shippedBefore ?? []), ...ups];
    const candidates = ups.filter((o) => INCOMPATIBLE.has(o.kind) && o.kind !== 'narrow-type' && !expanded(o) && !superseded(o) && breaksRunningCode(o, before.slice(0, before.indexOf(o)), undefined, ups));
    const unreleased = await sinceRelease(doc, analysis, candidates);
    const breaking = candidates.filter((o) => breaksRunningCode(o, before.slice(0, before.indexOf(o)), unreleased.get(o), ups));
    const swapsKeepingWrites = await enumSwapsKeepingWrites(ctx, analysis, breaking, ups);
    for (const op of breaking.filter((o) => !swapsKeepingWrites.has(o))) {
      const reAdd = retypedReAdd(op, ups);
      if (reAdd) {
        // Types as written, without the quotes one source keeps and another drops (`"Role"`, `Role`).
        const [from, to] = [reAdd.fromType, reAdd.columnType].map((t) => t?.replace(/"/g, ''));
        reports.push(acknowledged(opReport(doc, reAdd, `This migration renames column ${op.table}.${op.column} to ${op.newName} and adds ${op.table}.${op.column} again as ${to}: the app version still running during the deploy reads and writes ${op.table}.${op.column} as before and meets a type change from ${from} to ${to}. Expand/contract instead: ${ADVICE['change-type']}.`), reAdd));
        continue;
      }
      const fix = await expandContractFix(doc, ctx, analysis, op);
      reports.push(acknowledged(opReport(doc, op, `This migration ${describeOperation(op)}${typeChange(op)}: the app version still running during the deploy expects the old shape and breaks. Expand/contract instead: ${ADVICE[op.kind]}.`, fix ? { fixes: [fix] } : {}), op));
    }
    return reports;
  },
};
