import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';

/**
 * What counts as a feature in TS/JS, by syntax tree. Entry points (routes, handlers, jobs,
 * commands) are where new behaviour is reached from outside; JSX and branches are new behaviour
 * inside code that existed. The heuristics are documented in docs/rules/flag/unguarded-feature.md.
 */
export type FeatureKind = 'route' | 'handler' | 'job' | 'command' | 'page' | 'jsx' | 'branch' | 'call';

export interface Feature {
  kind: FeatureKind;
  /** The node the feature is: its whole span must be new. */
  node: TS.Node;
  /** Where the finding goes (the route path, the handler's name, the element's tag). */
  anchor: TS.Node;
  /** `route POST /refunds`, `<RefundButton>`: how the message names it. */
  label: string;
  /** The function that handles the entry point, when there is one (a guard inside it counts). */
  handler?: TS.FunctionLikeDeclaration;
}

export interface EntryPointPatterns {
  routeMethods: string[];
  /** Calls that schedule or consume work: `cron.schedule`, `queue.process`, matched at the end of the callee. */
  jobCalls: string[];
  jobConstructors: string[];
  commandCalls: string[];
}

export const DEFAULT_ENTRY_POINTS: EntryPointPatterns = {
  routeMethods: ['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head'],
  jobCalls: ['cron.schedule', 'schedule.scheduleJob', 'agenda.define', 'agenda.every', 'queue.process', 'consumer.run'],
  jobConstructors: ['CronJob', 'Worker'],
  commandCalls: ['command'],
};

const ENTRY_KINDS: FeatureKind[] = ['route', 'handler', 'job', 'command', 'page'];
const NEST_ROUTE = ['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head', 'Sse'];
const NEST_HANDLER = ['MessagePattern', 'EventPattern', 'Cron', 'Interval', 'Timeout', 'Process', 'Command', 'SubscribeMessage'];
const NEXT_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const TRPC_TERMINALS = ['query', 'mutation', 'subscription'];
const COMMAND_PACKAGES = ['commander', 'yargs', 'cac', 'sade', 'clipanion'];
const GRAPHQL_TYPES = ['Query', 'Mutation', 'Subscription'];
const GRAPHQL_PACKAGES = ['graphql', '@apollo/server', 'apollo-server', 'apollo-server-express', 'graphql-yoga', 'mercurius', '@nestjs/graphql', 'type-graphql', '@graphql-tools'];

let ts: typeof TS;

/**
 * The features a file's new code adds. `newElsewhere`: names this file imports from modules that are
 * new in the branch (a call to them from existing code is new behaviour, like a call to a new local function).
 */
