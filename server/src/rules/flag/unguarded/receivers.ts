import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';
import { FileSymbols, unwrap } from './symbols';

let ts: typeof TS;

/**
 * What a call's receiver is: a router, app or server of a web framework (`server`), something that
 * is known not to be one (`other`: an HTTP client, a fetch wrapper, a `Map`, a cache), or `unknown`.
 * A route is only a route on a server: `client.post('/collections.duplicate')` and
 * `cache.delete('/api/orders')` are calls, whatever their arguments look like.
 */
export type ReceiverKind = 'server' | 'other' | 'unknown';

/** Packages whose exports make routers and apps, by export (`*`: any, `default`: the default export). */
const SERVER_FACTORIES: Record<string, string[]> = {
  express: ['default', 'Router', '*'],
  'koa-router': ['default', 'Router'],
  '@koa/router': ['default', 'Router'],
  'koa-tree-router': ['default'],
  koa: ['default'],
  hono: ['Hono'],
  'hono/tiny': ['Hono'],
  'hono/quick': ['Hono'],
  '@hono/zod-openapi': ['OpenAPIHono'],
  fastify: ['default', 'fastify'],
  restify: ['createServer'],
  polka: ['default'],
  h3: ['createApp', 'createRouter', 'H3'],
  'itty-router': ['Router', 'AutoRouter', 'IttyRouter'],
  elysia: ['Elysia'],
  'next-connect': ['createRouter', 'default'],
  router: ['default'],
  '@modelcontextprotocol/sdk/server/mcp.js': ['McpServer'],
  '@modelcontextprotocol/sdk/server/index.js': ['Server'],
  fastmcp: ['FastMCP'],
};
const SERVER_PACKAGES = Object.keys(SERVER_FACTORIES);

/** Types of routers, apps and servers, by name (they are imported from the packages above). */
const SERVER_TYPES = new Set(['Router', 'IRouter', 'Express', 'Application', 'FastifyInstance', 'Hono', 'OpenAPIHono', 'Koa', 'KoaRouter', 'Elysia', 'Polka', 'Server', 'McpServer', 'FastMCP', 'App', 'H3']);

/** Packages that make HTTP clients and fetch wrappers: their `get`/`post` send requests. */
const CLIENT_PACKAGES = ['axios', 'ky', 'got', 'node-fetch', 'superagent', 'supertest', 'request', 'ofetch', 'redaxios', '@trpc/client', 'cross-fetch', 'undici', 'wretch', 'openapi-fetch', 'hono/client', '@ts-rest/core', 'graphql-request', '@apollo/client', 'ioredis', 'redis', 'lru-cache', 'keyv', 'cache-manager', 'node-cache'];
/** Built-in collections and web APIs with `get`/`set`/`delete`/`has`. */
const BUILT_IN_OTHERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'URLSearchParams', 'Headers', 'FormData', 'URL', 'Request', 'Response', 'Cache', 'LRUCache', 'Keyv', 'Redis', 'QueryClient']);
const CLIENT_TYPES = /^(AxiosInstance|AxiosStatic|KyInstance|Got|Map|Set|WeakMap|ReadonlyMap|Record|Storage|Cache|LRUCache|Redis|QueryClient|TRPCClient|ApiClient|HttpClient|Headers|URLSearchParams)$/;

/** Methods that return their receiver (or a route of it): `app.get(…).post(…)`, `router.route('/x').get(…)`. */
const CHAINING = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use', 'route', 'basePath', 'on', 'mount', 'group', 'prefix', 'openapi', 'register', 'tool', 'registerTool', 'resource', 'registerResource', 'prompt', 'registerPrompt']);

/** Names that are routers by convention, trusted only in a file that imports a server framework. */
const SERVER_NAME = /^(app|router|api|server|routes?|[a-z][A-Za-z0-9]*(Router|App|Api|Server|Routes))$/;
const MAX_DEPTH = 6;

/**
 * Classifies receivers in one file by import and local data flow (declarations, initializers,
 * parameter types, class fields). `imported`: what other workspace modules' exports are, looked up
 * by the caller beforehand (`router` imported from `./router`).
 */
export class Receivers {
  constructor(
    private readonly symbols: FileSymbols,
    private readonly imported: ReadonlyMap<string, ReceiverKind> = new Map(),
  ) {
    ts ??= typescript();
  }

