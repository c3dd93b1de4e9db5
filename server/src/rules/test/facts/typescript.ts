import type * as TS from 'typescript';
import { parseSource, typescript } from '../../flag/detect/typescriptModule';
import { frameworkOfTestText } from '../frameworks';
import type { FlagSetting, TestFileFacts, TestImport } from './model';

let ts: typeof TS;

const TEST_CALLS = new Set(['it', 'test', 'specify', 'Deno.test']);
const ON_WORDS = new Set(['on', 'true', 'enabled', 'yes', '1', 'treatment']);
const OFF_WORDS = new Set(['off', 'false', 'disabled', 'no', '0', 'control']);

interface Binding {
  import: TestImport;
  /** The exported name this local stands for; undefined for a namespace (`import * as price`). */
  exported?: string;
}

/**
 * What a TS/JS test file imports and which of the imported symbols its test cases use, by syntax
 * tree (no type checker: a workspace holds thousands of tests). A symbol counts once per test case
 * (`it`/`test` callback) that mentions it; set-up code counts as one.
 */
export function typeScriptTestFacts(relPath: string, text: string): TestFileFacts {
  ts ??= typescript();
  // No parent links: the walk below hands each node its parent (a tree without them parses in 60% of the time).
  const source = parseSource(relPath, text, false);
  const imports: TestImport[] = [];
  const bindings = new Map<string, Binding>();
  const importOf = (specifier: string) => {
    const found = imports.find((i) => i.specifier === specifier);
    if (found) return found;
    const created: TestImport = { specifier, names: new Map(), wholeModule: false };
    imports.push(created);
    return created;
  };
  const bindNames = (name: TS.BindingName, specifier: string) => {
    if (ts.isIdentifier(name)) bindings.set(name.text, { import: importOf(specifier) });
    else if (ts.isObjectBindingPattern(name)) {
      for (const element of name.elements) {
        const exported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : ts.isIdentifier(element.name) ? element.name.text : undefined;
        if (exported && ts.isIdentifier(element.name)) bindings.set(element.name.text, { import: importOf(specifier), exported });
      }
    }
  };
  const declarationNodes = new Set<TS.Node>();

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      declarationNodes.add(statement);
      // A type-only import is erased: the test does not run the module through it (found on trpc:
      // `import type { HTTPLinkBaseOptions }` made a test "test" httpUtils.ts).
      if (clause && !bindsAtRunTime(clause)) continue;
      importOf(specifier);
      if (!clause) continue;
      if (clause.name) bindings.set(clause.name.text, { import: importOf(specifier), exported: 'default' });
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) bindings.set(named.name.text, { import: importOf(specifier) });
      if (named && ts.isNamedImports(named)) {
        for (const element of named.elements) if (!element.isTypeOnly) bindings.set(element.name.text, { import: importOf(specifier), exported: (element.propertyName ?? element.name).text });
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference) && ts.isStringLiteral(statement.moduleReference.expression)) {
      bindings.set(statement.name.text, { import: importOf(statement.moduleReference.expression.text) });
      declarationNodes.add(statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const specifier = requiredModule(declaration.initializer);
        if (specifier === undefined) continue;
        bindNames(declaration.name, specifier);
        declarationNodes.add(declaration.name);
      }
    }
  }

  // Uses: each test case's callback is one scope; everything else is set-up code.
  const uses = new Map<TestImport, Map<string, Set<number>>>();
  const members = new Map<string, Set<number>>();
  const flagSettings: FlagSetting[] = [];
  const note = (map: Map<string, Set<number>>, name: string, testCase: number) => {
    let cases = map.get(name);
    if (!cases) map.set(name, (cases = new Set()));
    cases.add(testCase);
  };
  const use = (binding: Binding, name: string, testCase: number) => {
    let names = uses.get(binding.import);
    if (!names) uses.set(binding.import, (names = new Map()));
    note(names, name, testCase);
  };
  const pendingCases = new Set<number>();
  let caseCount = 0;
  const visit = (node: TS.Node, parent: TS.Node, testCase: number, skipped: boolean): void => {
    if (declarationNodes.has(node)) return;
    if (ts.isCallExpression(node)) {
      readFlagSettings(node, flagSettings);
      const callee = testCallee(node.expression, source);
      const callback = callee ? node.arguments.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a)) : undefined;
      if (callee?.kind === 'test' && (callback || node.arguments.length > 0)) {
        // `it('does x')` with no callback, `it.todo`, `it.skip`, `xit` and an empty body are pending: they count for nothing.
        const number = ++caseCount;
        const empty = !callback || (ts.isBlock(callback.body) && callback.body.statements.length === 0);
        if (skipped || callee.skipped || empty) pendingCases.add(number);
        for (const argument of node.arguments) visit(argument, node, argument === callback ? number : testCase, skipped);
        visit(node.expression, node, testCase, skipped);
        return;
      }
      if (callee?.kind === 'suite' && callee.skipped) {
        for (const argument of node.arguments) visit(argument, node, testCase, true);
        return;
      }
    }
    if (ts.isObjectLiteralExpression(node)) readFlagObject(node, flagSettings);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) readFlagAssignment(node, flagSettings);
    if (ts.isPropertyAccessExpression(node)) {
      note(members, node.name.text, testCase);
      const head = node.expression;
      const binding = ts.isIdentifier(head) ? bindings.get(head.text) : undefined;
      if (binding && binding.exported === undefined) {
        use(binding, node.name.text, testCase);
        return;
      }
    }
    if (ts.isIdentifier(node) && !isPropertyName(node, parent)) {
      const binding = bindings.get(node.text);
      if (binding) {
        const spied = binding.exported === undefined ? spiedMember(node, parent) : undefined;
        if (binding.exported !== undefined) use(binding, binding.exported, testCase);
        else if (spied !== undefined) use(binding, spied, testCase);
        else binding.import.wholeModule = true;
      }
    }
    ts.forEachChild(node, (child) => visit(child, node, testCase, skipped));
  };
  for (const statement of source.statements) visit(statement, source, 0, false);

  const running = caseCount - pendingCases.size;
  const runs = running > 0 || caseCount === 0;
  // Set-up code (case 0) counts once when a test runs; uses in pending tests count apart.
  const count = (cases: Set<number>) => [...cases].filter((c) => c > 0 && !pendingCases.has(c)).length || (cases.has(0) && runs ? 1 : 0);
  const pending = (cases: Set<number>) => [...cases].filter((c) => pendingCases.has(c)).length;
  for (const [testImport, names] of uses) {
    for (const [name, cases] of names) {
      if (count(cases) > 0) testImport.names.set(name, count(cases));
      else if (pending(cases) > 0) (testImport.pendingNames ??= new Map()).set(name, pending(cases));
    }
  }
  return {
    language: 'js',
    framework: frameworkOfTestText('js', text),
    imports,
    members: new Map([...members].map(([name, cases]) => [name, count(cases)] as [string, number]).filter(([, n]) => n > 0)),
    words: new Set(),
    testCases: running,
    pendingCases: pendingCases.size,
    runs,
    flagSettings,
  };
}

