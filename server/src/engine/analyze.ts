import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { effectiveSeverity, type ConfigProblem, type ResolvedConfig } from '../config/config';
import { redactTokens } from '../rules/secret/report';
import { withoutBaselined } from './baseline';
import { SourceDocument, decodeFileText } from './document';
import { fixesInsideWorkspace } from './fixTargets';
import { isStackOverflow, noteTooDeep } from './stackDepth';
import type { Rule, RuleContext } from './rule';
import type { ReportedLines } from './reportedLines';
import { INVALID_SUPPRESSION_ID, applySuppressions } from './suppression';
import type { Finding, Range, Report } from './types';
import type { WorkspaceContext } from './workspaceContext';

export const CONFIG_PROBLEM_ID = 'deployrisk/config';

/** Checks the engine itself makes, listed and documented next to the rules. */
export const ENGINE_CHECKS = [
  { id: INVALID_SUPPRESSION_ID, defaultSeverity: 'warning', description: 'A deployrisk-ignore comment without a reason, or naming an unknown rule.' },
  { id: CONFIG_PROBLEM_ID, defaultSeverity: 'error', description: 'A mistake in .deployrisk.yaml: the key and what is expected.' },
] as const;

/**
 * Where the engine reports on itself. A message is one line; it may quote the workspace (a file
 * name), so every sink prints it through `printable`. `frames`: a stack, one frame a line.
 */
export interface EngineLog {
  info(message: string): void;
  error(message: string, frames?: string[]): void;
}

export interface AnalyzeOptions {
  rules: readonly Rule[];
  log: EngineLog;
  isCancelled?: () => boolean;
  /** The CLI waits for workspace-wide facts; the editor passes a callback to refresh when they are ready. */
  workspaceFacts: 'wait' | { whenReady: () => void };
  includeHistory?: boolean;
  /** See `RuleContext.reportedLines`. */
  reportedLines?: ReportedLines;
}

const failedRules = new WeakMap<EngineLog, Set<string>>();

/**
 * Runs every enabled rule that applies to the document, each isolated: a rule that throws (in
 * `appliesTo` or `check`) is logged once per session and skipped, the others still report.
 * Suppressions are applied last, then the baseline.
 */
export async function analyzeDocument(doc: SourceDocument, workspace: WorkspaceContext, options: AnalyzeOptions): Promise<Finding[]> {
  const ctx = await ruleContext(workspace, options);
  const config = ctx.config;
  const findings: Finding[] = [];
  for (const rule of options.rules) {
    if (ctx.isCancelled()) return [];
    const severity = effectiveSeverity(config, rule.id, rule.defaultSeverity);
    if (severity === 'off') continue;
    let reports: Report[];
    try {
      if (!rule.appliesTo(doc.relPath, doc.text, config)) continue;
      reports = await rule.check(doc, ctx);
      noteTooDeep(workspace, doc.relPath, false, `${rule.id} checks`);
    } catch (error) {
      // Code nested deeper than a recursive walk survives is a fact about the file, not a bug.
      if (isStackOverflow(error)) noteTooDeep(workspace, doc.relPath, true, `${rule.id} checks`);
      else logRuleFailureOnce(options.log, rule.id, doc.relPath, error);
      continue;
    }
    for (const report of reports) {
      const fixes = report.fixes && (await fixesInsideWorkspace(workspace, report.fixes));
      findings.push({ ...report, ...(fixes && { fixes }), range: clampRange(doc, report.range), ruleId: rule.id, severity: report.severity ?? severity, file: doc.relPath });
    }
  }
  const knownIds = new Set(options.rules.map((rule) => rule.id));
  const { kept, problems } = applySuppressions(doc, findings, knownIds);
  const suppressionSeverity = effectiveSeverity(config, INVALID_SUPPRESSION_ID, 'warning');
  if (suppressionSeverity !== 'off') {
    for (const problem of problems) kept.push({ ...problem, ruleId: INVALID_SUPPRESSION_ID, severity: suppressionSeverity, file: doc.relPath });
  }
  const reported = kept.map(shown).sort(byPosition);
  // What the repository had when it adopted DeployRisk is not reported again: only new risk shows.
  const baseline = await workspace.baseline();
  return baseline ? withoutBaselined(reported, doc, baseline) : reported;
}

/**
 * A finding as every output shows it. Rules quote names from the workspace (a YAML key, a flag
 * key, a rule id in a comment), and a name can be a token: it is named as a secret value is.
 */