  kind(expression: TS.Expression, depth = 0): ReceiverKind {
    if (depth > MAX_DEPTH) return 'unknown';
    let node = unwrap(expression);
    // A chain (`new Hono().get(…).route(…)…`) is followed link by link at no cost in depth: it is
    // syntax, finite, where depth bounds the data flow followed through names.
    while (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      if (!ts.isPropertyAccessExpression(callee) || !CHAINING.has(callee.name.text)) return this.factory(callee, node);
      node = unwrap(callee.expression);
    }
    if (ts.isNewExpression(node)) return this.factory(unwrap(node.expression), node);
    if (ts.isIdentifier(node)) return this.identifier(node, depth);
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) return this.classField(node, depth);
    return 'unknown';
  }

  /** Whether the file uses a web framework at all: it imports one, or a module of the workspace that serves. */
  get servesHttp(): boolean {
    return this.symbols.importsPackage(SERVER_PACKAGES) || [...this.imported.values()].includes('server');
  }

  private factory(callee: TS.Expression, at: TS.Node): ReceiverKind {
    if (ts.isIdentifier(callee)) {
      if (BUILT_IN_OTHERS.has(callee.text) && !this.symbols.imports.has(callee.text)) return 'other';
      const imported = this.symbols.imports.get(callee.text);
      if (imported) return this.ofImport(imported.module, imported.name);
      const declaration = this.symbols.declarationOf(callee.text, at);
      // `const createApp = () => new Hono()`: a local factory is what it returns.
      const value = declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
      const body = value && (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && !ts.isBlock(value.body) ? value.body : undefined;
      return body ? this.kind(body, MAX_DEPTH - 1) : 'unknown';
    }
    // express.Router(), axios.create()
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
      const imported = this.symbols.imports.get(callee.expression.text);
      if (imported) {
        if (CLIENT_PACKAGES.some((p) => matches(imported.module, p))) return 'other';
        const names = packageNames(imported.module);
        if (names && (imported.name === 'default' || imported.name === '*')) return names.includes('*') || names.includes(callee.name.text) ? 'server' : 'unknown';
      }
    }
    return 'unknown';
  }

  private ofImport(module: string, name: string): ReceiverKind {
    if (CLIENT_PACKAGES.some((p) => matches(module, p))) return 'other';
    const names = packageNames(module);
    if (names) return names.includes(name) || (name === 'default' && names.includes('*')) ? 'server' : 'unknown';
    return 'unknown';
  }

  private identifier(node: TS.Identifier, depth: number): ReceiverKind {
    const imported = this.symbols.imports.get(node.text);
    if (imported) {
      if (CLIENT_PACKAGES.some((p) => matches(imported.module, p))) return 'other';
      return this.imported.get(node.text) ?? this.byName(node.text);
    }
    const declaration = this.symbols.declarationOf(node.text, node);
    if (!declaration) return this.byName(node.text);
    if (ts.isVariableDeclaration(declaration)) {
      const typed = declaration.type && this.type(declaration.type);
      if (typed && typed !== 'unknown') return typed;
      return declaration.initializer ? this.kindOr(this.kind(declaration.initializer, depth + 1), node.text) : this.byName(node.text);
    }
    if (ts.isParameter(declaration)) {
      const typed = declaration.type ? this.type(declaration.type) : 'unknown';
      if (typed !== 'unknown') return typed;
      // A Fastify plugin's first parameter is the instance it registers on: `app.register(async (app) => …)`.
      const fn = declaration.parent;
      const call = fn.parent;
      if (fn.parameters[0] === declaration && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'register' && this.kind(call.expression.expression, depth + 1) === 'server') return 'server';
      return this.byName(node.text);
    }
    return 'unknown';
  }

  private classField(node: TS.PropertyAccessExpression, depth: number): ReceiverKind {
    let owner: TS.Node | undefined = node.parent;
    while (owner && !ts.isClassLike(owner)) owner = owner.parent;
    if (!owner) return 'unknown';
    for (const member of owner.members) {
      if (ts.isPropertyDeclaration(member) && member.name.getText() === node.name.text) {
        const typed = member.type ? this.type(member.type) : 'unknown';
        if (typed !== 'unknown') return typed;
        if (member.initializer) return this.kind(member.initializer, depth + 1);
      }
      if (ts.isConstructorDeclaration(member)) {
        for (const parameter of member.parameters) {
          if (ts.isIdentifier(parameter.name) && parameter.name.text === node.name.text && parameter.type) return this.type(parameter.type);
        }
      }
    }
    return this.byName(node.name.text);
  }

  private type(node: TS.TypeNode): ReceiverKind {
    if (!ts.isTypeReferenceNode(node)) return 'unknown';
    const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
    const imported = ts.isIdentifier(node.typeName) ? this.symbols.imports.get(node.typeName.text) : undefined;
    if (CLIENT_TYPES.test(name) || (imported && CLIENT_PACKAGES.some((p) => matches(imported.module, p)))) return 'other';
    if (SERVER_TYPES.has(name) && (!imported || SERVER_PACKAGES.some((p) => matches(imported.module, p)) || imported.module.startsWith('.'))) return 'server';
    return 'unknown';
  }

  private kindOr(kind: ReceiverKind, name: string): ReceiverKind {
    return kind === 'unknown' ? this.byName(name) : kind;
  }

  private byName(name: string): ReceiverKind {
    return SERVER_NAME.test(name) && this.servesHttp ? 'server' : 'unknown';
  }
}

function matches(module: string, pkg: string): boolean {
  return module === pkg || module.startsWith(`${pkg}/`);
}

function packageNames(module: string): string[] | undefined {
  return SERVER_FACTORIES[module] ?? SERVER_FACTORIES[module.replace(/\.js$/, '')];
}

/**
 * The receivers other workspace modules export, for the names this file imports from them that it
 * calls methods on: what `kind` of the exported declaration is in its own file.
 */
export async function importedReceivers(symbols: FileSymbols, names: Set<string>, load: (module: string) => Promise<TS.SourceFile | undefined>): Promise<Map<string, ReceiverKind>> {
  ts ??= typescript();
  const kinds = new Map<string, ReceiverKind>();
  for (const name of names) {
    const imported = symbols.imports.get(name);
    if (!imported || !(imported.module.startsWith('.') || imported.module.startsWith('@/') || imported.module.startsWith('~'))) continue;
    const other = await load(imported.module).catch(() => undefined);
    if (!other) continue;
    const receivers = new Receivers(new FileSymbols(other));
    const exported = exportedExpression(other, imported.name);
    kinds.set(name, exported ? receivers.kind(exported) : 'unknown');
  }
  return kinds;
}

/** The expression a module exports under `name`: `export const router = new Router()`, `export default app`. */
function exportedExpression(source: TS.SourceFile, name: string): TS.Expression | undefined {
  for (const statement of source.statements) {
    if (name === 'default' && ts.isExportAssignment(statement)) return statement.expression;
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) return declaration.name;
    }
  }
  return undefined;
}