/**
 * `vi.spyOn(helper, 'stop')`, `jest.spyOn(...)`, `sinon.stub(helper, 'stop')`: a namespace passed
 * to a spy names the one export it wraps, not the whole module; that export, given the benefit of
 * the doubt (a spy may call through).
 */
function spiedMember(node: TS.Identifier, call: TS.Node): string | undefined {
  if (!ts.isCallExpression(call) || call.arguments[0] !== node) return undefined;
  const member = call.arguments[1];
  const callee = call.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name !== undefined && SPY_CALLS.has(name) && member !== undefined && ts.isStringLiteralLike(member) ? member.text : undefined;
}

const SPY_CALLS = new Set(['spyOn', 'stub', 'spy', 'replace']);

/** `require('./x')`, `await import('./x')`: the module a variable is initialised from. */
function requiredModule(initializer: TS.Expression | undefined): string | undefined {
  let expression = initializer;
  while (expression && (ts.isAwaitExpression(expression) || ts.isParenthesizedExpression(expression))) expression = expression.expression;
  if (!expression || !ts.isCallExpression(expression) || expression.arguments.length !== 1 || !ts.isStringLiteral(expression.arguments[0])) return undefined;
  const isRequire = ts.isIdentifier(expression.expression) && expression.expression.text === 'require';
  const isImport = expression.expression.kind === ts.SyntaxKind.ImportKeyword;
  return isRequire || isImport ? expression.arguments[0].text : undefined;
}

/** `it(...)`, `test.only(...)`, `xit(...)`, `Deno.test(...)`: a test, not a suite (a flag removal's test cases). */
export function isTestCall(callee: TS.Expression, source: TS.SourceFile): boolean {
  ts ??= typescript();
  return testCallee(callee, source)?.kind === 'test';
}

const SUITE_CALLS = new Set(['describe', 'context', 'suite']);
const SKIPPED_MODIFIERS = new Set(['skip', 'todo', 'fixme']);

