import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';
import type { ChangeContext } from './behaviour';
import { accessPath, isNullish, unwrap } from './symbols';

let ts: typeof TS;

/** A result's own flag that it holds a value: `parsed.success`, `result.ok`. */
const SUCCESS_FLAG = /^(success|ok|valid|isValid|isOk)$/;

/**
 * A value passed along only when it is there: `parsed.success ? parsed.data : null` (a stored
 * value that does not parse becomes nothing), `if (user.invitedBy) { data.invitedBy = present(user.invitedBy); }`
 * (an association serialised when it was loaded). What `?.` would say: handling a missing value,
 * not a feature; whatever loads, sets or shows the value is. The test is a bare value (no call, no
 * comparison); a ternary's other choice is nothing (`null`, `undefined`); an `if` only assigns
 * properties, without `else`; and what is passed is the value tested or under it (for a success
 * flag, under the result it belongs to: `parsed.data`), alone or converted by a function that
 * existed. An object built around it (`following ? { label: following.name } : null`) is new.
 */
export function passesAlong(node: TS.IfStatement | TS.ConditionalExpression, context: ChangeContext): boolean {
  ts ??= typescript();
  const tested = accessPath(unwrap(ts.isIfStatement(node) ? node.expression : node.condition));
  if (!tested) return false;
  const subject = tested.length > 1 && SUCCESS_FLAG.test(tested[tested.length - 1]) ? tested.slice(0, -1) : tested;
  // The value itself, or converted by a function that existed (`present(user.invitedBy)`), not something built around it.
  const passes = (value: TS.Expression): boolean => {
    const path = accessPath(unwrap(value));
    if (path) return path.length >= subject.length && subject.every((part, i) => path[i] === part);
    const call = unwrap(value);
    return ts.isCallExpression(call) && call.arguments.length === 1 && !context.newFunctions.written(call.expression, call) && passes(call.arguments[0]);
  };
  if (ts.isConditionalExpression(node)) {
    const [yes, no] = [unwrap(node.whenTrue), unwrap(node.whenFalse)];
    return isNullish(no) ? passes(yes) : isNullish(yes) && passes(no);
  }
  if (node.elseStatement) return false;
  const statements = ts.isBlock(node.thenStatement) ? [...node.thenStatement.statements] : [node.thenStatement];
  return (
    statements.length > 0 &&
    statements.every((s) => {
      const assignment = ts.isExpressionStatement(s) ? unwrap(s.expression) : undefined;
      return (
        !!assignment &&
        ts.isBinaryExpression(assignment) &&
        assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        (ts.isPropertyAccessExpression(assignment.left) || ts.isElementAccessExpression(assignment.left)) &&
        passes(assignment.right)
      );
    })
  );
}

/**
 * A branch that only puts into a list or set a value the condition found missing there:
 * `if (parsed.includes('EMAIL') && !parsed.includes('MAILER')) { parsed.push('MAILER'); }`,
 * `if (!seen.has(id)) seen.add(id)`. It keeps data consistent (an invariant other code keeps
 * too), whatever its other conditions; what reads the list acts on it, and is the feature.
 */
export function ensuresMember(node: TS.IfStatement): boolean {
  ts ??= typescript();
  if (node.elseStatement) return false;
  const statements = ts.isBlock(node.thenStatement) ? [...node.thenStatement.statements] : [node.thenStatement];
  const missing = missingMembers(node.expression);
  return (
    statements.length > 0 &&
    statements.every((s) => {
      const call = ts.isExpressionStatement(s) ? unwrap(s.expression) : undefined;
      if (!call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || !/^(push|add|unshift)$/.test(call.expression.name.text)) return false;
      const list = call.expression.expression.getText();
      return call.arguments.length > 0 && call.arguments.every((arg) => missing.has(`${list}#${unwrap(arg).getText()}`));
    })
  );
}

/** `list#value` for each `!list.includes(value)`, `!set.has(value)`, `list.indexOf(value) === -1` a condition holds (through `&&`). */
function missingMembers(condition: TS.Expression): Set<string> {
  const found = new Set<string>();
  const visit = (node: TS.Expression): void => {
    const value = unwrap(node);
    if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
      visit(value.left);
      visit(value.right);
      return;
    }
    const negated = ts.isPrefixUnaryExpression(value) && value.operator === ts.SyntaxKind.ExclamationToken ? unwrap(value.operand) : undefined;
    const notFound = ts.isBinaryExpression(value) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(value.operatorToken.kind) && value.right.getText() === '-1' ? unwrap(value.left) : undefined;
    const test = negated && ts.isCallExpression(negated) && ts.isPropertyAccessExpression(negated.expression) && /^(includes|has)$/.test(negated.expression.name.text) ? negated : notFound && ts.isCallExpression(notFound) && ts.isPropertyAccessExpression(notFound.expression) && notFound.expression.name.text === 'indexOf' ? notFound : undefined;
    if (test && test.arguments.length === 1) found.add(`${(test.expression as TS.PropertyAccessExpression).expression.getText()}#${unwrap(test.arguments[0]).getText()}`);
  };
  visit(condition);
  return found;
}

