import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument, hoverAt } from '../../server/src/engine/analyze';
import { SourceDocument, decodeFileText } from '../../server/src/engine/document';
import type { Rule } from '../../server/src/engine/rule';
import type { Finding, Fix, Range, Report, TextEdit } from '../../server/src/engine/types';
import type { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { loadSqlParser } from '../../server/src/rules/migration/analysis/sql';
import { ALL_RULES } from '../../server/src/rules';
import { applyTextEdits } from '../helpers/edits';
import { captureLog } from '../helpers/engine';
import { TEST_FIXTURES } from '../helpers/testFixtures';
import type { FuzzCase } from './arbitraries';
import { parses } from './targets';
import { TEST_REPOS } from './testRepos';
import { DiskWorkspace } from './workspaces';

const REPO = join(__dirname, '..', '..');
/** Findings whose fixes are applied and re-analysed per case: enough to reach every fix, bounded in cost. */
const MAX_FIXES_PER_CASE = 4;
/**
 * Rules whose fixes cannot remove their finding by themselves, and why; their fixes are still
 * checked to edit inside the files and keep them parsing.
 */
const FIX_NEED_NOT_REMOVE: Record<string, string> = {
  'test/uncovered-lines': 'its fix adds a test for the code, but the lines count as run only when the tests run with coverage and rewrite the report',
  'test/flag-one-state': 'its fix adds a pending test for the missing flag state; the state counts as tested only once that test sets the flag, which the developer writes',
  'migration/destructive-without-plan': 'its fix inserts a plan whose repair is a placeholder for a person to write; migration/invalid-plan flags it until then',
};

interface RawReport {
  ruleId: string;
  report: Report;
}

/**
 * Runs one generated case through the engine with every rule (ALL_RULES, so rules added later are
 * fuzzed without changes here) and checks the properties:
 * - no rule fails: the engine isolates a throwing rule and logs it, so a logged failure is a throw;
 * - every range a rule reports, each related location in the file and each fix edit lies inside the document;
 * - each fix's edits do not overlap, its new files are new workspace paths, the edited document
 *   (and each other file it edits) still parses if it parsed before, and applying the fix (its
 *   edits, other files and new files, as the editor applies it) removes its finding (same rule and
 *   message at the place the fix moved it to), except for the rules in FIX_NEED_NOT_REMOVE;
 * - no message, related message, fix title, hover or log line contains any part of a generated secret.
 */
export class FuzzHarness {
  private readonly raw: RawReport[] = [];
  private readonly rules: readonly Rule[];

  private constructor(
    private readonly gitRepo: DiskWorkspace,
    private readonly registry: DiskWorkspace,
    private readonly testRepos: Map<string, DiskWorkspace>,
  ) {
    this.rules = ALL_RULES.map((rule) => this.instrument(rule));
  }

  /**
   * A trusted git repository on a feature branch (its only files are a README and a flag registry
   * the in-memory documents never collide with), an untrusted copy of the flag fixture workspace
   * (registry, flag-using code, configuration) whose files the registry cases rewrite, and the test
   * fixture repositories (sources and tests, base on main, the branch committed).
   */
  static async create(): Promise<FuzzHarness> {
    await loadSqlParser();
    const knownRuleIds = new Set(ALL_RULES.map((rule) => rule.id));
    const gitRepo = DiskWorkspace.repository({ 'README.md': '# fuzz\n', 'config/flags.yaml': readFileSync(join(REPO, 'examples/flags.yaml'), 'utf8') }, knownRuleIds);
    const registry = DiskWorkspace.copy(join(REPO, 'test/fixtures/flags'), knownRuleIds);
    const testRepos = new Map(TEST_REPOS.map((name) => [name, DiskWorkspace.repository(join(TEST_FIXTURES, name, 'base'), knownRuleIds, join(TEST_FIXTURES, name, 'branch'))]));
    return new FuzzHarness(gitRepo, registry, testRepos);
  }

  get registryFiles(): Map<string, string> {
    return this.registry.files;
  }

  get testRepoFiles(): Map<string, Map<string, string>> {
    return new Map([...this.testRepos].map(([name, ws]) => [name, ws.files]));
  }

  cleanup(): void {
    for (const ws of [this.gitRepo, this.registry, ...this.testRepos.values()]) ws.cleanup();
  }

  async check(fuzz: FuzzCase): Promise<void> {
    const ws = fuzz.workspace === 'git' ? this.gitRepo : fuzz.workspace === 'registry' ? this.registry : this.testRepos.get(fuzz.repo!)!;
    await ws.within(async () => {
      if (fuzz.workspace === 'git') {
        // An unsaved editor buffer: the document is analysed as it is, nothing on disk holds it.
        await this.checkDocument(fuzz, new SourceDocument(fuzz.path, fuzz.text), ws);
        return;
      }
      // Written to disk as bytes and read back as DeployRisk reads files, so the workspace-wide facts see what the document holds.
      await ws.write([{ path: fuzz.path, content: fuzz.text }, ...(fuzz.files ?? []).map((f) => ({ path: f.path, content: f.text }))]);
      await this.checkDocument(fuzz, readDocument(ws.root, fuzz.path)!, ws);
    });
  }

  private async checkDocument(fuzz: FuzzCase, doc: SourceDocument, ws: DiskWorkspace): Promise<void> {
    const context = `${fuzz.origin} at ${fuzz.path}`;
    const result = await this.analyse(doc, ws.context);
    for (const { ruleId, report } of result.raw) {
      assertInside(doc, report.range, `${ruleId} reported a range outside ${context}`);
      for (const related of report.related ?? []) {
        assert.ok(isWorkspacePath(related.file), `${ruleId} related location ${related.file} is not a workspace path`);
        const relatedDoc = related.file === doc.relPath ? doc : readDocument(ws.root, related.file);
        if (relatedDoc) assertInside(relatedDoc, related.range, `${ruleId} related location outside ${related.file}`);
      }
    }
    const outputs = [...result.logLines, ...result.findings.flatMap((f) => [f.message, ...(f.related ?? []).map((r) => r.message), ...(f.fixes ?? []).map((x) => x.title)])];
    outputs.push(...(await this.hover(doc, ws.context, Math.floor(fuzz.hover * doc.text.length))));
    for (const finding of result.findings.filter((f) => f.ruleId.startsWith('secret/'))) {
      for (const fix of finding.fixes ?? []) outputs.push(...fix.edits.map((e) => e.newText), ...(fix.newFiles ?? []).map((f) => f.text));
    }
    for (const secret of fuzz.secrets) {
      const echoed = outputs.find((output) => output.includes(secret));
      assert.equal(echoed, undefined, `a generated secret is echoed in: ${echoed?.slice(0, 300)} (${context})`);
    }

    const parsedBefore = parses(doc.relPath, doc.text);
    let fixesChecked = 0;
    for (const finding of result.findings) {
      for (const fix of finding.fixes ?? []) {
        if (fixesChecked++ >= MAX_FIXES_PER_CASE) return;
        await ws.within(() => this.checkFix(doc, ws, fuzz.workspace === 'git', finding, fix, parsedBefore, context));
      }
    }
  }

  /**
   * Applies a fix as the editor does (its edits to the document, its other files edited and its new
   * files created on disk) and analyses again. An in-memory document stays in memory; one read from
   * disk is saved with the fix, so the workspace facts see it.
   */
  private async checkFix(doc: SourceDocument, ws: DiskWorkspace, inMemory: boolean, finding: Finding, fix: Fix, parsedBefore: boolean | null, context: string): Promise<void> {
    const what = `fix "${fix.title}" of ${finding.ruleId} (${context})`;
    const edits = offsetEdits(doc, fix.edits, what);
    const writes: { path: string; content: string }[] = [];
    for (const file of fix.newFiles ?? []) {
      assert.ok(isWorkspacePath(file.file) && file.file !== doc.relPath && !existsSync(join(ws.root, file.file)), `${what} creates ${file.file}, which is not a new workspace path`);
      assert.notEqual(parses(file.file, file.text), false, `${what} creates ${file.file}, which does not parse:\n${file.text}`);
      writes.push({ path: file.file, content: file.text });
    }
    for (const other of fix.otherFiles ?? []) {
      const otherDoc = readDocument(ws.root, other.file);
      assert.ok(isWorkspacePath(other.file) && otherDoc && other.file !== doc.relPath, `${what} edits ${other.file}, which is not another file of the workspace`);
      offsetEdits(otherDoc, other.edits, `${what} in ${other.file}`);
      const text = applyTextEdits(otherDoc.text, other.edits);
      if (parses(other.file, otherDoc.text)) assert.ok(parses(other.file, text), `${what} leaves ${other.file} unparseable:\n${text}`);
      writes.push({ path: other.file, content: text });
    }
    const fixedText = applyTextEdits(doc.text, fix.edits);
    if (parsedBefore) assert.ok(parses(doc.relPath, fixedText), `${what} leaves the document unparseable:\n${fixedText}`);
    if (!inMemory && edits.length > 0) writes.unshift({ path: doc.relPath, content: fixedText });
    await ws.write(writes);
    const fixed = new SourceDocument(doc.relPath, fixedText);
    const after = await this.analyse(fixed, ws.context);
    if (finding.ruleId in FIX_NEED_NOT_REMOVE) return;
    const start = mapOffset(doc.offsetAt(finding.range.start), edits, 'start');
    const end = mapOffset(doc.offsetAt(finding.range.end), edits, 'end');
    const remaining = after.findings.find(
      (f) => f.ruleId === finding.ruleId && f.message === finding.message && fixed.offsetAt(f.range.start) <= end && start <= fixed.offsetAt(f.range.end),
    );
    assert.equal(remaining, undefined, `${what} does not remove its finding "${finding.message}"; fixed text:\n${fixedText}${writes.map((w) => `\n--- ${w.path}:\n${w.content}`).join('')}`);
  }

  /** Analyses with a log of its own: any `error:` line is a rule that threw. */
  private async analyse(doc: SourceDocument, workspace: WorkspaceContext): Promise<Analysis> {
    const log = captureLog();
    this.raw.length = 0;
    const findings = await analyzeDocument(doc, workspace, { rules: this.rules, log, workspaceFacts: 'wait' });
    assertNoFailure(log.lines, doc.relPath);
    return { findings, raw: [...this.raw], logLines: log.lines };
  }

  private async hover(doc: SourceDocument, workspace: WorkspaceContext, offset: number): Promise<string[]> {
    const log = captureLog();
    const text = await hoverAt(doc, workspace, offset, { rules: this.rules, log, workspaceFacts: 'wait' });
    assertNoFailure(log.lines, doc.relPath);
    return text === null ? log.lines : [text, ...log.lines];
  }

  /** The same rule, its reports recorded before the engine clamps their ranges. */
  private instrument(rule: Rule): Rule {
    return {
      ...rule,
      check: async (doc, ctx) => {
        const reports = await rule.check.call(rule, doc, ctx);
        for (const report of reports) this.raw.push({ ruleId: rule.id, report });
        return reports;
      },
      hover: rule.hover && ((doc, ctx, offset) => rule.hover!.call(rule, doc, ctx, offset)),
    };
  }
}

interface Analysis {
  findings: Finding[];
  raw: RawReport[];
  logLines: string[];
}

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

function assertNoFailure(lines: string[], relPath: string): void {
  const failure = lines.find((line) => line.startsWith('error:'));
  assert.equal(failure, undefined, `a rule threw on ${relPath}: ${failure}`);
}

function assertInside(doc: SourceDocument, range: Range, message: string): void {
  for (const position of [range.start, range.end]) {
    const ok =
      Number.isInteger(position.line) && Number.isInteger(position.character) && position.line >= 0 && position.character >= 0 &&
      position.line < doc.lineCount && position.character <= doc.lineEnd(position.line) - doc.lineStarts[position.line];
    assert.ok(ok, `${message}: ${JSON.stringify(range)} in a document of ${doc.lineCount} lines`);
  }
  assert.ok(doc.offsetAt(range.start) <= doc.offsetAt(range.end), `${message}: the range ends before it starts: ${JSON.stringify(range)}`);
}

/** Edits as offsets, sorted; each inside the document, none overlapping another (LSP forbids it). */
function offsetEdits(doc: SourceDocument, edits: TextEdit[], what: string): OffsetEdit[] {
  for (const edit of edits) {
    assertInside(doc, edit.range, `${what} edits outside the document`);
    assert.equal(typeof edit.newText, 'string', `${what} has an edit without text`);
  }
  const sorted = edits.map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), newText: e.newText })).sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1].end <= sorted[i].start, `${what} has overlapping edits`);
  return sorted;
}

/**
 * Where an offset of the original text is after the edits: shifted by the edits before it; inside
 * a replaced span, the start or the end of its replacement.
 */
function mapOffset(offset: number, edits: OffsetEdit[], side: 'start' | 'end'): number {
  let delta = 0;
  for (const edit of edits) {
    const before = edit.end < offset || (edit.end === offset && (edit.start < edit.end || side === 'start'));
    if (before) {
      delta += edit.newText.length - (edit.end - edit.start);
      continue;
    }
    if (edit.start < offset) return edit.start + delta + (side === 'end' ? edit.newText.length : 0);
    break;
  }
  return offset + delta;
}

function isWorkspacePath(file: string): boolean {
  return file !== '' && !file.startsWith('/') && !file.includes('\\') && !file.split('/').some((part) => part === '..' || part === '.' || part === '');
}

function readDocument(root: string, relPath: string): SourceDocument | null {
  try {
    return new SourceDocument(relPath, decodeFileText(readFileSync(join(root, relPath))));
  } catch {
    return null;
  }
}
