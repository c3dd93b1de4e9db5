import type * as TS from 'typescript';
import { parseSource, typescript } from '../../flag/detect/typescriptModule';
import { entryPoint, property } from '../../flag/unguarded/entryPoints';
import { DEFAULT_ENTRY_POINTS } from '../../flag/unguarded/features';
import { Receivers } from '../../flag/unguarded/receivers';
import { FileSymbols } from '../../flag/unguarded/symbols';
import { PARAM, REST, routeSegments, type DeclaredRoute } from './paths';

let ts: typeof TS;

/** What one source file tells about the routes it serves; joined across files by `reach.ts`. */
export interface RouteFacts {
  routes: DeclaredRoute[];
  /** Routers this file mounts at a path: `app.route('/api/auth', auth)`, `app.use('/v2', v2Router)` (`name` imported from `specifier`). */
  mounts: { path: string[]; specifier: string; name: string }[];
  /** Procedures whose OpenAPI metadata is imported (`.meta(findEnvelopesMeta)`): resolved against the module declaring it. */
  metaRoutes: { specifier: string; name: string; start: number; end: number; uses?: string[] }[];
  /** OpenAPI metadata this module exports by name (`export const findEnvelopesMeta = { openapi: { method, path } }`). */
  metas: { name: string; method?: string; segments: string[] }[];
}

/**
 * A route or mount names its path as a literal first argument (`literalPath`), so `.get(` alone (a
 * `Map`, a query builder, `Promise.all(`) does not make a file worth parsing; `.route(` takes a
 * Fastify options object and `.meta(` an imported OpenAPI object, so those pass as they are.
 */
