import type * as TS from 'typescript';
import { SourceDocument } from '../../../engine/document';
import { typescript } from '../detect/typescriptModule';
import { marker, markerValue } from './markers';
import { indentAt, removal, startsLine, type TextEdit } from './textEdits';

let ts: typeof TS;

/**
 * One simplification step around a flag marker, or null when none applies: `!`, `&&`, `||`, `??`,
 * ternaries, `if`/`else` (with the code an early return makes unreachable), JSX conditionals and
 * constants holding the flag. The caller re-parses and repeats until nothing changes, so each step
 * only has to be right about one node.
 */
export function simplifyOnce(source: TS.SourceFile): TextEdit[] | null {
  ts ??= typescript();
  let result: TextEdit[] | null = null;
  const visit = (node: TS.Node): void => {
    if (result) return;
    result = rewrite(source, node);
    if (!result) ts.forEachChild(node, visit);
  };
  visit(source);
  return result;
}

function rewrite(source: TS.SourceFile, node: TS.Node): TextEdit[] | null {
  if (ts.isParenthesizedExpression(node) && markerValue(node.expression) !== undefined) return [replace(node, marker(markerValue(node)!))];
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken && markerValue(node.operand) !== undefined) {
    return [replace(node, marker(!markerValue(node.operand)))];
  }
  if (ts.isBinaryExpression(node)) return rewriteLogical(source, node);
  if (ts.isConditionalExpression(node) && markerValue(node.condition) !== undefined) {
    return replaceExpression(source, node, markerValue(node.condition) ? node.whenTrue : node.whenFalse);
  }
  if (ts.isIfStatement(node) && markerValue(node.expression) !== undefined) return rewriteIf(source, node, markerValue(node.expression)!);
  // `{flag}` among JSX children renders nothing either way.
  if (ts.isJsxExpression(node) && markerValue(node.expression) !== undefined && isJsxChild(node)) return [removal(source.text, node.getStart(), node.getEnd())];
  if (ts.isVariableDeclaration(node) && markerValue(node.initializer) !== undefined) return inlineConstant(source, node, markerValue(node.initializer)!);
  return null;
}

function rewriteLogical(source: TS.SourceFile, node: TS.BinaryExpression): TextEdit[] | null {
  const operator = node.operatorToken.kind;
  const left = markerValue(node.left);
  if (left !== undefined) {
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return left ? replaceExpression(source, node, node.right) : [replace(node, marker(false))];
    if (operator === ts.SyntaxKind.BarBarToken) return left ? [replace(node, marker(true))] : replaceExpression(source, node, node.right);
    if (operator === ts.SyntaxKind.QuestionQuestionToken) return [replace(node, marker(left))];
  }
  // `x && flag` is `x` only where just truthiness counts (a condition), not where the value is used.
  const right = markerValue(node.right);
  if (right === undefined || !inCondition(node)) return null;
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return right ? replaceExpression(source, node, node.left) : isPure(node.left) ? [replace(node, marker(false))] : null;
  if (operator === ts.SyntaxKind.BarBarToken) return right ? (isPure(node.left) ? [replace(node, marker(true))] : null) : replaceExpression(source, node, node.left);
  return null;
}

/** Replaces an expression by one of its operands, minding the places that text alone would break. */
function replaceExpression(source: TS.SourceFile, node: TS.Expression, operand: TS.Expression): TextEdit[] {
  let inner: TS.Expression = operand;
  while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
  // `(flag ? 'a' : 'b')` becomes `'a'`, not `('a')`: parentheses around a simple operand go too.
  let target: TS.Expression = node;
  while (ts.isParenthesizedExpression(target.parent) && isSimple(inner)) target = target.parent;
  node = target;
  const container = node.parent;
  if (ts.isJsxExpression(container) && isJsxChild(container)) {
    // `{flag && <New/>}` becomes `<New/>`; `{flag ? <A/> : null}` with the flag off becomes nothing.
    if (ts.isJsxElement(inner) || ts.isJsxSelfClosingElement(inner) || ts.isJsxFragment(inner)) return [{ start: container.getStart(), end: container.getEnd(), text: inner.getText(source) }];
    if (inner.kind === ts.SyntaxKind.NullKeyword || markerValue(inner) !== undefined || (ts.isIdentifier(inner) && inner.text === 'undefined')) return [removal(source.text, container.getStart(), container.getEnd())];
  }
  const text = operand.getText(source);
  // An arrow function's body that starts with `{` would read as a block.
  const wrap = ts.isArrowFunction(container) && container.body === node && text.startsWith('{');
  return [replace(node, wrap ? `(${text})` : text)];
}

