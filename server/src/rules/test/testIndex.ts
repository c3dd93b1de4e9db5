import * as path from 'node:path';
import type * as TS from 'typescript';
import { IO_CONCURRENCY, mapLimit } from '../../engine/concurrency';
import { cachedFact } from '../../engine/factCache';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import type { IndexedFile } from '../../workspace/contracts';
import type { ModuleResolver } from '../../workspace/moduleResolution';
import { parseSource, typescript } from '../flag/detect/typescriptModule';
import { isTestFile, languageOf, pathKey, type Language, type PathKey } from './classify';
import type { TestFileFacts } from './facts/model';
import { REEXPORTS, TEST_FILE_FACTS } from './factShapes';
import { patternTestFacts } from './facts/patterns';
import { typeScriptTestFacts } from './facts/typescript';
import { MANIFEST_FILES, frameworkOfTestText, type Framework, type ProjectManifests } from './frameworks';
import { testOptions } from './options';
import { isVueComponent, vueScriptText } from './vue';
import { workspaceModules } from '../../engine/workspaceModules';
import { candidateSpecifiers } from '../../engine/importGraph';

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
  /**
   * Every test file and its facts. For a branch check (`WorkspaceContext.branchOnly`) a TS/JS test
   * that cannot import a file of the branch is parsed only when asked for (`get`, or going through
   * them all); elsewhere a plain map, as workspace facts cross processes (the editor's scan).
   */
  tests: ReadonlyMap<string, TestFileFacts>;
  /**
   * The relative imports of the TS/JS tests that name a file of the workspace, each test's once,
   * read from their texts (type-only ones too; a test whose text only a parse can tell, by its
   * parsed imports): how the project's tests spell a relative import.
   */
  relativeImports: string[];
  /** Test files by the stem of the source they test by convention. */
  byStem: Map<string, { file: string; key: PathKey }[]>;
  /**
   * Source module → the test files importing it (directly, or through re-exporting modules). For a
   * branch check (`WorkspaceContext.branchOnly`), complete for the branch's files and for the tests
   * that can import one; a test that cannot is in no list.
   */
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
  /** A TS/JS test's import-shaped strings (`candidateSpecifiers`), where its text alone tells them. */
  specifiers?: string[];
  reexports?: Reexports;
  /** The re-exports were read from the text alone, without the module's own exports (`Reexports.own`). */
  withoutOwn?: boolean;
}

/**
 * `export { a as b } from './x'` and `export * from './y'` of a module tests import through; in
 * Python, `from ._x import a as b` and `from ._y import *` (a package's `__init__.py`, mostly).
 */
interface Reexports {
  named: Map<string, { specifier: string; imported: string }>;
  stars: string[];
  /** The names the module declares and exports itself, when known: `export *` reaches it only for those. */
  own?: Set<string>;
}

const perWorkspace = new WeakMap<WorkspaceContext, Map<string, CachedEntry>>();
/** How many re-exporting modules deep a test's import is followed (`index.ts` → `links.ts` → `links/http.ts` → ...). */
const MAX_REEXPORT_DEPTH = 8;

/**
 * Builds the test index incrementally: a file is read and parsed again only when its size or
 * modification time changed, so after a one-file change the cost is that file plus the joins.
 * Where the test rules judge only the lines a branch adds (`WorkspaceContext.branchOnly`), a TS/JS
 * test is parsed only when it can import a file with such lines (`branchFocus`), or when a rule
 * asks for its facts.
 */
