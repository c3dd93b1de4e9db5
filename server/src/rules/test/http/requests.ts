import type * as TS from 'typescript';
import { hasModifier } from '../../flag/detect/tsScope';
import { parseSource, typescript } from '../../flag/detect/typescriptModule';
import { pathSegments, type RequestedPath } from './paths';

let ts: typeof TS;

/** Methods of request builders and clients: supertest, Playwright's `request`, axios, ky, framework test agents. */
const VERBS: Record<string, string> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', del: 'DELETE', head: 'HEAD', options: 'OPTIONS' };
/** Browser navigation: Playwright and Puppeteer `page.goto`, Cypress `cy.visit`. */
const VISITS = new Set(['goto', 'visit']);
const MAY_REQUEST = /\.(?:get|post|put|patch|delete|del|head|options|goto|visit)\s*\(|\bfetch\s*\(/;

/**
 * The paths a TS/JS test requests over HTTP or visits in a browser, where the path is written in
 * the call or in the `const` it names: a string, or a template whose computed parts are path
 * segments or the base URL in front (`${baseUrl}/envelope/create`). A path passed in as a
 * parameter, assigned, or built from parts DeployRisk cannot place (`${base}${path}`) is left out:
 * the test is not claimed to reach anything.
 */
export function requestedPaths(relPath: string, text: string): RequestedPath[] {
  if (!mayRequest(text)) return [];
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const found: RequestedPath[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const request = requestOf(node);
      if (request) {
        const path = pathOf(node.arguments[0]);
        const helper = helperOf(node);
        if (path) found.push({ ...request, ...path, line: source.getLineAndCharacterOfPosition(node.arguments[0].getStart(source)).line, ...(helper ? { helper } : {}) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * A helper that requests a path its caller hands it: `apiSignin({ page, redirectPath })` visiting
 * `${NEXT_PUBLIC_WEBAPP_URL()}${redirectPath}`. The path is the parameter at `index`, or the
 * `property` of the object there.
 */
export interface PathParameter {
  helper: string;
  /** Declared with `export`: a test importing the name from its file calls it. */
  exported: boolean;
  index: number;
  property?: string;
  method?: string;
  visit: boolean;
  /** A value DeployRisk cannot read stands in front of the parameter (the base URL). */
  openHead: boolean;
}

/** A written path a call hands to a function (`apiSignin({ page, redirectPath: \`/t/${team.url}/documents\` })`). */
export interface PathArgument {
  callee: string;
  /** The import binding the callee: the module written and the name it exports (`import { apiSignin as signin } from './fixtures'`). */
  imported?: { specifier: string; name: string };
  index: number;
  property?: string;
  segments: string[];
  openHead: boolean;
  /** 0-based line of the path. */
  line: number;
  /** The named function the call is made in, as `RequestedPath.helper`. */
  helper?: string;
}

/**
 * The paths a file hands to functions, and its helpers' requests of the paths they are handed: a
 * test's request written at the call, with the helper's method and base URL (`requestsOf` in
 * reach.ts joins the two, for helpers the test's file declares or imports by name). Only what is
 * read exactly: a helper declared at the top of its file that requests its own parameter
 * (`param`, `${param}` or `${base}${param}`) in its own body, and never writes or shadows it; a
 * call of a function by its name (not a method: `http.get('/x', resolver)` is a mock's), with the
 * path before any spread argument and no property after it that may replace it.
 */
export function pathPassing(relPath: string, text: string): { parameters: PathParameter[]; passed: PathArgument[] } {
  const parameters: PathParameter[] = [];
  const passed: PathArgument[] = [];
  // A helper requests, and a handed path is written as one (`'/settings'`, `\`${base}/x\``): most test files do neither, and are not parsed.
  if (!mayRequest(text) && !WRITTEN_PATH.test(text)) return { parameters, passed };
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const lineOf = (node: TS.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line;
  const imports = namedImports(source);
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const request = requestOf(node);
      if (request) {
        const handed = pathOf(node.arguments[0]) ? undefined : handedParameter(node, node.arguments[0]);
        if (handed) parameters.push({ ...handed, ...(request.method ? { method: request.method } : {}), visit: request.visit });
      } else if (ts.isIdentifier(node.expression)) {
        const calleeNode = node.expression;
        const callee = calleeNode.text;
        const bound = imports.get(callee);
        const helper = helperOf(node);
        let shadowed: boolean | undefined;
        const add = (value: TS.Expression, index: number, property?: string) => {
          if (ts.isStringLiteralLike(value) && value.text === '') return;
          const path = pathOf(value);
          // Asked only of calls handing a path: most calls of a file hand none.
          if (path && !(shadowed ??= declaredInside(calleeNode))) passed.push({ callee, ...(bound ? { imported: bound } : {}), index, ...(property !== undefined ? { property } : {}), ...path, line: lineOf(value), ...(helper ? { helper } : {}) });
        };
        // After a spread argument, positions are not known.
        const spread = node.arguments.findIndex((argument) => ts.isSpreadElement(argument));
        node.arguments.forEach((argument, index) => {
          if (spread >= 0 && index >= spread) return;
          if (!ts.isObjectLiteralExpression(argument)) return add(argument, index);
          // A later property may replace the value: one of the same name, a spread, a computed name, an accessor.
          const names = argument.properties.map(plainPropertyName);
          const lastUnknown = names.lastIndexOf(undefined);
          const last = new Map(names.map((name, at) => [name, at]));
          argument.properties.forEach((property, at) => {
            const name = names[at];
            if (name === undefined || at < lastUnknown || last.get(name) !== at) return;
            if (ts.isPropertyAssignment(property)) add(property.initializer, index, name);
            else if (ts.isShorthandPropertyAssignment(property)) add(property.name, index, name);
          });
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { parameters, passed };
}

/** The name of a property written `name: value` or `name`; undefined for a spread, a computed name, a method or an accessor. */
function plainPropertyName(property: TS.ObjectLiteralElementLike): string | undefined {
  if (ts.isShorthandPropertyAssignment(property)) return property.name.text;
  return ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
}

/** The file's named imports at run time, by local name: the module written and the name it exports. */
function namedImports(source: TS.SourceFile): Map<string, { specifier: string; name: string }> {
  const found = new Map<string, { specifier: string; name: string }>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    const bindings = clause?.namedBindings;
    if (!clause || clause.isTypeOnly || !bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) if (!element.isTypeOnly) found.set(element.name.text, { specifier: statement.moduleSpecifier.text, name: (element.propertyName ?? element.name).text });
  }
  return found;
}

/** A string that may be a path: starting with a slash (escaped or not) or an origin, or a template starting with a value. */
const WRITTEN_PATH = /['"`](?:\\?\/|https?:)|`\$\{/i;

/**
 * The parameter of a top-level helper whose own request's path is that parameter: `param`,
 * `${param}`, or `${base}${param}` (then with an open head); by position among the arguments a
 * caller passes, or by property for a destructured object (`{ page, redirectPath = '/' }`).
 */
function handedParameter(call: TS.CallExpression, path: TS.Expression): Omit<PathParameter, 'method' | 'visit'> | undefined {
  let name: TS.Identifier | undefined;
  let openHead = false;
  if (ts.isIdentifier(path)) name = path;
  else if (ts.isTemplateExpression(path) && path.head.text === '' && path.templateSpans.every((span) => span.literal.text === '') && path.templateSpans.length <= 2) {
    const last = path.templateSpans[path.templateSpans.length - 1].expression;
    if (ts.isIdentifier(last)) name = last;
    openHead = path.templateSpans.length === 2;
  }
  if (!name) return undefined;
  // The request is the helper's own statement: a callback, a class or a function it returns runs at another time, if at all.
  let fn: TS.Node | undefined = call.parent;
  while (fn && !ts.isFunctionLike(fn) && !ts.isClassLike(fn)) fn = fn.parent;
  if (!fn || !ts.isFunctionLike(fn)) return undefined;
  const declared = topLevelHelper(fn);
  const found = declared && bindingOf(fn.parameters, name.text);
  return declared && found && !written(fn, name.text) ? { helper: declared.name, exported: declared.exported, ...found, openHead } : undefined;
}

/**
 * A function that runs when called, declared once at the top of its file under the name its
 * callers use: `function f(…)` never assigned again, or `const f = (…) => …`; exported when its
 * declaration says so (`export { g as f }` is not read). Not a generator: calling one runs nothing.
 */
function topLevelHelper(fn: TS.SignatureDeclaration): { name: string; exported: boolean } | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.asteriskToken) return undefined;
  if (ts.isFunctionDeclaration(fn) && fn.name && ts.isSourceFile(fn.parent)) return reassigned(fn.parent, fn.name.text) ? undefined : { name: fn.name.text, exported: hasModifier(fn, ts.SyntaxKind.ExportKeyword) };
  if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !ts.isVariableDeclaration(fn.parent) || !ts.isIdentifier(fn.parent.name)) return undefined;
  const list = fn.parent.parent;
  const statement = list.parent;
  if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0 || !ts.isVariableStatement(statement) || !ts.isSourceFile(statement.parent)) return undefined;
  return { name: fn.parent.name.text, exported: hasModifier(statement, ts.SyntaxKind.ExportKeyword) };
}

/** Whether the file assigns to the name (`visit = other`): a function declaration can be replaced. */
function reassigned(source: TS.SourceFile, name: string): boolean {
  let found = false;
  const visit = (node: TS.Node): void => {
    if (found) return;
    if (isAssignment(node) && ts.isIdentifier(node.left) && node.left.text === name) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `x = …`, `x += …`, `[x] = …`: a binary expression assigning to its left side. */
function isAssignment(node: TS.Node): node is TS.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

/**
 * Where a parameter list binds a name, as callers pass it: the argument's position (a `this`
 * parameter takes none), or a property of a destructured object there. A rest parameter is not read.
 */
function bindingOf(parameters: TS.NodeArray<TS.ParameterDeclaration>, name: string): { index: number; property?: string } | undefined {
  const passed = parameters.filter((parameter) => !(ts.isIdentifier(parameter.name) && parameter.name.text === 'this'));
  for (let index = 0; index < passed.length; index++) {
    const parameter = passed[index];
    if (parameter.dotDotDotToken) return undefined;
    const binding = parameter.name;
    if (ts.isIdentifier(binding)) {
      if (binding.text === name) return { index };
      continue;
    }
    if (!ts.isObjectBindingPattern(binding)) continue;
    for (const element of binding.elements) {
      if (element.dotDotDotToken || !ts.isIdentifier(element.name) || element.name.text !== name) continue;
      const property = element.propertyName ?? element.name;
      return ts.isIdentifier(property) || ts.isStringLiteral(property) ? { index, property: property.text } : undefined;
    }
  }
  return undefined;
}

/**
 * Whether the function may give the name another value than the one handed in: an assignment in
 * any form (`to = …`, `[to] = …`, `({ to } = …)`, `to++`, `for (to of …)`), a declaration of it
 * in the body (a shadow), or `arguments` (which aliases parameters in sloppy code).
 */
function written(fn: TS.SignatureDeclaration, name: string): boolean {
  let found = false;
  const writes = (identifier: TS.Identifier): boolean => {
    for (let child: TS.Node = identifier, at = identifier.parent; at && at !== fn; child = at, at = at.parent) {
      if (isAssignment(at) && at.left === child) return true;
      if ((ts.isForOfStatement(at) || ts.isForInStatement(at)) && at.initializer === child) return true;
      if ((ts.isVariableDeclaration(at) || ts.isBindingElement(at) || ts.isParameter(at) || ts.isFunctionDeclaration(at) || ts.isClassDeclaration(at)) && at.name === child) return true;
      if ((ts.isPrefixUnaryExpression(at) || ts.isPostfixUnaryExpression(at)) && (at.operator === ts.SyntaxKind.PlusPlusToken || at.operator === ts.SyntaxKind.MinusMinusToken)) return true;
    }
    return false;
  };
  const visit = (node: TS.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && (node.text === 'arguments' || (node.text === name && writes(node)))) found = true;
    else ts.forEachChild(node, visit);
  };
  // A default of another parameter runs too (`_ = (to = '/x')`).
  for (const parameter of fn.parameters) if (parameter.initializer) visit(parameter.initializer);
  const body = (fn as TS.FunctionLikeDeclaration).body;
  if (body) visit(body);
  return found;
}

/**
 * Whether a name is declared in a function or block around it below the top of the file: a call
 * of it then calls that one, not the file's helper or import of that name.
 */
function declaredInside(name: TS.Identifier): boolean {
  const declared = declarationOf(name);
  return declared !== undefined && !declared.topLevel;
}

/** The declaration a name refers to where it is written: a `const`'s initializer, or another kind of binding; and whether it is the file's own. */
type Declaration = { initializer?: TS.Expression; constant: boolean; topLevel: boolean };

/**
 * What a name refers to, walking out through the scopes around it: the nearest parameter, catch or
 * loop variable, `var` anywhere in an enclosing function (hoisted), or variable, function or class
 * declared in an enclosing block, case clause or the file. Undefined when none declares it (a
 * global, or an import).
 */
function declarationOf(name: TS.Identifier): Declaration | undefined {
  for (let scope: TS.Node | undefined = name.parent; scope; scope = scope.parent) {
    const found = declaredIn(scope).get(name.text);
    if (found) return found;
  }
  return undefined;
}

/** Each scope's own declarations by name, read once per tree: a file's calls ask about many names in the same scopes. */
const scopeNames = new WeakMap<TS.Node, Map<string, Declaration>>();

function declaredIn(scope: TS.Node): Map<string, Declaration> {
  let names = scopeNames.get(scope);
  if (names) return names;
  names = new Map();
  scopeNames.set(scope, names);
  const topLevel = ts.isSourceFile(scope);
  const other: Declaration = { constant: false, topLevel };
  const add = (binding: TS.BindingName | undefined, declaration: Declaration = other) => {
    if (!binding) return;
    if (ts.isIdentifier(binding)) {
      if (!names!.has(binding.text)) names!.set(binding.text, declaration);
      return;
    }
    for (const element of binding.elements) if (!ts.isOmittedExpression(element)) add(element.name);
  };
  if (ts.isFunctionLike(scope)) {
    for (const parameter of scope.parameters) add(parameter.name);
    if (ts.isFunctionExpression(scope)) add(scope.name);
  }
  if (ts.isCatchClause(scope)) add(scope.variableDeclaration?.name);
  if ((ts.isForOfStatement(scope) || ts.isForInStatement(scope) || ts.isForStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) for (const d of scope.initializer.declarations) add(d.name);
  if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
    for (const statement of scope.statements) {
      if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) add(statement.name);
      if (!ts.isVariableStatement(statement)) continue;
      const constant = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const d of statement.declarationList.declarations) add(d.name, constant && ts.isIdentifier(d.name) ? { constant, topLevel, ...(d.initializer ? { initializer: d.initializer } : {}) } : other);
    }
  }
  // A `var` anywhere in a function's (or the file's) own code, nested blocks included, is its variable.
  if (ts.isFunctionLike(scope) || ts.isSourceFile(scope)) {
    const visit = (child: TS.Node): void => {
      if (ts.isFunctionLike(child)) return;
      if (ts.isVariableDeclarationList(child) && (child.flags & ts.NodeFlags.BlockScoped) === 0) for (const d of child.declarations) add(d.name);
      ts.forEachChild(child, visit);
    };
    const body = ts.isSourceFile(scope) ? scope : (scope as TS.FunctionLikeDeclaration).body;
    if (body) ts.forEachChild(body, visit);
  }
  return names;
}

/** Whether a file may request anything (a prefilter: most test files do not, and are not parsed again). */
export function mayRequest(text: string): boolean {
  return MAY_REQUEST.test(text);
}

/**
 * The named function a request is made in: `async function findEnvelopes(…)`, `const apiSignin =
 * async (…) => …`, a method; undefined inside a test's own callback (`test('…', async () => …)`).
 */
export function helperOf(node: TS.Node): string | undefined {
  ts ??= typescript();
  for (let at = node.parent; at; at = at.parent) {
    if (!ts.isFunctionLike(at)) continue;
    const name = functionName(at);
    if (name !== undefined) return name;
    // An anonymous callback (a test's, a `describe`'s, `.then(…)`'s): look further out.
  }
  return undefined;
}

/** A function's name as its callers write it: declared, a method's, or the `const` holding it. */
function functionName(fn: TS.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name.getText();
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/** The method and kind of a call that requests its first argument, or undefined. */
function requestOf(call: TS.CallExpression): { method?: string; visit: boolean } | undefined {
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (!name) return undefined;
  // `router.get('/x', handler)` in a test declares a route of a test server: it requests nothing.
  if (call.arguments.slice(1).some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a))) return undefined;
  if (ts.isPropertyAccessExpression(callee) && !requestsThrough(callee.expression, call)) return undefined;
  if (ts.isPropertyAccessExpression(callee) && VERBS[name]) return { method: VERBS[name], visit: false };
  if (ts.isPropertyAccessExpression(callee) && VISITS.has(name)) return { method: 'GET', visit: true };
  if (name === 'fetch') {
    const init = call.arguments[1];
    if (!init) return { method: 'GET', visit: false };
    const method = ts.isObjectLiteralExpression(init) ? init.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'method') : undefined;
    const value = method && ts.isPropertyAssignment(method) && ts.isStringLiteralLike(method.initializer) ? method.initializer.text.toUpperCase() : undefined;
    return { ...(value ? { method: value } : {}), visit: false };
  }
  return undefined;
}

/** Receivers that keep values or fake the network by their name's end: `userCache.get(key)`, `nock(host).get(path)`, `rest.get(path, resolver)`. */
const NOT_A_CLIENT = ['map', 'cache', 'store', 'storage', 'set', 'params', 'headers', 'cookies', 'nock', 'msw', 'rest'];
/**
 * Receivers that declare routes when handed a handler by name: `router.get('/x', listUsers)` in a
 * test's own server. Not `server`: a test client takes the acting user there (`server.post(path, user, body)`).
 */
const ROUTER = /^(?:app|router|route|routes)$/i;

/**
 * Whether `receiver.get(…)` may send a request: not a collection or a cache (`new Map()`, `cache`,
 * `searchParams`), not a network mock (nock, fetch-mock, MSW), and not a test's router given a
 * handler. Judged by the names along the receiver's chain: `request(app).get` is, `nock(url).get`
 * is not.
 */
function requestsThrough(receiver: TS.Expression, call: TS.CallExpression): boolean {
  for (let at: TS.Expression = receiver; ; ) {
    if (ts.isNewExpression(at)) return false;
    const name = ts.isIdentifier(at) ? at.text : ts.isPropertyAccessExpression(at) ? at.name.text : undefined;
    if (name !== undefined && notAClient(name)) return false;
    if (at === receiver && name !== undefined && ROUTER.test(name) && call.arguments.length > 1 && ts.isIdentifier(call.arguments[1])) return false;
    if (ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at) || ts.isNonNullExpression(at) || ts.isParenthesizedExpression(at) || ts.isAwaitExpression(at)) at = at.expression;
    else if (ts.isCallExpression(at)) at = at.expression;
    else return true;
  }
}

/** `searchParams`, `fetchMock`, `mockServer`: a collection or a fake of the network, by its name. */
function notAClient(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.includes('mock') || NOT_A_CLIENT.some((end) => lower.endsWith(end));
}

/**
 * The segments of a written path, and whether a computed value stands in front of it. A name is
 * read through its `const` declaration in the scopes around the call (`const url = \`${baseUrl}/document\``),
 * once; a computed query string at the end (`${params ? \`?${params}\` : ''}`) is no segment.
 */
function pathOf(node: TS.Expression, follow = true): { segments: string[]; openHead: boolean } | undefined {
  if (ts.isIdentifier(node)) {
    const initializer = follow ? constInitializer(node) : undefined;
    return initializer && pathOf(initializer, false);
  }
  if (ts.isStringLiteralLike(node)) {
    const segments = pathSegments(node.text);
    return segments ? { segments, openHead: false } : undefined;
  }
  if (!ts.isTemplateExpression(node)) return undefined;
  // `${baseUrl}/envelope/create`: the value in front is the server's address or a prefix.
  const openHead = node.head.text === '';
  if (openHead && !node.templateSpans[0].literal.text.startsWith('/')) return undefined;
  let text = node.head.text;
  node.templateSpans.forEach((span, i) => {
    const last = i === node.templateSpans.length - 1 && span.literal.text === '';
    text += `${(openHead && i === 0) || (last && isQueryString(span.expression)) ? '' : '\0'}${span.literal.text}`;
  });
  const segments = pathSegments(text);
  return segments ? { segments, openHead } : undefined;
}

/** `cond ? \`?${params}\` : ''`: a value that is empty or starts with `?` or `#`. */
function isQueryString(node: TS.Expression): boolean {
  const expression = ts.isParenthesizedExpression(node) ? node.expression : node;
  if (ts.isConditionalExpression(expression)) return isQueryString(expression.whenTrue) && isQueryString(expression.whenFalse);
  const text = ts.isStringLiteralLike(expression) ? expression.text : ts.isTemplateExpression(expression) ? expression.head.text : undefined;
  return text !== undefined && (text === '' || text.startsWith('?') || text.startsWith('#'));
}

/**
 * The initializer of the `const` a name refers to, declared in a block around it. A nearer
 * parameter, `let`, `var`, catch or loop variable of that name (destructured too) hides it: the
 * value is then not the one written there.
 */
function constInitializer(name: TS.Identifier): TS.Expression | undefined {
  return declarationOf(name)?.initializer;
}
