import type * as TS from 'typescript';
import type { RuleContext } from '../../engine/rule';
import { workspaceModules } from '../../engine/workspaceModules';
import type { AddedLines } from '../../workspace/contracts';
import { parseSource, typescript } from '../flag/detect/typescriptModule';
import { runtimeImportersOf } from './runtimeImporters';
import type { TestIndex } from './testIndex';

/**
 * The existing tests this branch adds test code to that reach `relPath` through other project code: the
 * test imports a module whose run-time imports lead, however deep, to `relPath` (a component
 * rendered in the tree of the one the test renders, a helper of the link the test builds).
 *
 * Following every import from every test would count a module as tested because some test of the
 * same tree exists, and hide the gaps of that tree. An existing test extended in the same change
 * is what a reviewer reads as "this change comes with its tests": it reaches the change through
 * the tree the developer chose to exercise. Which exports it uses is not known.
 *
 * `changedExports`: the exports whose declarations changed, when every changed line is in one;
 * then only the files importing one of them (or the whole module) lead to the change: a tree
 * importing an enum of the module does not run the function changed beside it.
 */
export async function branchTestsReaching(ctx: RuleContext, index: TestIndex, relPath: string, changedExports: ReadonlySet<string> | undefined): Promise<string[]> {
  const roots = await branchTestRoots(ctx, index);
  if (roots.size === 0) return [];
  const reaching = await testsReachingThrough(ctx, relPath, changedExports, roots);
  // A test importing the module itself is counted by its imports, with the names it uses.
  for (const importer of index.importers.get(relPath) ?? []) reaching.delete(importer.testFile);
  return [...reaching];
}

/**
 * The tests of `roots` (module → the tests reaching it) that reach `relPath` through the modules
 * importing it at run time, however deep. `changedExports`: see above.
 */
export async function testsReachingThrough(ctx: RuleContext, relPath: string, changedExports: ReadonlySet<string> | undefined, roots: ReadonlyMap<string, readonly string[]>): Promise<Set<string>> {
  const reaching = new Set<string>();
  const importers = await runtimeImportersOf(ctx);
  if (!importers) return reaching;
  const visited = new Set([relPath]);
  for (const test of roots.get(relPath) ?? []) reaching.add(test);
  const queue: string[] = [];
  for (const importer of await importers.of(relPath)) {
    if (changedExports && !(await importsAnyOf(ctx, importer, relPath, changedExports))) continue;
    visited.add(importer);
    queue.push(importer);
  }
  // Upwards through the files importing those, until every importer was seen once.
  while (queue.length) {
    const module = queue.pop()!;
    for (const test of roots.get(module) ?? []) reaching.add(test);
    for (const importer of await importers.of(module)) {
      if (visited.has(importer)) continue;
      visited.add(importer);
      queue.push(importer);
    }
  }
  return reaching;
}

const rootsOf = new WeakMap<TestIndex, WeakMap<Map<string, AddedLines>, Promise<Map<string, string[]>>>>();

/** The modules the branch's extended tests import (directly or through re-exports) → those tests. */
async function branchTestRoots(ctx: RuleContext, index: TestIndex): Promise<Map<string, string[]>> {
  const added = await (await ctx.workspace.git()).addedLines();
  let byAdded = rootsOf.get(index);
  if (!byAdded) rootsOf.set(index, (byAdded = new WeakMap()));
  let roots = byAdded.get(added);
  if (!roots) byAdded.set(added, (roots = computeRoots(ctx, index, added)));
  return roots;
}

async function computeRoots(ctx: RuleContext, index: TestIndex, added: Map<string, AddedLines>): Promise<Map<string, string[]>> {
  const extended = new Set<string>();
  for (const [file, lines] of added) {
    // A test file the branch adds is the unit test of what it is written for, which it imports by
    // name; the trees it builds to get there (a root store holding every store) are scaffolding.
    if (lines.isNew || index.tests.get(file)?.runs !== true) continue;
    const text = await ctx.workspace.readText(file).catch(() => null);
    if (text !== null && addsTestCode(text, lines)) extended.add(file);
  }
  const roots = new Map<string, string[]>();
  if (extended.size === 0) return roots;
  for (const [module, importers] of index.importers) {
    const tests = importers.map((i) => i.testFile).filter((file) => extended.has(file));
    if (tests.length) roots.set(module, [...new Set(tests)]);
  }
  return roots;
}

/** Whether the added lines hold more than imports, blank lines and comments: test code, not a renamed import. */
function addsTestCode(text: string, added: AddedLines): boolean {
  const lines = text.split(/\r?\n|\r/);
  for (const i of added.lines.map((line) => line - 1)) {
    const line = (lines[i] ?? '').trim();
    if (line && !/^(import\b|export\s*[{*]|from\s|\}\s*from\b|\/\/|\/\*|\*|#)/.test(line)) return true;
  }
  return false;
}

/** Whether `importer` imports one of `names` from `target`, its default export, or the whole module (a namespace, `export *`, `require`, `import()`). */
async function importsAnyOf(ctx: RuleContext, importer: string, target: string, names: ReadonlySet<string>): Promise<boolean> {
  const text = await ctx.workspace.readText(importer).catch(() => null);
  if (text === null) return true;
  const ts: typeof TS = typescript();
  const modules = await workspaceModules(ctx.workspace);
  const source = parseSource(importer, text);
  let statically = false;
  for (const statement of source.statements) {
    const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
    if (specifier === undefined || modules.resolveJs(importer, specifier) !== target) continue;
    statically = true;
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (!clause || !ts.isNamedExports(clause) || clause.elements.some((e) => names.has((e.propertyName ?? e.name).text))) return true;
      continue;
    }
    const clause = (statement as TS.ImportDeclaration).importClause;
    if (!clause || clause.isTypeOnly) continue;
    if (clause.name && names.has('default')) return true;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) return true;
    if (bindings && bindings.elements.some((e) => !e.isTypeOnly && names.has((e.propertyName ?? e.name).text))) return true;
  }
  // Not among the static imports: a `require` or `import()` the pre-processor found.
  return !statically;
}
