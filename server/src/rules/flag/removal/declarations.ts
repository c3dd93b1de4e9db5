import type * as TS from 'typescript';
import { parseSource, typescript } from '../detect/typescriptModule';
import { removal, type TextEdit } from './textEdits';

/** A place that declares the flag rather than evaluating it. */
interface Declaration {
  file: string;
  node: TS.Node;
  /** The name it declares (`NEW_CHECKOUT`), when other code reads the flag through it. */
  holds?: string;
}

export interface DeclarationRemoval {
  edits: Map<string, TextEdit[]>;
  /** Declarations left because the flag is still named elsewhere, or in a list not recognisably of flags. */
  review: { file: string; start: number; reason: string }[];
  /** Flag-map properties given a computed value (`flags: { newCheckout: enabled }`): in a test, a setting DeployRisk cannot read. */
  computed: { file: string; start: number; value: string }[];
}

/** A list, type or map of flags says so in its name: `IFlagKey`, `UiFlags`, `FEATURES`, `flags`. */
const FLAG_LIST_NAME = /flag|feature|toggle|experiment/i;

let ts: typeof TS;

/**
 * The flag's declarations, once no code reads the flag any more: the constant, object property or
 * enum member holding its key (`FLAGS.NEW_CHECKOUT`), the member of a union of flag keys, the
 * property of a flag map or flag interface, the element of a flag list. A holder still read
 * somewhere stays; so does every declaration while the key is still written outside them (an
 * evaluation left for a person), as removing them then would not type-check.
 */
export function removeDeclarations(texts: ReadonlyMap<string, string>, key: string, keyForms: ReadonlySet<string>): DeclarationRemoval {
  ts ??= typescript();
  const sources = [...texts].map(([file, text]) => ({ file, source: parseSource(file, text) }));
  const declarations: Declaration[] = [];
  for (const { file, source } of sources) collectDeclarations(file, source, key, keyForms, declarations);
  const declared = new Set(declarations.map((d) => d.node));
  const uses = new Map<string, number>();
  let keyStillWritten: { file: string; start: number } | undefined;
  for (const { file, source } of sources) {
    const visit = (node: TS.Node): void => {
      if (declared.has(node)) return visitDeclared(node);
      if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) uses.set(node.text, (uses.get(node.text) ?? 0) + 1);
      if (!keyStillWritten && ((ts.isStringLiteralLike(node) && keyForms.has(node.text)) || (ts.isIdentifier(node) && keyForms.has(node.text)))) keyStillWritten = { file, start: node.getStart(source) };
      ts.forEachChild(node, visit);
    };
    // Inside a declaration only what it holds counts (`FLAGS = { A: 'a', B: 'b' }` reads nothing); its own name does not.
    const visitDeclared = (node: TS.Node): void => {
      const initializer = (node as { initializer?: TS.Node }).initializer;
      if (initializer && !isKeyLiteral(initializer, keyForms)) visit(initializer);
    };
    visit(source);
  }
  const result: DeclarationRemoval = { edits: new Map(), review: [], computed: [] };
  for (const declaration of declarations) {
    const source = sources.find((s) => s.file === declaration.file)!.source;
    const start = declaration.node.getStart(source);
    const node = declaration.node;
    const value = ts.isShorthandPropertyAssignment(node) ? node.name.text : ts.isPropertyAssignment(node) && !isLiteralValue(node.initializer) ? node.initializer.getText(source) : undefined;
    if (value !== undefined) result.computed.push({ file: declaration.file, start, value });
    if (declaration.holds !== undefined && (uses.get(declaration.holds) ?? 0) > 0) continue;
    if (declaration.holds === undefined && keyStillWritten) {
      result.review.push({ file: declaration.file, start, reason: `declares the flag, which is still named in ${keyStillWritten.file}: remove both together` });
      continue;
    }
    const edit = declarationEdit(source, declaration.node);
    if (!edit) {
      result.review.push({ file: declaration.file, start, reason: 'declares the flag where DeployRisk cannot cut it out: remove it by hand' });
      continue;
    }
    result.edits.set(declaration.file, [...(result.edits.get(declaration.file) ?? []), edit]);
  }
  return result;
}

