import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';
import { declarationRemoval, readsOf } from './bindings';
import type { SiteContext, SiteEdit } from './evaluations';
import type { FlagValue } from './markers';
import type { TextEdit } from './textEdits';

/**
 * The variant a removal keeps: its name, whether it is enabled, and its payload when the code
 * knows it (the disabled variant has none; a named variant's payload is configured in the
 * provider, so a read of it is left for a person).
 */
export interface KeptVariant {
  name: FlagValue;
  enabled: FlagValue;
  payload?: FlagValue;
}

let ts: typeof TS;

/**
 * An evaluation answering a variant object, rewritten through the reads of it: `v.name` becomes
 * the kept name (so `v.name === 'blue'` and `switch (v.name)` fold), `v.enabled` and
 * `v.feature_enabled` whether it is enabled, `v.payload` the payload. The variant may be read
 * directly, through a constant, or destructured; any other use (passed on, returned, cast) is
 * refused, as its type would change.
 */
export function variantEdit(evaluation: TS.Expression, kept: KeptVariant, context: SiteContext): SiteEdit {
  ts ??= typescript();
  const parent = evaluation.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === evaluation) {
    const read = readEdit(parent, kept, context);
    return 'reason' in read ? read : { edits: [read] };
  }
  if (!ts.isVariableDeclaration(parent) || parent.initializer !== evaluation) return refusal(evaluation);
  if (ts.isObjectBindingPattern(parent.name)) return destructuredEdit(parent, parent.name, kept, context);
  const reads = readsOf(parent);
  if (!reads || !ts.isIdentifier(parent.name)) return { reason: 'the variant is held in a variable that is exported, reassigned or shadowed: remove this use by hand' };
  const edits: TextEdit[] = [];
  for (const read of reads) {
    const access = read.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== read) return refusal(read);
    const edit = readEdit(access, kept, context);
    if ('reason' in edit) return edit;
    edits.push(edit);
  }
  return { edits: [...edits, declarationRemoval(context.source, parent)] };
}

/** `v.name`, `v.enabled`, `v.feature_enabled`, `v.payload`: what the kept variant has there. */
function readEdit(access: TS.PropertyAccessExpression, kept: KeptVariant, context: SiteContext): TextEdit | { reason: string } {
  const value = propertyValue(access.name.text, kept);
  if (!value) return { reason: `\`.${access.name.text}\` of the variant ${access.name.text === 'payload' ? "is configured in the provider, not in the code" : 'is not a variant property DeployRisk knows'}: remove this use by hand` };
  return { start: access.getStart(), end: access.getEnd(), text: context.values.marker(value) };
}

function propertyValue(property: string, kept: KeptVariant): FlagValue | undefined {
  if (property === 'name') return kept.name;
  if (property === 'enabled' || property === 'feature_enabled') return kept.enabled;
  if (property === 'payload') return kept.payload;
  return undefined;
}

/** `const { payload, enabled: on } = getVariant('x')`: a constant per property, which the simplification then inlines. */
function destructuredEdit(declaration: TS.VariableDeclaration, pattern: TS.ObjectBindingPattern, kept: KeptVariant, context: SiteContext): SiteEdit {
  const constants: string[] = [];
  for (const element of pattern.elements) {
    const property = element.propertyName ?? element.name;
    if (element.dotDotDotToken || element.initializer || !ts.isIdentifier(element.name) || !ts.isIdentifier(property)) return refusal(declaration.initializer!);
    const value = propertyValue(property.text, kept);
    if (!value) return { reason: `\`${property.text}\` of the variant ${property.text === 'payload' ? 'is configured in the provider, not in the code' : 'is not a variant property DeployRisk knows'}: remove this use by hand` };
    constants.push(`${element.name.text} = ${context.values.marker(value)}`);
  }
  return { edits: [{ start: declaration.getStart(), end: declaration.getEnd(), text: constants.join(', ') }] };
}

function refusal(use: TS.Node): { reason: string } {
  return { reason: `the variant is ${wholeUse(use)}, so it would change type: remove this use by hand` };
}

/** How a variant is used as a whole, named by the code's structure (never by quoting it). */
function wholeUse(use: TS.Node): string {
  let node = use;
  while (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isAsExpression(parent) || ts.isTypeAssertionExpression(parent) || ts.isSatisfiesExpression(parent)) return `cast to \`${parent.type.getText().slice(0, 40)}\``;
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as TS.Expression)) {
    const callee = ts.isIdentifier(parent.expression) ? parent.expression.text : ts.isPropertyAccessExpression(parent.expression) ? parent.expression.name.text : undefined;
    return callee ? `passed to \`${callee}\`` : 'passed to a function';
  }
  if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent)) return 'returned';
  if (ts.isPropertyAccessExpression(parent)) return `read for \`.${parent.name.text}\``;
  if (ts.isJsxExpression(parent)) return 'passed as a prop';
  return 'used as a whole';
}
