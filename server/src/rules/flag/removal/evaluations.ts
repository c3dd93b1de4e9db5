import type * as TS from 'typescript';
import { BOOLEAN_COMPONENTS } from '../catalog';
import { SourceDocument } from '../../../engine/document';
import { typescript } from '../detect/typescriptModule';
import { answerOf, type Answer } from './answers';
import { nonBooleanUse } from './booleanUse';
import type { Keep } from './keep';
import { booleanValue, expressionValue, FALSE, jsonValue, stringValue, TRUE, UNDEFINED, type FlagValue, type FlagValues } from './markers';
import { indentAt, removal, type TextEdit } from './textEdits';
import { variantEdit, type KeptVariant } from './variants';

/** One place the flag is evaluated: the offsets of its key expression, as the inventory found it. */
export interface FlagSite {
  start: number;
  end: number;
  /** What the inventory says it goes through: a project's own API (`useUiFlag`), an SDK call (`Unleash isEnabled`). */
  via?: string;
}

export type SiteEdit = { edits: TextEdit[] } | { reason: string };

export interface DeclaredApis {
  names: ReadonlySet<string>;
  /** The flag's declared type (`boolean`, `Variant`). */
  type: string;
}

export interface SiteContext {
  source: TS.SourceFile;
  providers: string[];
  homeGrown: string[];
  /**
   * The project's own flag APIs that answer the flag itself (`useUiFlag` answers `UiFlags[K]`),
   * with the flag's declared type: for a boolean their calls are the boolean, not an object to
   * leave alone; for another type the refusal names it.
   */
  declaredApis?: DeclaredApis;
  keep: Keep;
  values: FlagValues;
}

let ts: typeof TS;

/**
 * Replaces one evaluation of the flag with what it is from now on, by what the evaluation answers:
 * a boolean becomes a marker, a variant's `name`, `enabled` and `payload` reads become theirs, a
 * value becomes the kept value; a flag component becomes its children (or its fallback), a
 * destructured `useFlags()` property a constant. What cannot be rewritten without changing a type
 * or a behaviour is refused with the reason, for a person to finish.
 */
export function evaluationEdit(site: FlagSite, context: SiteContext): SiteEdit {
  ts ??= typescript();
  const { source } = context;
  const key = nodeAt(source, site.start, site.end);
  if (!key) return { reason: 'the code changed since the inventory was built; save and refresh' };
  const attribute = key.parent && ts.isJsxExpression(key.parent) ? key.parent.parent : key.parent;
  if (attribute && ts.isJsxAttribute(attribute)) return componentEdit(attribute, context);
  if (ts.isBindingElement(key.parent)) return destructuredEdit(key.parent, context);
  if (ts.isPropertyAccessExpression(key.parent) && key.parent.name === key) {
    if (context.providers.includes('environment') && /^(process\.env|import\.meta\.env)$/.test(key.parent.expression.getText(source))) {
      return { reason: 'an environment variable holds text, not a boolean: remove it where it is set, then here by hand' };
    }
    // `useFlags().newCheckout`: LaunchDarkly hands out flags of any type.
    const value = untypedValue(context, quoteAt(source, key));
    return 'reason' in value ? value : valueEdit(key.parent, value, context, true);
  }
  const argument = ts.isPropertyAssignment(key.parent) ? key.parent.parent : key;
  const call = argument.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(argument as TS.Expression)) return { reason: 'not a flag call DeployRisk can rewrite' };
  const name = ts.isIdentifier(call.expression) ? call.expression.text : ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : '';
  const known = answerOf(call, name, context.providers, context.homeGrown);
  const declared = known.type === 'other' && site.via !== undefined && context.declaredApis?.names.has(site.via) ? context.declaredApis.type : undefined;
  if (declared !== undefined && declared !== 'boolean') {
    return { reason: `\`${name}\` hands out the flag as declared (\`${declared}\`), and DeployRisk rewrites a project API's answer for boolean flags only: remove this use by hand` };
  }
  const answer: Answer = declared === 'boolean' ? { type: 'boolean', inverted: false } : known;
  if (answer.type === 'other') return { reason: `${answer.what}: remove this use by hand` };
  if (answer.type === 'variant') {
    const kept = keptVariant(name, context.keep, quoteAt(source, key));
    return 'reason' in kept ? kept : variantEdit(withAwait(call), kept, context);
  }
  const value = answer.type === 'boolean' ? keptBoolean(name, answer, context.keep) : keptValue(name, answer, context, quoteAt(source, key));
  return 'reason' in value ? value : valueEdit(call, value, context, answer.type === 'boolean');
}

function keptBoolean(name: string, answer: Extract<Answer, { type: 'boolean' }>, keep: Keep): FlagValue | { reason: string } {
  let on: boolean;
  if (keep === 'enabled' || keep === 'disabled') on = keep === 'enabled';
  // A flag serving a variant is on.
  else if ('variant' in keep) on = true;
  else if (typeof keep.value === 'boolean') on = keep.value;
  else return { reason: `\`${name}\` answers a boolean: keep its enabled or its disabled path` };
  return booleanValue(answer.inverted ? !on : on);
}

