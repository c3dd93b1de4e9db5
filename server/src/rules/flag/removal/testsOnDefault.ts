import type * as TS from 'typescript';
import type { ModuleResolver } from '../../../workspace/moduleResolution';
import { declaredRoutes } from '../../test/http/reach';
import { reaches, type DeclaredRoute, type RequestedPath } from '../../test/http/paths';
import { requestedPaths } from '../../test/http/requests';
import { mayRoute, routeFacts, type RouteFacts } from '../../test/http/routes';
import { parseSource, typescript } from '../detect/typescriptModule';
import type { InventoryFlag } from '../inventory';
import type { Keep } from './keep';
import { wordsPattern } from './candidates';
import { constantDoubles, evaluatingMethods } from './testDoubles';

/**
 * Tests that never set the flag ran the path its default answers. When a removal keeps the other
 * path, those of them exercising the code it rewrites tested the path that goes, without naming
 * the flag: nothing in their text says so, and they fail afterwards (an API test expecting the
 * names an `anonymise` flag now hides). DeployRisk does not run them; it lists them for review:
 * - tests requesting a route whose handler holds a rewritten evaluation (the route found as the test
 *   rules find it, through the routers mounting it);
 * - tests importing a rewritten module and naming the function or method holding the evaluation;
 * - both through one module in between that imports such a function by name and calls it.
 * A test case that names the flag sets it (the removal already edits those), and so does a file
 * naming it outside its test cases (a setup every case shares); a file with a test double answering
 * every flag the same ran no default.
 */

/** How many routers up a controller's mounts are followed (`/api` → `/admin` → `/users`). */
const MAX_MOUNT_DEPTH = 4;
const TEST_CALL = /^(?:it|test)$/;

export interface DefaultReview {
  file: string;
  /** 0-based line of the first request or import. */
  line: number;
  reason: string;
}

export interface DefaultInputs {
  flag: InventoryFlag;
  keep: Keep;
  /** The flag's key and the names holding it: a test naming one sets the flag. */
  mentions: RegExp;
  /** Non-test modules whose evaluations the removal rewrote → their text before it and the evaluations' 0-based lines. */
  rewritten: Map<string, { text: string; lines: number[] }>;
  /** Every code file's text, by path. */
  code: Map<string, string>;
  /** The files that may hold a test double answering every flag the same (`FlagCandidates.doubles`). */
  doubles: ReadonlyMap<string, string>;
  isTest: (file: string) => boolean;
  modules: Pick<ModuleResolver, 'resolveJs'>;
}

/** The tests that ran the removed path by the flag's default, one line per test file and rewritten module. */
export function testsOnDefault(input: DefaultInputs): DefaultReview[] {
  const removed = removedByDefault(input.flag, input.keep);
  if (!removed || input.rewritten.size === 0) return [];
  const methods = evaluatingMethods(input.flag);
  // Tests are parsed only when their text can matter: they name the flag, a double, or a route's last segment.
  const tests = [...input.code]
    .filter(([file, text]) => input.isTest(file) && !wholeFileSets(file, text, input.mentions) && !(input.doubles.has(file) && constantDoubles(file, text, methods).length))
    .map(([file, text]): TestView => ({ file, text, namesFlag: input.mentions.test(text) }));
  const importers = new Importers(input.code);
  const routers = new Routers(input.code, input.modules, input.isTest, importers);
  const found: DefaultReview[] = [];
  const listed = new Set<string>();
  for (const { module, text, lines, names, via } of reachedModules(input, importers)) {
    const called = names.size ? wordsPattern(names) : undefined;
    const held = routesHolding(module, text, lines, names, routers);
    const lastSegments = [...new Set(held.map(literalTail).filter((tail) => tail !== undefined))];
    const where = via ? `${module}, which calls into ${via},` : module;
    for (const test of tests) {
      // A test already listed for the rewritten module is not listed again for a module calling into it.
      if (via && listed.has(`${test.file}\0${via}`)) continue;
      const request = lastSegments.some((segment) => writesOutsideImports(test.text, segment)) ? firstRequest(requestsOf(test, input.mentions), held) : undefined;
      const call = request || !called || test.namesFlag ? undefined : callOf(test, module, names, called, input.modules);
      if (request) found.push({ file: test.file, line: request.line, reason: `a test requests ${request.label} without setting the flag: its handler in ${where} ran the ${removed} path, which this removal takes out; check what the test expects` });
      else if (call) found.push({ file: test.file, line: call.line, reason: `the tests here call ${call.name} of ${where} without setting the flag: they ran its ${removed} path, which this removal takes out; check what they expect` });
      if (request || call) listed.add(`${test.file}\0${module}`);
    }
  }
  return found;
}

