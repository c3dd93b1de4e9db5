import type * as TS from 'typescript';
import { BOOLEAN_COMPONENTS, BOOLEAN_EVALUATIONS } from '../catalog';
import { SourceDocument } from '../../../engine/document';
import { typescript } from '../detect/typescriptModule';
import { marker } from './markers';
import { indentAt, removal, type TextEdit } from './textEdits';

/** One place the flag is evaluated: the offsets of its key expression, as the inventory found it. */
export interface FlagSite {
  start: number;
  end: number;
}

export type SiteEdit = { edits: TextEdit[] } | { reason: string };

let ts: typeof TS;

/**
 * Replaces one evaluation of the flag with the value it will always have from now on: a call
 * becomes a marker, a flag component becomes its children (or its fallback), a destructured
 * `useFlags()` property becomes a constant. Evaluations that do not answer a boolean are refused
 * with the reason, for a person to finish.
 */
export function evaluationEdit(source: TS.SourceFile, site: FlagSite, providers: string[], homeGrown: string[], enabled: boolean): SiteEdit {
  ts ??= typescript();
  const key = nodeAt(source, site.start, site.end);
  if (!key) return { reason: 'the code changed since the inventory was built; save and refresh' };
  const attribute = key.parent && ts.isJsxExpression(key.parent) ? key.parent.parent : key.parent;
  if (attribute && ts.isJsxAttribute(attribute)) return componentEdit(source, attribute, homeGrown, enabled);
  if (ts.isBindingElement(key.parent)) return destructuredEdit(source, key.parent, enabled);
  if (ts.isPropertyAccessExpression(key.parent) && key.parent.name === key) {
    if (providers.includes('environment') && /^(process\.env|import\.meta\.env)$/.test(key.parent.expression.getText(source))) {
      return { reason: 'an environment variable holds text, not a boolean: remove it where it is set, then here by hand' };
    }
    // `useFlags().newCheckout`
    return valueEdit(key.parent, enabled);
  }
  const argument = ts.isPropertyAssignment(key.parent) ? key.parent.parent : key;
  const call = argument.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(argument as TS.Expression)) return { reason: 'not a flag call DeployRisk can rewrite' };
  const name = ts.isIdentifier(call.expression) ? call.expression.text : ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : '';
  const answer = booleanAnswer(name, call, providers, homeGrown);
  if (answer === undefined) return { reason: `\`${name}\` does not answer a boolean (a variant, payload or details object): remove this use by hand` };
  return valueEdit(call, answer === 'inverted' ? !enabled : enabled);
}

function booleanAnswer(name: string, call: TS.CallExpression, providers: string[], homeGrown: string[]): 'direct' | 'inverted' | undefined {
  // Home-grown functions are declared in `.deployrisk.yaml` as flag checks, so they answer booleans.
  if (homeGrown.includes(name)) return 'direct';
  const hasBooleanDefault = call.arguments.some((arg) => arg.kind === ts.SyntaxKind.TrueKeyword || arg.kind === ts.SyntaxKind.FalseKeyword);
  for (const provider of providers) {
    const table = BOOLEAN_EVALUATIONS[provider];
    if (!table) continue;
    if (table.names.includes(name)) return 'direct';
    if (table.inverted?.includes(name)) return 'inverted';
    if (hasBooleanDefault && table.byDefault?.includes(name)) return 'direct';
  }
  return undefined;
}

/** The evaluation (with its `await`) becomes the marker, unless its result is used as an object. */
function valueEdit(evaluation: TS.Expression, value: boolean): SiteEdit {
  const target = ts.isAwaitExpression(evaluation.parent) ? evaluation.parent : evaluation;
  const user = target.parent;
  if ((ts.isPropertyAccessExpression(user) || ts.isElementAccessExpression(user)) && user.expression === target) {
    return { reason: 'the evaluation is used as an object or a promise (`.then`, `.value`): remove this use by hand' };
  }
  return { edits: [{ start: target.getStart(), end: target.getEnd(), text: marker(value) }] };
}