function keptValue(name: string, answer: Extract<Answer, { type: 'value' }>, context: SiteContext, quote: string): FlagValue | { reason: string } {
  const { keep } = context;
  if (keep === 'disabled') {
    if (answer.off === undefined) return { reason: `\`${name}\` has no default value here, so what the flag is when off is not in the code: keep a value (value:<JSON>)` };
    return answer.off === 'false' ? FALSE : answer.off === 'undefined' ? UNDEFINED : expressionValue(answer.off, context.source);
  }
  if (keep === 'enabled') return { reason: `\`${name}\` answers the flag's value, which the code does not know when the flag is on: keep a value (value:<JSON>) or a variant (variant:<name>)` };
  if ('variant' in keep) return stringValue(keep.variant, quote);
  return jsonValue(keep.value, quote);
}

/** A value whose type the code does not say (`useFlags()` properties): booleans by the path, or the value kept. */
function untypedValue(context: SiteContext, quote: string): FlagValue | { reason: string } {
  const { keep } = context;
  if (keep === 'enabled' || keep === 'disabled') return booleanValue(keep === 'enabled');
  return 'variant' in keep ? stringValue(keep.variant, quote) : jsonValue(keep.value, quote);
}

function keptVariant(name: string, keep: Keep, quote: string): KeptVariant | { reason: string } {
  if (keep === 'disabled') return { name: stringValue('disabled', quote), enabled: FALSE, payload: UNDEFINED };
  if (typeof keep === 'object' && 'variant' in keep) return { name: stringValue(keep.variant, quote), enabled: TRUE };
  return { reason: `\`${name}\` answers a variant: keep one variant (variant:<name>) or the disabled path` };
}

/** The evaluation (with its `await`) becomes the marker of its value, unless its result is used in a way that value cannot be. */
function valueEdit(evaluation: TS.Expression, value: FlagValue, context: SiteContext, isBoolean: boolean): SiteEdit {
  const target = withAwait(evaluation);
  const user = target.parent;
  if ((ts.isPropertyAccessExpression(user) || ts.isElementAccessExpression(user)) && user.expression === target) {
    return { reason: 'the evaluation is used as an object or a promise (`.then`, `.value`): remove this use by hand' };
  }
  if (isBoolean) {
    const problem = nonBooleanUse(target);
    if (problem) return { reason: `the result is ${problem}, so it is not a boolean here: remove this use by hand` };
  }
  return { edits: [{ start: target.getStart(), end: target.getEnd(), text: context.values.marker(value) }, ...declaredType(evaluation, target, value, context.source)] };
}

/**
 * `const config = useFeatureValue<Banner | null>(key, null)` declares `config` a `Banner | null`
 * through the call's type argument. An object or array kept in the call's place would narrow
 * `config` to the literal's own type, and every optional field the code reads that the kept JSON
 * does not write becomes a type error: the declaration takes the type argument as its type.
 */
function declaredType(evaluation: TS.Expression, target: TS.Expression, value: FlagValue, source: TS.SourceFile): TextEdit[] {
  if (value.primitive || !ts.isCallExpression(evaluation) || evaluation.typeArguments?.length !== 1) return [];
  const declaration = target.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== target || declaration.type || !ts.isIdentifier(declaration.name)) return [];
  const end = declaration.name.getEnd();
  return [{ start: end, end, text: `: ${evaluation.typeArguments[0].getText(source)}` }];
}

function withAwait(evaluation: TS.Expression): TS.Expression {
  return ts.isAwaitExpression(evaluation.parent) ? evaluation.parent : evaluation;
}

/** `<IfFeatureEnabled feature="x">…</IfFeatureEnabled>`: the children when on, the fallback (or nothing) when off. */
function componentEdit(attribute: TS.JsxAttribute, context: SiteContext): SiteEdit {
  const { source, keep } = context;
  const opening = attribute.parent.parent;
  const tag = opening.tagName.getText(source);
  const known = BOOLEAN_COMPONENTS.find((c) => c.component === tag) ?? (context.homeGrown.includes(tag) ? { component: tag } : undefined);
  if (!known) return { reason: `<${tag}> does not render by a boolean: remove this use by hand` };
  if (typeof keep === 'object' && 'value' in keep) return { reason: `<${tag}> renders by a boolean: keep its enabled or its disabled path` };
  const enabled = keep !== 'disabled';
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
function destructuredEdit(element: TS.BindingElement, context: SiteContext): SiteEdit {
  const { source } = context;
  const pattern = element.parent;
  const declaration = pattern.parent;
  if (!ts.isIdentifier(element.name) || element.initializer || !ts.isObjectBindingPattern(pattern) || !ts.isVariableDeclaration(declaration) || !ts.isVariableStatement(declaration.parent.parent)) {
    return { reason: 'a nested destructuring or one with a default DeployRisk cannot rewrite: remove this use by hand' };
  }
  const value = untypedValue(context, quoteAt(source, element));
  if ('reason' in value) return value;
  const constant = `${element.name.text} = ${context.values.marker(value)}`;
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

/** The quote the code around a site uses for strings: that of the key when it is a literal, else the file's first. */
function quoteAt(source: TS.SourceFile, node: TS.Node): string {
  const first = source.text[node.getStart(source)];
  if (first === "'" || first === '"') return first;
  return /^[^'"]*"/.test(source.text) ? '"' : "'";
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
