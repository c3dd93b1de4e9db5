import type { Rule } from '../../engine/rule';
import { isMigrationCandidate } from './analysis/analyze';
import { sameName } from './analysis/history';
import type { Operation } from './analysis/operations';
import { judgedMigration, opReport } from './common';

const WHAT: Record<string, string> = {
  'add-unique': 'a UNIQUE index or constraint fails if two existing rows share a value',
  'add-primary-key': 'a PRIMARY KEY fails if existing rows have duplicates or NULLs',
  'set-not-null': 'SET NOT NULL fails if any existing row is NULL',
  'add-required-column': 'a NOT NULL column without a default fails on a table that has rows',
  'change-type': 'the conversion fails on any existing value the new type cannot hold',
};

/** Changes whose success depends on the rows already in production, not on the code. */
export const dataDependentRule: Rule = {
  id: 'migration/data-dependent',
  area: 'migration',
  defaultSeverity: 'warning',
  description: 'A unique index, primary key, NOT NULL or type conversion that fails when existing rows violate it.',
  appliesTo: isMigrationCandidate,
  async check(doc, ctx) {
    const analysis = await judgedMigration(doc, ctx);
    if (!analysis) return [];
    const ups = analysis.operations.filter((op) => op.part === 'up');
    // What the migrations shipped with this one did first counts as earlier in it.
    const before = [...(analysis.history?.shippedBefore ?? []), ...ups];
    return ups
      .filter((op) => op.kind in WHAT && dependsOnRows(op, before) && !usingIndex(doc.text, op))
      .map((op) => opReport(doc, op, `Depends on existing data: ${WHAT[op.kind]}. It passed on your database, not necessarily on production's: check the data first (or backfill) in an earlier migration, and know the forward fix if it fails halfway.`));
  },
};

/**
 * Whether existing rows can make the operation fail: not on a table this migration (or one shipped
 * with it) created, not when Django fills the new column's rows, not for a unique key over a
 * column added without a default and not filled since (every row is NULL, and NULLs never
 * collide), not for SET NOT NULL once this migration filled the column, and a type change only
 * when its conversion can fail.
 */
function dependsOnRows(op: Operation, before: Operation[]): boolean {
  if (op.freshTable) return false;
  switch (op.kind) {
    case 'add-required-column':
      return !op.existingRowsFilled;
    case 'change-type':
      return op.typeEffect?.mayFail === true;
    case 'add-unique':
    case 'add-primary-key':
      // NULLs never collide: one key column that holds only NULLs makes every key distinct.
      return !(op.columns ?? []).some((column) => addedEmpty(op, column, before));
    case 'set-not-null':
      return !op.existingRowsFilled && !(op.freshColumn && addedWithDefault(op, before)) && !filledEarlier(op, before);
    default:
      return true;
  }
}

/** The column was added before with no default, and nothing filled it since: every existing row holds NULL. */
function addedEmpty(op: Operation, column: string, before: Operation[]): boolean {
  const earlier = before.slice(0, before.indexOf(op));
  return earlier.some((o) => o.kind === 'add-column' && sameName(o.table, op.table) && o.column === column && o.defaultValue === undefined) &&
    !earlier.some((o) => ['update-all', 'update-rows', 'backfill'].includes(o.kind) && sameName(o.table, op.table) && (o.columns ?? []).includes(column));
}

function addedWithDefault(op: Operation, before: Operation[]): boolean {
  return before.slice(0, before.indexOf(op)).some((o) => o.kind === 'add-column' && sameName(o.table, op.table) && o.column === op.column && o.defaultValue !== undefined);
}

/** `ADD CONSTRAINT … UNIQUE USING INDEX` (Rails `using_index:`): the unique index it adopts already holds the data to it. */
function usingIndex(text: string, op: Operation): boolean {
  return (op.kind === 'add-unique' || op.kind === 'add-primary-key') && (op.usingIndex !== undefined || /\bUSING\s+INDEX\b/i.test(text.slice(op.statementStart, op.statementEnd)));
}

/** An UPDATE earlier in the migration sets the column on every row (or every NULL one), or a DELETE removes its NULLs. */
function filledEarlier(op: Operation, ups: Operation[]): boolean {
  const isNull = new RegExp(`(^|[\\s("])${op.column?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s+IS\\s+NULL\\b`, 'i');
  return ups.slice(0, ups.indexOf(op)).some((o) => sameName(o.table, op.table) && (
    ((o.kind === 'update-all' || o.kind === 'update-rows' || o.kind === 'backfill') && (o.columns ?? []).includes(op.column!) && (o.where === undefined || isNull.test(o.where))) ||
    (o.kind === 'delete-rows' && o.where !== undefined && isNull.test(o.where))
  ));
}