/** A test file, and what the review has read of it so far (each read once, whatever the modules asked about). */
interface TestView {
  file: string;
  text: string;
  namesFlag: boolean;
  requests?: TestRequests;
  /** Each module it imports → the names it imports from it, and the import's 0-based line. */
  imports?: Map<string, { names: Set<string>; line: number }>;
}

function requestsOf(test: TestView, mentions: RegExp): TestRequests {
  test.requests ??= testRequests(test.file, test.text, mentions);
  return test.requests;
}

/** A module whose code runs a rewritten evaluation, with the names of what runs it. */
interface Reached {
  module: string;
  text: string;
  /** 0-based lines of its rewritten evaluations (none for a module calling into one). */
  lines: number[];
  names: Set<string>;
  /** The rewritten module it calls into. */
  via?: string;
}

/**
 * The rewritten modules, then the modules importing by name a function holding one of its
 * evaluations and calling it (a page rendering the dialog that evaluates the flag): one step, as a
 * test reaching the evaluation through one module is as likely to run it. A method is not followed
 * (`service.sync()` names no class, and a module building every service is not one that runs it).
 */
function reachedModules(input: DefaultInputs, importers: Importers): Reached[] {
  const ts = typescript();
  const reached: Reached[] = [];
  for (const [module, { text, lines }] of input.rewritten) reached.push({ module, text, lines, names: enclosingNames(module, text, lines) });
  for (const target of [...reached]) {
    if (target.names.size === 0) continue;
    const names = wordsPattern(target.names);
    for (const file of importers.of(target.module)) {
      const text = input.code.get(file)!;
      if (input.rewritten.has(file) || input.isTest(file) || !names.test(text)) continue;
      const source = parseSource(file, text);
      const local = importedNames(ts, source, (specifier) => input.modules.resolveJs(file, specifier) === target.module, target.names);
      if (local.size === 0) continue;
      // The imported functions themselves too: a route naming one as its handler (`router.get('/events', getEvents)`) runs it.
      reached.push({ module: file, text, lines: [], names: new Set([...local, ...callersIn(ts, source, local)]), via: target.module });
    }
  }
  return reached;
}

/**
 * The route's last literal segment after a slash, as any request to it writes it (`/events` of
 * `/api/admin/events/:id`, however the test builds the part before).
 */
function literalTail(route: DeclaredRoute): string | undefined {
  const last = [...route.segments].reverse().find((segment) => /\w/.test(segment));
  return last === undefined ? undefined : `/${last}`;
}

/**
 * A line importing a module: its specifier names folders (`'../features/x'`), never a route a test
 * requests. Not any `export` line: a helper exported on one line may request the route.
 */
