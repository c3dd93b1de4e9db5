import { IO_CONCURRENCY, mapLimit } from '../../../engine/concurrency';
import { cachedFact, type FactCache } from '../../../engine/factCache';
import { arr, bool, num, obj, opt, str } from '../../../engine/factSchema';
import type { RuleContext } from '../../../engine/rule';
import type { AddedLines, IndexedFile } from '../../../workspace/contracts';
import { workspaceModules } from '../../../engine/workspaceModules';
import { typescript } from '../../flag/detect/typescriptModule';
import { testsReachingThrough } from '../branchReach';
import { isTestFile } from '../classify';
import { runtimeImportersOf } from '../runtimeImporters';
import { testOptions } from '../options';
import type { TestIndex } from '../testIndex';
import { DYNAMIC, PARAM, REST, reaches, type DeclaredRoute, type RequestedPath } from './paths';
import { pathPassing, requestedPaths, type PathArgument, type PathParameter } from './requests';
import { routeFacts, type RouteFacts } from './routes';

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
/** How many routers deep a mount is followed (`/api/auth` → `/email-password` → `/authorize`). */
const MAX_MOUNT_DEPTH = 4;
/** How many distinct paths a router's routes are given through its mounts: mounts multiply at each level. */
const MAX_PREFIXES = 64;

/** A request of a test that reaches a route handler of a source file. */
export interface RouteHit {
  test: string;
  /** 0-based line of the request in the test. */
  line: number;
  /** The test file's function making the request, when it is a helper the tests call. */
  helper?: string;
  /** The handler's 0-based lines in the route file. */
  start: number;
  end: number;
  page: boolean;
  uses?: string[];
}

/** The routes the workspace declares and which test requests reach them: plain data, a workspace fact. */
export interface HttpReach {
  /** Route file → the lines of every handler it declares, reached or not. */
  handlers: Map<string, [number, number][]>;
  /** Route file → the requests reaching its handlers. */
  hits: Map<string, RouteHit[]>;
}

const segments = arr(str);
const ROUTE_FACTS = obj({
  routes: arr(obj({ method: opt(str), segments, page: bool, start: num, end: num, uses: opt(segments) })),
  mounts: arr(obj({ path: segments, specifier: str, name: str })),
  metaRoutes: arr(obj({ specifier: str, name: str, start: num, end: num, uses: opt(segments) })),
  metas: arr(obj({ name: str, method: opt(str), segments })),
});
const REQUESTS = arr(obj({ method: opt(str), segments, openHead: bool, visit: bool, line: num, helper: opt(str) }));

const PATH_PASSING = obj({
  parameters: arr(obj({ helper: str, exported: bool, index: num, property: opt(str), method: opt(str), visit: bool, openHead: bool })),
  passed: arr(obj({ callee: str, imported: opt(obj({ specifier: str, name: str })), index: num, property: opt(str), segments, openHead: bool, line: num, helper: opt(str) })),
});

/** What a test reads to find its requests, once per analysis: the workspace's files, fact cache, module resolver and test index. */
interface RequestSources {
  read: (relPath: string) => Promise<string | null>;
  byPath: ReadonlyMap<string, IndexedFile>;
  stored: FactCache | undefined;
  modules: Awaited<ReturnType<typeof workspaceModules>>;
  index: TestIndex;
  /** Each test file's handed paths and path parameters, read once however many tests import it. */
  passing: Map<string, Promise<PathPassing | undefined>>;
}

type PathPassing = ReturnType<typeof pathPassing>;

async function requestSources(ctx: RuleContext, stored: FactCache | undefined, modules: RequestSources['modules'], index: TestIndex): Promise<RequestSources> {
  return { read: (relPath) => ctx.workspace.readText(relPath).catch(() => null), byPath: await ctx.workspace.indexedFiles(), stored, modules, index, passing: new Map() };
}

/**
 * A test's requests: those it writes, and the paths it hands to a helper that requests them (the
 * fixtures' `apiSignin({ page, redirectPath })`), at the line of the path: a top-level helper of
 * its own file called by its name, or an exported one of a test file called through the name it
 * is imported by. Each file's facts are kept per text between runs (`--cache`, the editor's scan
 * process).
 */
async function requestsOf(sources: RequestSources, file: IndexedFile, text: string): Promise<RequestedPath[]> {
  const own = cachedFact(sources.stored, 'test/requests', file, text, '', REQUESTS, () => requestedPaths(file.relPath, text));
  const passing = await pathPassingOf(sources, file.relPath, text);
  if (!passing || passing.passed.length === 0) return own;
  const handed: RequestedPath[] = [];
  for (const argument of passing.passed) {
    let parameters = passing.parameters;
    let helper = argument.callee;
    if (argument.imported) {
      const target = sources.modules.resolveJs(file.relPath, argument.imported.specifier);
      const facts = target !== undefined && target !== file.relPath && sources.index.tests.has(target) ? await pathPassingOf(sources, target) : undefined;
      parameters = (facts?.parameters ?? []).filter((parameter) => parameter.exported);
      helper = argument.imported.name;
    }
    for (const parameter of parameters) if (handedTo(argument, helper, parameter)) handed.push(handedRequest(argument, parameter));
  }
  return handed.length ? [...own, ...handed] : own;
}

