import type * as TS from 'typescript';
import { SourceDocument } from '../../../engine/document';
import { typescript } from '../detect/typescriptModule';
import { declarationRemoval, readsOf } from './bindings';
import { booleanValue, FALSE, TRUE, UNDEFINED, type FlagValue, type FlagValues } from './markers';
import { indentAt, removal, startsLine, type TextEdit } from './textEdits';

let ts: typeof TS;
let values: FlagValues;

/**
 * One simplification step around a flag marker, or null when none applies: `!`, `&&`, `||`, `??`,
 * comparisons, ternaries, `if`/`else` and `switch` (with the code an early return makes
 * unreachable), optional chains on nothing, JSX conditionals and constants holding the flag's
 * value. The caller re-parses and repeats until nothing changes, so each step only has to be
 * right about one node.
 */
export function simplifyOnce(source: TS.SourceFile, flagValues: FlagValues): TextEdit[] | null {
  ts ??= typescript();
  values = flagValues;
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
  if (ts.isParenthesizedExpression(node) && values.valueOf(node.expression)) return [replace(node, values.marker(values.valueOf(node)!))];
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken && truthiness(node.operand) !== undefined) {
    return [replace(node, values.marker(booleanValue(!truthiness(node.operand))))];
  }
  if (ts.isBinaryExpression(node)) return rewriteBinary(source, node);
  if (ts.isConditionalExpression(node) && truthiness(node.condition) !== undefined) {
    return replaceExpression(source, node, truthiness(node.condition) ? node.whenTrue : node.whenFalse);
  }
  if (ts.isIfStatement(node) && truthiness(node.expression) !== undefined) return rewriteIf(source, node, truthiness(node.expression)!);
  if (ts.isSwitchStatement(node) && values.valueOf(node.expression)?.primitive) return rewriteSwitch(source, node, values.valueOf(node.expression)!.primitive!.value);
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Boolean' && node.arguments.length === 1 && truthiness(node.arguments[0]) !== undefined) {
    return [replace(node, values.marker(booleanValue(truthiness(node.arguments[0])!)))];
  }
  const chain = shortCircuitedChain(node);
  if (chain) return [replace(chain, values.marker(UNDEFINED))];
  // `{flag}` among JSX children renders nothing when it is a boolean, null or undefined.
  if (ts.isJsxExpression(node) && isJsxChild(node) && rendersNothing(values.valueOf(node.expression))) return [removal(source.text, node.getStart(), node.getEnd())];
  if (ts.isVariableDeclaration(node) && values.valueOf(node.initializer)?.primitive) return inlineConstant(source, node, values.valueOf(node.initializer)!);
  return null;
}

/** Whether a node is a flag value of known truthiness, and which. */
function truthiness(node: TS.Node): boolean | undefined {
  return values.valueOf(node)?.truthy;
}

function rendersNothing(value: FlagValue | undefined): boolean {
  if (!value?.primitive) return false;
  const v = value.primitive.value;
  return typeof v === 'boolean' || v === null || v === undefined;
}

function rewriteBinary(source: TS.SourceFile, node: TS.BinaryExpression): TextEdit[] | null {
  const operator = node.operatorToken.kind;
  const compared = comparison(node);
  if (compared !== undefined) return [replace(node, values.marker(booleanValue(compared)))];
  const left = values.valueOf(node.left);
  if (left?.truthy !== undefined) {
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return left.truthy ? replaceExpression(source, node, node.right) : [replace(node, values.marker(left))];
    if (operator === ts.SyntaxKind.BarBarToken) return left.truthy ? [replace(node, values.marker(left))] : replaceExpression(source, node, node.right);
  }
  if (left && operator === ts.SyntaxKind.QuestionQuestionToken) {
    const nullish = left.primitive ? left.primitive.value === null || left.primitive.value === undefined : left.truthy ? false : undefined;
    if (nullish !== undefined) return nullish ? replaceExpression(source, node, node.right) : [replace(node, values.marker(left))];
  }
  // `x && flag` is `x` only where just truthiness counts (a condition), not where the value is used.
  const right = truthiness(node.right);
  if (right === undefined) return null;
  // `x && true && y` is `(x && true) && y`, which is `x && y` whatever the values: wherever x is truthy, both answer y.
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken && right && leftOfAnd(node)) return replaceExpression(source, node, node.left);
  if (!inCondition(node)) return null;
  if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return right ? replaceExpression(source, node, node.left) : isPure(node.left) ? [replace(node, values.marker(FALSE))] : null;
  if (operator === ts.SyntaxKind.BarBarToken) return right ? (isPure(node.left) ? [replace(node, values.marker(TRUE))] : null) : replaceExpression(source, node, node.left);
  return null;
}