function rewriteIf(source: TS.SourceFile, node: TS.IfStatement, value: boolean): TextEdit[] {
  const text = source.text;
  const chosen = value ? node.thenStatement : node.elseStatement;
  const parent = node.parent;
  if (ts.isIfStatement(parent) && parent.elseStatement === node) {
    // `else if (flag)`: the chosen branch becomes the `else`, or the `else` goes.
    return [chosen ? replace(node, chosen.getText(source)) : { start: parent.thenStatement.getEnd(), end: node.getEnd(), text: '' }];
  }
  if (!chosen || (ts.isBlock(chosen) && chosen.statements.length === 0)) return [removal(text, node.getStart(), node.getEnd())];
  if (!isStatementList(parent) || !startsLine(text, node.getStart())) return [replace(node, chosen.getText(source))];
  const edits: TextEdit[] = [{ start: node.getStart(), end: node.getEnd(), text: splice(source, node, chosen) }];
  // After a branch that always returns or throws, the rest of the block can never run.
  const last = ts.isBlock(chosen) ? chosen.statements[chosen.statements.length - 1] : chosen;
  if (last && (ts.isReturnStatement(last) || ts.isThrowStatement(last))) {
    const siblings = parent.statements;
    for (const sibling of siblings.slice(siblings.indexOf(node) + 1)) {
      // Function declarations are hoisted: code above may still call them.
      if (!ts.isFunctionDeclaration(sibling)) edits.push(removal(text, sibling.getStart(), sibling.getEnd()));
    }
  }
  return edits;
}

/** The chosen branch in place of the `if`: a block's statements, re-indented, unless their names would clash. */
function splice(source: TS.SourceFile, node: TS.IfStatement, chosen: TS.Statement): string {
  if (!ts.isBlock(chosen)) return chosen.getText(source);
  if (declaresClashingNames(source, node, chosen) || hasMultilineTemplate(chosen)) return chosen.getText(source);
  const text = source.text;
  const inner = text.slice(chosen.getStart(source) + 1, chosen.getEnd() - 1);
  const lines = inner.split(/\r?\n/);
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const depth = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  const indent = indentAt(text, node.getStart());
  const eol = new SourceDocument(source.fileName, text).eol;
  return lines.map((line, i) => (line.trim() === '' ? '' : `${i === 0 ? '' : indent}${line.slice(depth)}`)).join(eol);
}

/** Names the block declares that the statements around the `if` declare or use as well. */
function declaresClashingNames(source: TS.SourceFile, node: TS.IfStatement, block: TS.Block): boolean {
  const declared = new Set<string>();
  for (const statement of block.statements) {
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) collectBindingNames(d.name, declared);
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) declared.add(statement.name.text);
  }
  if (declared.size === 0) return false;
  const parent = node.parent as TS.Block;
  let clash = false;
  const visit = (n: TS.Node): void => {
    if (clash) return;
    if (ts.isIdentifier(n) && declared.has(n.text)) clash = true;
    ts.forEachChild(n, visit);
  };
  for (const sibling of parent.statements) if (sibling !== node) visit(sibling);
  return clash || source.statements.some((s) => s !== node && ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && declared.has(d.name.text)));
}

function collectBindingNames(name: TS.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collectBindingNames(element.name, into);
}

