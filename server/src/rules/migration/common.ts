import type { SourceDocument } from '../../engine/document';
import type { RuleContext } from '../../engine/rule';
import type { Fix, Report } from '../../engine/types';
import { analyseMigration, type MigrationAnalysis } from './analysis/analyze';
import { describeOperation, type Operation } from './analysis/operations';
import { planTemplate } from './analysis/plan';

/**
 * What the migration rules share: the analysis, which operations are judged (new migrations, or
 * history with `--all`), and how a plan covers an operation.
 */
export async function judgedMigration(doc: SourceDocument, ctx: RuleContext): Promise<MigrationAnalysis | null> {
  const analysis = await analyseMigration(doc, ctx);
  if (!analysis || (analysis.scope === 'history' && !ctx.includeHistory)) return null;
  return analysis;
}

export function planCovers(analysis: MigrationAnalysis, op: Operation): boolean {
  const plan = analysis.plan;
  if (!plan || plan.problem) return false;
  if (plan.covers.length === 0) return true;
  const names = [op.table, op.column && `${op.table}.${op.column}`, op.kind].filter(Boolean).map((n) => n!.toLowerCase());
  return plan.covers.some((cover) => names.includes(cover));
}

export function opReport(doc: SourceDocument, op: Operation, message: string, extra: Partial<Report> = {}): Report {
  return { message, range: doc.rangeOf(op.start, op.end), ...extra };
}

/** A risk the author acknowledged in the code (`safety_assured { }`): information that names it, not a warning. */
export function acknowledged(report: Report, op: Operation): Report {
  if (!op.acknowledged) return report;
  return { ...report, severity: 'info', message: `${report.message} (Acknowledged with \`${op.acknowledged}\`.)` };
}

/**
 * Inserts a forward-fix plan above the statement with the repair this operation usually needs as
 * a suggestion in `<…>`: a placeholder, so migration/invalid-plan keeps flagging it until a person
 * writes the real repair (boilerplate that cleared the finding at once would plan nothing). Not
 * offered when the file already has a plan block: the first block is the file's plan, so a second
 * one would not count (the existing block is what to complete, and migration/invalid-plan says so
 * when it is empty).
 */
export function insertPlanFix(doc: SourceDocument, analysis: MigrationAnalysis, op: Operation): Fix | null {
  if (!analysis.commentPrefix || analysis.plan?.source === 'inline') return null;
  const line = doc.positionAt(op.statementStart).line;
  const indent = /^[ \t]*/.exec(doc.lineText(line))![0];
  const target = op.column ? `${op.table}.${op.column}` : op.table ?? 'the data';
  const repair: Record<string, string> = {
    'drop-column': `a new migration re-adds ${target} as nullable; values that matter come back from the pre-deploy backup`,
    'drop-table': `a new migration re-creates ${target} from the previous schema; rows come back from the pre-deploy backup`,
    'drop-schema': `a new migration re-creates ${target} and its objects; data comes back from the pre-deploy backup`,
    'drop-type': `a new migration re-creates type ${target} and the columns that used it`,
    truncate: `a new migration restores the rows of ${target} from the pre-deploy backup`,
    'delete-all': `a new migration restores the rows of ${target} from the pre-deploy backup`,
    'update-all': `a new migration restores the previous values of ${target} from the pre-deploy backup`,
    'narrow-type': `a new migration widens ${target} back; values cut by the narrowing come from the backup`,
    'drop-database': `a new database restored from the pre-deploy backup`,
    'change-embedding': `a re-embedding job recomputes every ${target} embedding with the model of the new dimension or distance; search is degraded until it finishes`,
  };
  const template = planTemplate(analysis.commentPrefix, doc.eol, indent)
    .replace(/risk: <[^>]*>/, `risk: this ${describeOperation(op)}; app versions still running during the deploy, or data that turns out to matter, break`)
    .replace(/fix: <[^>]*>/, `fix: <write the repair, e.g. ${repair[op.kind] ?? 'a new migration that restores what the app needs'}>`)
    .split(doc.eol)
    .filter((l) => !l.includes('runbook: <'))
    .join(doc.eol);
  return { title: 'Add a forward-fix plan (the v3 that repairs this) above the statement', edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: template }], isPreferred: true };
}