export function findFeatures(source: TS.SourceFile, relPath: string, isNew: (node: TS.Node) => boolean, patterns: EntryPointPatterns, newElsewhere: ReadonlySet<string> = new Set()): Feature[] {
  ts ??= typescript();
  const imports = importedModules(source);
  const newFunctions = new Set([...newLocalFunctions(source, isNew), ...newElsewhere]);
  const features: Feature[] = [];
  const add = (feature: Feature) => {
    // One finding per feature: what lies inside a reported feature is part of it, except an entry
    // point inside a new branch, which is the feature itself (a job registered under `if (prod)`).
    const inside = (outer: Feature) => outer.node.getStart() <= feature.node.getStart() && feature.node.getEnd() <= outer.node.getEnd();
    const container = features.find(inside);
    if (!container) features.push(feature);
    else if (ENTRY_KINDS.includes(feature.kind) && !ENTRY_KINDS.includes(container.kind)) features.splice(features.indexOf(container), 1, feature);
  };
  const nextRoute = /(^|\/)app\/(.*\/)?route\.[jt]sx?$/.test(relPath);
  const nextPage = /(^|\/)(app\/(.*\/)?page|pages\/(?!api\/|_).*)\.[jt]sx?$/.test(relPath);
  const nextApi = /(^|\/)pages\/api\//.test(relPath);

  const visit = (node: TS.Node): void => {
    const feature = entryPoint(node, source, imports, patterns, { nextRoute, nextPage, nextApi }) ?? behaviourChange(node, source, isNew, newFunctions);
    if (feature && isNew(feature.node)) add(feature);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return features;
}

function entryPoint(node: TS.Node, source: TS.SourceFile, imports: Set<string>, patterns: EntryPointPatterns, next: { nextRoute: boolean; nextPage: boolean; nextApi: boolean }): Feature | undefined {
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const method = node.expression.name.text;
    const first = node.arguments[0];
    // app.get('/refunds', handler) in Express, Fastify, Koa routers, Hono.
    if (patterns.routeMethods.includes(method) && first && isPath(first)) {
      return { kind: 'route', node, anchor: first, label: `route ${method.toUpperCase()} ${(first as TS.StringLiteralLike).text}`, handler: lastFunction(node.arguments) };
    }
    // app.use('/v2', v2Router), Hono's app.route('/admin', admin): a router mounted at a path serves every route it has.
    if ((method === 'use' || method === 'route') && first && isPath(first) && node.arguments.length >= 2) {
      return { kind: 'route', node, anchor: first, label: `router mounted at ${(first as TS.StringLiteralLike).text}` };
    }
    // fastify.route({ method, url, handler })
    if (method === 'route' && first && ts.isObjectLiteralExpression(first)) {
      const url = property(first, 'url') ?? property(first, 'path');
      if (url && isPath(url)) return { kind: 'route', node, anchor: url, label: `route ${(url as TS.StringLiteralLike).text}`, handler: asFunction(property(first, 'handler')) };
    }
    const callee = node.expression.getText(source);
    // consumer.run({ eachMessage }) in kafkajs, whatever the consumer variable is called.
    if (method === 'run' && first && ts.isObjectLiteralExpression(first) && (property(first, 'eachMessage') ?? property(first, 'eachBatch'))) {
      return { kind: 'job', node, anchor: node.expression.name, label: `consumer ${node.expression.expression.getText(source)}`, handler: asFunction(property(first, 'eachMessage') ?? property(first, 'eachBatch')) };
    }
    if (patterns.jobCalls.some((p) => callee === p || callee.endsWith(`.${p}`) || (p.includes('.') && callee.toLowerCase().endsWith(p.toLowerCase())))) {
      return { kind: 'job', node, anchor: node.expression.name, label: `job ${first && ts.isStringLiteralLike(first) ? `"${first.text}"` : callee}`, handler: lastFunction(node.arguments) };
    }
    if (patterns.commandCalls.includes(method) && first && ts.isStringLiteralLike(first) && COMMAND_PACKAGES.some((p) => imports.has(p))) {
      return { kind: 'command', node, anchor: first, label: `command "${first.text.split(' ')[0]}"`, handler: lastFunction(node.arguments) };
    }
    // router({ refund: publicProcedure.input(...).mutation(...) }) in tRPC.
    if (TRPC_TERMINALS.includes(method) && ts.isPropertyAssignment(node.parent) && /procedure/i.test(callee)) {
      return { kind: 'handler', node: node.parent, anchor: node.parent.name, label: `tRPC ${method} ${node.parent.name.getText(source)}`, handler: lastFunction(node.arguments) };
    }
  }
  // const resolvers = { Query: { refunds: () => … } }: a GraphQL field answers queries like a route.
  if ((ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node)) && ts.isObjectLiteralExpression(node.parent) && ts.isPropertyAssignment(node.parent.parent)) {
    const type = node.parent.parent.name.getText(source);
    const initializer = ts.isPropertyAssignment(node) ? node.initializer : undefined;
    // A field is a function, or (subscriptions) an object with its `subscribe` or `resolve` function.
    const resolver = ts.isMethodDeclaration(node) ? node : asFunction(initializer) ?? (initializer && ts.isObjectLiteralExpression(initializer) ? asFunction(property(initializer, 'subscribe') ?? property(initializer, 'resolve')) : undefined);
    if (GRAPHQL_TYPES.includes(type) && resolver && (isGraphqlFile(source, imports))) {
      return { kind: 'handler', node, anchor: node.name, label: `GraphQL ${type}.${node.name.getText(source)}`, handler: resolver };
    }
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && patterns.jobConstructors.includes(node.expression.text) && (imports.has('cron') || imports.has('bullmq'))) {
    return { kind: 'job', node, anchor: node.expression, label: `job ${node.expression.text}`, handler: lastFunction(node.arguments ?? ts.factory.createNodeArray()) };
  }
  if (ts.isMethodDeclaration(node) && [...imports].some((m) => m.startsWith('@nestjs/'))) {
    const decorator = decoratorNames(node).find((name) => NEST_ROUTE.includes(name) || NEST_HANDLER.includes(name));
    if (decorator) return { kind: NEST_ROUTE.includes(decorator) ? 'route' : 'handler', node, anchor: node.name, label: `${NEST_ROUTE.includes(decorator) ? 'route' : 'handler'} @${decorator} ${node.name.getText(source)}`, handler: node };
  }
  if (next.nextRoute && ts.isFunctionDeclaration(node) && node.name && NEXT_METHODS.includes(node.name.text) && isExported(node)) {
    return { kind: 'route', node, anchor: node.name, label: `route ${node.name.text}`, handler: node };
  }
  if ((next.nextPage || next.nextApi) && ts.isFunctionDeclaration(node) && isDefaultExport(node)) {
    return { kind: next.nextApi ? 'route' : 'page', node, anchor: node.name ?? node, label: `${next.nextApi ? 'API route' : 'page'} ${node.name?.text ?? ''}`.trim(), handler: node };
  }
  return undefined;
}

