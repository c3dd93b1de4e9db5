import type * as TS from 'typescript';
import { isTestCall } from '../../test/facts/typescript';
import { parseSource, typescript } from '../detect/typescriptModule';
import type { Keep } from './keep';
import { removal, type TextEdit } from './textEdits';

/** What a test sets the flag to: on or off, a variant by name, or something the removal cannot judge. */
type Setting = { on: boolean; variant?: string };

export interface TestRemoval {
  edits: TextEdit[];
  /** Test cases removed, with their titles (as the reviewer will look for them). */
  removedCases: string[];
  /** Settings of the flag left in place, with why. */
  review: { start: number; reason: string }[];
}

const ON_WORDS = new Set(['on', 'true', 'enabled', 'yes']);
const OFF_WORDS = new Set(['off', 'false', 'disabled', 'no']);
const SUITE_CALLS = /^(describe|context|suite)(\.(only|skip|each|concurrent|sequential))?$/;

let ts: typeof TS;

/**
 * A removed flag in a test file. A test case (or a suite, when its set-up sets the flag) that sets
 * the flag to the path that goes tests code that no longer exists: it goes. In the cases that stay,
 * setting the flag to the kept path is now a no-op, and would not type-check once the flag's
 * declaration is gone: the setting goes. A test case that evaluates the flag itself tests the flag,
 * not the code: it goes too. `names` are the ways the file can name the flag: its key, camelCase
 * key and the constants that hold it.
 */
export function removeFromTests(relPath: string, text: string, names: ReadonlySet<string>, keep: Keep, evaluations: { start: number }[]): TestRemoval {
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const result: TestRemoval = { edits: [], removedCases: [], review: [] };
  const removedBlocks = new Set<TS.ExpressionStatement>();
  const removeBlock = (block: TS.ExpressionStatement) => {
    if (removedBlocks.has(block) || [...removedBlocks].some((b) => contains(b, block))) return;
    for (const inner of [...removedBlocks]) if (contains(block, inner)) removedBlocks.delete(inner);
    removedBlocks.add(block);
  };
  const settingEdits: { node: TS.Node; edit: TextEdit }[] = [];
  for (const evaluation of evaluations) {
    const block = enclosingBlock(source, nodeAtOffset(source, evaluation.start), false);
    if (block) removeBlock(block);
  }
  const evaluates = (node: TS.Node) => ts.isCallExpression(node) && evaluations.some((e) => node.arguments.pos <= e.start && e.start < node.arguments.end);
  const visit = (node: TS.Node): void => {
    const found = evaluates(node) ? undefined : settingAt(node, names, source);
    if (found) {
      const kept = isKept(found.setting, keep);
      if (kept === undefined) result.review.push({ start: node.getStart(source), reason: 'a test sets the flag to a value DeployRisk cannot match to the kept one: check this test by hand' });
      else if (!kept) {
        const block = enclosingBlock(source, node, true);
        if (block) removeBlock(block);
        else result.review.push({ start: node.getStart(source), reason: 'the test file sets the flag to the removed path outside any test case: check it by hand' });
      } else {
        const edit = settingRemoval(source, found.node);
        if (edit) settingEdits.push({ node: found.node, edit });
        else result.review.push({ start: node.getStart(source), reason: 'a test sets the flag to the kept path where the setting cannot be cut out: remove it by hand' });
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const block of removedBlocks) {
    result.edits.push(removal(text, block.getStart(source), block.getEnd()));
    result.removedCases.push(titleOf(block, source));
  }
  for (const { node, edit } of settingEdits) if (![...removedBlocks].some((b) => contains(b, node))) result.edits.push(edit);
  return result;
}

/** A setting of the flag at this node: a call with its name and a state, a property, an assignment. */
function settingAt(node: TS.Node, names: ReadonlySet<string>, source: TS.SourceFile): { node: TS.Node; setting: Setting } | undefined {
  if (ts.isCallExpression(node) && !isTestCall(node.expression, source)) {
    const named = node.arguments.some((a) => names.has(nameOf(a) ?? ''));
    const state = node.arguments.map(stateOf).find((s) => s !== undefined);
    if (named && state) return { node, setting: state };
  }
  if (ts.isPropertyAssignment(node) && names.has(propertyName(node.name) ?? '')) {
    const state = stateOf(node.initializer);
    if (state) return { node, setting: state };
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = node.left;
    const name = ts.isPropertyAccessExpression(target) ? target.name.text : ts.isElementAccessExpression(target) ? nameOf(target.argumentExpression) : undefined;
    const state = stateOf(node.right);
    if (name && names.has(name) && state) return { node, setting: state };
  }
  return undefined;
}

/** `'new-checkout'`, `FLAGS.NEW_CHECKOUT`, `Flags.NewCheckout`: the name an argument gives. */
function nameOf(node: TS.Expression): string | undefined {
  let current = node;
  while (ts.isAsExpression(current) || ts.isParenthesizedExpression(current)) current = current.expression;
  if (ts.isStringLiteralLike(current)) return current.text;
  if (ts.isPropertyAccessExpression(current)) return current.name.text;
  if (ts.isIdentifier(current)) return current.text;
  return undefined;
}

function propertyName(name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name)) return name.text;
  if (ts.isComputedPropertyName(name)) return nameOf(name.expression);
  return undefined;
}