export async function buildTestIndex(workspace: WorkspaceContext): Promise<TestIndex> {
  const config = await workspace.config();
  const options = testOptions(config);
  const { files } = await workspace.files();
  const stored = await workspace.factCache();
  const focus = await branchFocus(workspace);
  const cache = perWorkspace.get(workspace) ?? new Map<string, CachedEntry>();
  perWorkspace.set(workspace, cache);
  const byPath = new Map(files.map((file) => [file.relPath, file]));
  const fileSet: ReadonlySet<string> = new Set(byPath.keys());
  for (const relPath of [...cache.keys()]) if (!byPath.has(relPath)) cache.delete(relPath);

  // A Vue component in a test folder is a fixture the tests mount, not a test.
  const testFiles = files.filter((file) => isTestFile(file.relPath, options) && languageOf(file.relPath) !== undefined && !isVueComponent(file.relPath));
  const testPaths: ReadonlySet<string> = new Set(testFiles.map((file) => file.relPath));
  const manifestFiles = files.filter((file) => MANIFEST_FILES.test(file.relPath));
  /** A branch check's TS/JS tests not parsed yet, with their import-shaped strings. */
  const unparsed = new Map<string, { file: IndexedFile; text: string; specifiers: string[] }>();
  await mapLimit([...testFiles, ...manifestFiles], IO_CONCURRENCY, async (file) => {
    if (fresh(cache.get(file.relPath), file)) return;
    const text = await workspace.readText(file.relPath).catch(() => null);
    if (text === null) return cache.delete(file.relPath);
    const language = languageOf(file.relPath);
    if (!testPaths.has(file.relPath) || !language) return cache.set(file.relPath, { mtimeMs: file.mtimeMs, size: file.size, text });
    const specifiers = language === 'js' ? candidateSpecifiers(text) : undefined;
    // Parsed below if it can import a file of the branch; now if only a parse can tell its imports.
    if (focus && specifiers) return void unparsed.set(file.relPath, { file, text, specifiers });
    cache.set(file.relPath, { mtimeMs: file.mtimeMs, size: file.size, specifiers, facts: cachedFact(stored, 'test/facts', file, text, '', TEST_FILE_FACTS, () => testFacts(file.relPath, language, text)) });
  });

  const parsed = new Map<string, TestFileFacts>();
  for (const file of testFiles) {
    const facts = cache.get(file.relPath)?.facts;
    if (facts) parsed.set(file.relPath, facts);
  }
  const tests: ReadonlyMap<string, TestFileFacts> = focus
    ? new UnparsedTests(testFiles.map((file) => file.relPath).filter((relPath) => parsed.has(relPath) || unparsed.has(relPath)), parsed, (relPath) => {
        const { file, text } = unparsed.get(relPath)!;
        return cachedFact(stored, 'test/facts', file, text, '', TEST_FILE_FACTS, () => typeScriptTestFacts(relPath, text));
      })
    : parsed;
  /** What a TS/JS test imports by: its import-shaped strings, or its parsed imports where only a parse can tell them. */
  const specifiersOf = (relPath: string): readonly string[] => unparsed.get(relPath)?.specifiers ?? cache.get(relPath)?.specifiers ?? tests.get(relPath)?.imports.map((i) => i.specifier) ?? [];
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
  for (const file of tests.keys()) {
    const key = pathKey(file, true);
    const sameStem = byStem.get(key.stem) ?? [];
    sameStem.push({ file, key });
    byStem.set(key.stem, sameStem);
    // A test's framework is read from its text: a test not parsed counts as a parsed one does.
    const unread = unparsed.get(file);
    const framework = unread ? frameworkOfTestText('js', unread.text) : parsed.get(file)!.framework;
    if (framework) frameworksUsed.set(framework, (frameworksUsed.get(framework) ?? 0) + 1);
  }

  const importers = new Map<string, Importer[]>();
  const addImporter = (module: string, importer: Importer) => {
    const existing = importers.get(module) ?? [];
    existing.push(importer);
    importers.set(module, existing);
  };
  const resolve = (fromFile: string, specifier: string, language: Language) => resolveTestImport(modules, fromFile, specifier, language);
  /**
   * A module's re-exports. Its own exports (`own`, which needs a syntax tree) are read only when
   * `needOwn` (a module reached through `export *`); without them, a module whose text cannot
   * re-export (most modules a test imports) is not parsed.
   */
  const reexportsOf = async (module: string, needOwn: boolean) => {
    const file = byPath.get(module);
    const language = languageOf(module);
    if (!file || (language !== 'js' && language !== 'python')) return undefined;
    let entry = cache.get(module);
    if (!fresh(entry, file) || !entry?.reexports || (needOwn && entry.withoutOwn)) {
      const text = await workspace.readText(module).catch(() => '');
      const code = language === 'js' && isVueComponent(module) ? vueScriptText(text) : text;
      entry =
        language === 'js' && !needOwn && !mayReexport(code)
          ? { mtimeMs: file.mtimeMs, size: file.size, reexports: { named: new Map(), stars: [] }, withoutOwn: true }
          : { mtimeMs: file.mtimeMs, size: file.size, reexports: cachedFact(stored, 'test/reexports', file, text, '', REEXPORTS, () => (language === 'js' ? readReexports(module, code) : readPythonReexports(text))) };
      cache.set(module, entry);
    }
    return entry.reexports;
  };
  /**
   * Records the importer and follows re-exports, as far as the names the test uses lead: a name
   * re-exported by name goes to its module, any other to every `export *` (one of them declares it).
   * Each module is visited once per import of a test, so cycles end.
   */
  const follow = async (module: string, importer: Importer, depth: number, visited: Set<string>, viaStar = false) => {
    visited.add(module);
    const reexports = await reexportsOf(module, viaStar);
    // Through `export *`, a module is reached only for the names it exports (it may pass them on).
    const names = [...importer.names.keys()];
    if (viaStar && !importer.wholeModule && reexports?.own && reexports.stars.length === 0 && !names.some((n) => reexports.own!.has(n) || reexports.named.has(n))) return;
    addImporter(module, importer);
    if (depth >= MAX_REEXPORT_DEPTH) return;
    if (!reexports || (reexports.named.size === 0 && reexports.stars.length === 0)) return;
    const forwarded = new Map<string, Map<string, number>>();
    const forward = (specifier: string, name: string, count: number) => {
      const names = forwarded.get(specifier) ?? new Map<string, number>();
      names.set(name, Math.max(count, names.get(name) ?? 0));
      forwarded.set(specifier, names);
    };
    // A Python submodule bound by `from . import sub` is used as a whole (`pkg.sub.f`).
    const wholeTargets = new Set<string>();
    for (const [name, count] of importer.names) {
      const named = reexports.named.get(name);
      if (named?.imported === '*') wholeTargets.add(named.specifier);
      else if (named) forward(named.specifier, named.imported, count);
      else for (const star of reexports.stars) forward(star, name, count);
    }
    const targets = new Set([...forwarded.keys(), ...wholeTargets, ...(importer.wholeModule ? reexportedFrom(reexports) : [])]);
    const language = languageOf(module) === 'python' ? 'python' : 'js';
    for (const specifier of targets) {
      const target = resolve(module, specifier, language);
      if (!target || visited.has(target) || tests.has(target)) continue;
      const viaStar = reexports.stars.includes(specifier) && ![...reexports.named.values()].some((n) => n.specifier === specifier);
      await follow(target, { testFile: importer.testFile, names: forwarded.get(specifier) ?? new Map(), wholeModule: importer.wholeModule || wholeTargets.has(specifier) }, depth + 1, visited, viaStar);
    }
  };
  /**
   * Whether a module, or one it re-exports from (any name, any depth), is a file of the branch:
   * what a test importing it may reach. More than `follow` finds, never less.
   */
  const reachesFocus = async (module: string): Promise<boolean> => {
    const seen = new Set([module]);
    for (const current of seen) {
      if (focus!.has(current)) return true;
      const reexports = await reexportsOf(current, false);
      for (const specifier of reexports ? reexportedFrom(reexports) : []) {
        const target = resolve(current, specifier, 'js');
        if (target && !tests.has(target)) seen.add(target);
      }
    }
    return false;
  };
  const reaching = new Map<string, Promise<boolean>>();
  /** An unparsed TS/JS test that may import a file of the branch (by the specifiers its text holds), or is one. */
  const mayReachFocus = async (testFile: string): Promise<boolean> => {
    if (focus!.has(testFile)) return true;
    for (const specifier of unparsed.get(testFile)!.specifiers) {
      const module = resolve(testFile, specifier, 'js');
      if (!module || tests.has(module)) continue;
      let reaches = reaching.get(module);
      if (!reaches) reaching.set(module, (reaches = reachesFocus(module)));
      if (await reaches) return true;
    }
    return false;
  };
  for (const testFile of tests.keys()) {
    if (unparsed.has(testFile) && !(await mayReachFocus(testFile))) continue;
    const facts = tests.get(testFile)!;
    if (!facts.runs) continue;
    for (const testImport of facts.imports) {
      const module = resolve(testFile, testImport.specifier, facts.language);
      if (!module || tests.has(module)) continue;
      await follow(module, { testFile, names: testImport.names, wholeModule: testImport.wholeModule }, 0, new Set());
    }
  }
  const relativeImports = [...tests.keys()].filter((relPath) => languageOf(relPath) === 'js').flatMap((relPath) => [...new Set(specifiersOf(relPath))].filter((specifier) => specifier.startsWith('.') && resolve(relPath, specifier, 'js') !== undefined));
  return { files: fileSet, tests, relativeImports, byStem, importers, frameworksUsed, manifests };
}

