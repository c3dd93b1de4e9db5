import type * as TS from 'typescript';
import { parseSource, typescript } from '../../flag/detect/typescriptModule';
import { testCallee } from '../facts/typescript';
import type { ShallowCase, Shallowness } from './model';

let ts: typeof TS;

/** Matchers that pass for any value the import could hold: they check that it exists, not what it does. */
const EXISTENCE = new Set(['toBeDefined', 'toBeTruthy', 'exist', 'ok']);
const NEGATED_EXISTENCE = new Set(['toBeUndefined', 'toBeNull', 'toBeFalsy']);
/** Matchers about how a mock was called: meaningful, since the code under test is what calls it. */
const INTERACTION = /^(toHaveBeenCalled|toBeCalled|toHaveBeenLastCalled|toHaveBeenNthCalled|toHaveReturned|calledWith|calledOnce|called)/;
/**
 * Helpers that assert by their name (`assertValid(...)`, `expectError(...)`, supertest's
 * `.expect(200)`, `td.verify(...)`, Playwright's `waitForSelector`, which fails when the condition
 * never holds); not `check`, which names code too (`checkout`).
 */
const ASSERTING_NAME = /^(assert|expect|verify|should|fail|waitFor)/i;
/** Mock factories whose value is whatever the test told it to be. */
const MOCK_FACTORY = /^(?:vi|jest)\s*\.\s*(?:fn|spyOn)\b|^sinon\s*\.\s*(?:stub|spy|fake)\b/;

interface Binding {
  specifier: string;
  name: string;
}

type Verdict = 'meaningful' | Shallowness;

/**
 * The test cases of a TS/JS test file that run and assert nothing meaningful: no assertion at all,
 * only `toBeDefined`/`toBeTruthy` on an import, an assertion on a literal (`expect(true)`), a
 * snapshot of `undefined`, a mock asserting the value it was given, or assertions inside a `try`
 * whose `catch` drops the failure. Syntax only: a call of a helper declared in the file that
 * asserts, or named like one (`assertValid`, `expectError`), counts as an assertion; the rule then
 * drops the cases calling an asserting helper imported from the project's test code
 * (`assertingExports`).
 */
export function shallowTypeScriptCases(relPath: string, text: string): ShallowCase[] {
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const imports = importBindings(source);
  const { helpers, mocks } = declaredFunctions(source);
  const asserting = assertingHelpers(helpers);
  const cases: ShallowCase[] = [];
  const visit = (node: TS.Node, skipped: boolean): void => {
    if (ts.isCallExpression(node)) {
      const callee = testCallee(node.expression, source);
      const callback = callee ? node.arguments.find((a): a is TS.ArrowFunction | TS.FunctionExpression => ts.isArrowFunction(a) || ts.isFunctionExpression(a)) : undefined;
      if (callee?.kind === 'suite' && callee.skipped) return;
      if (callee?.kind === 'test' && callback) {
        // Pending and empty tests are `test/untested-*`'s concern: they count for nothing there.
        const empty = ts.isBlock(callback.body) && callback.body.statements.length === 0;
        if (!skipped && !callee.skipped && !empty) {
          const judged = judgeCase(callback, source, imports, mocks, asserting);
          // `// @ts-expect-error` asserts at compile time: a type test is checked by the type checker.
          if (judged.why !== 'meaningful' && !source.text.slice(callback.getStart(source), callback.getEnd()).includes('@ts-expect-error')) {
            const title = node.arguments[0];
            const head = title && title !== callback ? title : node.expression;
            cases.push({
              title: title && ts.isStringLiteralLike(title) ? title.text : head.getText(source).slice(0, 80),
              start: node.getStart(source),
              end: head.getEnd(),
              startLine: source.getLineAndCharacterOfPosition(node.getStart(source)).line,
              endLine: source.getLineAndCharacterOfPosition(node.getEnd()).line,
              why: judged.why,
              uses: judged.uses,
              calls: judged.calls,
            });
          }
        }
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, skipped));
  };
  visit(source, false);
  return cases;
}

/**
 * The names a module exports for functions that assert, directly or through another function of
 * the module: a test calling one (`checkDocumentCounts(page, …)` from its fixtures) checks something.
 */
export function assertingExports(relPath: string, text: string): Set<string> {
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const asserting = assertingHelpers(declaredFunctions(source).helpers);
  const exported = new Set<string>();
  const isExported = (node: TS.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: TS.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && isExported(statement) && asserting.has(statement.name.text)) exported.add(isDefault(statement) ? 'default' : statement.name.text);
    if (ts.isVariableStatement(statement) && isExported(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && asserting.has(declaration.name.text)) exported.add(declaration.name.text);
    }
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) if (asserting.has((element.propertyName ?? element.name).text)) exported.add(element.name.text);
    }
    if (ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression) && asserting.has(statement.expression.text)) exported.add('default');
  }
  return exported;
}