const MAY_ROUTE = /@nestjs\/|\bopenapi\b|\.(?:route|meta)\s*\(|\.(?:get|post|put|patch|delete|del|all|use)\s*\(\s*['"`]/;
/** The verbs a controller class registers its own handlers with: `this.get('/', this.list)`. */
const OWN_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete']);
const OWNED_ROUTERS = new Set(['app', 'router', 'server']);
const NEST_METHODS: Record<string, string | undefined> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Options: 'OPTIONS', Head: 'HEAD', Sse: 'GET', All: undefined };

/**
 * The routes a TS/JS source serves, recognised as `flag/unguarded-feature` recognises entry points
 * (`unguarded/entryPoints.ts`): NestJS controllers (`@Controller('auth')` with `@Post('email/login')`),
 * routes on Express, Koa, Hono and Fastify routers, tRPC procedures with OpenAPI paths, and file
 * routes (Next.js pages and route handlers, Remix route modules) by where the file is.
 */
export function routeFacts(relPath: string, text: string): RouteFacts {
  const facts: RouteFacts = { routes: [], mounts: [], metaRoutes: [], metas: [] };
  const fileRoute = fileRoutePath(relPath);
  if (!fileRoute && !mayRoute(text)) return facts;
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const symbols = new FileSymbols(source);
  const context = { source, relPath, symbols, receivers: new Receivers(symbols), patterns: DEFAULT_ENTRY_POINTS, isNewModule: true };
  const line = (offset: number) => source.getLineAndCharacterOfPosition(offset).line;
  const lines = (node: TS.Node) => ({ start: line(node.getStart(source)), end: line(node.getEnd()), uses: namesIn([node]) });
  let page = false;
  const visit = (node: TS.Node): void => {
    const entry = entryPoint(node, context);
    if (entry?.kind === 'page') page = true;
    if (entry?.kind === 'route' && fileRoute && !ts.isCallExpression(entry.node)) {
      facts.routes.push({ ...methodOf(entry.anchor.getText(source)), segments: fileRoute.segments, page: false, ...lines(entry.node) });
    } else if (entry?.kind === 'route' && ts.isCallExpression(entry.node)) {
      // A link of a chain (`new Hono().post('/a', …).post('/b', …)`) starts at its method, not at the chain's start.
      const call = entry.node;
      callRoute(call, facts, symbols, { start: line((call.expression as TS.PropertyAccessExpression).name.getStart(source)), end: line(call.getEnd()), uses: namesIn(call.arguments) });
    } else if (entry?.kind === 'route' && ts.isMethodDeclaration(entry.node)) {
      for (const route of nestRoutes(entry.node)) facts.routes.push({ ...route, page: false, ...lines(entry.node) });
    } else if (entry?.kind === 'handler' && entry.label.startsWith('tRPC')) {
      procedureRoute(entry.node, facts, symbols, source, lines(entry.node));
    } else if (!entry && ts.isCallExpression(node)) {
      controllerRoute(node, facts, symbols, lines);
    }
    const meta = exportedMeta(node);
    if (meta) facts.metas.push(meta);
    ts.forEachChild(node, visit);
  };
  visit(source);
  // A page module (a Remix route's page, a Next.js page) is reached whole by a visit: its loader and what it renders.
  if (fileRoute && page) facts.routes.push({ method: 'GET', segments: fileRoute.segments, page: true, start: 0, end: source.getLineAndCharacterOfPosition(source.getEnd()).line });
  return facts;
}

/** Whether a file may declare routes (a prefilter: most do not, and are not parsed for this). */
export function mayRoute(text: string): boolean {
  return MAY_ROUTE.test(text);
}

/** A file route's method by the name of its handler: `export function POST` (Next.js), `loader` (Remix); any for an action or a default export. */
function methodOf(name: string): { method?: string } {
  if (/^[A-Z]+$/.test(name)) return { method: name };
  return name === 'loader' ? { method: 'GET' } : {};
}

/** Where a handler is and what it mentions. */
type Span = { start: number; end: number; uses: string[] };

/** The names mentioned in nodes: identifiers, the properties and methods accessed (`this.service.validateLogin`). */
function namesIn(nodes: readonly TS.Node[]): string[] {
  const names = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  nodes.forEach(visit);
  return [...names];
}

function callRoute(call: TS.CallExpression, facts: RouteFacts, symbols: FileSymbols, range: Span): void {
  const callee = call.expression as TS.PropertyAccessExpression;
  const method = callee.name.text;
  const first = call.arguments[0];
  if (method === 'use' || method === 'route') {
    // A router mounted at a path: the names of routers imported from other modules.
    const path = first && literalPath(first);
    // `app.use('*', middleware)`: middleware on every path, not a router at one.
    if (!path || path.includes(REST)) return;
    for (const argument of call.arguments.slice(1)) {
      const imported = ts.isIdentifier(argument) ? symbols.imports.get(argument.text) : undefined;
      if (imported) facts.mounts.push({ path, specifier: imported.module, name: imported.name });
    }
    if (method === 'route' && ts.isObjectLiteralExpression(first)) fastifyRoute(first, facts, range);
    return;
  }
  // router.route('/orders').get(handler)
  const inner = ts.isCallExpression(callee.expression) && ts.isPropertyAccessExpression(callee.expression.expression) && callee.expression.expression.name.text === 'route' ? callee.expression.arguments[0] : undefined;
  const path = literalPath(inner ?? first);
  if (!path) return;
  facts.routes.push({ ...(method === 'all' ? {} : { method: method === 'del' ? 'DELETE' : method.toUpperCase() }), segments: path, page: false, ...range });
}

/**
 * What a controller class registers on itself: its own methods as handlers
 * (`this.route({ method: 'get', path: '/:id', handler: this.getUser })`, `this.get('', this.list)`)
 * and the routers it mounts (`this.app.use('/user-admin', new UserAdminController(config).router)`),
 * the shape of servers built on a `Controller` base class (Unleash). The handler must be a method of
 * the same class, so `this.cache.get('key', this.fallback)` is no route: the route's lines are the
 * method's, where the request's work is done.
 */
function controllerRoute(call: TS.CallExpression, facts: RouteFacts, symbols: FileSymbols, lines: (node: TS.Node) => Span): void {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !onThis(callee.expression)) return;
  const owner = ts.findAncestor(call, ts.isClassLike);
  const first = call.arguments[0];
  if (!owner || !first) return;
  const method = callee.name.text;
  if (method === 'use' && call.arguments.length === 2) {
    const path = literalPath(first);
    const router = call.arguments[1];
    // `new X(config, services).router` or `new X(config)`: a controller of another module mounted at a path.
    const created = ts.isPropertyAccessExpression(router) ? router.expression : router;
    const imported = path && !path.includes(REST) && ts.isNewExpression(created) && ts.isIdentifier(created.expression) ? symbols.imports.get(created.expression.text) : undefined;
    if (imported) facts.mounts.push({ path: path!, specifier: imported.module, name: imported.name });
    return;
  }
  const options = method === 'route' && ts.isObjectLiteralExpression(first) ? first : undefined;
  const path = options ? literalOf(property(options, 'path')) : OWN_VERBS.has(method) && registersOwnVerb(call, owner, method, first) ? literalPath(first) : undefined;
  const handler = options ? ownMethod(owner, property(options, 'handler')) : call.arguments.slice(1).map((a) => ownMethod(owner, a)).find(Boolean);
  if (!path || !handler) return;
  const verb = options ? property(options, 'method') : undefined;
  const name = verb ? (ts.isStringLiteralLike(verb) ? verb.text : undefined) : method;
  facts.routes.push({ ...(name ? { method: name.toUpperCase() } : {}), segments: path, page: false, ...lines(handler) });
}

/**
 * `this.get('/x', this.list)` registers a route when a controller's constructor writes it, its class
 * extending the base that declares `get`, with a path (`''` or `/…`): an API client's
 * `this.get('/users', this.toUser)` in a method, or a cache's `this.get('config', this.load)`, does not.
 */
function registersOwnVerb(call: TS.CallExpression, owner: TS.ClassLikeDeclaration, verb: string, path: TS.Expression): boolean {
  const inConstructor = ts.findAncestor(call, (node) => ts.isConstructorDeclaration(node) || node === owner);
  const extendsBase = (owner.heritageClauses ?? []).some((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
  const declaresVerb = owner.members.some((member) => member.name && ts.isIdentifier(member.name) && member.name.text === verb);
  return !!inConstructor && ts.isConstructorDeclaration(inConstructor) && extendsBase && !declaresVerb && ts.isStringLiteralLike(path) && (path.text === '' || path.text.startsWith('/'));
}

/** `this`, or the app or router it owns (`this.app`, `this.router`): not `this.cache.get('/key', this.load)`. */
function onThis(node: TS.Expression): boolean {
  return node.kind === ts.SyntaxKind.ThisKeyword || (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword && OWNED_ROUTERS.has(node.name.text));
}

/** The method (or function-valued property) of the class that `this.name` names. */
function ownMethod(owner: TS.ClassLikeDeclaration, node: TS.Expression | undefined): TS.ClassElement | undefined {
  if (!node || !ts.isPropertyAccessExpression(node) || node.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const name = node.name.text;
  return owner.members.find((member) => member.name && ts.isIdentifier(member.name) && member.name.text === name && (ts.isMethodDeclaration(member) || (ts.isPropertyDeclaration(member) && !!member.initializer && (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer)))));
}

function literalOf(node: TS.Expression | undefined): string[] | undefined {
  return node && literalPath(node);
}

function fastifyRoute(options: TS.ObjectLiteralExpression, facts: RouteFacts, range: Span): void {
  const url = property(options, 'url') ?? property(options, 'path');
  const path = url && literalPath(url);
  const method = property(options, 'method');
  if (path) facts.routes.push({ ...(method && ts.isStringLiteralLike(method) ? { method: method.text.toUpperCase() } : {}), segments: path, page: false, ...range });
}

/** `@Controller({ path: 'auth', version: '1' })` and `@Post('email/login')`: every path the method answers. */
function nestRoutes(method: TS.MethodDeclaration): { method?: string; segments: string[] }[] {
  const decorator = decoratorCall(method, Object.keys(NEST_METHODS));
  const owner = method.parent;
  if (!decorator || !ts.isClassDeclaration(owner)) return [];
  const controller = decoratorCall(owner, ['Controller']);
  const argument = controller?.arguments[0];
  const prefixes = argument && ts.isObjectLiteralExpression(argument) ? literalPaths(property(argument, 'path')) : literalPaths(argument);
  const paths = literalPaths(decorator.arguments[0]);
  if (!prefixes || !paths) return [];
  const verb = NEST_METHODS[(decorator.expression as TS.Identifier).text];
  return prefixes.flatMap((prefix) => paths.map((path) => ({ ...(verb ? { method: verb } : {}), segments: [...prefix, ...path] })));
}

function decoratorCall(node: TS.HasDecorators, names: string[]): TS.CallExpression | undefined {
  for (const decorator of ts.getDecorators(node) ?? []) {
    const call = decorator.expression;
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && names.includes(call.expression.text)) return call;
  }
  return undefined;
}

/** A decorator's path argument: none (the root), a string, or an array of strings; undefined when computed. */
function literalPaths(node: TS.Expression | undefined): string[][] | undefined {
  if (!node) return [[]];
  if (ts.isArrayLiteralExpression(node)) {
    const paths = node.elements.map((element) => literalPath(element));
    return paths.every((p) => p !== undefined) ? (paths as string[][]) : undefined;
  }
  const path = literalPath(node);
  return path ? [path] : undefined;
}

function literalPath(node: TS.Expression): string[] | undefined {
  return ts.isStringLiteralLike(node) ? routeSegments(node.text) : undefined;
}

/** A tRPC procedure with OpenAPI metadata (`.meta({ openapi: { method: 'POST', path: '/envelope/duplicate' } })`), in the chain or imported. */
function procedureRoute(owner: TS.Node, facts: RouteFacts, symbols: FileSymbols, source: TS.SourceFile, range: Span): void {
  const initializer = ts.isPropertyAssignment(owner) || ts.isVariableDeclaration(owner) ? owner.initializer : undefined;
  for (let link = initializer; link && ts.isCallExpression(link) && ts.isPropertyAccessExpression(link.expression); link = link.expression.expression) {
    if (link.expression.name.text !== 'meta' || !link.arguments[0]) continue;
    const argument = link.arguments[0];
    const local = ts.isIdentifier(argument) ? localInitializer(source, argument.text) : argument;
    const meta = local && openApiOf(local);
    if (meta) facts.routes.push({ ...meta, page: false, ...range });
    const imported = !local && ts.isIdentifier(argument) ? symbols.imports.get(argument.text) : undefined;
    if (imported) facts.metaRoutes.push({ specifier: imported.module, name: imported.name, ...range });
  }
}

/** `export const duplicateEnvelopeMeta = { openapi: { method: 'POST', path: '/envelope/duplicate' } }`. */
function exportedMeta(node: TS.Node): RouteFacts['metas'][number] | undefined {
  if (!ts.isVariableStatement(node) || !(ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
  const declaration = node.declarationList.declarations[0];
  const meta = declaration?.initializer && ts.isIdentifier(declaration.name) ? openApiOf(declaration.initializer) : undefined;
  return meta && { name: (declaration.name as TS.Identifier).text, ...meta };
}

function openApiOf(node: TS.Expression): { method?: string; segments: string[] } | undefined {
  const object = ts.isSatisfiesExpression(node) || ts.isAsExpression(node) ? node.expression : node;
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  const openapi = property(object, 'openapi');
  if (!openapi || !ts.isObjectLiteralExpression(openapi)) return undefined;
  const path = property(openapi, 'path');
  const method = property(openapi, 'method');
  if (!path || !ts.isStringLiteralLike(path)) return undefined;
  return { ...(method && ts.isStringLiteralLike(method) ? { method: method.text.toUpperCase() } : {}), segments: routeSegments(path.text) };
}

function localInitializer(source: TS.SourceFile, name: string): TS.Expression | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
  }
  return undefined;
}

/**
 * The URL path of a file route: Next.js `app/…/page.tsx`, `app/…/route.ts` and `pages/…`, Remix
 * (flat routes, `+` folders) `app/routes/…`. Route groups `(auth)`, pathless layouts `_auth`, and
 * index routes add no segment; `[id]` and `$id` are parameters, `[...slug]` and `$` catch-alls.
 */
export function fileRoutePath(relPath: string): { segments: string[] } | undefined {
  const remix = /(?:^|\/)app\/routes\/(.+)\.[jt]sx?$/.exec(relPath);
  if (remix) {
    const parts = remix[1].split('/');
    if (parts.length > 1 && /^(route|index|_index|_layout)$/.test(parts[parts.length - 1]) && !parts[parts.length - 2].endsWith('+')) parts.pop();
    const id = parts.map((part) => part.replace(/\+$/, '')).join('.');
    const segments: string[] = [];
    for (const token of id.replace(/\[\.\]/g, '\u0001').split('.')) {
      if (token === '' || token.startsWith('_') || /^\(.*\)$/.test(token)) continue;
      const name = token.replace(/_$/, '').replace(/\u0001/g, '.').replace(/[[\]]/g, '');
      segments.push(name === '$' ? REST : name.startsWith('$') ? PARAM : name);
    }
    return { segments };
  }
  // Next.js: `app/…/page.tsx` and `app/…/route.ts`, or any module under `pages/` but `_app`, `_document`.
  const parts = relPath.replace(/\.[jt]sx?$/, '').split('/');
  const at = Math.max(parts.lastIndexOf('app'), parts.lastIndexOf('pages'));
  if (at < 0 || at === parts.length - 1 || relPath === parts.join('/')) return undefined;
  const pagesRouter = parts[at] === 'pages';
  const leaf = parts[parts.length - 1];
  if (!pagesRouter && leaf !== 'page' && leaf !== 'route') return undefined;
  const route = parts.slice(at + 1, pagesRouter && leaf !== 'index' ? undefined : -1);
  if (pagesRouter && route.some((part) => part.startsWith('_'))) return undefined;
  const segments = route
    .filter((part) => !/^\(.*\)$/.test(part) && !part.startsWith('@'))
    .map((part) => (/^\[\[?\.\.\./.test(part) ? REST : /^\[.*\]$/.test(part) ? PARAM : part));
  return { segments };
}