/**
 * The files with lines the branch adds, where the test rules judge only those lines
 * (`WorkspaceContext.branchOnly`). Undefined otherwise (the editor, `check --all`) and without git
 * facts (no test rule judges anything then).
 */
async function branchFocus(workspace: WorkspaceContext): Promise<ReadonlySet<string> | undefined> {
  if (!workspace.branchOnly) return undefined;
  const git = await workspace.git();
  if (!git.repoRoot) return undefined;
  return new Set((await git.addedLines()).keys());
}

/**
 * A branch check's test facts by path (`TestIndex.tests`): the tests parsed while the index was
 * built, and the others parsed when first asked for (`parse`). Going through all of them (`values`,
 * `entries`) parses every one: ask by path where a few will do.
 */
class UnparsedTests implements ReadonlyMap<string, TestFileFacts> {
  private readonly paths: ReadonlySet<string>;
  private readonly known: Map<string, TestFileFacts>;

  constructor(paths: Iterable<string>, parsed: ReadonlyMap<string, TestFileFacts>, private readonly parse: (relPath: string) => TestFileFacts) {
    this.paths = new Set(paths);
    this.known = new Map(parsed);
  }

  get size(): number {
    return this.paths.size;
  }

  has(relPath: string): boolean {
    return this.paths.has(relPath);
  }

