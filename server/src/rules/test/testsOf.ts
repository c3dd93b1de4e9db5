import * as path from 'node:path';
import { conventionallyTests, languageOf, pathKey, type Language } from './classify';
import type { SourceFacts, SourceSymbol } from './source/model';
import { resolveTestImport, type TestIndex } from './testIndex';
import type { ModuleResolver } from '../../workspace/moduleResolution';

/** A test file that covers a source file, and how DeployRisk knows. */
export interface CoveringTest {
  file: string;
  /**
   * `reach`: a test the branch extends, reaching the file through other project code (branchReach.ts);
   * `http`: a request the branch writes in a test reaching a route the file declares, or one whose handler imports it (http/reach.ts),
   * or a tRPC procedure its tests call by name or through a component they click through (http/trpc.ts);
   * `ui`: a locator the branch writes in a test finding an element by a test id or phrase the component holds (ui/locators.ts).
   */
  how: 'convention' | 'import' | 'name' | 'reach' | 'http' | 'ui';
}

/**
 * The tests of a source file: those named after it by convention, those importing it (TS/JS and
 * Python), and, for Go, Ruby and Java, those mentioning the names it declares (Go: in its package).
 */
export function testsCovering(index: TestIndex, relPath: string, language: Language, facts: SourceFacts): CoveringTest[] {
  const found = new Map<string, CoveringTest['how']>();
  const source = pathKey(relPath, false);
  const stems = source.stem === 'index' || source.stem === '__init__' ? [source.stem, path.posix.basename(source.dir)] : [source.stem];
  const runs = (file: string) => index.tests.get(file)?.runs !== false;
  for (const stem of stems) {
    for (const test of index.byStem.get(stem) ?? []) {
      if (!runs(test.file) || !sameLanguage(test.file, relPath)) continue;
      // Named after it, where the project keeps tests; or named after it anywhere when no other source has that name.
      if (conventionallyTests(test.key, source) || (stem === source.stem && stem !== 'index' && uniqueSource(index, relPath, stem))) found.set(test.file, 'convention');
    }
  }
  for (const importer of index.importers.get(relPath) ?? []) if (!found.has(importer.testFile)) found.set(importer.testFile, 'import');
  if (language === 'go' || language === 'ruby' || language === 'java') {
    const names = language === 'java' ? [source.stem] : facts.declaredNames;
    // By path first: a TS/JS test's facts may not be computed yet (TestIndex.tests).
    for (const file of index.tests.keys()) {
      if (found.has(file) || languageOf(file) !== language) continue;
      if (language === 'go' && path.posix.dirname(file) !== path.posix.dirname(relPath)) continue;
      const test = index.tests.get(file)!;
      if (names.some((name) => test.words.has(name))) found.set(file, 'name');
    }
  }
  return [...found].map(([file, how]) => ({ file, how }));
}

/** The test files whose test cases use an exported symbol, and how many test cases do. */
export function testsOfSymbol(index: TestIndex, relPath: string, symbol: SourceSymbol): { file: string; cases: number }[] {
  const result = new Map<string, number>();
  for (const importer of index.importers.get(relPath) ?? []) {
    let cases: number | undefined;
    if (symbol.memberOf !== undefined) {
      const classUsed = importer.names.has(symbol.memberOf) || importer.wholeModule;
      cases = classUsed ? index.tests.get(importer.testFile)?.members.get(symbol.exportedAs) : undefined;
    } else {
      cases = importer.names.get(symbol.exportedAs) ?? (importer.wholeModule ? 1 : undefined);
    }
    if (cases) result.set(importer.testFile, Math.max(result.get(importer.testFile) ?? 0, cases));
  }
  return [...result].map(([file, cases]) => ({ file, cases }));
}

const projectImporters = new WeakMap<TestIndex, Map<string, boolean>>();

/**
 * Whether a test that runs imports a module of the workspace, one that is no test (so `importers`
 * lists it somewhere, in a whole index): read from its own imports, so it holds for a test a
 * branch check's index did not follow.
 */
export function importsProjectCode(index: TestIndex, testFile: string, modules: Pick<ModuleResolver, 'resolveJs' | 'resolvePython'>): boolean {
  let known = projectImporters.get(index);
  if (!known) projectImporters.set(index, (known = new Map()));
  let imports = known.get(testFile);
  if (imports === undefined) {
    const facts = index.tests.get(testFile);
    imports = facts?.runs === true && facts.imports.some((testImport) => {
      const module = resolveTestImport(modules, testFile, testImport.specifier, facts.language);
      return module !== undefined && !index.tests.has(module);
    });
    known.set(testFile, imports);
  }
  return imports;
}

const sourcesByStem = new WeakMap<TestIndex, Map<string, string[]>>();

/** Whether `relPath` is the only source of its language family with this stem. */
function uniqueSource(index: TestIndex, relPath: string, stem: string): boolean {
  let byStem = sourcesByStem.get(index);
  if (!byStem) {
    byStem = new Map();
    for (const file of index.files) {
      if (index.tests.has(file) || !/\.([cm]?[jt]sx?|py|go|rb|java|vue)$/.test(file)) continue;
      const key = pathKey(file, false).stem;
      byStem.set(key, [...(byStem.get(key) ?? []), file]);
    }
    sourcesByStem.set(index, byStem);
  }
  return (byStem.get(stem) ?? []).filter((file) => sameLanguage(file, relPath)).length === 1;
}

/** The test files whose pending tests (todo, skipped, empty) name an exported symbol, and how many. */
export function pendingTestsOfSymbol(index: TestIndex, relPath: string, symbol: SourceSymbol): { file: string; cases: number }[] {
  const result = new Map<string, number>();
  for (const importer of index.importers.get(relPath) ?? []) {
    const pending = index.tests.get(importer.testFile)?.imports.flatMap((i) => (i.pendingNames ? [i.pendingNames.get(symbol.memberOf ?? symbol.exportedAs) ?? 0] : []));
    const cases = Math.max(0, ...(pending ?? []));
    if (cases) result.set(importer.testFile, Math.max(result.get(importer.testFile) ?? 0, cases));
  }
  return [...result].map(([file, cases]) => ({ file, cases }));
}

function sameLanguage(a: string, b: string): boolean {
  const family = (p: string) => (/\.([cm]?[jt]sx?|vue)$/.test(p) ? 'js' : path.posix.extname(p));
  return family(a) === family(b);
}