/** `flag === 'blue'`, `'blue' !== flag`, `flag == null`: folded when both sides are known primitives. */
function comparison(node: TS.BinaryExpression): boolean | undefined {
  const operator = node.operatorToken.kind;
  const strict = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsEqualsToken;
  const loose = operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
  if (!strict && !loose) return undefined;
  const a = values.valueOf(node.left);
  const b = values.valueOf(node.right);
  if (!a && !b) return undefined;
  const left = a?.primitive ?? literal(node.left);
  const right = b?.primitive ?? literal(node.right);
  if (!left || !right) return undefined;
  let equal: boolean;
  if (strict) equal = left.value === right.value;
  else if ((left.value === null || left.value === undefined) && (right.value === null || right.value === undefined)) equal = true;
  else if (typeof left.value === typeof right.value) equal = left.value === right.value;
  // `'1' == 1` converts: left as written.
  else return undefined;
  const negated = operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken;
  return negated ? !equal : equal;
}

/** A literal the author wrote, as a primitive value. */
function literal(node: TS.Expression): { value: string | number | boolean | null | undefined } | undefined {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  if (ts.isStringLiteralLike(node)) return { value: node.text };
  if (ts.isNumericLiteral(node)) return { value: Number(node.text) };
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { value: true };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { value: false };
  if (node.kind === ts.SyntaxKind.NullKeyword) return { value: null };
  if (ts.isIdentifier(node) && node.text === 'undefined') return { value: undefined };
  return undefined;
}

/** `payload?.value.length` where `payload` is null or undefined: the whole chain is undefined. */
function shortCircuitedChain(node: TS.Node): TS.Expression | undefined {
  if (!(ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) || !node.questionDotToken) return undefined;
  const value = values.valueOf(node.expression)?.primitive;
  if (!value || (value.value !== null && value.value !== undefined)) return undefined;
  let chain: TS.Expression = node;
  while (ts.isOptionalChain(chain.parent) && (chain.parent as TS.PropertyAccessExpression).expression === chain) chain = chain.parent as TS.Expression;
  return chain;
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
    if (inner.kind === ts.SyntaxKind.NullKeyword || rendersNothing(values.valueOf(inner)) || (ts.isIdentifier(inner) && inner.text === 'undefined')) return [removal(source.text, container.getStart(), container.getEnd())];
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
  if (!ts.isBlock(chosen)) return inPlaceOf(source, node, [chosen], chosen.getText(source));
  const spliced = declaresClashingNames(source, node, chosen.statements) || hasMultilineTemplate(chosen) ? chosen.getText(source) : reindented(source, node, source.text.slice(chosen.getStart(source) + 1, chosen.getEnd() - 1));
  return inPlaceOf(source, node, chosen.statements, spliced);
}

/**
 * `switch (flag)` on a known value: the statements of the matching case (or `default`), through
 * its fall-through, without the `break` that ends them. Left alone when a case label is not a
 * literal, or a `break` other than the last one leaves the switch.
 */