/** Re-indenting would change the text of a template literal that spans lines. */
function hasMultilineTemplate(node: TS.Node): boolean {
  if ((ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) && /\n/.test(node.getText())) return true;
  return ts.forEachChild(node, hasMultilineTemplate) ?? false;
}

/**
 * `const showNew = flag;` goes, and its uses read the flag's value. Left alone when the name is
 * exported, reassigned or shadowed somewhere in its scope.
 */
function inlineConstant(source: TS.SourceFile, declaration: TS.VariableDeclaration, value: boolean): TextEdit[] | null {
  const list = declaration.parent;
  const statement = list.parent;
  if (!ts.isIdentifier(declaration.name) || !ts.isVariableDeclarationList(list) || !ts.isVariableStatement(statement) || hasExport(statement)) return null;
  const name = declaration.name.text;
  const edits: TextEdit[] = [];
  let blocked = false;
  const visit = (node: TS.Node): void => {
    if (blocked) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration.name) {
      const parent = node.parent;
      const named = (parent as { name?: TS.Node }).name === node;
      if (named && (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent))) blocked = true;
      else if (isWrite(node)) blocked = true;
      else if (ts.isShorthandPropertyAssignment(parent)) edits.push({ start: parent.getStart(), end: parent.getEnd(), text: `${name}: ${marker(value)}` });
      else if (ts.isTypeQueryNode(parent)) blocked = true;
      // Property names and type names are other namespaces.
      else if (!named && !ts.isTypeReferenceNode(parent) && !ts.isQualifiedName(parent)) edits.push(replace(node, marker(value)));
    }
    ts.forEachChild(node, visit);
  };
  visit(statement.parent);
  if (blocked) return null;
  if (list.declarations.length === 1) edits.push(removal(source.text, statement.getStart(), statement.getEnd()));
  else {
    const index = list.declarations.indexOf(declaration);
    const next = list.declarations[index + 1];
    edits.push(next ? { start: declaration.getStart(), end: next.getStart(), text: '' } : { start: list.declarations[index - 1].getEnd(), end: declaration.getEnd(), text: '' });
  }
  return edits;
}

function isWrite(node: TS.Identifier): boolean {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  return (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken);
}

/** Where only truthiness counts: conditions, `!`, and `&&`/`||` operands that are themselves in one. */
function inCondition(node: TS.Expression): boolean {
  let child: TS.Node = node;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent)) [child, parent] = [parent, parent.parent];
  if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) && parent.expression === child) return true;
  if (ts.isConditionalExpression(parent) && parent.condition === child) return true;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return true;
  if (ts.isBinaryExpression(parent) && (parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return inCondition(parent);
  return false;
}

/** Dropping it cannot skip a side effect: names, property reads, literals. */
function isPure(node: TS.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return isPure(node.expression);
  if (ts.isPropertyAccessExpression(node)) return isPure(node.expression);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return isPure(node.operand);
  return ts.isIdentifier(node) || ts.isLiteralExpression(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword;
}

/** Needs no parentheses anywhere an expression goes. */
function isSimple(node: TS.Expression): boolean {
  return ts.isIdentifier(node) || ts.isLiteralExpression(node) || ts.isPropertyAccessExpression(node) || ts.isCallExpression(node) || ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node) || node.kind === ts.SyntaxKind.NullKeyword || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword;
}

function isJsxChild(node: TS.Node): boolean {
  return ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent);
}

function isStatementList(node: TS.Node): node is TS.Block | TS.SourceFile | TS.CaseClause | TS.DefaultClause | TS.ModuleBlock {
  return ts.isBlock(node) || ts.isSourceFile(node) || ts.isCaseClause(node) || ts.isDefaultClause(node) || ts.isModuleBlock(node);
}

function hasExport(statement: TS.VariableStatement): boolean {
  return statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

function replace(node: TS.Node, text: string): TextEdit {
  return { start: node.getStart(), end: node.getEnd(), text };
}
