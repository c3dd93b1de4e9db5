import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';
import type { EntryPointPatterns, Feature } from './features';
import type { Receivers } from './receivers';
import { accessPath, type FileSymbols } from './symbols';

let ts: typeof TS;

const NEST_ROUTE = ['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head', 'Sse'];
const NEST_HANDLER = ['MessagePattern', 'EventPattern', 'Cron', 'Interval', 'Timeout', 'Process', 'Command', 'SubscribeMessage', 'OnEvent'];
/** GraphQL operations as decorators: NestJS (`@nestjs/graphql`) and TypeGraphQL. */
const GRAPHQL_DECORATORS = ['Query', 'Mutation', 'Subscription', 'ResolveField', 'ResolveProperty', 'FieldResolver'];
const GRAPHQL_DECORATOR_PACKAGES = ['@nestjs/graphql', 'type-graphql'];
const NEXT_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const TRPC_TERMINALS = ['query', 'mutation', 'subscription'];
const COMMAND_PACKAGES = ['commander', 'yargs', 'cac', 'sade', 'clipanion'];
const GRAPHQL_TYPES = ['Query', 'Mutation', 'Subscription'];
const GRAPHQL_PACKAGES = ['graphql', '@apollo/server', 'apollo-server', 'apollo-server-express', 'graphql-yoga', 'mercurius', '@nestjs/graphql', 'type-graphql', '@graphql-tools'];
/** ts-rest servers: `tsr.router(contract, { name: handler })`, `s.router(…)`, `createNextRoute(…)`. */
const TS_REST_PACKAGES = ['@ts-rest/serverless', '@ts-rest/express', '@ts-rest/nest', '@ts-rest/fastify', '@ts-rest/next', '@ts-rest/core'];
/** Registrations on an MCP server: tools, resources and prompts (official SDK and FastMCP). */
const MCP_METHODS = ['tool', 'registerTool', 'resource', 'registerResource', 'prompt', 'registerPrompt', 'addTool', 'addResource', 'addPrompt'];
const MCP_PACKAGES = ['@modelcontextprotocol/sdk', 'fastmcp'];
/** Schedulers whose jobs are classes or objects: `CronJob.from({ … })` (cron), `new CronJob(…)`, bullmq `new Worker(…)`. */
const JOB_PACKAGES: Record<string, string[]> = { cron: ['CronJob'], bullmq: ['Worker'], 'node-cron': ['ScheduledTask'], toad: ['SimpleIntervalJob', 'CronJob'], 'toad-scheduler': ['SimpleIntervalJob', 'CronJob', 'LongIntervalJob'] };
const JOB_PACKAGE_NAMES = Object.keys(JOB_PACKAGES);

export interface EntryContext {
  source: TS.SourceFile;
  relPath: string;
  symbols: FileSymbols;
  receivers: Receivers;
  patterns: EntryPointPatterns;
  /** The branch adds the file. */
  isNewModule: boolean;
}

/**
 * Where new behaviour is reached from outside, by syntax and by what the receiver is: a route on a
 * router, app or server of a known framework (any path, with or without a leading `/`), a mounted
 * router, a NestJS REST, GraphQL, message or schedule handler, a tRPC procedure, a ts-rest handler,
 * a GraphQL resolver, an MCP tool, a Next.js route handler, page or server action, a Remix route
 * module's loader, action or page, a job, a CLI command. Undefined for anything else.
 */
export function entryPoint(node: TS.Node, context: EntryContext): Feature | undefined {
  ts ??= typescript();
  const { source } = context;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) return callEntry(node, node.expression, context);
  // const resolvers = { Query: { refunds: () => … } }: a GraphQL field answers queries like a route.
  if ((ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node)) && ts.isObjectLiteralExpression(node.parent) && ts.isPropertyAssignment(node.parent.parent)) {
    const type = node.parent.parent.name.getText(source);
    const initializer = ts.isPropertyAssignment(node) ? node.initializer : undefined;
    const resolver = ts.isMethodDeclaration(node) ? node : asFunction(initializer) ?? (initializer && ts.isObjectLiteralExpression(initializer) ? asFunction(property(initializer, 'subscribe') ?? property(initializer, 'resolve')) : undefined);
    if (GRAPHQL_TYPES.includes(type) && resolver && isGraphqlFile(context)) {
      return { kind: 'handler', node, anchor: node.name, label: `GraphQL ${type}.${node.name.getText(source)}`, handler: resolver };
    }
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && isJobClass(node.expression.text, context.symbols, context.patterns)) {
    return { kind: 'job', node, anchor: node.expression, label: `job ${node.expression.text}`, handler: lastFunction(node.arguments ?? ts.factory.createNodeArray()) };
  }
  if (ts.isMethodDeclaration(node)) return decoratedEntry(node, context);
  if (ts.isFunctionDeclaration(node) || ts.isVariableStatement(node)) return moduleEntry(node, context);
  return undefined;
}