/** New JSX in a component that existed, new branches in functions that existed, and calls from them to new functions. */
function behaviourChange(node: TS.Node, source: TS.SourceFile, isNew: (node: TS.Node) => boolean, newFunctions: ReadonlySet<string>): Feature | undefined {
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && newFunctions.has(node.expression.text) && inExistingFunction(node, isNew) && !inDefensiveBranch(node)) {
    // A call that is a statement of its own can be wrapped in a flag; one inside an expression is reported on the call.
    const awaited = ts.isAwaitExpression(node.parent) ? node.parent : node;
    const statement = ts.isExpressionStatement(awaited.parent) ? awaited.parent : undefined;
    return { kind: 'call', node: statement ?? node, anchor: node.expression, label: `call to ${node.expression.text}()` };
  }
  if ((ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node)) && !(node.parent && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent)) && isNew(node.parent))) {
    const tag = (ts.isJsxElement(node) ? node.openingElement.tagName : node.tagName).getText(source);
    // Components are behaviour; a new <div> or <p> is markup.
    if (!/^[A-Z]/.test(tag) || !inExistingFunction(node, isNew)) return undefined;
    return { kind: 'jsx', node, anchor: ts.isJsxElement(node) ? node.openingElement.tagName : node.tagName, label: `<${tag}>` };
  }
  // A new `else if` on an `if` that existed is a branch of its own; in a new chain, the chain is one.
  const newElseIf = ts.isIfStatement(node) && ts.isIfStatement(node.parent) && node.parent.elseStatement === node && isNew(node.parent);
  if (ts.isIfStatement(node) && !newElseIf && !isDefensive(node.expression) && inExistingFunction(node, isNew) && doesSomething([node.thenStatement])) {
    return { kind: 'branch', node, anchor: node.expression, label: `branch if (${node.expression.getText(source).slice(0, 40)})` };
  }
  if (ts.isCaseClause(node) && inExistingFunction(node, isNew) && doesSomething([...node.statements])) {
    return { kind: 'branch', node, anchor: node.expression, label: `branch case ${node.expression.getText(source).slice(0, 40)}` };
  }
  return undefined;
}

