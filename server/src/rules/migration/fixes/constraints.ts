import type { SourceDocument } from '../../../engine/document';
import type { RuleContext } from '../../../engine/rule';
import type { Fix, TextEdit } from '../../../engine/types';
import type { MigrationAnalysis } from '../analysis/analyze';
import type { Execution } from '../analysis/execution';
import type { Operation } from '../analysis/operations';
import { followUpMigration, removeStatement } from './newMigration';
import { timeoutStatements } from './timeouts';

/**
 * Constraints added without a scan under a strong lock: `NOT VALID` now, `VALIDATE CONSTRAINT` in
 * a second step. The second step must run in a later transaction (the ADD's lock is held until
 * its transaction commits), so where this migration runs in one, VALIDATE goes into a follow-up
 * migration; where each statement runs on its own, it follows in place. SET NOT NULL becomes a
 * CHECK (column IS NOT NULL) NOT VALID, and the follow-up validates it, sets NOT NULL (PostgreSQL
 * 12+ uses the validated CHECK instead of scanning) and drops the CHECK.
 */
export async function notValidFix(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, execution: Execution, op: Operation): Promise<Fix[]> {
  if (analysis.file.framework === 'rails' && !op.parsed) return railsNotValid(doc, ctx, analysis, op);
  if (!op.parsed || !op.table || !alone(analysis, op) || !/\bADD\b/i.test(doc.text.slice(op.statementStart, op.statementEnd))) return [];
  // A column constraint (ADD COLUMN … REFERENCES) cannot be NOT VALID.
  if (analysis.operations.some((o) => o.statementStart === op.statementStart && o.kind === 'add-column')) return [];
  const statement = doc.text.slice(op.statementStart, op.statementEnd);
  const name = op.name ?? constraintName(op.table, op.columns ?? [], op.kind === 'add-foreign-key' ? 'fkey' : 'check');
  const edits: TextEdit[] = [];
  if (!op.name) {
    const add = /\bADD\s+/i.exec(statement)!;
    const at = doc.positionAt(op.statementStart + add.index + add[0].length);
    edits.push({ range: { start: at, end: at }, newText: `CONSTRAINT ${name} ` });
  }
  const end = doc.positionAt(op.statementEnd);
  edits.push({ range: { start: end, end }, newText: ' NOT VALID' });
  return secondStep(doc, ctx, analysis, execution, op, edits, [`ALTER TABLE ${sqlName(op.table)} VALIDATE CONSTRAINT ${sqlName(name)}`], `validate_${name}`, `Add ${name} NOT VALID, then VALIDATE it`);
}

/** VALIDATE CONSTRAINT moved out of the transaction that added the constraint. */
export async function validateLaterFix(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, op: Operation): Promise<Fix[]> {
  if (!op.parsed || !op.table || !op.name || !alone(analysis, op)) return [];
  const moved = await followUpMigration(doc, ctx, analysis, { slug: `validate_${op.name}`.toLowerCase(), sql: [doc.text.slice(op.statementStart, op.statementEnd)], noTransaction: false });
  if (!moved) return [];
  return [{ title: `Move VALIDATE CONSTRAINT ${op.name} into ${basename(moved[0].file)} (a later transaction)`, edits: [removeStatement(doc, op)], newFiles: moved, isPreferred: true }];
}

/** SET NOT NULL through a CHECK (column IS NOT NULL) NOT VALID, validated in a second step. */
export async function notNullViaCheckFix(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, execution: Execution, op: Operation): Promise<Fix[]> {
  if (!op.table || !op.column) return [];
  const name = constraintName(op.table, [op.column], 'not_null');
  const table = op.table;
  if (analysis.file.framework === 'rails' && !op.parsed) {
    const quoted = JSON.stringify(`${op.column} IS NOT NULL`);
    const call = doc.text.slice(op.statementStart, op.statementEnd);
    if (!/^change_column_null\b/.test(call)) return [];
    const edits = [{ range: doc.rangeOf(op.statementStart, op.statementEnd), newText: `add_check_constraint :${table}, ${quoted}, name: "${name}", validate: false` }];
    const calls = [`validate_check_constraint :${table}, name: "${name}"`, `change_column_null :${table}, :${op.column}, false`, `remove_check_constraint :${table}, name: "${name}"`];
    return followUpFix(doc, ctx, analysis, edits, { slug: `validate_${name}`, calls }, `Add CHECK (${op.column} IS NOT NULL) without validating; validate it and set NOT NULL`);
  }
  if (!op.parsed || !alone(analysis, op)) return [];
  const [t, c] = [sqlName(table), sqlName(op.column)];
  const edits = [{ range: doc.rangeOf(op.statementStart, op.statementEnd), newText: `ALTER TABLE ${t} ADD CONSTRAINT ${name} CHECK (${c} IS NOT NULL) NOT VALID` }];
  const then = [`ALTER TABLE ${t} VALIDATE CONSTRAINT ${name}`, `ALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL`, `ALTER TABLE ${t} DROP CONSTRAINT ${name}`];
  return secondStep(doc, ctx, analysis, execution, op, edits, then, `validate_${name}`, `Add CHECK (${op.column} IS NOT NULL) NOT VALID; validate it, then SET NOT NULL without a scan`);
}

