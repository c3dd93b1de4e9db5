import type { SourceDocument } from '../../engine/document';
import type { Fix, Range } from '../../engine/types';
import { fixesInsideWorkspace } from '../../engine/fixTargets';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import { sourceFacts, testIndexOf } from './changedSource';
import { languageOf, needsTests } from './classify';
import { testOptions } from './options';
import { addTestFix, createTestFileFix, testFileUnread } from './scaffold/fixes';
import { pendingTestsOfSymbol, testsCovering, testsOfSymbol } from './testsOf';

/** "3 tests" / "no tests" above an exported symbol: the tests that use it, or the fix that writes one. */
export interface TestLens {
  range: Range;
  title: string;
  label: string;
  tests: { file: string; cases: number }[];
  /** For "no tests": the test to write (a new file, or a test added to the module's test file). */
  fix?: Fix;
}

/**
 * Lenses for the exported functions, classes and methods of a TS/JS or Python source, changed or
 * not. Undefined while the test index is first built (the editor asks again when it is ready).
 */
export async function testLenses(doc: SourceDocument, workspace: WorkspaceContext, whenReady: () => void): Promise<TestLens[] | undefined> {
  const language = languageOf(doc.relPath);
  const options = testOptions(await workspace.config());
  if ((language !== 'js' && language !== 'python') || !needsTests(doc.relPath, options)) return [];
  const fact = testIndexOf(workspace);
  if (!fact.settled) fact.promise.then(whenReady, whenReady);
  const index = fact.settled ? fact.value : fact.previous;
  if (!fact.settled && !index) return undefined;
  if (!index) return [];
  const facts = sourceFacts(doc, language);
  const covering = testsCovering(index, doc.relPath, language, facts);
  const target = covering.find((c) => c.how === 'convention') ?? covering[0];
  const lenses: TestLens[] = [];
  for (const symbol of facts.exported) {
    if (symbol.kind === 'value') continue;
    const label = symbol.memberOf !== undefined ? `${symbol.memberOf}.${symbol.name}` : symbol.name;
    const running = testsOfSymbol(index, doc.relPath, symbol);
    const cases = running.reduce((sum, t) => sum + t.cases, 0);
    // Tests that are skipped, todo or empty run nothing: shown as pending, never as tests.
    const pending = cases === 0 ? pendingTestsOfSymbol(index, doc.relPath, symbol) : [];
    const pendingCases = pending.reduce((sum, t) => sum + t.cases, 0);
    const tests = cases > 0 ? running : pending;
    const untested = { doc, language, symbols: [symbol] };
    const proposed = cases > 0 ? undefined : target ? await addTestFix(untested, target.file, workspace, index, options, label) : await createTestFileFix(untested, index, options, workspace);
    const [fix] = proposed ? await fixesInsideWorkspace(workspace, [proposed]) : [];
    // The test file is there but was not read (too large, excluded): nothing is known, so no lens says "no tests".
    if (cases === 0 && !target && (await testFileUnread(untested, index, options, workspace))) continue;
    const title = cases > 0 ? `${cases} ${cases === 1 ? 'test' : 'tests'}` : pendingCases > 0 ? `${pendingCases} pending ${pendingCases === 1 ? 'test' : 'tests'}` : 'no tests';
    lenses.push({ range: doc.rangeOf(symbol.nameStart, symbol.nameEnd), title, label, tests, fix });
  }
  return lenses;
}