function pathPassingOf(sources: RequestSources, relPath: string, known?: string): Promise<PathPassing | undefined> {
  let facts = sources.passing.get(relPath);
  if (!facts) {
    const file = sources.byPath.get(relPath);
    facts = (async () => {
      const text = known ?? (file ? await sources.read(relPath) : null);
      return file && text !== null ? cachedFact(sources.stored, 'test/path-passing', file, text, '', PATH_PASSING, () => pathPassing(relPath, text)) : undefined;
    })();
    sources.passing.set(relPath, facts);
  }
  return facts;
}

/** Whether the argument is the parameter of the helper the call reaches (by the name the helper is declared with). */
function handedTo(argument: PathArgument, helper: string, parameter: PathParameter): boolean {
  return helper === parameter.helper && argument.index === parameter.index && argument.property === parameter.property;
}

function handedRequest(argument: PathArgument, parameter: PathParameter): RequestedPath {
  return {
    ...(parameter.method ? { method: parameter.method } : {}),
    segments: argument.segments,
    openHead: parameter.openHead || argument.openHead,
    visit: parameter.visit,
    line: argument.line,
    ...(argument.helper ? { helper: argument.helper } : {}),
  };
}

/** Which route handlers the workspace's tests request, computed once per analysis. */
export function httpReachOf(ctx: RuleContext, index: TestIndex): Promise<HttpReach | undefined> {
  return ctx.workspaceFact('test/http-reach', () => computeReach(ctx, index));
}

async function computeReach(ctx: RuleContext, index: TestIndex): Promise<HttpReach> {
  const options = testOptions(await ctx.workspace.config());
  const { files } = await ctx.workspace.files();
  const stored = await ctx.workspace.factCache();
  const modules = await workspaceModules(ctx.workspace);
  const code = files.filter((file) => CODE.test(file.relPath));
  const testRequests = await requestSources(ctx, stored, modules, index);
  const read = testRequests.read;

  const requests = new Map<string, RequestedPath[]>();
  const tests = code.filter((file) => index.tests.get(file.relPath)?.runs === true);
  await mapLimit(tests, IO_CONCURRENCY, async (file) => {
    const text = await read(file.relPath);
    if (text === null) return;
    const found = await requestsOf(testRequests, file, text);
    if (found.length) requests.set(file.relPath, found);
  });

  // Most workspaces' tests request nothing: their sources are not read for routes.
  if (requests.size === 0) return { handlers: new Map(), hits: new Map() };
  const facts = new Map<string, RouteFacts>();
  const sources = code.filter((file) => !isTestFile(file.relPath, options));
  await mapLimit(sources, IO_CONCURRENCY, async (file) => {
    const text = await read(file.relPath);
    if (text === null) return;
    const fact = cachedFact(stored, 'test/routes', file, text, '', ROUTE_FACTS, () => routeFacts(file.relPath, text));
    if (fact.routes.length || fact.mounts.length || fact.metaRoutes.length || fact.metas.length) facts.set(file.relPath, fact);
  });
  const routes = declaredRoutes(facts, (from, specifier) => modules.resolveJs(from, specifier));
  const handlers = new Map<string, [number, number][]>();
  const byLast = new Map<string, { file: string; route: DeclaredRoute }[]>();
  for (const [file, declared] of routes) {
    handlers.set(file, declared.map((route) => [route.start, route.end]));
    for (const route of declared) {
      // By the last segment: a literal one is reached only by requests ending with it, a parameter by any.
      const last = route.segments[route.segments.length - 1];
      const key = last === undefined || last === PARAM || last === REST ? '' : last;
      const bucket = byLast.get(key) ?? [];
      bucket.push({ file, route });
      byLast.set(key, bucket);
    }
  }
  const hits = new Map<string, RouteHit[]>();
  for (const [test, found] of requests) {
    for (const request of found) {
      const last = request.segments[request.segments.length - 1];
      const literal = last === undefined || last === DYNAMIC ? [] : byLast.get(last) ?? [];
      for (const { file, route } of [...literal, ...(byLast.get('') ?? [])]) {
        if (!reaches(request, route)) continue;
        const found = hits.get(file) ?? [];
        found.push({ test, line: request.line, ...(request.helper ? { helper: request.helper } : {}), start: route.start, end: route.end, page: route.page, ...(route.uses ? { uses: route.uses } : {}) });
        hits.set(file, found);
      }
    }
  }
  return { handlers, hits };
}