/** Functions declared anywhere in the file (declarations and `const f = () => …`), and the mocks it makes. */
function declaredFunctions(source: TS.SourceFile): { helpers: Map<string, TS.Node>; mocks: Set<string> } {
  const mocks = new Set<string>();
  const helpers = new Map<string, TS.Node>();
  const collect = (node: TS.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      if (MOCK_FACTORY.test(headText(node.initializer, source))) mocks.add(node.name.text);
      if (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer)) helpers.set(node.name.text, node.initializer.body);
    }
    if (ts.isFunctionDeclaration(node) && node.name && node.body) helpers.set(node.name.text, node.body);
    ts.forEachChild(node, collect);
  };
  collect(source);
  return { helpers, mocks };
}

/** The first characters of a node's text: enough to recognise a call, without copying a whole nested body. */
function headText(node: TS.Node, source: TS.SourceFile): string {
  const start = node.getStart(source);
  return source.text.slice(start, Math.min(node.getEnd(), start + 40));
}

function importBindings(source: TS.SourceFile): Map<string, Binding> {
  const bindings = new Map<string, Binding>();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      if (clause.name) bindings.set(clause.name.text, { specifier, name: 'default' });
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) bindings.set(named.name.text, { specifier, name: '*' });
      if (named && ts.isNamedImports(named)) for (const element of named.elements) if (!element.isTypeOnly) bindings.set(element.name.text, { specifier, name: (element.propertyName ?? element.name).text });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require' || !init.arguments[0] || !ts.isStringLiteral(init.arguments[0])) continue;
        const specifier = init.arguments[0].text;
        if (ts.isIdentifier(declaration.name)) bindings.set(declaration.name.text, { specifier, name: '*' });
        else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (!ts.isIdentifier(element.name)) continue;
            const exported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
            bindings.set(element.name.text, { specifier, name: exported });
          }
        }
      }
    }
  }
  return bindings;
}

/** Helpers declared in the file that assert, directly or through another such helper. */
function assertingHelpers(helpers: Map<string, TS.Node>): Set<string> {
  const asserting = new Set<string>();
  // Each round adds the helpers calling one found in the last; a chain deeper than four is not followed.
  for (let round = 0; round < 4; round++) {
    const before = asserting.size;
    for (const [name, body] of helpers) if (!asserting.has(name) && containsAssertion(body, asserting)) asserting.add(name);
    if (asserting.size === before) break;
  }
  return asserting;
}

function containsAssertion(node: TS.Node, asserting: Set<string>): boolean {
  let found = false;
  const visit = (child: TS.Node): void => {
    if (found) return;
    if (ts.isCallExpression(child) && isAssertionCall(child, asserting, undefined)) found = true;
    else if (ts.isPropertyAccessExpression(child) && child.name.text === 'should') found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** The name a call is made by: `assert` for `assert(...)`, `equal` for `assert.equal(...)`. */
function calleeName(call: TS.CallExpression): string | undefined {
  const callee = call.expression;
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

function rootIdentifier(expression: TS.Expression): string | undefined {
  let current: TS.Expression = expression;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current)) current = current.expression;
  return ts.isIdentifier(current) ? current.text : undefined;
}

/**
 * `expect(x)…`, `assert(…)`, `assert.equal(…)`, `t.is(…)` on the test's context, a helper that
 * asserts: whether a call checks something (its verdict is decided by `verdictOf`).
 */
function isAssertionCall(call: TS.CallExpression, asserting: Set<string>, context: string | undefined): boolean {
  const name = calleeName(call);
  const root = rootIdentifier(call.expression);
  if (name && (ASSERTING_NAME.test(name) || asserting.has(name))) return true;
  return root !== undefined && (root === 'assert' || root === 'expect' || root === context);
}

function isLiteral(node: TS.Expression): boolean {
  let expression = node;
  while (ts.isParenthesizedExpression(expression)) expression = expression.expression;
  return (
    expression.kind === ts.SyntaxKind.TrueKeyword ||
    expression.kind === ts.SyntaxKind.FalseKeyword ||
    expression.kind === ts.SyntaxKind.NullKeyword ||
    ts.isNumericLiteral(expression) ||
    ts.isStringLiteral(expression) ||
    ts.isNoSubstitutionTemplateLiteral(expression) ||
    (ts.isIdentifier(expression) && expression.text === 'undefined') ||
    ts.isVoidExpression(expression)
  );
}

/** An import itself or a property of it, not what calling it returns. */
function isImportReference(node: TS.Expression, imports: Map<string, Binding>): boolean {
  let expression = node;
  while (ts.isParenthesizedExpression(expression)) expression = expression.expression;
  while (ts.isPropertyAccessExpression(expression)) expression = expression.expression;
  return ts.isIdentifier(expression) && imports.has(expression.text);
}

/** `m(…)`, `await m(…)` for a mock the test made; `m.mock.calls` records what the code did with it, and is meaningful. */
function isOwnMock(node: TS.Expression, mocks: Set<string>): boolean {
  let expression = node;
  while (ts.isParenthesizedExpression(expression) || ts.isAwaitExpression(expression)) expression = expression.expression;
  return ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && mocks.has(expression.expression.text);
}

/** The verdict of one `expect(subject).…matcher(…)` chain, given its outermost node. */
function expectVerdict(expectCall: TS.CallExpression, imports: Map<string, Binding>, mocks: Set<string>): Verdict | undefined {
  const subject = expectCall.arguments[0];
  const names: string[] = [];
  let outer: TS.Node = expectCall;
  let lastCall: TS.CallExpression | undefined;
  while (outer.parent && ((ts.isPropertyAccessExpression(outer.parent) && outer.parent.expression === outer) || (ts.isCallExpression(outer.parent) && outer.parent.expression === outer))) {
    outer = outer.parent;
    if (ts.isPropertyAccessExpression(outer)) names.push(outer.name.text);
    else lastCall = outer as TS.CallExpression;
  }
  // `expect(x)` alone asserts nothing; neither does a chain without a matcher.
  if (!subject || names.length === 0) return undefined;
  const matcher = names[names.length - 1];
  const negated = names.includes('not');
  if (/Snapshot$/.test(matcher)) {
    const inline = lastCall?.arguments[lastCall.arguments.length - 1];
    if ((ts.isIdentifier(subject) && subject.text === 'undefined') || (inline && ts.isNoSubstitutionTemplateLiteral(inline) && inline.text.trim() === 'undefined')) return 'undefined-snapshot';
  }
  if (isLiteral(subject)) return 'literal';
  if (isImportReference(subject, imports) && (negated ? NEGATED_EXISTENCE.has(matcher) : EXISTENCE.has(matcher))) return 'existence';
  if (isOwnMock(subject, mocks) && !INTERACTION.test(matcher)) return 'own-mock';
  return 'meaningful';
}

/** `assert(true)`, `assert.ok(parse)`: node's assert and chai's assert style. */
function assertVerdict(call: TS.CallExpression, imports: Map<string, Binding>): Verdict {
  const args = call.arguments;
  if (args.length > 0 && args.every((a) => isLiteral(a))) return 'literal';
  const name = calleeName(call);
  if (args.length >= 1 && (name === 'assert' || name === 'ok' || name === 'isOk' || name === 'exists' || name === 'isDefined') && isImportReference(args[0], imports)) return 'existence';
  return 'meaningful';
}

/** Whether a node sits in the `try` block of a `try` whose `catch` drops what it caught. */
function swallowed(node: TS.Node, stop: TS.Node, source: TS.SourceFile): boolean {
  for (let current: TS.Node = node; current !== stop && current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isTryStatement(parent) && parent.tryBlock === current && parent.catchClause) {
      const handled = parent.catchClause.block.statements.filter((s) => !(ts.isExpressionStatement(s) && /^console\s*\./.test(headText(s.expression, source))));
      if (handled.length === 0) return true;
    }
  }
  return false;
}