function callEntry(node: TS.CallExpression, callee: TS.PropertyAccessExpression, context: EntryContext): Feature | undefined {
  const { source, receivers, patterns, symbols } = context;
  const method = callee.name.text;
  const first = node.arguments[0];
  const onServer = () => receivers.kind(callee.expression) === 'server';
  // app.get('/refunds', handler) and router.post('collections.duplicate', …): a method named for an
  // HTTP verb on a router, app or server, with a path and something to handle it.
  if (patterns.routeMethods.includes(method) && first && node.arguments.length >= 2 && isPathLike(first) && onServer()) {
    return { kind: 'route', node, anchor: first, label: `route ${method.toUpperCase()} ${pathText(first, source)}`, handler: lastFunction(node.arguments) };
  }
  // router.route('/orders').get(handler) in Express.
  if (patterns.routeMethods.includes(method) && first && asFunction(lastArgument(node)) && ts.isCallExpression(callee.expression) && ts.isPropertyAccessExpression(callee.expression.expression) && callee.expression.expression.name.text === 'route') {
    const path = callee.expression.arguments[0];
    if (path && isPathLike(path) && onServer()) return { kind: 'route', node, anchor: callee.name, label: `route ${method.toUpperCase()} ${pathText(path, source)}`, handler: lastFunction(node.arguments) };
  }
  // app.use('/v2', v2Router), Hono's app.route('/admin', admin): a router mounted at a path serves every route it has.
  if ((method === 'use' || method === 'route') && first && isPathLike(first) && node.arguments.length >= 2 && !node.arguments.slice(1).some(asFunction) && onServer()) {
    return { kind: 'route', node, anchor: first, label: `router mounted at ${pathText(first, source)}` };
  }
  // fastify.route({ method, url, handler })
  if (method === 'route' && first && ts.isObjectLiteralExpression(first)) {
    const url = property(first, 'url') ?? property(first, 'path');
    if (url && isPathLike(url) && onServer()) return { kind: 'route', node, anchor: url, label: `route ${pathText(url, source)}`, handler: asFunction(property(first, 'handler')) };
  }
  // server.registerTool('search', …) on an MCP server.
  if (MCP_METHODS.includes(method) && first && symbols.importsPackage(MCP_PACKAGES)) {
    const name = ts.isStringLiteralLike(first) ? first.text : ts.isObjectLiteralExpression(first) ? literal(property(first, 'name')) : undefined;
    const what = /tool/i.test(method) ? 'tool' : /resource/i.test(method) ? 'resource' : 'prompt';
    if (name) return { kind: 'handler', node, anchor: first, label: `MCP ${what} "${name}"`, handler: lastFunction(node.arguments) ?? (ts.isObjectLiteralExpression(first) ? asFunction(property(first, 'execute')) : undefined) };
  }
  const calleeText = callee.getText(source);
  // consumer.run({ eachMessage }) in kafkajs, whatever the consumer variable is called.
  if (method === 'run' && first && ts.isObjectLiteralExpression(first) && (property(first, 'eachMessage') ?? property(first, 'eachBatch'))) {
    return { kind: 'job', node, anchor: callee.name, label: `consumer ${callee.expression.getText(source)}`, handler: asFunction(property(first, 'eachMessage') ?? property(first, 'eachBatch')) };
  }
  if (patterns.jobCalls.some((p) => calleeText === p || calleeText.endsWith(`.${p}`) || (p.includes('.') && calleeText.toLowerCase().endsWith(p.toLowerCase())))) {
    return { kind: 'job', node, anchor: callee.name, label: `job ${first && ts.isStringLiteralLike(first) ? `"${first.text}"` : calleeText}`, handler: lastFunction(node.arguments) };
  }
  // CronJob.from({ cronTime, onTick }) in cron.
  if (method === 'from' && ts.isIdentifier(callee.expression) && isJobClass(callee.expression.text, symbols, patterns)) {
    return { kind: 'job', node, anchor: callee.name, label: `job ${callee.expression.text}`, handler: first && ts.isObjectLiteralExpression(first) ? asFunction(property(first, 'onTick')) : undefined };
  }
  if (patterns.commandCalls.includes(method) && first && ts.isStringLiteralLike(first) && symbols.importsPackage(COMMAND_PACKAGES)) {
    return { kind: 'command', node, anchor: first, label: `command "${first.text.split(' ')[0]}"`, handler: lastFunction(node.arguments) };
  }
  // router({ refund: publicProcedure.input(…).mutation(…) }), or a procedure exported on its own.
  if (TRPC_TERMINALS.includes(method) && isProcedureChain(callee.expression)) {
    const owner = ts.isPropertyAssignment(node.parent) ? node.parent : ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent : undefined;
    // In a router, the procedure's name; exported on its own, the `.mutation(…)` that makes it one.
    if (owner) return { kind: 'handler', node: owner, anchor: ts.isPropertyAssignment(owner) ? owner.name : callee.name, label: `tRPC ${method} ${owner.name.getText(source)}`, handler: lastFunction(node.arguments) };
  }
  return undefined;
}

