import type * as TS from 'typescript';
import type { RuleContext } from '../../../engine/rule';
import type { AddedLines } from '../../../workspace/contracts';
import { workspaceModules } from '../../../engine/workspaceModules';
import { parseSource, typescript } from '../../flag/detect/typescriptModule';
import { helperOf } from '../http/requests';
import { calledNames } from '../http/reach';
import type { TestIndex } from '../testIndex';

let ts: typeof TS;

/**
 * What an end-to-end or component test finds a rendered element by: a test id, or a phrase the
 * element shows (its text, label, placeholder, title). A component holding that id or phrase is
 * what the test clicks through: it renders, whatever page or dialog the test reached it by.
 *
 * Only the lines a branch adds count, as for requests (http/reach.ts): a test locating the
 * element before the branch ran the component as it was. A test id is a name given for tests;
 * a phrase counts only when it is more than one word (`Include Fields`, not `Download`, which a
 * dozen buttons show).
 */
export interface Located {
  /** `id`: a test id; `text`: a phrase the element shows. */
  kind: 'id' | 'text';
  value: string;
  /** 0-based line of the locator in the test. */
  line: number;
  /** The test file's function locating it, when it is a helper the tests call (`selectStatusFilter(page, …)`). */
  helper?: string;
}

/** Locator methods of Playwright and Testing Library (`getByTestId`, `findAllByLabelText`...) → what they match. */
const BY = /^(?:get|find|query)(?:All)?By(TestId|Text|Label|LabelText|Placeholder|PlaceholderText|Title|AltText|Role)$/;
/** CSS selector methods (Playwright `locator`, Cypress `get`, the DOM's `querySelector`). */
const SELECTORS = new Set(['locator', 'get', '$', '$$', 'querySelector', 'querySelectorAll']);
/** Attributes a selector names an element by: test ids, and what the element shows. */
const ID_ATTRIBUTES = new Set(['data-testid', 'data-test-id', 'data-test', 'data-cy', 'data-qa']);
const TEXT_ATTRIBUTES = new Set(['title', 'aria-label', 'placeholder', 'alt']);
/**
 * `[name="value"]`, `[name='value']`, `[name=value]` in a selector: one alternative per opening
 * character, and an unquoted value stops at the next `[` or `=`, so a failed match never spans the
 * start of another (`[a=[a=[a=…` stays linear).
 */
