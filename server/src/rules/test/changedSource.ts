import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { SourceDocument } from '../../engine/document';
import { branchChangesKnown, newCode } from '../../engine/newCode';
import { noteTooDeep } from '../../engine/stackDepth';
import { isGenerated } from '../../engine/generated';
import { isUnparsed, parseSource } from '../flag/detect/typescriptModule';
import type { RuleContext } from '../../engine/rule';
import type { Range } from '../../engine/types';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import { languageOf, needsTests, type Language } from './classify';
import { coverageOf, type FileCoverage } from './coverage/reports';
import { testOptions, type TestOptions } from './options';
import type { SourceFacts, SourceSymbol } from './source/model';
import { runtimeChangedLines } from './runtimeChange';
import { patternSourceFacts } from './source/patterns';
import { typeScriptSourceFacts } from './source/typescript';
import { branchTestsReaching } from './branchReach';
import { httpTestsReaching } from './http/reach';
import { trpcTestsReaching } from './http/trpc';
import { uiTestsLocating } from './ui/locators';
import { buildTestIndex, type TestIndex } from './testIndex';
import { testsCovering, type CoveringTest } from './testsOf';
import { isVueComponent, vueScriptText } from './vue';

/** A source file with code changed in this branch, and the tests that cover it. */
export interface ChangedSource {
  language: Language;
  facts: SourceFacts;
  /** 0-based lines of code changed in this branch (every code line with `check --all`). */
  changed: Set<number>;
  index: TestIndex;
  covering: CoveringTest[];
  /** What of the module the route handlers the `http` tests request mention, when they reach it directly (http/reach.ts). */
  httpUses?: ReadonlySet<string>;
  /**
   * The file's lines in a fresh coverage report, when one has it and the document is as saved (the
   * report's line numbers are those on disk): then patch coverage decides, the mapping is the fallback.
   */
  coverage?: FileCoverage;
  options: TestOptions;
}

const perDocument = new WeakMap<SourceDocument, Promise<ChangedSource | undefined>>();

/**
 * What the test rules share for one document, computed once per analysis. Undefined when nothing
 * is to be judged: not a source that needs tests, no code changed, git unable to say what changed
 * (the status item says why), or, in the editor, the test index not built yet (it refreshes then).
 */
export function changedSource(doc: SourceDocument, ctx: RuleContext): Promise<ChangedSource | undefined> {
  let result = perDocument.get(doc);
  if (!result) perDocument.set(doc, (result = compute(doc, ctx)));
  return result;
}

async function compute(doc: SourceDocument, ctx: RuleContext): Promise<ChangedSource | undefined> {
  const options = testOptions(ctx.config);
  const language = languageOf(doc.relPath);
  if (!language || !needsTests(doc.relPath, options)) return undefined;
  let newLines: Set<number> | undefined;
  if (!ctx.includeHistory) {
    if (!(await branchChangesKnown(ctx))) return undefined;
    const code = await newCode(doc, ctx.workspace);
    // Most files of a workspace are unchanged in a branch: they are not parsed.
    if (!code || code.lines.size === 0) return undefined;
    newLines = code.lines;
  }
  if (options.exempt.has('generated') && isGenerated(doc.text)) return undefined;
  const facts = sourceFacts(doc, language);
  if (language === 'js') noteTooDeep(ctx.workspace, doc.relPath, isUnparsed(parseSource(doc.relPath, codeText(doc.relPath, doc.text))), 'test checks');
  if (facts.bootstrap && options.exempt.has('bootstrap')) return undefined;
  let changed = newLines ? new Set([...newLines].filter((line) => facts.codeLines.has(line))) : new Set(facts.codeLines);
  if (options.exempt.has('schemas')) for (const line of facts.declarative) changed.delete(line);
  if (changed.size > 0 && newLines && language === 'js' && options.exempt.has('types')) {
    const base = await (await ctx.workspace.git()).baseText(doc.relPath);
    if (base !== null) changed = runtimeChangedLines(doc.relPath, codeText(doc.relPath, base), codeText(doc.relPath, doc.text), changed, (offset) => doc.positionAt(offset).line);
  }
  if (changed.size === 0) return undefined;
  const index = await testIndexFact(ctx);
  if (!index) return undefined;
  const covering = testsCovering(index, doc.relPath, language, facts);
  let httpUses: ReadonlySet<string> | undefined;
  if (newLines && language === 'js') {
    const exports = changedExports(facts, changed);
    for (const file of await branchTestsReaching(ctx, index, doc.relPath, exports)) if (!covering.some((c) => c.file === file)) covering.push({ file, how: 'reach' });
    const http = await httpTestsReaching(ctx, index, doc.relPath, changed, exports);
    for (const file of http.tests) if (!covering.some((c) => c.file === file)) covering.push({ file, how: 'http' });
    if (http.tests.length && http.uses) httpUses = http.uses;
    for (const file of await uiTestsLocating(ctx, index, doc.relPath, doc.text)) if (!covering.some((c) => c.file === file)) covering.push({ file, how: 'ui' });
    for (const file of await trpcTestsReaching(ctx, index, doc.relPath, exports)) if (!covering.some((c) => c.file === file)) covering.push({ file, how: 'http' });
  }
  const coverage = await freshCoverage(doc, ctx.workspace, index, options, covering);
  return { language, facts, changed, index, covering, ...(httpUses ? { httpUses } : {}), ...(coverage ? { coverage } : {}), options };
}