  get(relPath: string): TestFileFacts | undefined {
    if (!this.paths.has(relPath)) return undefined;
    let facts = this.known.get(relPath);
    if (!facts) this.known.set(relPath, (facts = this.parse(relPath)));
    return facts;
  }

  keys(): IterableIterator<string> {
    return this.paths.values();
  }

  *entries(): IterableIterator<[string, TestFileFacts]> {
    for (const relPath of this.paths) yield [relPath, this.get(relPath)!];
  }

  *values(): IterableIterator<TestFileFacts> {
    for (const [, facts] of this.entries()) yield facts;
  }

  forEach(callback: (facts: TestFileFacts, relPath: string, map: ReadonlyMap<string, TestFileFacts>) => void): void {
    for (const [relPath, facts] of this.entries()) callback(facts, relPath, this);
  }

  [Symbol.iterator](): IterableIterator<[string, TestFileFacts]> {
    return this.entries();
  }
}

/** The module a test's import names: TS/JS and Python imports are resolved, others are not. */
export function resolveTestImport(modules: Pick<ModuleResolver, 'resolveJs' | 'resolvePython'>, fromFile: string, specifier: string, language: Language): string | undefined {
  // The resolver remembers its answers by folder: tests of one folder import the same modules.
  return language === 'js' ? modules.resolveJs(fromFile, specifier) : language === 'python' ? modules.resolvePython(fromFile, specifier) : undefined;
}

/** Every module a module re-exports from, by any name. */
function reexportedFrom(reexports: Reexports): string[] {
  return [...reexports.stars, ...[...reexports.named.values()].map((n) => n.specifier)];
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

/**
 * A Python module's imports, as what `import package` makes reachable: `from ._x import a as b`
 * binds `b`, `from ._y import *` everything `_y` exports, `from . import sub` the submodule. Line
 * patterns, as for the tests' imports; parenthesised lists may span lines.
 */
export function readPythonReexports(text: string): Reexports {
  const reexports: Reexports = { named: new Map(), stars: [] };
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const from = /^\s*from\s+(\.*[\w.]*)\s+import\s+(.+)$/.exec(lines[i]);
    if (!from) continue;
    let names = from[2];
    while (names.includes('(') && !names.includes(')') && i + 1 < lines.length && /^[\w\s,()\\]*(#.*)?$/.test(lines[i + 1])) names += ` ${lines[++i]}`;
    const specifier = from[1];
    for (const part of names.replace(/#.*$/, '').replace(/[()\\]/g, ' ').split(',')) {
      const match = /^\s*(\*|\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
      if (!match) continue;
      if (match[1] === '*') reexports.stars.push(specifier);
      // `from . import sub`: the name is a submodule.
      else if (/^\.+$/.test(specifier)) reexports.named.set(match[2] ?? match[1], { specifier: `${specifier}${match[1]}`, imported: '*' });
      else reexports.named.set(match[2] ?? match[1], { specifier, imported: match[1] });
    }
  }
  return reexports;
}

function readReexports(relPath: string, text: string): Reexports {
  const reexports: Reexports = { named: new Map(), stars: [], own: new Set() };
  const ts: typeof TS = typescript();
  const statements = parseSource(relPath, text).statements;
  for (const statement of statements) {
    const exported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = exported && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (isDefault || ts.isExportAssignment(statement)) reexports.own!.add('default');
    if (exported && (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) reexports.own!.add(statement.name.text);
    if (exported && ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) reexports.own!.add(d.name.text);
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) for (const e of statement.exportClause.elements) reexports.own!.add(e.name.text);
    // CommonJS or anything else DeployRisk cannot list: every name may be there.
    if (ts.isExpressionStatement(statement) && /^(module\.)?exports\b/.test(statement.getText())) reexports.own = undefined;
    if (!reexports.own) break;
  }
  // Most modules re-export nothing: skip the walk unless a re-export may be there.
  if (!mayReexport(text)) return reexports;
  for (const statement of statements) {
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier) || statement.isTypeOnly) continue;
    const specifier = statement.moduleSpecifier.text;
    const clause = statement.exportClause;
    if (!clause) reexports.stars.push(specifier);
    else if (ts.isNamedExports(clause)) for (const element of clause.elements) reexports.named.set(element.name.text, { specifier, imported: (element.propertyName ?? element.name).text });
  }
  return reexports;
}