/**
 * Each file's routes with their full paths: prefixed by the paths the routers of the file are
 * mounted at in other modules (as far as mounts are written with literal paths), and procedures
 * whose OpenAPI metadata another module exports given its path.
 */
export function declaredRoutes(facts: Map<string, RouteFacts>, resolve: (from: string, specifier: string) => string | undefined): Map<string, DeclaredRoute[]> {
  const mountedAt = new Map<string, { path: string[]; by: string }[]>();
  const metas = new Map<string, RouteFacts['metas']>();
  for (const [file, fact] of facts) {
    if (fact.metas.length) metas.set(file, fact.metas);
    for (const mount of fact.mounts) {
      const target = resolve(file, mount.specifier);
      if (!target || target === file) continue;
      const at = mountedAt.get(target) ?? [];
      at.push({ path: mount.path, by: file });
      mountedAt.set(target, at);
    }
  }
  const prefixes = (file: string, depth: number, seen: Set<string>): string[][] => {
    const mounts = (mountedAt.get(file) ?? []).filter((m) => !seen.has(m.by));
    if (mounts.length === 0 || depth >= MAX_MOUNT_DEPTH) return [[]];
    const distinct = new Map<string, string[]>();
    for (const m of mounts) {
      for (const outer of prefixes(m.by, depth + 1, new Set([...seen, m.by]))) {
        const prefix = [...outer, ...m.path];
        distinct.set(prefix.join('/'), prefix);
        if (distinct.size >= MAX_PREFIXES) return [...distinct.values()];
      }
    }
    return [...distinct.values()];
  };
  const routes = new Map<string, DeclaredRoute[]>();
  for (const [file, fact] of facts) {
    const own: DeclaredRoute[] = [...fact.routes];
    for (const use of fact.metaRoutes) {
      const declaring = resolve(file, use.specifier);
      const meta = declaring ? metas.get(declaring)?.find((m) => m.name === use.name) : undefined;
      if (meta) own.push({ ...(meta.method ? { method: meta.method } : {}), segments: meta.segments, page: false, start: use.start, end: use.end, ...(use.uses ? { uses: use.uses } : {}) });
    }
    if (own.length === 0) continue;
    const outer = prefixes(file, 0, new Set([file]));
    routes.set(
      file,
      own.flatMap((route) => (route.page ? [route] : outer.map((prefix) => ({ ...route, segments: [...prefix, ...route.segments] })))),
    );
  }
  return routes;
}

/**
 * The tests whose requests reach `relPath`: when it declares routes, a change inside a handler a
 * test requests (or outside every handler: code they share); else a change to a module an API
 * handler a test requests imports at run time, however deep (`changedExports` as in
 * `branchReach.ts`). A page a test visits is reached itself, not what it imports: a visit renders
 * the page, not every dialog and branch of its tree (a component shown only on the cloud, a
 * dialog no test opens).
 *
 * Only requests the branch writes count: in a test it adds, on the lines it adds to one, or in a
 * helper of the tests (`findEnvelopes(request, token, query)`, `apiSignin(page)` from the fixtures)
 * that those lines call. A request existing tests make runs the route as they exercised it before
 * the branch, not the branch that changes it (a sign-in refused when a new setting is off, while
 * every test signs in with it on).
 */
export async function httpTestsReaching(ctx: RuleContext, index: TestIndex, relPath: string, changed: ReadonlySet<number>, changedExports: ReadonlySet<string> | undefined): Promise<HttpCoverage> {
  // Only requests the branch writes count, and it writes them in test files: a branch that changes
  // no test reaches nothing over HTTP, and the workspace's routes and requests are not read.
  const added = await (await ctx.workspace.git()).addedLines();
  if (![...added.keys()].some((file) => index.tests.has(file))) return { tests: [] };
  // Nor does one whose tests, and the helpers their new lines call, make no request on a line it writes.
  const { written, any } = await writtenRequests(ctx, index);
  if (!any) return { tests: [] };
  const reach = await httpReachOf(ctx, index);
  if (!reach || reach.hits.size === 0) return { tests: [] };
  const tests = new Set<string>();
  const own = reach.hits.get(relPath) ?? [];
  const handlers = reach.handlers.get(relPath) ?? [];
  for (const hit of own.filter(written)) {
    if ([...changed].some((line) => (hit.start <= line && line <= hit.end) || !handlers.some(([start, end]) => start <= line && line <= end))) tests.add(hit.test);
  }
  const roots = new Map<string, string[]>();
  for (const [file, hits] of reach.hits) {
    const api = file === relPath ? [] : hits.filter((hit) => !hit.page && written(hit));
    if (api.length) roots.set(file, [...new Set(api.map((hit) => hit.test))]);
  }
  if (roots.size) for (const test of await testsReachingThrough(ctx, relPath, changedExports, roots)) tests.add(test);
  if (tests.size === 0) return { tests: [] };
  // What of the module runs: what the handlers declared in it, or in the route modules importing it,
  // mention, whichever tests request them (as any test importing a module names what it uses). A
  // page runs whole; through modules in between, any export may run.
  const importers = (await (await runtimeImportersOf(ctx))?.of(relPath)) ?? [];
  const direct = importers.filter((file) => reach.hits.get(file)?.some((hit) => !hit.page));
  const deeper = new Map([...roots].filter(([file]) => !direct.includes(file)));
  if (own.some((hit) => hit.page) || (deeper.size && (await testsReachingThrough(ctx, relPath, changedExports, deeper)).size)) return { tests: [...tests] };
  const used = [...own, ...direct.flatMap((file) => reach.hits.get(file)!.filter((hit) => !hit.page))];
  return { tests: [...tests], uses: new Set(used.flatMap((hit) => hit.uses ?? [])) };
}