const ATTRIBUTE = /\[\s*([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\]\s"'[=]+))\s*\]/g;
const MAY_LOCATE = /By(?:TestId|Text|Label|Placeholder|Title|AltText|Role)|\[\s*(?:data-|title|aria-label|placeholder|alt)|\.contains\s*\(/;

/** The ids and phrases a test file locates elements by, on the lines `lines` (1-based) or everywhere. */
export function locatedStrings(relPath: string, text: string, lines?: ReadonlySet<number>): Located[] {
  if (!mayLocate(text)) return [];
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const found: Located[] = [];
  const add = (kind: Located['kind'], value: string, at: TS.Node): void => {
    const line = source.getLineAndCharacterOfPosition(at.getStart(source)).line;
    if (lines && !lines.has(line + 1)) return;
    const normalized = normalize(value);
    const helper = helperOf(at);
    if (kind === 'id' ? normalized.length >= 3 : /\S\s\S/.test(normalized)) found.push({ kind, value: normalized, line, ...(helper ? { helper } : {}) });
  };
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments.length > 0) {
      const name = node.expression.name.text;
      const first = node.arguments[0];
      const literal = ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first) ? first.text : undefined;
      const by = BY.exec(name)?.[1];
      if (by === 'Role') {
        // `getByRole('button', { name: 'Duplicate Document' })`: the accessible name is shown text.
        const options = node.arguments[1];
        const named = options && ts.isObjectLiteralExpression(options) ? options.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'name') : undefined;
        if (named && ts.isPropertyAssignment(named) && ts.isStringLiteralLike(named.initializer)) add('text', named.initializer.text, named);
      } else if (by && literal !== undefined) add(by === 'TestId' ? 'id' : 'text', literal, first);
      else if (name === 'contains' && literal !== undefined) add('text', literal, first);
      else if (SELECTORS.has(name) && literal !== undefined) {
        for (const [attribute, value] of selectorAttributes(literal)) {
          if (ID_ATTRIBUTES.has(attribute)) add('id', value, first);
          else if (TEXT_ATTRIBUTES.has(attribute)) add('text', value, first);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Whether a test may locate anything (a prefilter: most test files are not parsed again). */
export function mayLocate(text: string): boolean {
  return MAY_LOCATE.test(text);
}

/** The `[name="value"]` pairs of a CSS selector, names lower-cased. */
export function selectorAttributes(selector: string): [string, string][] {
  return [...selector.matchAll(ATTRIBUTE)].map((match) => [match[1].toLowerCase(), match[2] ?? match[3] ?? match[4]]);
}

/**
 * The strings a component can render or tag an element with: its string literals (attribute
 * values, props, translated messages such as msg`Include Fields`) and its JSX text, normalized.
 */
export function renderedStrings(relPath: string, text: string): Set<string> {
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const strings = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isJsxText(node)) {
      const value = normalize(node.text);
      if (value) strings.add(value);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return strings;
}

/** Whitespace collapsed and case folded: a locator's phrase matches text however it wraps. */
function normalize(value: string): string {
  return value.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Files whose elements a test can locate: components written in JSX. */
const COMPONENT = /\.(tsx|jsx)$/;

/**
 * The tests whose lines, added in this branch, locate an element by an id or phrase the component
 * `relPath` holds. A string equal to a test's locator elsewhere (a constant, a schema's message)
 * renders nothing: only components are matched.
 */
export async function uiTestsLocating(ctx: RuleContext, index: TestIndex, relPath: string, text: string): Promise<string[]> {
  if (!COMPONENT.test(relPath)) return [];
  const located = await branchLocators(ctx, index);
  if (located.size === 0) return [];
  const tests = new Set<string>();
  for (const value of renderedStrings(relPath, text)) for (const test of located.get(value) ?? []) tests.add(test);
  if (tests.size) return [...tests];
  // Rendered whenever a located component the branch changes renders: the shared pill of two filters.
  const modules = await workspaceModules(ctx.workspace);
  for (const [parent] of await (await ctx.workspace.git()).addedLines()) {
    if (parent === relPath || !COMPONENT.test(parent) || index.tests.has(parent)) continue;
    const parentText = await ctx.workspace.readText(parent).catch(() => null);
    if (parentText === null) continue;
    const parentTests = [...renderedStrings(parent, parentText)].flatMap((value) => located.get(value) ?? []);
    if (parentTests.length && rendersAlways(parent, parentText, (specifier) => modules.resolveJs(parent, specifier) === relPath)) for (const test of parentTests) tests.add(test);
  }
  return [...tests];
}

/**
 * Whether a component module renders an element of a component it imports (from a module
 * `imports` accepts) every time it renders: not under a condition (`&&`, `? :`, `if`), nor in a
 * callback (`items.map(…)` renders it per item, none when there are none). A radio group shown
 * only for some rows of a dialog is not rendered by opening the dialog.
 */
export function rendersAlways(relPath: string, text: string, imports: (specifier: string) => boolean): boolean {
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.importClause?.isTypeOnly || !imports(statement.moduleSpecifier.text)) continue;
    const clause = statement.importClause;
    if (clause?.name) names.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) if (!element.isTypeOnly) names.add(element.name.text);
  }
  if (names.size === 0) return false;
  let always = false;
  const visit = (node: TS.Node): void => {
    if (always) return;
    if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && ts.isIdentifier(node.tagName) && names.has(node.tagName.text) && unconditional(node)) always = true;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return always;
}

/** No condition and no callback between an element and the component function returning it. */
function unconditional(element: TS.Node): boolean {
  let functions = 0;
  for (let child = element, node = element.parent; node; child = node, node = node.parent) {
    if (ts.isConditionalExpression(node) && child !== node.condition) return false;
    if (ts.isBinaryExpression(node) && child === node.right && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)) return false;
    if (ts.isIfStatement(node) || ts.isSwitchStatement(node) || ts.isCaseClause(node) || ts.isTryStatement(node)) return false;
    if (ts.isFunctionLike(node) && ++functions > 1) return false;
  }
  return functions === 1;
}

const locatorsOf = new WeakMap<Map<string, AddedLines>, { index: TestIndex; located: Promise<Map<string, string[]>> }>();

/** The branch's located ids and phrases → the test files locating them: read once per branch state and test index. */
export async function branchLocators(ctx: RuleContext, index: TestIndex): Promise<Map<string, string[]>> {
  const added = await (await ctx.workspace.git()).addedLines();
  const known = locatorsOf.get(added);
  if (known?.index === index) return known.located;
  const located = readLocators(ctx, index, added);
  locatorsOf.set(added, { index, located });
  return located;
}

/**
 * The branch's locators: on the lines it adds to tests, and in the test helpers those lines call
 * (`selectStatusFilter(page, 'Pending')` locating the pill in the fixtures), in the calling file or
 * a file it imports, as for requests (http/reach.ts).
 */
async function readLocators(ctx: RuleContext, index: TestIndex, added: Map<string, AddedLines>): Promise<Map<string, string[]>> {
  const modules = await workspaceModules(ctx.workspace);
  const located = new Map<string, string[]>();
  const add = (value: string, test: string) => {
    const tests = located.get(value) ?? [];
    if (!tests.includes(test)) tests.push(test);
    located.set(value, tests);
  };
  const read = async (file: string) => ctx.workspace.readText(file).catch(() => null);
  for (const [file, lines] of added) {
    if (!index.tests.has(file) || !JS.test(file)) continue;
    const text = await read(file);
    if (text === null) continue;
    for (const { value } of locatedStrings(file, text, lines.isNew ? undefined : new Set(lines.lines))) add(value, file);
    const all = text.split(/\r?\n|\r/);
    const called = new Set((lines.isNew ? all : lines.lines.map((n) => all[n - 1] ?? '')).flatMap(calledNames));
    if (called.size === 0) continue;
    const helpers = new Set([file, ...typescript().preProcessFile(text, true, true).importedFiles.flatMap((imported) => modules.resolveJs(file, imported.fileName) ?? [])]);
    for (const helperFile of helpers) {
      if (!index.tests.has(helperFile) || !JS.test(helperFile)) continue;
      const helperText = helperFile === file ? text : await read(helperFile);
      if (helperText === null) continue;
      for (const { value, helper } of locatedStrings(helperFile, helperText)) if (helper && called.has(helper)) add(value, file);
    }
  }
  return located;
}

const JS = /\.[cm]?[jt]sx?$/;