/** `true`, `'off'`, `{ enabled: true }`, `{ name: 'blue', enabled: true }` (a variant), OpenFeature's `{ defaultVariant: 'on' }`. */
function stateOf(node: TS.Expression): Setting | undefined {
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { on: true };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { on: false };
  if (ts.isStringLiteralLike(node)) {
    const word = node.text.toLowerCase();
    return ON_WORDS.has(word) ? { on: true } : OFF_WORDS.has(word) ? { on: false } : undefined;
  }
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  let on: boolean | undefined;
  let variant: string | undefined;
  for (const property of node.properties) {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
    if (['enabled', 'value', 'defaultVariant', 'on'].includes(property.name.text)) on ??= stateOf(property.initializer)?.on;
    if (property.name.text === 'name' && ts.isStringLiteralLike(property.initializer)) variant = property.initializer.text;
  }
  if (on === undefined) return undefined;
  return variant !== undefined && on ? { on, variant } : { on };
}

/** Whether a setting is the kept path; undefined when the test sets a value the removal cannot compare. */
function isKept(setting: Setting, keep: Keep): boolean | undefined {
  if (keep === 'enabled' || keep === 'disabled') return setting.on === (keep === 'enabled');
  if ('variant' in keep) return setting.on && (setting.variant === undefined ? undefined : setting.variant === keep.variant);
  return typeof keep.value === 'boolean' ? setting.on === keep.value : undefined;
}

/**
 * The statement of the innermost test case (`it(…)`, `test(…)`) around a node, or, when `suites`,
 * of the suite (`describe(…)`) whose set-up holds it.
 */
function enclosingBlock(source: TS.SourceFile, node: TS.Node | undefined, suites: boolean): TS.ExpressionStatement | undefined {
  for (let current = node?.parent; current; current = current.parent) {
    if (!ts.isCallExpression(current) || !ts.isExpressionStatement(current.parent)) continue;
    const callee = current.expression;
    if (isTestCall(callee, source)) return current.parent;
    const head = ts.isCallExpression(callee) ? callee.expression : callee;
    if (suites && SUITE_CALLS.test(head.getText(source))) return current.parent;
  }
  return undefined;
}

/** The setting cut out of the test that stays: its property, or its statement. */
function settingRemoval(source: TS.SourceFile, node: TS.Node): TextEdit | undefined {
  if (ts.isPropertyAssignment(node)) {
    const object = node.parent as TS.ObjectLiteralExpression;
    const index = object.properties.indexOf(node);
    const next = object.properties[index + 1];
    if (next) return { start: node.getStart(source), end: next.getStart(source), text: '' };
    const previous = object.properties[index - 1];
    if (previous) return { start: previous.getEnd(), end: node.getEnd() + (object.properties.hasTrailingComma ? 1 : 0), text: '' };
    // The only property: `{ 'new-checkout': true }` becomes `{}`.
    return { start: object.getStart(source) + 1, end: object.getEnd() - 1, text: '' };
  }
  let statement: TS.Node = node;
  while (ts.isAwaitExpression(statement.parent) || ts.isParenthesizedExpression(statement.parent)) statement = statement.parent;
  return ts.isExpressionStatement(statement.parent) ? removal(source.text, statement.parent.getStart(source), statement.parent.getEnd()) : undefined;
}

function titleOf(block: TS.ExpressionStatement, source: TS.SourceFile): string {
  const call = block.expression as TS.CallExpression;
  const title = call.arguments[0];
  return title && ts.isStringLiteralLike(title) ? title.text : `the block at line ${source.getLineAndCharacterOfPosition(block.getStart(source)).line + 1}`;
}

function contains(outer: TS.Node, inner: TS.Node): boolean {
  return outer !== inner && outer.pos <= inner.pos && inner.end <= outer.end;
}

function nodeAtOffset(source: TS.SourceFile, offset: number): TS.Node | undefined {
  let found: TS.Node | undefined;
  const visit = (node: TS.Node): void => {
    if (node.getStart(source) <= offset && offset < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  visit(source);
  return found;
}