/** The handlers of a ts-rest server implementation: `tsr.router(contract, { name: handler })`. */
export function tsRestHandlers(node: TS.Node, context: EntryContext): Feature[] {
  ts ??= typescript();
  if (!ts.isCallExpression(node) || !context.symbols.importsPackage(TS_REST_PACKAGES)) return [];
  const callee = node.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if (!['router', 'routerWithMiddleware', 'createNextRoute', 'createNextRouter'].includes(name) || node.arguments.length < 2) return [];
  const implementation = node.arguments[1];
  if (!ts.isObjectLiteralExpression(implementation)) return [];
  return implementation.properties
    .filter((p): p is TS.PropertyAssignment | TS.MethodDeclaration => (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p)) && !!p.name)
    .map((p) => ({ kind: 'handler' as const, node: p, anchor: p.name, label: `ts-rest route ${p.name.getText(context.source)}`, handler: ts.isMethodDeclaration(p) ? p : innermostFunction(p.initializer) }));
}

function decoratedEntry(node: TS.MethodDeclaration, context: EntryContext): Feature | undefined {
  const { source, symbols } = context;
  const decorators = (ts.getDecorators(node) ?? []).map((d) => (ts.isCallExpression(d.expression) ? d.expression.expression : d.expression).getText(source));
  const graphql = decorators.find((name) => GRAPHQL_DECORATORS.includes(name) && GRAPHQL_DECORATOR_PACKAGES.some((p) => symbols.imports.get(name)?.module === p));
  if (graphql) return { kind: 'handler', node, anchor: node.name, label: `GraphQL @${graphql} ${node.name.getText(source)}`, handler: node };
  if (![...symbols.modules].some((m) => m.startsWith('@nestjs/'))) return undefined;
  const decorator = decorators.find((name) => NEST_ROUTE.includes(name) || NEST_HANDLER.includes(name));
  if (!decorator) return undefined;
  const route = NEST_ROUTE.includes(decorator);
  return { kind: route ? 'route' : 'handler', node, anchor: node.name, label: `${route ? 'route' : 'handler'} @${decorator} ${node.name.getText(source)}`, handler: node };
}