/**
 * `it(...)`, `test.only(...)`, `it.each(table)(...)`, `Deno.test(...)`, Playwright's
 * `test.describe(...)`: a test or a suite, and whether it is skipped (`it.skip`, `xit`, `test.todo`,
 * `describe.skip`, `xdescribe`, `test.fixme`).
 */
export function testCallee(callee: TS.Expression, source: TS.SourceFile): { kind: 'test' | 'suite'; skipped: boolean } | undefined {
  ts ??= typescript();
  let expression = callee;
  if (ts.isCallExpression(expression)) expression = expression.expression;
  const parts = expression.getText(source).split('.');
  if (parts.length > 3 || parts.some((part) => !/^\w+$/.test(part))) return undefined;
  const [head, ...rest] = parts[0] === 'Deno' ? ['Deno.test', ...parts.slice(2)] : parts;
  const skipped = rest.some((part) => SKIPPED_MODIFIERS.has(part)) || /^x(it|test|describe|context)$/.test(head);
  const name = head.replace(/^x(it|test|describe|context)$/, '$1');
  // Playwright: `test.describe(...)` is a suite.
  if (name === 'test' && rest[0] === 'describe') return { kind: 'suite', skipped: rest.slice(1).some((part) => SKIPPED_MODIFIERS.has(part)) };
  if (!rest.every((part) => /^(only|skip|todo|each|concurrent|failing|sequential|fixme|serial|parallel)$/.test(part))) return undefined;
  if (TEST_CALLS.has(name)) return { kind: 'test', skipped };
  if (SUITE_CALLS.has(name)) return { kind: 'suite', skipped };
  return undefined;
}

function isPropertyName(node: TS.Identifier, parent: TS.Node): boolean {
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isMethodDeclaration(parent) && parent.name === node) ||
    (ts.isBindingElement(parent) && parent.propertyName === node)
  );
}

function stateOf(node: TS.Expression | undefined): boolean | undefined {
  if (!node) return undefined;
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isStringLiteralLike(node)) {
    const word = node.text.toLowerCase();
    return ON_WORDS.has(word) ? true : OFF_WORDS.has(word) ? false : undefined;
  }
  return undefined;
}

/** `setFlag('new-checkout', true)`, `mockFlag(FLAGS.NEW, false)`: a key and a state in one call. */
function readFlagSettings(call: TS.CallExpression, out: FlagSetting[]): void {
  const states = call.arguments.map((a) => (a.kind === ts.SyntaxKind.TrueKeyword ? true : a.kind === ts.SyntaxKind.FalseKeyword ? false : undefined));
  const on = states.find((s) => s !== undefined);
  if (on === undefined) return;
  for (const [i, argument] of call.arguments.entries()) {
    if (states[i] !== undefined) continue;
    if (ts.isStringLiteralLike(argument)) out.push({ name: argument.text, on });
    else if (ts.isPropertyAccessExpression(argument)) out.push({ name: argument.name.text, on });
  }
}

/**
 * `{ 'new-checkout': true }`, `{ newCheckout: false }`, OpenFeature's in-memory provider
 * `{ 'new-checkout': { defaultVariant: 'on', ... } }`, `{ key: { enabled: true } }`.
 */
function readFlagObject(object: TS.ObjectLiteralExpression, out: FlagSetting[]): void {
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name) ? property.name.text : undefined;
    if (!name) continue;
    let on = stateOf(property.initializer);
    if (on === undefined && ts.isObjectLiteralExpression(property.initializer)) {
      for (const inner of property.initializer.properties) {
        if (ts.isPropertyAssignment(inner) && ts.isIdentifier(inner.name) && ['defaultVariant', 'enabled', 'value', 'on'].includes(inner.name.text)) on ??= stateOf(inner.initializer);
      }
    }
    if (on !== undefined) out.push({ name, on });
  }
}

/** `process.env.FEATURE_X = 'true'`, `flags['new-checkout'] = false`. */
function readFlagAssignment(node: TS.BinaryExpression, out: FlagSetting[]): void {
  const on = stateOf(node.right);
  if (on === undefined) return;
  const target = node.left;
  if (ts.isPropertyAccessExpression(target)) out.push({ name: target.name.text, on });
  else if (ts.isElementAccessExpression(target) && ts.isStringLiteralLike(target.argumentExpression)) out.push({ name: target.argumentExpression.text, on });
}

/** Whether an import binds something the emitted JavaScript keeps: not `import type`, nor only `type` names. */
function bindsAtRunTime(clause: TS.ImportClause): boolean {
  if (clause.isTypeOnly) return false;
  const named = clause.namedBindings;
  return !!clause.name || !named || ts.isNamespaceImport(named) || named.elements.length === 0 || named.elements.some((element) => !element.isTypeOnly);
}