function shown(finding: Finding): Finding {
  return {
    ...finding,
    message: redactTokens(finding.message),
    ...(finding.related && { related: finding.related.map((related) => ({ ...related, message: redactTokens(related.message) })) }),
    ...(finding.fixes && { fixes: finding.fixes.map((fix) => ({ ...fix, title: redactTokens(fix.title) })) }),
  };
}

/** The first hover text an enabled rule that applies to the document has for `offset`. */
export async function hoverAt(doc: SourceDocument, workspace: WorkspaceContext, offset: number, options: AnalyzeOptions): Promise<string | null> {
  const ctx = await ruleContext(workspace, options);
  for (const rule of options.rules) {
    if (!rule.hover || effectiveSeverity(ctx.config, rule.id, rule.defaultSeverity) === 'off') continue;
    try {
      if (!rule.appliesTo(doc.relPath, doc.text, ctx.config)) continue;
      const text = await rule.hover(doc, ctx, offset);
      if (text) return redactTokens(text);
    } catch (error) {
      logRuleFailureOnce(options.log, rule.id, doc.relPath, error);
    }
  }
  return null;
}

/** Reads a file as an editor would show it (no BOM, invalid UTF-8 replaced) and analyses it. */
export async function analyzeFile(absPath: string, workspace: WorkspaceContext, options: AnalyzeOptions): Promise<Finding[]> {
  const text = decodeFileText(await readFile(absPath));
  return analyzeDocument(new SourceDocument(toRelPath(workspace.root, absPath), text), workspace, options);
}

/**
 * Whether any enabled rule could report on this file: the cheap prefilter before a full analysis.
 * A rule whose `appliesTo` throws counts as applying, so the analysis runs it isolated and logs it.
 */
export function anyRuleApplies(rules: readonly Rule[], relPath: string, text: string, config: ResolvedConfig): boolean {
  const applies = (rule: Rule) => {
    try {
      return rule.appliesTo(relPath, text, config);
    } catch {
      return true;
    }
  };
  return rules.some(applies) || text.includes('deployrisk-ignore');
}

export function toRelPath(root: string, absPath: string): string {
  return path.relative(root, absPath).split(path.sep).join('/');
}

/** Config problems as findings on the config file, so they show where the mistake is. */
export async function configProblemFindings(root: string, problems: ConfigProblem[]): Promise<Finding[]> {
  const texts = new Map<string, SourceDocument | null>();
  const findings: Finding[] = [];
  for (const problem of problems) {
    if (!texts.has(problem.file)) {
      const text = await readFile(problem.file, 'utf8').catch(() => null);
      texts.set(problem.file, text === null ? null : new SourceDocument(toRelPath(root, problem.file), text));
    }
    const doc = texts.get(problem.file);
    const range: Range = doc && problem.offset ? doc.rangeOf(problem.offset.start, problem.offset.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    findings.push({
      ruleId: CONFIG_PROBLEM_ID,
      severity: 'error',
      file: toRelPath(root, problem.file),
      range,
      message: problem.key ? `${problem.key}: ${problem.message}` : problem.message,
    });
  }
  return findings.map(shown);
}

async function ruleContext(workspace: WorkspaceContext, options: AnalyzeOptions): Promise<RuleContext> {
  const config = await workspace.config();
  return {
    workspace,
    config,
    isCancelled: options.isCancelled ?? (() => false),
    includeHistory: options.includeHistory ?? config.includeHistory ?? false,
    ...(options.reportedLines ? { reportedLines: options.reportedLines } : {}),
    async workspaceFact(key, compute) {
      const fact = workspace.derived(key, compute);
      if (options.workspaceFacts === 'wait') return fact.promise;
      if (fact.settled) return fact.value;
      workspace.factMissed();
      const { whenReady } = options.workspaceFacts;
      fact.promise.then(whenReady, whenReady);
      return fact.previous;
    },
  };
}

function logRuleFailureOnce(log: EngineLog, ruleId: string, relPath: string, error: unknown): void {
  let failed = failedRules.get(log);
  if (!failed) failedRules.set(log, (failed = new Set()));
  if (failed.has(ruleId)) return;
  failed.add(ruleId);
  // The message of an exception can quote the input (a parser echoing a line with a secret), so
  // only its type and stack frames are logged: the stack starts with the message, of any length.
  const frames = error instanceof Error && error.stack ? error.stack.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 5) : [];
  const kind = error instanceof Error ? error.name : typeof error;
  log.error(`Rule ${ruleId} failed on ${relPath} (${kind}); it is skipped for this file and further failures are not logged.`, frames);
}

function clampRange(doc: SourceDocument, range: Range): Range {
  const clamp = (p: Range['start']) => doc.positionAt(doc.offsetAt(p));
  return { start: clamp(range.start), end: clamp(range.end) };
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId);
}
