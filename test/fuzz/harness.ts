import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeDocument, hoverAt } from '../../server/src/engine/analyze';
import { SourceDocument, decodeFileText } from '../../server/src/engine/document';
import type { Rule } from '../../server/src/engine/rule';
import type { Finding, Fix, Range, Report, TextEdit } from '../../server/src/engine/types';
import { WorkspaceContext } from '../../server/src/engine/workspaceContext';
import { loadSqlParser } from '../../server/src/rules/migration/analysis/sql';
import { ALL_RULES } from '../../server/src/rules';
import { captureLog } from '../helpers/engine';
import { tempWorkspace, type TempWorkspace } from '../helpers/fixtures';
import { commitAll, git } from '../helpers/git';
import type { FuzzCase } from './arbitraries';
import { parses } from './targets';

const REPO = join(__dirname, '..', '..');
/** Findings whose fixes are applied and re-analysed per case: enough to reach every fix, bounded in cost. */
const MAX_FIXES_PER_CASE = 4;

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
 *   (and each other file it edits) still parses if it parsed before, and applying the fix removes
 *   its finding (same rule and message at the place the fix moved it to);
 * - no message, related message, fix title, hover or log line contains any part of a generated secret.
 */
export class FuzzHarness {
  private readonly raw: RawReport[] = [];
  private readonly rules: readonly Rule[];
  private readonly knownRuleIds: ReadonlySet<string>;

  private constructor(
    private readonly gitRepo: TempWorkspace,
    private readonly gitContext: WorkspaceContext,
    private readonly registry: TempWorkspace,
    /** The registry workspace's files as they were, restored after every case so cases stay independent. */
    readonly registryFiles: Map<string, string>,
  ) {
    this.rules = ALL_RULES.map((rule) => this.instrument(rule));
    this.knownRuleIds = new Set(ALL_RULES.map((rule) => rule.id));
  }

  /**
   * A trusted git repository on a feature branch (its only files are a README and a flag registry
   * the in-memory documents never collide with), and an untrusted copy of the flag fixture
   * workspace (registry, flag-using code, configuration) whose files the registry cases rewrite.
   */
  static async create(): Promise<FuzzHarness> {
    await loadSqlParser();
    const gitRepo = tempWorkspace({ 'README.md': '# fuzz\n', 'config/flags.yaml': readFileSync(join(REPO, 'examples/flags.yaml'), 'utf8') });
    git(gitRepo.root, ['init', '-q']);
    commitAll(gitRepo.root, 'base');
    git(gitRepo.root, ['checkout', '-q', '-b', 'feature']);
    const knownRuleIds = new Set(ALL_RULES.map((rule) => rule.id));
    const gitContext = new WorkspaceContext({ root: gitRepo.root, trusted: true, knownRuleIds });
    const registry = tempWorkspace();
    cpSync(join(REPO, 'test/fixtures/flags'), registry.root, { recursive: true });
    const registryFiles = new Map<string, string>();
    for (const relPath of listFiles(registry.root)) registryFiles.set(relPath, readFileSync(join(registry.root, relPath), 'utf8'));
    return new FuzzHarness(gitRepo, gitContext, registry, registryFiles);
  }

  cleanup(): void {
    this.gitRepo.cleanup();
    this.registry.cleanup();
  }

  async check(fuzz: FuzzCase): Promise<void> {
    if (fuzz.workspace === 'git') {
      await this.checkDocument(fuzz, new SourceDocument(fuzz.path, fuzz.text), this.gitRepo.root, async (doc) => this.analyse(doc, this.gitContext));
      return;
    }
    // Written to disk as bytes and read back as DeployRisk reads files, so the workspace-wide facts see what the document holds.
    const written = new Map<string, string | undefined>();
    const write = (relPath: string, text: string) => {
      if (!written.has(relPath)) written.set(relPath, this.registryFiles.get(relPath));
      mkdirSync(dirname(join(this.registry.root, relPath)), { recursive: true });
      writeFileSync(join(this.registry.root, relPath), text);
    };
    try {
      if (fuzz.config !== undefined) write('.deployrisk.yaml', fuzz.config);
      write(fuzz.path, fuzz.text);
      const doc = new SourceDocument(fuzz.path, decodeFileText(readFileSync(join(this.registry.root, fuzz.path))));
      await this.checkDocument(fuzz, doc, this.registry.root, async (analysed, otherFiles = []) => {
        if (analysed !== doc) write(analysed.relPath, analysed.text);
        for (const other of otherFiles) write(other.file, other.text);
        return this.analyse(analysed, new WorkspaceContext({ root: this.registry.root, trusted: false, knownRuleIds: this.knownRuleIds }));
      });
    } finally {
      for (const [relPath, original] of written) {
        if (original === undefined) rmSync(join(this.registry.root, relPath), { force: true });
        else writeFileSync(join(this.registry.root, relPath), original);
      }
    }
  }

