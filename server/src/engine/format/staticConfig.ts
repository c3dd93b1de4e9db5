import type * as TS from 'typescript';
import { parseSource, typescript } from '../../rules/flag/detect/typescriptModule';

/**
 * The object a JavaScript configuration file exports, read from its syntax tree and never run
 * (`prettier.config.js`, `.prettierrc.cjs`): `module.exports = {…}`, `export default {…}`, or a
 * constant holding one that is exported, with `satisfies`, `as` and JSDoc types around it.
 * Literals, arrays and nested objects only; anything computed (a `require`, a spread, a call) is
 * refused with the reason, as its value is only known by running the file.
 */
export function staticConfigObject(relPath: string, text: string): { value: Record<string, unknown> } | { reason: string } {
  const ts = typescript();
  const source = parseSource(relPath, text);
  const constants = new Map<string, TS.Expression>();
  let exported: TS.Expression | undefined;
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.initializer) constants.set(declaration.name.text, declaration.initializer);
    }
    if (ts.isExportAssignment(statement)) exported = statement.expression;
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = statement.expression.left.getText(source);
      if (target === 'module.exports' || target === 'exports.default' || target === 'module.exports.default') exported = statement.expression.right;
    }
  }
  if (!exported) return { reason: `${relPath} exports no object DeployRisk can read without running it` };
  const value = literalValue(unwrap(exported, constants));
  if (value === NOT_STATIC || !value || typeof value !== 'object' || Array.isArray(value)) return { reason: `${relPath} computes its configuration (only a literal object can be read without running the file)` };
  return { value: value as Record<string, unknown> };
}

const NOT_STATIC = Symbol('not static');

function literalValue(node: TS.Expression): unknown {
  const ts = typescript();
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isArrayLiteralExpression(node)) {
    const items = node.elements.map((element) => literalValue(unwrap(element)));
    return items.includes(NOT_STATIC) ? NOT_STATIC : items;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const object: Record<string, unknown> = {};
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name))) return NOT_STATIC;
      const value = literalValue(unwrap(property.initializer));
      if (value === NOT_STATIC) return NOT_STATIC;
      object[property.name.text] = value;
    }
    return object;
  }
  return NOT_STATIC;
}

/** `x satisfies Config`, `x as Config`, `(x)`, and a constant's name: the value written. */
function unwrap(node: TS.Expression, constants?: Map<string, TS.Expression>): TS.Expression {
  const ts = typescript();
  let current = node;
  for (let depth = 0; depth < 8; depth++) {
    if (ts.isSatisfiesExpression(current) || ts.isAsExpression(current) || ts.isParenthesizedExpression(current)) current = current.expression;
    else if (ts.isIdentifier(current) && constants?.has(current.text)) current = constants.get(current.text)!;
    else break;
  }
  return current;
}