/** Functions this file declares at the top level whose declaration is new in the branch. */
function newLocalFunctions(source: TS.SourceFile, isNew: (node: TS.Node) => boolean): string[] {
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body && isNew(statement)) names.push(statement.name.text);
    if (ts.isVariableStatement(statement) && isNew(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer && asFunction(declaration.initializer)) names.push(declaration.name.text);
      }
    }
  }
  return names;
}

/** A module that serves GraphQL: it imports a GraphQL server or schema library, or names its resolvers so. */
function isGraphqlFile(source: TS.SourceFile, imports: Set<string>): boolean {
  return [...imports].some((m) => GRAPHQL_PACKAGES.some((p) => m === p || m.startsWith(`${p}/`))) || /(^|\/)[^/]*resolvers?\.[jt]sx?$/i.test(source.fileName);
}

/** Inside `if (!value)` or `if (error)` in its function: error handling, not a feature. */
function inDefensiveBranch(node: TS.Node): boolean {
  for (let current = node.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (ts.isIfStatement(current) && isDefensive(current.expression)) return true;
  }
  return false;
}

/** Tests for missing values and errors guard against bad input: hardening, not a feature. */
function isDefensive(condition: TS.Expression): boolean {
  const text = condition.getText();
  return (
    (ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken) ||
    /^(err|error|e|ex|exception)$/i.test(text) ||
    /[=!]==?\s*(null|undefined)\b|\binstanceof\s+\w*Error\b/.test(text)
  );
}

/** More than a guard clause (a bare return, throw, break or continue) or logging. */
function doesSomething(body: TS.Statement[]): boolean {
  const statements = body.flatMap((statement) => (ts.isBlock(statement) ? [...statement.statements] : [statement]));
  return statements.some((s) => {
    if (ts.isThrowStatement(s) || ts.isBreakStatement(s) || ts.isContinueStatement(s)) return false;
    if (ts.isReturnStatement(s)) return !!s.expression && !ts.isIdentifier(s.expression) && s.expression.kind !== ts.SyntaxKind.NullKeyword;
    if (ts.isExpressionStatement(s) && /^(console|logger|log|debug)\b/.test(s.expression.getText())) return false;
    return true;
  });
}

function inExistingFunction(node: TS.Node, isNew: (node: TS.Node) => boolean): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) && !ts.isTypeNode(current)) {
      // The function existed when the line that starts it did: its name, or an arrow's `=>`.
      const head = (current as TS.FunctionLikeDeclaration).name ?? (ts.isArrowFunction(current) ? current.equalsGreaterThanToken : current);
      return !isNew(head);
    }
  }
  return false;
}

function isPath(node: TS.Expression): boolean {
  return ts.isStringLiteralLike(node) && /^[/*]/.test(node.text);
}

function lastFunction(args: TS.NodeArray<TS.Expression>): TS.FunctionLikeDeclaration | undefined {
  for (let i = args.length - 1; i >= 0; i--) {
    const fn = asFunction(args[i]);
    if (fn) return fn;
  }
  return undefined;
}

function asFunction(node: TS.Node | undefined): TS.FunctionLikeDeclaration | undefined {
  return node && (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) ? node : undefined;
}

function property(object: TS.ObjectLiteralExpression, name: string): TS.Expression | undefined {
  for (const p of object.properties) if (ts.isPropertyAssignment(p) && p.name.getText() === name) return p.initializer;
  return undefined;
}

function decoratorNames(node: TS.MethodDeclaration): string[] {
  return (ts.getDecorators(node) ?? []).map((d) => (ts.isCallExpression(d.expression) ? d.expression.expression : d.expression).getText());
}

function isExported(node: TS.FunctionDeclaration): boolean {
  return node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

function isDefaultExport(node: TS.FunctionDeclaration): boolean {
  return isExported(node) && (node.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ?? false);
}

function importedModules(source: TS.SourceFile): Set<string> {
  const modules = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) modules.add(statement.moduleSpecifier.text);
  }
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) modules.add(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return modules;
}
