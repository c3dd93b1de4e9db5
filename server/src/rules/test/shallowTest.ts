import type { Rule, RuleContext } from '../../engine/rule';
import type { Report } from '../../engine/types';
import { branchChangesKnown, newCode } from '../../engine/newCode';
import { workspaceModules } from '../../engine/workspaceModules';
import { testIndexFact } from './changedSource';
import { isTestFile, languageOf } from './classify';
import type { ShallowCase, Shallowness } from './depth/model';
import { shallowPythonCases } from './depth/python';
import { assertingExports, shallowTypeScriptCases } from './depth/typescript';
import { testOptions } from './options';
import type { TestIndex } from './testIndex';
import { isVueComponent } from './vue';

const WHAT: Record<Shallowness, string> = {
  'no-assertion': 'asserts nothing',
  existence: 'only checks that what it imports exists',
  literal: 'asserts on a literal (`expect(true)`, `assert True`), not on a result of the code',
  'undefined-snapshot': 'snapshots `undefined`',
  'own-mock': 'asserts the value its own mock was told to return',
  swallowed: 'runs its assertions inside a `try` whose `catch` drops their failure',
};

/**
 * A test new or changed in this branch that runs and asserts nothing meaningful. Agents write code
 * and tests fast, and a test that asserts nothing passes too: it counts as a test of the code it
 * calls (`test/untested-*` are silent) while checking none of it. TS/JS and Python.
 */
export const shallowTestRule: Rule = {
  id: 'test/shallow-test',
  area: 'test',
  defaultSeverity: 'warning',
  description: 'A test new or changed in this branch that runs but asserts nothing meaningful about the code it calls.',
  appliesTo: (relPath, _text, config) => {
    const language = languageOf(relPath);
    const options = testOptions(config);
    return (language === 'js' || language === 'python') && !isVueComponent(relPath) && isTestFile(relPath, options) && !options.isIgnored(relPath);
  },
  async check(doc, ctx) {
    let changed: Set<number> | undefined;
    if (!ctx.includeHistory) {
      if (!(await branchChangesKnown(ctx))) return [];
      changed = (await newCode(doc, ctx.workspace))?.lines;
      if (!changed || changed.size === 0) return [];
    }
    const all = languageOf(doc.relPath) === 'python' ? shallowPythonCases(doc.text) : shallowTypeScriptCases(doc.relPath, doc.text);
    const touched = all.filter((c) => !changed || [...changed].some((line) => line >= c.startLine && line <= c.endLine));
    const cases = languageOf(doc.relPath) === 'js' ? await withoutImportedAssertions(touched, doc.relPath, ctx) : touched;
    if (cases.length === 0) return [];
    const index = await testIndexFact(ctx);
    const added = ctx.includeHistory ? undefined : await (await ctx.workspace.git()).addedLines();
    const reports: Report[] = [];
    for (const shallow of cases) {
      const symbols = sourceSymbols(index, doc.relPath, shallow).filter((s) => !added || added.has(s.file));
      const names = [...new Set(symbols.map((s) => s.name))];
      const files = [...new Set(symbols.map((s) => s.file))];
      const list = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ').replace(/, ([^,]*)$/, ' and $1');
      const subject = names.length
        ? `${list} (${files.slice(0, 2).join(', ')}${files.length > 2 ? ` and ${files.length - 2} more` : ''}${added ? ', changed in this branch' : ''})`
        : 'the code it calls';
      reports.push({
        message: `Test "${shallow.title}" ${WHAT[shallow.why]}, so it passes whatever ${subject} ${names.length > 1 ? 'do' : 'does'}. Assert the result or effect the change should have, or suppress with the reason.`,
        range: doc.rangeOf(shallow.start, shallow.end),
      });
    }
    return reports;
  },
};

/**
 * The cases left once those calling an asserting helper of the project's test code are dropped:
 * `checkDocumentCounts(page, …)` imported from `../fixtures/documents`, where it runs `expect`.
 * Only test code counts (a test file, or a module importing an assertion library): production code
 * that checks an invariant with `assert` does not make a test that merely calls it meaningful.
 */
async function withoutImportedAssertions(cases: ShallowCase[], testFile: string, ctx: RuleContext): Promise<ShallowCase[]> {
  if (!cases.some((c) => c.calls.length > 0)) return cases;
  const modules = await workspaceModules(ctx.workspace);
  const options = testOptions(await ctx.workspace.config());
  const asserting = new Map<string, Promise<Set<string>>>();
  const assertingIn = (module: string) => {
    let names = asserting.get(module);
    if (!names) {
      names = ctx.workspace.readText(module).then(
        (text) => (isTestFile(module, options) || ASSERTION_LIBRARY.test(text) ? assertingExports(module, text) : new Set<string>()),
        () => new Set<string>(),
      );
      asserting.set(module, names);
    }
    return names;
  };
  const kept: ShallowCase[] = [];
  for (const shallow of cases) {
    let asserts = false;
    for (const use of shallow.calls) {
      const module = modules.resolveJs(testFile, use.specifier);
      if (module && module !== testFile && languageOf(module) === 'js' && (await assertingIn(module)).has(use.name)) {
        asserts = true;
        break;
      }
    }
    if (!asserts) kept.push(shallow);
  }
  return kept;
}

/** An import of an assertion library: the module is test support code wherever it lives. */
const ASSERTION_LIBRARY = /\bfrom\s*['"](?:vitest|@jest\/globals|@playwright\/test|chai)['"]/;

/** The source modules' exported names a test uses, as the test index resolved its imports (through re-exports too). */
function sourceSymbols(index: TestIndex | undefined, testFile: string, shallow: ShallowCase): { file: string; name: string }[] {
  if (!index || shallow.uses.length === 0) return [];
  const used = new Set(shallow.uses.map((u) => u.name));
  const found: { file: string; name: string }[] = [];
  for (const [file, importers] of index.importers) {
    for (const importer of importers) {
      if (importer.testFile !== testFile) continue;
      for (const name of importer.names.keys()) if (used.has(name)) found.push({ file, name });
    }
  }
  return found;
}