  private async checkDocument(fuzz: FuzzCase, doc: SourceDocument, root: string, analyse: Analyse): Promise<void> {
    const context = `${fuzz.origin} at ${fuzz.path}`;
    const result = await analyse(doc);
    for (const { ruleId, report } of result.raw) {
      assertInside(doc, report.range, `${ruleId} reported a range outside ${context}`);
      for (const related of report.related ?? []) {
        assert.ok(isWorkspacePath(related.file), `${ruleId} related location ${related.file} is not a workspace path`);
        const relatedDoc = related.file === doc.relPath ? doc : readDocument(root, related.file);
        if (relatedDoc) assertInside(relatedDoc, related.range, `${ruleId} related location outside ${related.file}`);
      }
    }
    const outputs = [...result.logLines, ...result.findings.flatMap((f) => [f.message, ...(f.related ?? []).map((r) => r.message), ...(f.fixes ?? []).map((x) => x.title)])];
    const hover = await this.hover(doc, fuzz.workspace === 'git' ? this.gitContext : new WorkspaceContext({ root, trusted: false, knownRuleIds: this.knownRuleIds }), Math.floor(fuzz.hover * doc.text.length));
    outputs.push(...hover);
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
        await this.checkFix(doc, root, finding, fix, parsedBefore, analyse, context);
      }
    }
  }

  private async checkFix(doc: SourceDocument, root: string, finding: Finding, fix: Fix, parsedBefore: boolean | null, analyse: Analyse, context: string): Promise<void> {
    const what = `fix "${fix.title}" of ${finding.ruleId} (${context})`;
    const edits = offsetEdits(doc, fix.edits, what);
    for (const file of fix.newFiles ?? []) {
      assert.ok(isWorkspacePath(file.file) && file.file !== doc.relPath && !existsSync(join(root, file.file)), `${what} creates ${file.file}, which is not a new workspace path`);
      assert.notEqual(parses(file.file, file.text), false, `${what} creates ${file.file}, which does not parse:\n${file.text}`);
    }
    const otherFiles: { file: string; text: string }[] = [];
    for (const other of fix.otherFiles ?? []) {
      const otherDoc = readDocument(root, other.file);
      assert.ok(isWorkspacePath(other.file) && otherDoc && other.file !== doc.relPath, `${what} edits ${other.file}, which is not another file of the workspace`);
      const text = applyEdits(otherDoc.text, offsetEdits(otherDoc, other.edits, `${what} in ${other.file}`));
      if (parses(other.file, otherDoc.text)) assert.ok(parses(other.file, text), `${what} leaves ${other.file} unparseable:\n${text}`);
      otherFiles.push({ file: other.file, text });
    }
    const fixedText = applyEdits(doc.text, edits);
    if (parsedBefore) assert.ok(parses(doc.relPath, fixedText), `${what} leaves the document unparseable:\n${fixedText}`);
    const fixed = new SourceDocument(doc.relPath, fixedText);
    const after = await analyse(fixed, otherFiles);
    const start = mapOffset(doc.offsetAt(finding.range.start), edits, 'start');
    const end = mapOffset(doc.offsetAt(finding.range.end), edits, 'end');
    const remaining = after.findings.find(
      (f) => f.ruleId === finding.ruleId && f.message === finding.message && fixed.offsetAt(f.range.start) <= end && start <= fixed.offsetAt(f.range.end),
    );
    assert.equal(remaining, undefined, `${what} does not remove its finding "${finding.message}"; fixed text:\n${fixedText}`);
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

type Analyse = (doc: SourceDocument, otherFiles?: { file: string; text: string }[]) => Promise<Analysis>;

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

function applyEdits(text: string, edits: OffsetEdit[]): string {
  let result = text;
  for (const edit of [...edits].reverse()) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
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

function listFiles(root: string, dir = ''): string[] {
  return readdirSync(join(root, dir)).sort().flatMap((name) => {
    const relPath = dir ? `${dir}/${name}` : name;
    return statSync(join(root, relPath)).isDirectory() ? listFiles(root, relPath) : [relPath];
  });
}