/** The tests whose requests reach a module, and what of it they run when known. */
export interface HttpCoverage {
  tests: string[];
  /**
   * The names the requested handlers mention (the module's own, or those of the route modules
   * importing it); undefined when a page or modules in between reach it.
   */
  uses?: Set<string>;
}

/** Whether a request is one the branch writes (above), and whether the branch writes any. */
interface WrittenRequests {
  written: (request: Pick<RouteHit, 'test' | 'line' | 'helper'>) => boolean;
  any: boolean;
}

/**
 * The branch's requests (above). A helper's request counts when a line the branch adds calls it in
 * the helper's own file or in a test file importing that file: a new `login(` elsewhere calls
 * another `login`. So only the tests the branch writes to, and the files they import, can hold one.
 */
async function writtenRequests(ctx: RuleContext, index: TestIndex): Promise<WrittenRequests> {
  // Asked for each changed source file: the branch's test lines are read once per branch state and test index.
  const added = await (await ctx.workspace.git()).addedLines();
  const known = branchRequests.get(added);
  if (known?.index === index) return known.requests;
  const requests = readWrittenRequests(ctx, index, added);
  branchRequests.set(added, { index, requests });
  return requests;
}

const branchRequests = new WeakMap<Map<string, AddedLines>, { index: TestIndex; requests: Promise<WrittenRequests> }>();

async function readWrittenRequests(ctx: RuleContext, index: TestIndex, added: Map<string, AddedLines>): Promise<WrittenRequests> {
  const modules = await workspaceModules(ctx.workspace);
  const ts = typescript();
  /** Helper name → the files a new line calling it is in, and the files those import. */
  const callers = new Map<string, Set<string>>();
  for (const [file, lines] of added) {
    if (!index.tests.has(file)) continue;
    const text = await ctx.workspace.readText(file).catch(() => null);
    if (text === null) continue;
    const all = text.split(/\r?\n|\r/);
    const names = new Set((lines.isNew ? all : lines.lines.map((n) => all[n - 1] ?? '')).flatMap(calledNames));
    if (names.size === 0) continue;
    const reachable = new Set([file, ...ts.preProcessFile(text, true, true).importedFiles.flatMap((imported) => modules.resolveJs(file, imported.fileName) ?? [])]);
    for (const name of names) {
      const known = callers.get(name) ?? new Set<string>();
      for (const target of reachable) known.add(target);
      callers.set(name, known);
    }
  }
  const written = (request: Pick<RouteHit, 'test' | 'line' | 'helper'>) => {
    const lines = added.get(request.test);
    if (lines && (lines.isNew || lines.lines.includes(request.line + 1))) return true;
    return request.helper !== undefined && (callers.get(request.helper)?.has(request.test) ?? false);
  };
  const holders = new Set([...added.keys(), ...[...callers.values()].flatMap((files) => [...files])]);
  const { files } = await ctx.workspace.files();
  const sources = await requestSources(ctx, await ctx.workspace.factCache(), modules, index);
  for (const file of files) {
    // The workspace's requests are those of the tests that run (`computeReach`).
    if (!holders.has(file.relPath) || index.tests.get(file.relPath)?.runs !== true) continue;
    const text = await sources.read(file.relPath);
    if (text === null) continue;
    const requests = await requestsOf(sources, file, text);
    if (requests.some((request) => written({ test: file.relPath, ...request }))) return { written, any: true };
  }
  return { written, any: false };
}

/** The names a line calls: `findEnvelopes(` (the helper a new test case calls), not one it declares (`function login(`). */
export function calledNames(line: string): string[] {
  return [...line.matchAll(/(\bfunction\s+)?\b([A-Za-z_]\w*)\s*\(/g)].filter((match) => match[1] === undefined).map((match) => match[2]);
}