/**
 * A new call whose answer takes the name of a value the file's functions were handed by name at the
 * merge-base and are not any more (`const share = activeShare(context)` where a factory had
 * `({ share }: { share: Share })`): where the value comes from changed, not what is done with it.
 */
export function replacesHandedValue(node: TS.CallExpression | TS.NewExpression, context: ChangeContext): boolean {
  ts ??= typescript();
  const value = ts.isAwaitExpression(node.parent) ? node.parent : node;
  const declaration = value.parent;
  if (!context.base || !ts.isVariableDeclaration(declaration) || declaration.initializer !== value || !ts.isIdentifier(declaration.name)) return false;
  const name = declaration.name.text;
  return namedParameters(context.base).has(name) && !namedParameters(context.source).has(name);
}

/**
 * A branch that runs a callback only when the caller passes one, where the branch added that
 * callback as an optional parameter or option (`options?: { weight?: (item: T) => number }`, then
 * `weight ? items.sort((a, b) => weight(b) - weight(a)) : items`): the behaviour is the caller's,
 * like an element rendered only when a new prop is passed, and so is the feature. An option that
 * switches behaviour written here (`reverse?: boolean`) is not this.
 */
export function runsNewCallback(node: TS.IfStatement | TS.ConditionalExpression, context: ChangeContext): boolean {
  ts ??= typescript();
  const condition = unwrap(ts.isIfStatement(node) ? node.expression : node.condition);
  const runs = ts.isIfStatement(node) ? node.thenStatement : node.whenTrue;
  return ts.isIdentifier(condition) && calls(runs, condition.text) && isNewOptionalCallback(condition, context);
}

/** A name declared as an optional function parameter, or read from one's optional function-typed member (`options?.weight`, `{ weight }`), that the branch added. */
function isNewOptionalCallback(name: TS.Identifier, context: ChangeContext): boolean {
  const declaration = context.symbols.declarationOf(name.text, name);
  if (!declaration) return false;
  if (ts.isParameter(declaration) && ts.isIdentifier(declaration.name)) return !!declaration.questionToken && !!declaration.type && ts.isFunctionTypeNode(declaration.type) && context.isNew(declaration);
  let parameter: TS.Node | undefined = declaration;
  let member = name.text;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const path = accessPath(unwrap(declaration.initializer));
    if (path?.length !== 2) return false;
    parameter = context.symbols.declarationOf(path[0], declaration);
    member = path[1];
  } else if (ts.isParameter(declaration) && ts.isObjectBindingPattern(declaration.name)) {
    const element = declaration.name.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === name.text);
    member = element?.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : name.text;
  }
  const type = parameter && ts.isParameter(parameter) ? parameter.type : undefined;
  const signature = type && ts.isTypeLiteralNode(type) ? type.members.find((m) => ts.isPropertySignature(m) && !!m.name && ts.isIdentifier(m.name) && m.name.text === member) : undefined;
  return !!signature && ts.isPropertySignature(signature) && !!signature.questionToken && !!signature.type && ts.isFunctionTypeNode(signature.type) && context.isNew(signature);
}

/** Whether code calls a name: `weight(b)`, `weight?.(item)`. */
function calls(node: TS.Node, name: string): boolean {
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) return true;
  let found = false;
  ts.forEachChild(node, (child) => {
    found ||= calls(child, name);
  });
  return found;
}

const parameterNames = new WeakMap<TS.SourceFile, Set<string>>();

/** Names handed to the file's functions by name: properties of destructured parameters (`({ share, can })`). */
function namedParameters(source: TS.SourceFile): Set<string> {
  let names = parameterNames.get(source);
  if (names) return names;
  names = new Set<string>();
  const found = names;
  const collect = (pattern: TS.BindingName): void => {
    if (ts.isIdentifier(pattern)) return;
    for (const element of pattern.elements) {
      if (ts.isOmittedExpression(element)) continue;
      if (ts.isIdentifier(element.name) && ts.isObjectBindingPattern(pattern)) found.add(element.name.text);
      else collect(element.name);
    }
  };
  const visit = (node: TS.Node): void => {
    if (ts.isParameter(node)) collect(node.name);
    ts.forEachChild(node, visit);
  };
  visit(source);
  parameterNames.set(source, names);
  return names;
}

