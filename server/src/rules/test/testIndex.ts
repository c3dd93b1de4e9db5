import * as path from 'node:path';
import type * as TS from 'typescript';
import { IO_CONCURRENCY, mapLimit } from '../../engine/concurrency';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import type { IndexedFile } from '../../workspace/contracts';
import { parseSource, typescript } from '../flag/detect/typescriptModule';
import { isTestFile, languageOf, pathKey, type Language, type PathKey } from './classify';
import type { TestFileFacts } from './facts/model';
import { patternTestFacts } from './facts/patterns';
import { typeScriptTestFacts } from './facts/typescript';
import { MANIFEST_FILES, type Framework, type ProjectManifests } from './frameworks';
import { testOptions } from './options';
import { workspaceModules } from '../../engine/workspaceModules';

/** A test file that imports a source module, and what of it its tests use. */
export interface Importer {
  testFile: string;
  /** Exported names → test cases using them. */
  names: Map<string, number>;
  /** Every export may be used (a namespace passed around, `export *` re-exported further). */
  wholeModule: boolean;
}

/** Which tests exist and what each one exercises: the workspace-wide fact the test rules share. */
export interface TestIndex {
  files: ReadonlySet<string>;
  tests: Map<string, TestFileFacts>;
  /** Test files by the stem of the source they test by convention. */
  byStem: Map<string, { file: string; key: PathKey }[]>;
  /** Source module → the test files importing it (directly, or through re-exporting modules). */
  importers: Map<string, Importer[]>;
  frameworksUsed: Map<Framework, number>;
  manifests: ProjectManifests;
}

interface CachedEntry {
  mtimeMs: number;
  size: number;
  facts?: TestFileFacts;
  /** Manifests and module re-exports keep what they need; other files are not cached. */
  text?: string;
  reexports?: Reexports;
}

/** `export { a as b } from './x'` and `export * from './y'` of a module tests import through. */
interface Reexports {
  named: Map<string, { specifier: string; imported: string }>;
  stars: string[];
}

const perWorkspace = new WeakMap<WorkspaceContext, Map<string, CachedEntry>>();
/** How many re-exporting modules deep a test's import is followed (`index.ts` → `billing/index.ts` → ...). */
const MAX_REEXPORT_DEPTH = 4;

/**
 * Builds the test index incrementally: a file is read and parsed again only when its size or
 * modification time changed, so after a one-file change the cost is that file plus the joins.
 */