function rewriteSwitch(source: TS.SourceFile, node: TS.SwitchStatement, value: string | number | boolean | null | undefined): TextEdit[] | null {
  const clauses = node.caseBlock.clauses;
  const labels = clauses.map((clause) => (ts.isCaseClause(clause) ? literal(clause.expression) : undefined));
  if (clauses.some((clause, i) => ts.isCaseClause(clause) && !labels[i])) return null;
  let index = labels.findIndex((label) => label && label.value === value);
  if (index < 0) index = clauses.findIndex((clause) => ts.isDefaultClause(clause));
  if (index < 0) return [removal(source.text, node.getStart(), node.getEnd())];
  const statements: TS.Statement[] = [];
  for (const clause of clauses.slice(index)) {
    const own = clause.statements.length === 1 && ts.isBlock(clause.statements[0]) ? clause.statements[0].statements : clause.statements;
    statements.push(...own);
    const last = own[own.length - 1];
    if (last && (ts.isBreakStatement(last) || ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isContinueStatement(last))) break;
  }
  const last = statements[statements.length - 1];
  if (last && ts.isBreakStatement(last) && !last.label) statements.pop();
  if (statements.some(breaksOut) || !isStatementList(node.parent) || !startsLine(source.text, node.getStart())) return null;
  if (statements.length === 0) return [removal(source.text, node.getStart(), node.getEnd())];
  if (declaresClashingNames(source, node, statements) || statements.some(hasMultilineTemplate)) return null;
  return inPlaceOf(source, node, statements, reindented(source, node, source.text.slice(statements[0].getFullStart(), statements[statements.length - 1].getEnd())));
}

/** A `break` that would leave the switch (not one of a loop or switch inside it). */
function breaksOut(node: TS.Node): boolean {
  if (ts.isBreakStatement(node)) return !node.label;
  if (ts.isIterationStatement(node, false) || ts.isSwitchStatement(node) || ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  return ts.forEachChild(node, breaksOut) ?? false;
}

/** Statements in place of an `if` or `switch`, and the code an early return or throw leaves unreachable removed. */
function inPlaceOf(source: TS.SourceFile, node: TS.Statement, statements: readonly TS.Statement[], text: string): TextEdit[] {
  const edits: TextEdit[] = [{ start: node.getStart(), end: node.getEnd(), text }];
  const last = statements[statements.length - 1];
  if (last && (ts.isReturnStatement(last) || ts.isThrowStatement(last))) {
    const siblings = (node.parent as TS.Block).statements;
    for (const sibling of siblings.slice(siblings.indexOf(node) + 1)) {
      // Function declarations are hoisted: code above may still call them.
      if (!ts.isFunctionDeclaration(sibling)) edits.push(removal(source.text, sibling.getStart(), sibling.getEnd()));
    }
  }
  return edits;
}

/** Lines of code re-indented to stand where `node` stands. */
function reindented(source: TS.SourceFile, node: TS.Node, inner: string): string {
  const text = source.text;
  const lines = inner.split(/\r?\n/);
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const depth = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  const indent = indentAt(text, node.getStart());
  const eol = new SourceDocument(source.fileName, text).eol;
  return lines.map((line, i) => (line.trim() === '' ? '' : `${i === 0 ? '' : indent}${line.slice(depth)}`)).join(eol);
}

/** Names the statements declare that the statements around `node` declare or use as well. */
function declaresClashingNames(source: TS.SourceFile, node: TS.Statement, statements: readonly TS.Statement[]): boolean {
  const declared = new Set<string>();
  for (const statement of statements) {
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
function inlineConstant(source: TS.SourceFile, declaration: TS.VariableDeclaration, value: FlagValue): TextEdit[] | null {
  const reads = readsOf(declaration);
  if (!reads) return null;
  const marker = values.marker(value);
  const edits = reads.map((read) => (ts.isShorthandPropertyAssignment(read.parent) ? replace(read.parent, `${read.text}: ${marker}`) : replace(read, marker)));
  return [...edits, declarationRemoval(source, declaration)];
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

/** Whether the expression is the left operand of an `&&`: `(x && true) && y`. */
function leftOfAnd(node: TS.Expression): boolean {
  let child: TS.Node = node;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent)) [child, parent] = [parent, parent.parent];
  return ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && parent.left === child;
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

function replace(node: TS.Node, text: string): TextEdit {
  return { start: node.getStart(), end: node.getEnd(), text };
}