/**
 * The report decides only while it can know the code and its tests: the source as saved and not
 * newer than the report, and no test that reaches it written or changed since (a test just
 * created from the quick fix has not run yet; the mapping judges until the report is made again).
 */
async function freshCoverage(doc: SourceDocument, workspace: WorkspaceContext, index: TestIndex, options: TestOptions, covering: CoveringTest[]): Promise<FileCoverage | undefined> {
  const coverage = await coverageOf(workspace, doc.relPath, index.files, options.coverageReports);
  if (!coverage || coverage === 'stale') return undefined;
  const disk = await workspace.readText(doc.relPath).catch(() => null);
  if (disk !== doc.text) return undefined;
  const reportTime = coverage.reportTime.getTime();
  for (const test of covering) {
    const written = await stat(path.join(workspace.root, test.file)).then((info) => info.mtimeMs, () => Infinity);
    if (written >= reportTime) return undefined;
  }
  return coverage;
}

/** The changed lines a coverage report counts as code (it omits braces, comments, declarations), and whether any ran. */
export function changedCoverage(source: ChangedSource): { measured: number[]; ran: boolean } | undefined {
  if (!source.coverage) return undefined;
  const measured = [...source.changed].filter((line) => source.coverage!.hits.has(line + 1)).sort((a, b) => a - b);
  return { measured, ran: measured.some((line) => source.coverage!.hits.get(line + 1)! > 0) };
}

export function sourceFacts(doc: SourceDocument, language: Language): SourceFacts {
  if (language !== 'js') return patternSourceFacts(doc, language);
  return typeScriptSourceFacts(isVueComponent(doc.relPath) ? new SourceDocument(doc.relPath, vueScriptText(doc.text)) : doc);
}

/** The code of a TS/JS source: a Vue component's `<script>` blocks, at their own offsets. */
function codeText(relPath: string, text: string): string {
  return isVueComponent(relPath) ? vueScriptText(text) : text;
}

/** The workspace's test index: the CLI waits for it, the editor gets it once built. */
export function testIndexFact(ctx: RuleContext): Promise<TestIndex | undefined> {
  return ctx.workspaceFact(TEST_INDEX_FACT, () => buildTestIndex(ctx.workspace));
}

/** The same fact for callers outside a rule (code lenses). */
export function testIndexOf(workspace: WorkspaceContext) {
  return workspace.derived(TEST_INDEX_FACT, () => buildTestIndex(workspace));
}

const TEST_INDEX_FACT = 'test/index';

/**
 * Where a finding about changed code goes: the longest run of changed code lines (comments and
 * blank lines inside a run do not split it), within `from`..`to` when given, as a line range.
 */
export function largestChangedRun(doc: SourceDocument, source: ChangedSource, from = 0, to = Number.MAX_SAFE_INTEGER): Range | undefined {
  const lines = [...source.changed].filter((line) => line >= from && line <= to).sort((a, b) => a - b);
  let best: [number, number] | undefined;
  let run: [number, number] | undefined;
  for (const line of lines) {
    const between = run ? Array.from({ length: line - run[1] - 1 }, (_, i) => run![1] + 1 + i) : [];
    if (run && between.every((n) => !source.facts.codeLines.has(n))) run[1] = line;
    else run = [line, line];
    if (!best || run[1] - run[0] > best[1] - best[0]) best = [run[0], run[1]];
  }
  if (!best) return undefined;
  return { start: { line: best[0], character: Math.max(0, doc.lineText(best[0]).search(/\S/)) }, end: { line: best[1], character: doc.lineText(best[1]).length } };
}

/**
 * The exports whose declarations changed (a method by its class), when each changed line is in
 * one of them; undefined when code outside them changed (a helper any export may call).
 */
function changedExports(facts: SourceFacts, changed: Set<number>): Set<string> | undefined {
  const names = new Set<string>();
  for (const line of changed) {
    const holders = facts.exported.filter((symbol) => symbol.startLine <= line && line <= symbol.endLine);
    if (holders.length === 0) return undefined;
    for (const symbol of holders) names.add(symbol.memberOf ?? symbol.exportedAs);
  }
  return names;
}

/** Whether a symbol's declaration has a changed line. */
export function isChanged(symbol: SourceSymbol, changed: Set<number>): boolean {
  for (let line = symbol.startLine; line <= symbol.endLine; line++) if (changed.has(line)) return true;
  return false;
}