function collectDeclarations(file: string, source: TS.SourceFile, key: string, keyForms: ReadonlySet<string>, out: Declaration[]): void {
  const visit = (node: TS.Node): void => {
    // `const NEW_CHECKOUT = 'new-checkout'`, `{ NEW_CHECKOUT: 'new-checkout' }`, `enum { NewCheckout = 'new-checkout' }`
    if ((ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node) || ts.isEnumMember(node)) && node.initializer && isKeyLiteral(node.initializer, keyForms)) {
      const name = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
      if (name !== undefined) out.push({ file, node, holds: name });
      return;
    }
    // `type FlagKey = 'a' | 'new-checkout'`
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal) && node.literal.text === key && ts.isUnionTypeNode(node.parent) && FLAG_LIST_NAME.test(ownerName(node.parent))) {
      out.push({ file, node });
      return;
    }
    // `interface UiFlags { newCheckout?: boolean }`, `const flags: IFlags = { newCheckout: parseEnvVarBoolean(…) }`
    if ((ts.isPropertySignature(node) || ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && keyForms.has(propertyName(node.name) ?? '') && FLAG_LIST_NAME.test(ownerName(node.parent))) {
      out.push({ file, node });
      return;
    }
    // `const FLAG_KEYS = ['a', 'new-checkout']`
    if (ts.isStringLiteral(node) && node.text === key && ts.isArrayLiteralExpression(node.parent) && FLAG_LIST_NAME.test(ownerName(node.parent))) {
      out.push({ file, node });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** A value written as it is: `true`, `'on'`, `-1`, `'on' as const`, `(0)`. */
function isLiteralValue(node: TS.Expression): boolean {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return isLiteralValue(node.expression);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) return ts.isNumericLiteral(node.operand);
  return ts.isLiteralExpression(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword;
}

function isKeyLiteral(node: TS.Node, keyForms: ReadonlySet<string>): boolean {
  let current = node;
  while (ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isParenthesizedExpression(current)) current = current.expression;
  return ts.isStringLiteralLike(current) && keyForms.has(current.text);
}

function propertyName(name: TS.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}

/** The name of what a list, type or object belongs to: its variable, type alias, interface, property or parameter. */
function ownerName(node: TS.Node): string {
  for (let current: TS.Node | undefined = node; current; current = current.parent) {
    if (ts.isInterfaceDeclaration(current) || ts.isTypeAliasDeclaration(current) || ts.isEnumDeclaration(current) || ts.isClassDeclaration(current)) return current.name?.text ?? '';
    if ((ts.isVariableDeclaration(current) || ts.isPropertyDeclaration(current) || ts.isPropertyAssignment(current) || ts.isPropertySignature(current) || ts.isParameter(current)) && current !== node) {
      const type = (current as { type?: TS.TypeNode }).type;
      return `${current.name.getText()} ${type && !ts.isUnionTypeNode(type) && !ts.isTypeLiteralNode(type) ? type.getText() : ''}`;
    }
    if (ts.isBlock(current) || ts.isSourceFile(current)) return '';
  }
  return '';
}

/** The declaration cut out with its separator: a statement, a list element and its comma, a union member and its `|`. */
function declarationEdit(source: TS.SourceFile, node: TS.Node): TextEdit | undefined {
  if (ts.isVariableDeclaration(node)) {
    const list = node.parent;
    if (!ts.isVariableDeclarationList(list) || !ts.isVariableStatement(list.parent) || list.declarations.length !== 1) return undefined;
    return removal(source.text, list.parent.getStart(source), list.parent.getEnd());
  }
  if (ts.isLiteralTypeNode(node)) {
    const union = node.parent as TS.UnionTypeNode;
    const index = union.types.indexOf(node);
    if (union.types.length < 2) return undefined;
    return index > 0 ? { start: union.types[index - 1].getEnd(), end: node.getEnd(), text: '' } : { start: node.getStart(source), end: union.types[1].getStart(source), text: '' };
  }
  if (ts.isPropertySignature(node)) return removal(source.text, node.getStart(source), node.getEnd());
  const list = ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) ? (node.parent as TS.ObjectLiteralExpression).properties : ts.isEnumMember(node) ? node.parent.members : ts.isArrayLiteralExpression(node.parent) ? node.parent.elements : undefined;
  if (!list) return undefined;
  return elementRemoval(source, list as TS.NodeArray<TS.Node>, node);
}

/** An element of a comma-separated list, with its comma, and its line when it has one to itself. */
function elementRemoval(source: TS.SourceFile, list: TS.NodeArray<TS.Node>, node: TS.Node): TextEdit {
  const text = source.text;
  const index = list.indexOf(node);
  const next = list[index + 1];
  const comma = text.indexOf(',', node.getEnd());
  const hasComma = next !== undefined || list.hasTrailingComma;
  const end = hasComma && comma >= 0 ? comma + 1 : node.getEnd();
  const whole = removal(text, node.getStart(source), end);
  if (whole.start < node.getStart(source)) return whole;
  // Shares its line: the element and the space up to the next one go; the last one takes the comma before it.
  if (next) return { start: node.getStart(source), end: next.getStart(source), text: '' };
  const previous = list[index - 1];
  return previous ? { start: previous.getEnd(), end, text: '' } : { start: node.getStart(source), end, text: '' };
}