const IMPORT_LINE = /^\s*import[\s{*'"]|\bfrom\s*['"`]|\b(?:require|import)\s*\(/;

/**
 * Whether the text writes a route's last segment on a line that imports nothing: a test is parsed
 * for its requests only then (unleash's `/features` is in the imports of 140 of its tests, in a
 * request of far fewer). Each line is read once, however often it holds the segment.
 */
function writesOutsideImports(text: string, segment: string): boolean {
  for (let at = text.indexOf(segment); at >= 0; ) {
    const lineEnd = text.indexOf('\n', at);
    if (!IMPORT_LINE.test(text.slice(text.lastIndexOf('\n', at) + 1, lineEnd < 0 ? text.length : lineEnd))) return true;
    if (lineEnd < 0) return false;
    at = text.indexOf(segment, lineEnd);
  }
  return false;
}

/** The path a test that never sets the flag runs, when the removal takes it out: `disabled` for a flag off by default kept enabled. */
function removedByDefault(flag: InventoryFlag, keep: Keep): 'enabled' | 'disabled' | undefined {
  // Declared, else written alike at every evaluation, else an SDK's own: off.
  const written = new Set(flag.defaults);
  const declared = flag.declared?.default ?? (written.size === 0 ? 'false' : written.size === 1 ? flag.defaults[0] : undefined);
  if (declared !== 'true' && declared !== 'false') return undefined;
  const byDefault = declared === 'true' ? 'enabled' : 'disabled';
  // A variant or a value kept is not what an unset flag serves (its disabled variant, the call's default).
  const kept = keep === 'enabled' || keep === 'disabled' ? keep : 'enabled';
  return kept === byDefault ? undefined : byDefault;
}

/** A test file naming the flag outside its test cases sets it for all of them (a shared setup). */
function wholeFileSets(file: string, text: string, mentions: RegExp): boolean {
  if (!mentions.test(text)) return false;
  const ts = typescript();
  let outside = false;
  const visit = (node: TS.Node): void => {
    if (outside || testCaseCall(ts, node)) return;
    if ((ts.isIdentifier(node) || ts.isStringLiteralLike(node) || ts.isPrivateIdentifier(node)) && mentions.test(node.text)) outside = true;
    ts.forEachChild(node, visit);
  };
  visit(parseSource(file, text));
  return outside;
}

function testCaseCall(ts: typeof TS, node: TS.Node): boolean {
  if (!ts.isCallExpression(node)) return false;
  // `it(…)`, `test.only(…)`, `it.each(table)(…)`.
  let callee: TS.Expression = node.expression;
  while (ts.isCallExpression(callee) || ts.isPropertyAccessExpression(callee)) callee = callee.expression;
  return ts.isIdentifier(callee) && TEST_CALL.test(callee.text);
}

/**
 * The routes of a module whose handlers hold a rewritten evaluation, or call a function of the
 * module that does (`maybeAnonymise(events)`), with the paths the routers mounting it give them.
 */
function routesHolding(module: string, text: string, lines: number[], names: Set<string>, routers: Routers): DeclaredRoute[] {
  if (!mayRoute(text)) return [];
  const own = routers.factsOf(module, text);
  const holds = (route: DeclaredRoute) => lines.some((line) => route.start <= line && line <= route.end) || (route.uses ?? []).some((name) => names.has(name));
  if (!own.routes.some(holds)) return [];
  const facts = new Map<string, RouteFacts>([[module, own]]);
  let level = [module];
  for (let depth = 0; depth < MAX_MOUNT_DEPTH && level.length; depth++) {
    level = [...new Set(level.flatMap((target) => routers.mountersOf(target)))].filter((file) => !facts.has(file));
    for (const file of level) facts.set(file, routers.factsOf(file, routers.code.get(file)!));
  }
  const declared = declaredRoutes(facts, (from, specifier) => routers.modules.resolveJs(from, specifier)).get(module) ?? [];
  return declared.filter(holds);
}

/** Route facts of the workspace's modules and who mounts whom, read as the removal asks (each once). */
class Routers {
  private readonly facts = new Map<string, RouteFacts>();
  private readonly mounters = new Map<string, string[]>();

  constructor(
    readonly code: Map<string, string>,
    readonly modules: Pick<ModuleResolver, 'resolveJs'>,
    private readonly isTest: (file: string) => boolean,
    private readonly importers: Importers,
  ) {}

  factsOf(file: string, text: string): RouteFacts {
    return this.facts.get(file) ?? this.facts.set(file, routeFacts(file, text)).get(file)!;
  }

  /** The non-test modules mounting a module's routers at a path. */
  mountersOf(target: string): string[] {
    const known = this.mounters.get(target);
    if (known) return known;
    const found: string[] = [];
    for (const file of this.importers.of(target)) {
      const text = this.code.get(file)!;
      if (file === target || this.isTest(file) || !mayRoute(text)) continue;
      if (this.factsOf(file, text).mounts.some((mount) => this.modules.resolveJs(file, mount.specifier) === target)) found.push(file);
    }
    this.mounters.set(target, found);
    return found;
  }
}

/**
 * The code files whose text may import a module: a specifier ending in the module's name, with
 * or without its extension (`'./event'`, `"../routes/event.js"`), and for an index its folder
 * (`'./admin-api'`, `'./admin-api/index.js'`). Every file's specifiers are read once, the first
 * time a module is asked about, not once per module (a flag evaluated in fifty modules read every
 * file fifty times); the files come in the code's order.
 */
class Importers {
  /** Each name a specifier ends in → the positions in the code's order of the files writing it. */
  private byName: Map<string, Set<number>> | undefined;
  private readonly files: string[];

  constructor(private readonly code: Map<string, string>) {
    this.files = [...code.keys()];
  }

  of(module: string): string[] {
    this.byName ??= this.index();
    const parts = module.replace(/\.[^./]+$/, '').split('/');
    const last = parts[parts.length - 1];
    // `'./index'` alone could be any folder's.
    const names = last === 'index' && parts.length > 1 ? [parts[parts.length - 2], `${parts[parts.length - 2]}/index`] : [last];
    const found = new Set(names.flatMap((name) => [...(this.byName!.get(name) ?? [])]));
    return [...found].sort((a, b) => a - b).map((at) => this.files[at]);
  }

  private index(): Map<string, Set<number>> {
    const byName = new Map<string, Set<number>>();
    const add = (name: string, at: number) => (byName.get(name) ?? byName.set(name, new Set()).get(name)!).add(at);
    this.files.forEach((file, at) => {
      const text = this.code.get(file)!;
      // The last segment before a closing quote, as written and without an extension (a module
      // named `chart.js/index.ts` is imported as `'./chart.js'`), and for `folder/index` the folder too.
      for (const match of text.matchAll(/\/([^/'"`\n]+)['"`]/g)) {
        for (const name of new Set([match[1], match[1].replace(/\.[cm]?[jt]sx?$/, '')])) {
          add(name, at);
          const slash = name === 'index' ? text.lastIndexOf('/', match.index - 1) : -1;
          if (slash >= 0) add(`${text.slice(slash + 1, match.index)}/index`, at);
        }
      }
    });
    return byName;
  }
}

/** What an import of a module writes: its file name without extension, or its folder's for an `index`. */
function stem(module: string): string {
  const parts = module.replace(/\.[^./]+$/, '').split('/');
  const last = parts.pop()!;
  return last === 'index' && parts.length ? parts.pop()! : last;
}

/** The requests of a test file that run with the flag unset: outside the cases naming it, and not in a helper of a file without cases (its callers are elsewhere). */
type TestRequests = RequestedPath[];

function testRequests(file: string, text: string, mentions: RegExp): TestRequests {
  const requests = requestedPaths(file, text);
  if (requests.length === 0) return [];
  const { setting, cases } = testCases(file, text, mentions);
  return requests.filter((request) => !setting.some(([start, end]) => start <= request.line && request.line <= end) && (cases || !request.helper));
}

/** The first of the requests reaching one of the routes. */
function firstRequest(requests: TestRequests, routes: DeclaredRoute[]): { line: number; label: string } | undefined {
  for (const request of requests) {
    const route = routes.find((r) => reaches(request, r));
    if (route) return { line: request.line, label: `${route.method ?? ''} /${request.segments.join('/')}`.trim() };
  }
  return undefined;
}

/** Whether a file declares test cases, and the 0-based line spans of those naming the flag. */
function testCases(file: string, text: string, mentions: RegExp): { setting: [number, number][]; cases: boolean } {
  const ts = typescript();
  const source = parseSource(file, text);
  const setting: [number, number][] = [];
  let cases = false;
  const visit = (node: TS.Node): void => {
    if (testCaseCall(ts, node)) {
      cases = true;
      if (mentions.test(node.getText(source))) setting.push([source.getLineAndCharacterOfPosition(node.getStart(source)).line, source.getLineAndCharacterOfPosition(node.getEnd()).line]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { setting, cases };
}

/**
 * The names of the functions and methods holding the evaluations, and of those in the module
 * calling them (`getEvents` calling `maybeAnonymise`): what a unit test or a handler calls to run
 * them. A function that is an object's property (`{ query: () => … }`) is no name a test calls: the
 * function holding the object is.
 */
function enclosingNames(module: string, text: string, lines: number[]): Set<string> {
  const ts = typescript();
  const source = parseSource(module, text);
  const starts = source.getLineStarts();
  const names = new Set<string>();
  for (const line of lines) {
    const lineStart = starts[Math.min(line, starts.length - 1)];
    const offset = lineStart + (/^\s*/.exec(text.slice(lineStart, lineStart + 200))?.[0].length ?? 0);
    for (let node = innermostAt(ts, source, offset); node; node = node.parent) {
      const name = functionName(ts, node);
      if (name) {
        names.add(name);
        break;
      }
    }
  }
  // One level: a caller's callers (`startMonitoring` registering every metric) run far more than the evaluation.
  for (const caller of callersIn(ts, source, names)) names.add(caller);
  return names;
}

/** The local names a module imports from the modules `from` accepts, of the exports among `names`. */
function importedNames(ts: typeof TS, source: TS.SourceFile, from: (specifier: string) => boolean, names: ReadonlySet<string>): Set<string> {
  const local = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !from(statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) if (names.has((element.propertyName ?? element.name).text)) local.add(element.name.text);
  }
  return local;
}

/** The named functions and methods of a module whose bodies mention one of the names. */
function callersIn(ts: typeof TS, source: TS.SourceFile, names: ReadonlySet<string>): Set<string> {
  const callers = new Set<string>();
  const visit = (node: TS.Node): void => {
    const name = functionName(ts, node);
    if (name && !names.has(name) && [...mentioned(ts, node)].some((n) => names.has(n))) callers.add(name);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return callers;
}

/** The names a function calls or reads: identifiers, and properties of `this` (`this.anonymise(…)`), not another object's (`map.get(…)`). */
function mentioned(ts: typeof TS, root: TS.Node): Set<string> {
  const names = new Set<string>();
  const visit = (node: TS.Node): void => {
    const parent = node.parent;
    const propertyOfOther = parent && ts.isPropertyAccessExpression(parent) && parent.name === node && parent.expression.kind !== ts.SyntaxKind.ThisKeyword;
    const declared = parent && (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node;
    if (ts.isIdentifier(node) && !propertyOfOther && !declared) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(root, visit);
  return names;
}

function functionName(ts: typeof TS, node: TS.Node): string | undefined {
  if (ts.isFunctionDeclaration(node) && node.name) return node.name.text;
  if (ts.isMethodDeclaration(node) && ts.isClassLike(node.parent) && ts.isIdentifier(node.name)) return node.name.text;
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && (ts.isVariableDeclaration(node.parent) || ts.isPropertyDeclaration(node.parent)) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
  return undefined;
}

/** The innermost node containing an offset. */
function innermostAt(ts: typeof TS, source: TS.SourceFile, offset: number): TS.Node | undefined {
  let found: TS.Node | undefined;
  const visit = (node: TS.Node): void => {
    if (node.getStart(source) <= offset && offset < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(source, visit);
  return found;
}

/**
 * A test importing the module and calling what holds an evaluation: a function it imports by name,
 * or a method it calls (`.sync(`) on something imported from the module. The import's line and the name.
 */
function callOf(test: TestView, module: string, names: ReadonlySet<string>, called: RegExp, modules: Pick<ModuleResolver, 'resolveJs'>): { line: number; name: string } | undefined {
  if (!test.text.includes(stem(module)) || !called.test(test.text)) return undefined;
  test.imports ??= importsByModule(test, modules);
  const imported = test.imports.get(module);
  if (!imported) return undefined;
  const name = [...names].find((n) => imported.names.has(n)) ?? [...names].find((n) => test.text.includes(`.${n}(`));
  return name === undefined ? undefined : { line: imported.line, name };
}

function importsByModule(test: TestView, modules: Pick<ModuleResolver, 'resolveJs'>): Map<string, { names: Set<string>; line: number }> {
  const ts = typescript();
  const source = parseSource(test.file, test.text);
  const imports = new Map<string, { names: Set<string>; line: number }>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const target = modules.resolveJs(test.file, statement.moduleSpecifier.text);
    if (!target) continue;
    const entry = imports.get(target) ?? { names: new Set<string>(), line: source.getLineAndCharacterOfPosition(statement.getStart(source)).line };
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) entry.names.add((element.propertyName ?? element.name).text);
    imports.set(target, entry);
  }
  return imports;
}
