import type * as TS from 'typescript';
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
 * the call: a string, or a template whose computed parts are path segments or the base URL in
 * front (`${baseUrl}/envelope/create`). A path held in a variable, or built from parts DeployRisk
 * cannot place (`${base}${path}`), is left out: the test is not claimed to reach anything.
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

/** Whether a file may request anything (a prefilter: most test files do not, and are not parsed again). */
export function mayRequest(text: string): boolean {
  return MAY_REQUEST.test(text);
}

/**
 * The named function a request is made in: `async function findEnvelopes(…)`, `const apiSignin =
 * async (…) => …`, a method; undefined inside a test's own callback (`test('…', async () => …)`).
 */
function helperOf(node: TS.Node): string | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (!ts.isFunctionLike(at)) continue;
    if ((ts.isFunctionDeclaration(at) || ts.isMethodDeclaration(at)) && at.name) return at.name.getText();
    if ((ts.isArrowFunction(at) || ts.isFunctionExpression(at)) && ts.isVariableDeclaration(at.parent) && ts.isIdentifier(at.parent.name)) return at.parent.name.text;
    // An anonymous callback (a test's, a `describe`'s, `.then(…)`'s): look further out.
  }
  return undefined;
}

/** The method and kind of a call that requests its first argument, or undefined. */
function requestOf(call: TS.CallExpression): { method?: string; visit: boolean } | undefined {
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (!name) return undefined;
  // `router.get('/x', handler)` in a test declares a route of a test server: it requests nothing.
  if (call.arguments.slice(1).some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a))) return undefined;
  if (ts.isPropertyAccessExpression(callee) && VERBS[name]) return { method: VERBS[name], visit: false };
  if (ts.isPropertyAccessExpression(callee) && VISITS.has(name)) return { method: 'GET', visit: true };
  if (name === 'fetch') {
    const init = call.arguments[1];
    if (!init) return { method: 'GET', visit: false };
    const method = init && ts.isObjectLiteralExpression(init) ? init.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'method') : undefined;
    const value = method && ts.isPropertyAssignment(method) && ts.isStringLiteralLike(method.initializer) ? method.initializer.text.toUpperCase() : undefined;
    return { ...(value ? { method: value } : {}), visit: false };
  }
  return undefined;
}

/** The segments of a written path, and whether a computed value stands in front of it. */
function pathOf(node: TS.Expression): { segments: string[]; openHead: boolean } | undefined {
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
    text += `${openHead && i === 0 ? '' : '\0'}${span.literal.text}`;
  });
  const segments = pathSegments(text);
  return segments ? { segments, openHead } : undefined;
}