/** `<IfFeatureEnabled feature="x">…</IfFeatureEnabled>`: the children when on, the fallback (or nothing) when off. */
function componentEdit(source: TS.SourceFile, attribute: TS.JsxAttribute, homeGrown: string[], enabled: boolean): SiteEdit {
  const opening = attribute.parent.parent;
  const tag = opening.tagName.getText(source);
  const known = BOOLEAN_COMPONENTS.find((c) => c.component === tag) ?? (homeGrown.includes(tag) ? { component: tag } : undefined);
  if (!known) return { reason: `<${tag}> does not render by a boolean: remove this use by hand` };
  const element = ts.isJsxOpeningElement(opening) ? opening.parent : opening;
  let replacement: string | undefined;
  if (enabled && ts.isJsxElement(element)) replacement = childrenText(source, element);
  if (!enabled && known.fallbackProp) {
    const fallback = opening.attributes.properties.find((p) => ts.isJsxAttribute(p) && p.name.getText(source) === known.fallbackProp) as TS.JsxAttribute | undefined;
    const value = fallback?.initializer;
    replacement = value && ts.isJsxExpression(value) ? value.expression?.getText(source) : value?.getText(source);
  }
  const inChildren = ts.isJsxElement(element.parent) || ts.isJsxFragment(element.parent);
  if (replacement === undefined || replacement.trim() === '') {
    return { edits: [inChildren ? removal(source.text, element.getStart(), element.getEnd()) : { start: element.getStart(), end: element.getEnd(), text: 'null' }] };
  }
  return { edits: [{ start: element.getStart(), end: element.getEnd(), text: replacement }] };
}

/** The element's children as one JSX expression: alone when there is one, in a fragment otherwise. */
function childrenText(source: TS.SourceFile, element: TS.JsxElement): string | undefined {
  const children = element.children.filter((child) => !(ts.isJsxText(child) && child.containsOnlyTriviaWhiteSpaces));
  if (children.length === 0) return undefined;
  if (children.length === 1 && !ts.isJsxText(children[0]) && !ts.isJsxExpression(children[0])) return children[0].getText(source);
  return `<>${source.text.slice(element.openingElement.getEnd(), element.closingElement.getStart())}</>`;
}

/** `const { newCheckout } = useFlags()`: the property leaves the pattern and becomes a constant. */
function destructuredEdit(source: TS.SourceFile, element: TS.BindingElement, enabled: boolean): SiteEdit {
  const pattern = element.parent;
  const declaration = pattern.parent;
  if (!ts.isIdentifier(element.name) || !ts.isObjectBindingPattern(pattern) || !ts.isVariableDeclaration(declaration) || !ts.isVariableStatement(declaration.parent.parent)) {
    return { reason: 'a nested destructuring DeployRisk cannot rewrite: remove this use by hand' };
  }
  const constant = `${element.name.text} = ${marker(enabled)}`;
  if (pattern.elements.length === 1) return { edits: [{ start: declaration.getStart(), end: declaration.getEnd(), text: constant }] };
  const index = pattern.elements.indexOf(element);
  const cut = index < pattern.elements.length - 1 ? { start: element.getStart(), end: pattern.elements[index + 1].getStart() } : { start: pattern.elements[index - 1].getEnd(), end: element.getEnd() };
  const statement = declaration.parent.parent;
  const text = source.text;
  const eol = new SourceDocument(source.fileName, text).eol;
  return {
    edits: [
      { ...cut, text: '' },
      { start: statement.getEnd(), end: statement.getEnd(), text: `${eol}${indentAt(text, statement.getStart())}const ${constant};` },
    ],
  };
}

/** The innermost node spanning exactly `[start, end)`. */
function nodeAt(source: TS.SourceFile, start: number, end: number): TS.Node | undefined {
  let found: TS.Node | undefined;
  const visit = (node: TS.Node): void => {
    if (node.getStart(source) <= start && node.getEnd() >= end) {
      if (node.getStart(source) === start && node.getEnd() === end) found = node;
      ts.forEachChild(node, visit);
    }
  };
  visit(source);
  return found;
}