/** Next.js route handlers, pages and server actions; Remix route modules. */
function moduleEntry(node: TS.FunctionDeclaration | TS.VariableStatement, context: EntryContext): Feature | undefined {
  const { relPath, source } = context;
  if (!ts.isSourceFile(node.parent)) return undefined;
  const fn = ts.isFunctionDeclaration(node) ? node : undefined;
  const declaration = ts.isVariableStatement(node) ? node.declarationList.declarations[0] : undefined;
  const name = fn?.name?.text ?? (declaration && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined);
  const handler = fn ?? innermostFunction(declaration?.initializer);
  const exported = hasModifier(node, ts.SyntaxKind.ExportKeyword);
  const isDefault = hasModifier(node, ts.SyntaxKind.DefaultKeyword);
  if (!exported || !handler) return undefined;
  const anchor = fn?.name ?? declaration?.name ?? node;
  // A `'use server'` module: every exported async function can be called from the browser.
  if (isServerActionModule(source) && name && isAsync(handler)) return { kind: 'handler', node, anchor, label: `server action ${name}`, handler };
  if (/(^|\/)app\/(.*\/)?route\.[jt]sx?$/.test(relPath) && name && NEXT_METHODS.includes(name)) return { kind: 'route', node, anchor, label: `route ${name}`, handler };
  if (/(^|\/)pages\/api\//.test(relPath) && isDefault) return { kind: 'route', node, anchor, label: `API route ${name ?? ''}`.trim(), handler };
  if (/(^|\/)(app\/(.*\/)?page|pages\/(?!api\/|_).*)\.[jt]sx?$/.test(relPath) && isDefault) return { kind: 'page', node, anchor, label: `page ${name ?? ''}`.trim(), handler };
  // Remix and React Router route modules the branch adds: `loader` and `action` answer requests, the
  // default export is the page. (A loader added to a page that existed serves that page.)
  if (/(^|\/)app\/routes\//.test(relPath) && context.isNewModule) {
    if (name === 'loader' || name === 'action') return { kind: 'route', node, anchor, label: `route ${name} of ${relPath.split('/').pop()}`, handler };
    if (isDefault) return { kind: 'page', node, anchor, label: `page ${name ?? relPath.split('/').pop()}`, handler };
  }
  return undefined;
}

function isServerActionModule(source: TS.SourceFile): boolean {
  ts ??= typescript();
  const first = source.statements[0];
  return !!first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use server';
}

/** `publicProcedure.input(…)`, `t.procedure.use(…)`, `authenticatedProcedure`: a tRPC procedure builder. */
function isProcedureChain(expression: TS.Expression): boolean {
  let current = expression;
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) current = current.expression.expression;
  const path = accessPath(current);
  return !!path && /procedure$/i.test(path[path.length - 1]);
}

function isJobClass(name: string, symbols: FileSymbols, patterns: EntryPointPatterns): boolean {
  const imported = symbols.imports.get(name);
  if (imported && JOB_PACKAGES[imported.module]?.includes(imported.name)) return true;
  return patterns.jobConstructors.includes(name) && symbols.importsPackage(JOB_PACKAGE_NAMES);
}

function isGraphqlFile(context: EntryContext): boolean {
  return context.symbols.importsPackage(GRAPHQL_PACKAGES) || /(^|\/)[^/]*resolvers?\.[jt]sx?$/i.test(context.relPath);
}

/** A path: a string or template literal, or a constant naming one (`routes.orders`). */
function isPathLike(node: TS.Expression): boolean {
  return ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) || (!!accessPath(node) && /path|route|url/i.test(node.getText()));
}

function pathText(node: TS.Expression, source: TS.SourceFile): string {
  return ts.isStringLiteralLike(node) ? node.text : node.getText(source);
}

function literal(node: TS.Expression | undefined): string | undefined {
  return node && ts.isStringLiteralLike(node) ? node.text : undefined;
}

function lastArgument(node: TS.CallExpression): TS.Expression | undefined {
  return node.arguments[node.arguments.length - 1];
}

function lastFunction(args: TS.NodeArray<TS.Expression>): TS.FunctionLikeDeclaration | undefined {
  for (let i = args.length - 1; i >= 0; i--) {
    const fn = innermostFunction(args[i]);
    if (fn) return fn;
  }
  return undefined;
}

/** The function an argument is, through wrappers: `authenticated(async (ctx) => …)`. */
function innermostFunction(node: TS.Expression | undefined): TS.FunctionLikeDeclaration | undefined {
  if (!node) return undefined;
  const direct = asFunction(node);
  if (direct) return direct;
  if (ts.isCallExpression(node)) return lastFunction(node.arguments);
  return undefined;
}

function asFunction(node: TS.Node | undefined): TS.FunctionLikeDeclaration | undefined {
  return node && (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) ? node : undefined;
}

export function property(object: TS.ObjectLiteralExpression, name: string): TS.Expression | undefined {
  for (const p of object.properties) if (ts.isPropertyAssignment(p) && p.name.getText() === name) return p.initializer;
  return undefined;
}

function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function isAsync(fn: TS.FunctionLikeDeclaration): boolean {
  return hasModifier(fn, ts.SyntaxKind.AsyncKeyword);
}