/** The first step's edits, and the second step in place (statements run on their own) or in a follow-up migration. */
async function secondStep(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, execution: Execution, op: Operation, edits: TextEdit[], then: string[], slug: string, title: string): Promise<Fix[]> {
  const placement = execution.placements.get(op);
  // In place only where each statement runs on its own: in a text sent as one query the second step would share the first one's transaction.
  if (placement?.transaction === null && !execution.oneQuery) {
    // The second step joins the edit that ends the statement (NOT VALID, the rewritten statement), so no two edits touch.
    const indent = ' '.repeat(doc.positionAt(op.statementStart).character);
    const second = then.map((s) => `;${doc.eol}${indent}${s}`).join('');
    const last = edits.find((e) => doc.offsetAt(e.range.end) === op.statementEnd);
    const end = doc.positionAt(op.statementEnd);
    const all = last ? edits.map((e) => (e === last ? { ...e, newText: e.newText + second } : e)) : [...edits, { range: { start: end, end }, newText: second }];
    return [{ title, edits: all, isPreferred: true }];
  }
  const timeouts = timeoutStatements(analysis.file.framework, true);
  return followUpFix(doc, ctx, analysis, edits, { slug, sql: [...timeouts, ...then] }, title);
}

async function followUpFix(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, edits: TextEdit[], next: { slug: string; sql?: string[]; calls?: string[] }, title: string): Promise<Fix[]> {
  const files = await followUpMigration(doc, ctx, analysis, { ...next, slug: next.slug.toLowerCase(), noTransaction: false });
  if (!files) return [];
  return [{ title: `${title} in ${basename(files[0].file)} (a later transaction)`, edits, newFiles: files, isPreferred: true }];
}

/** strong_migrations' form: `validate: false`, and `validate_foreign_key` in the next migration. */
async function railsNotValid(doc: SourceDocument, ctx: RuleContext, analysis: MigrationAnalysis, op: Operation): Promise<Fix[]> {
  const call = doc.text.slice(op.statementStart, op.statementEnd).trimEnd();
  const args = /^(add_foreign_key|add_check_constraint)\s*\(?\s*(:\w+|"[^"]*"|'[^']*')\s*,\s*(:\w+|"[^"]*"|'[^']*')/.exec(call);
  if (!args || /validate:/.test(call)) return [];
  const name = /name:\s*("[^"]*"|'[^']*'|:\w+)/.exec(call)?.[1];
  if (args[1] === 'add_check_constraint' && !name) return [];
  const end = doc.positionAt(op.statementStart + call.length - (call.endsWith(')') ? 1 : 0));
  const next = args[1] === 'add_foreign_key' ? `validate_foreign_key ${args[2]}, ${name ? `name: ${name}` : args[3]}` : `validate_check_constraint ${args[2]}, name: ${name}`;
  const slug = `validate_${args[2]}_${(name ?? args[3]).replace(/\W+/g, '_')}`.replace(/_+/g, '_').replace(/_$/, '');
  return followUpFix(doc, ctx, analysis, [{ range: { start: end, end }, newText: ', validate: false' }], { slug, calls: [next] }, 'Add it with validate: false, then validate it');
}

/** The statement is the only command of its ALTER TABLE (NOT VALID follows the one constraint). */
function alone(analysis: MigrationAnalysis, op: Operation): boolean {
  return commandsOf(analysis.operations).get(op.statementStart) === 1;
}

/** How many operations each statement (by its start) holds: counted once per list, not once per constraint asked about. */
function commandsOf(ops: readonly Operation[]): Map<number, number> {
  let known = commandCounts.get(ops);
  if (!known || known.length !== ops.length) {
    const counts = new Map<number, number>();
    for (const o of ops) counts.set(o.statementStart, (counts.get(o.statementStart) ?? 0) + 1);
    commandCounts.set(ops, (known = { length: ops.length, counts }));
  }
  return known.counts;
}

const commandCounts = new WeakMap<readonly Operation[], { length: number; counts: Map<number, number> }>();

const RESERVED = new Set('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric table then to trailing true union unique user using variadic when where window with'.split(' '));

/** A name as SQL writes it: quoted when it is not a plain lowercase identifier or is reserved (`"Mixed Case"`, `"order"`); a schema-qualified name part by part. */
function sqlName(name: string): string {
  return name.split('.').map((part) => (/^[a-z_][a-z0-9_$]*$/.test(part) && !RESERVED.has(part) ? part : `"${part.replace(/"/g, '""')}"`)).join('.');
}

/** PostgreSQL's naming, within its 63-byte identifier limit. */
function constraintName(table: string, columns: string[], suffix: string): string {
  const name = [table, ...columns, suffix].join('_').toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return name.length <= 63 ? name : `${name.slice(0, 62 - suffix.length)}_${suffix}`;
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