export async function buildTestIndex(workspace: WorkspaceContext): Promise<TestIndex> {
  const config = await workspace.config();
  const options = testOptions(config);
  const { files } = await workspace.files();
  const cache = perWorkspace.get(workspace) ?? new Map<string, CachedEntry>();
  perWorkspace.set(workspace, cache);
  const byPath = new Map(files.map((file) => [file.relPath, file]));
  const fileSet: ReadonlySet<string> = new Set(byPath.keys());
  for (const relPath of [...cache.keys()]) if (!byPath.has(relPath)) cache.delete(relPath);

  const testFiles = files.filter((file) => isTestFile(file.relPath, options) && languageOf(file.relPath) !== undefined);
  const testPaths = new Set(testFiles.map((file) => file.relPath));
  const manifestFiles = files.filter((file) => MANIFEST_FILES.test(file.relPath));
  await mapLimit([...testFiles, ...manifestFiles], IO_CONCURRENCY, async (file) => {
    if (fresh(cache.get(file.relPath), file)) return;
    const text = await workspace.readText(file.relPath).catch(() => null);
    if (text === null) return cache.delete(file.relPath);
    const language = languageOf(file.relPath);
    cache.set(file.relPath, testPaths.has(file.relPath) && language ? { mtimeMs: file.mtimeMs, size: file.size, facts: testFacts(file.relPath, language, text) } : { mtimeMs: file.mtimeMs, size: file.size, text });
  });

  const tests = new Map<string, TestFileFacts>();
  for (const file of testFiles) {
    const facts = cache.get(file.relPath)?.facts;
    if (facts) tests.set(file.relPath, facts);
  }
  const manifests: ProjectManifests = { packageJsons: new Map(), markers: new Map() };
  for (const file of manifestFiles) {
    const text = cache.get(file.relPath)?.text;
    if (text === undefined) continue;
    if (path.posix.basename(file.relPath) === 'package.json') manifests.packageJsons.set(path.posix.dirname(file.relPath).replace(/^\.$/, ''), text);
    else manifests.markers.set(file.relPath, text);
  }
  const modules = await workspaceModules(workspace);

  const byStem = new Map<string, { file: string; key: PathKey }[]>();
  const frameworksUsed = new Map<Framework, number>();
  for (const [file, facts] of tests) {
    const key = pathKey(file, true);
    const sameStem = byStem.get(key.stem) ?? [];
    sameStem.push({ file, key });
    byStem.set(key.stem, sameStem);
    if (facts.framework) frameworksUsed.set(facts.framework, (frameworksUsed.get(facts.framework) ?? 0) + 1);
  }

  const importers = new Map<string, Importer[]>();
  const addImporter = (module: string, importer: Importer) => {
    const existing = importers.get(module) ?? [];
    existing.push(importer);
    importers.set(module, existing);
  };
  // Tests of one folder import the same modules: each specifier is resolved once per folder.
  const resolved = new Map<string, string | undefined>();
  const resolve = (fromFile: string, specifier: string, language: Language) => {
    const key = `${language}\0${path.posix.dirname(fromFile)}\0${specifier}`;
    if (!resolved.has(key)) resolved.set(key, language === 'js' ? modules.resolveJs(fromFile, specifier) : language === 'python' ? modules.resolvePython(fromFile, specifier) : undefined);
    return resolved.get(key);
  };
  const reexportsOf = async (module: string) => {
    const file = byPath.get(module);
    if (!file || languageOf(module) !== 'js') return undefined;
    let entry = cache.get(module);
    if (!fresh(entry, file) || !entry?.reexports) {
      const text = await workspace.readText(module).catch(() => '');
      entry = { mtimeMs: file.mtimeMs, size: file.size, reexports: readReexports(module, text) };
      cache.set(module, entry);
    }
    return entry.reexports;
  };
  /**
   * Records the importer and follows re-exports. Modules reached through `export *` are read for
   * further re-exports only when they are `index` modules: a barrel re-exporting a hundred modules
   * would otherwise read each of them.
   */
  const follow = async (testFile: string, module: string, importer: Importer, depth: number, readsReexports: boolean) => {
    addImporter(module, importer);
    if (depth >= MAX_REEXPORT_DEPTH || !readsReexports) return;
    const reexports = await reexportsOf(module);
    if (!reexports) return;
    const forwarded = new Map<string, Map<string, number>>();
    const forward = (specifier: string, name: string, count: number) => {
      const names = forwarded.get(specifier) ?? new Map<string, number>();
      names.set(name, count);
      forwarded.set(specifier, names);
    };
    for (const [name, count] of importer.names) {
      const named = reexports.named.get(name);
      if (named) forward(named.specifier, named.imported, count);
      else for (const star of reexports.stars) forward(star, name, count);
    }
    const targets = new Set([...forwarded.keys(), ...(importer.wholeModule ? [...reexports.stars, ...[...reexports.named.values()].map((n) => n.specifier)] : [])]);
    const named = new Set([...reexports.named.values()].map((n) => n.specifier));
    for (const specifier of targets) {
      const target = resolve(module, specifier, 'js');
      if (!target || target === module) continue;
      const isBarrel = named.has(specifier) || /(^|\/)index\.[cm]?[jt]sx?$/.test(target);
      await follow(testFile, target, { testFile, names: forwarded.get(specifier) ?? new Map(), wholeModule: importer.wholeModule }, depth + 1, isBarrel);
    }
  };
  for (const [testFile, facts] of tests) {
    for (const testImport of facts.imports) {
      const module = resolve(testFile, testImport.specifier, facts.language);
      if (!module || tests.has(module)) continue;
      await follow(testFile, module, { testFile, names: testImport.names, wholeModule: testImport.wholeModule }, 0, facts.language === 'js');
    }
  }
  return { files: fileSet, tests, byStem, importers, frameworksUsed, manifests };
}

function fresh(entry: CachedEntry | undefined, file: IndexedFile): boolean {
  return entry !== undefined && entry.mtimeMs === file.mtimeMs && entry.size === file.size;
}

function testFacts(relPath: string, language: Language, text: string): TestFileFacts {
  return language === 'js' ? typeScriptTestFacts(relPath, text) : patternTestFacts(language, text);
}

/**
 * Whether the text may re-export: `export *` or `export { ... } from` (over lines too). One pass:
 * each `{` is closed by the first `}` after it, and the search goes on from there.
 */
export function mayReexport(text: string): boolean {
  const exports = /\bexport\s*(?:type\s+)?([*{])/g;
  for (let match = exports.exec(text); match; match = exports.exec(text)) {
    if (match[1] === '*') return true;
    const close = text.indexOf('}', exports.lastIndex);
    if (close < 0) return false;
    if (/^\s*from\b/.test(text.slice(close + 1, close + 64))) return true;
    exports.lastIndex = close + 1;
  }
  return false;
}

function readReexports(relPath: string, text: string): Reexports {
  const reexports: Reexports = { named: new Map(), stars: [] };
  // Most modules re-export nothing: skip the syntax tree unless a re-export may be there.
  if (!mayReexport(text)) return reexports;
  const ts: typeof TS = typescript();
  for (const statement of parseSource(relPath, text).statements) {
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier) || statement.isTypeOnly) continue;
    const specifier = statement.moduleSpecifier.text;
    const clause = statement.exportClause;
    if (!clause) reexports.stars.push(specifier);
    else if (ts.isNamedExports(clause)) for (const element of clause.elements) reexports.named.set(element.name.text, { specifier, imported: (element.propertyName ?? element.name).text });
  }
  return reexports;
}