function judgeCase(callback: TS.ArrowFunction | TS.FunctionExpression, source: TS.SourceFile, imports: Map<string, Binding>, mocks: Set<string>, asserting: Set<string>): { why: Verdict; uses: Binding[]; calls: Binding[] } {
  const first = callback.parameters[0];
  const context = first && ts.isIdentifier(first.name) ? first.name.text : undefined;
  const verdicts: Verdict[] = [];
  const uses = new Map<string, Binding>();
  const calls = new Map<string, Binding>();
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node) && imports.has(node.text) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const binding = imports.get(node.text)!;
      // `price.parse(...)` on a namespace import uses `parse`.
      const name = binding.name === '*' && ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node ? node.parent.name.text : binding.name;
      uses.set(`${binding.specifier}\0${name}`, { specifier: binding.specifier, name });
      if (binding.name !== '*' && ts.isCallExpression(node.parent) && node.parent.expression === node && !swallowed(node.parent, callback, source)) calls.set(`${binding.specifier}\0${name}`, { specifier: binding.specifier, name });
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'should') verdicts.push(swallowed(node, callback, source) ? 'swallowed' : 'meaningful');
    if (ts.isCallExpression(node) && isAssertionCall(node, asserting, context)) {
      const root = rootIdentifier(node.expression);
      let verdict: Verdict | undefined = 'meaningful';
      if (ts.isIdentifier(node.expression) && node.expression.text === 'expect') verdict = expectVerdict(node, imports, mocks);
      else if (root === 'expect' && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)) verdict = 'meaningful'; // expect.assertions(n), expect.soft(...) chains
      else if (root === 'expect') verdict = undefined; // a matcher of a chain judged at its `expect(...)`
      else if (root === 'assert') verdict = assertVerdict(node, imports);
      if (verdict !== undefined) verdicts.push(verdict !== 'meaningful' || !swallowed(node, callback, source) ? verdict : 'swallowed');
    }
    ts.forEachChild(node, visit);
  };
  visit(callback.body);
  const shallow = verdicts.filter((v): v is Shallowness => v !== 'meaningful');
  const why: Verdict = verdicts.includes('meaningful') ? 'meaningful' : (shallow[0] ?? 'no-assertion');
  return { why, uses: [...uses.values()], calls: [...calls.values()] };
}
