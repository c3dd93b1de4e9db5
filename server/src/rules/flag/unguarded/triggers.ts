import type * as TS from 'typescript';
import { squash } from '../../../engine/syntaxDiff';
import { typescript } from '../detect/typescriptModule';
import { conditionAtoms } from './behaviour';
import type { Feature } from './features';
import { matchOfArm, unwrap } from './symbols';

let ts: typeof TS;

/**
 * Two features in one function: the changes of one function that existed are one finding, unless
 * they run on independent conditions. Each change's trigger is what must hold for it to run inside
 * the function: the tests of the `if`s, ternaries, `&&`s, `case`s and pattern-match arms around it
 * and its own. Two changes are one feature when one trigger holds the other (a new branch and a
 * branch nested in it, two arms on the same new status, a change that runs whatever happens). Only
 * a function whose changes are all branches and calls splits (a component's new element, a new
 * registration, stands for all the changes of its function): a new filter option and a new status
 * arm of one query function, Alt opening an eyedropper and a tool's shortcut cycling its colour in
 * one key handler.
 */
export function splitByTrigger(changes: Feature[], group: TS.Node): Feature[][] {
  ts ??= typescript();
  if (changes.length < 2 || changes.some((change) => change.kind !== 'branch' && change.kind !== 'call')) return [changes];
  const triggers = changes.map((change) => triggerOf(change.node, group));
  // Union of changes whose triggers are comparable (one holds the other), followed transitively.
  const parent = changes.map((_, index) => index);
  const find = (index: number): number => (parent[index] === index ? index : (parent[index] = find(parent[index])));
  for (let a = 0; a < changes.length; a++) {
    for (let b = a + 1; b < changes.length; b++) if (holds(triggers[a], triggers[b]) || holds(triggers[b], triggers[a])) parent[find(a)] = find(b);
  }
  const parts = new Map<number, Feature[]>();
  changes.forEach((change, index) => parts.set(find(index), [...(parts.get(find(index)) ?? []), change]));
  // A part is a feature of its own when it acts: a new call, or a branch whose body calls something.
  // The others (a value chosen by a ternary, a cache's early return) are plumbing of the function's
  // first feature.
  const [first, ...others] = [...parts.values()].filter((part) => part.some(acts));
  if (!first || others.length === 0) return [changes];
  const plumbing = [...parts.values()].filter((part) => !part.some(acts)).flat();
  return [[...first, ...plumbing], ...others];
}

function acts(change: Feature): boolean {
  if (change.kind === 'call') return true;
  const node = change.node;
  const body = ts.isIfStatement(node) ? [node.thenStatement] : ts.isCaseClause(node) ? [...node.statements] : ts.isCallExpression(node) && armTest(node) ? [armBody(node)] : [];
  return body.some(containsCall);
}

/** What an arm runs: its handler's body (`() => q.where(…)`), or the value it answers. */
export function armBody(arm: TS.CallExpression): TS.Node {
  ts ??= typescript();
  const handler = unwrap(arm.arguments[arm.arguments.length - 1]);
  return ts.isArrowFunction(handler) || ts.isFunctionExpression(handler) ? handler.body : handler;
}

function containsCall(node: TS.Node): boolean {
  return ts.isCallExpression(node) || ts.isNewExpression(node) || (!ts.isFunctionLike(node) && !!ts.forEachChild(node, (child) => containsCall(child) || undefined));
}

function holds(outer: Set<string>, inner: Set<string>): boolean {
  return [...inner].every((atom) => outer.has(atom));
}

/** What must hold for a change to run inside its group, as condition atoms (`!` for the other branch). */
function triggerOf(node: TS.Node, group: TS.Node): Set<string> {
  const atoms = new Set<string>();
  const add = (condition: TS.Expression, negated: boolean) => {
    for (const atom of conditionAtoms(condition)) atoms.add(negated ? `!${atom}` : atom);
  };
  // The change's own test.
  if (ts.isIfStatement(node)) add(node.expression, false);
  else if (ts.isConditionalExpression(node)) add(node.condition, false);
  else if (ts.isCaseClause(node)) atoms.add(`${squash(node.parent.parent.expression.getText())}===${squash(node.expression.getText())}`);
  else if (ts.isCallExpression(node)) {
    const arm = armTest(node);
    if (arm) atoms.add(arm);
  }
  for (let child = node, current = node.parent; current && current !== group; child = current, current = current.parent) {
    if (ts.isIfStatement(current) && child !== current.expression) add(current.expression, child === current.elseStatement);
    else if (ts.isConditionalExpression(current) && child !== current.condition) add(current.condition, child === current.whenFalse);
    else if (ts.isBinaryExpression(current) && child === current.right && current.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) add(current.left, false);
    else if (ts.isBinaryExpression(current) && child === current.right && current.operatorToken.kind === ts.SyntaxKind.BarBarToken) add(current.left, true);
    else if (ts.isCaseClause(current) && child !== current.expression) atoms.add(`${squash(current.parent.parent.expression.getText())}===${squash(current.expression.getText())}`);
    else if (ts.isCallExpression(current)) {
      const arm = matchArm(current, child);
      if (arm) atoms.add(arm);
    }
  }
  return atoms;
}

/**
 * A pattern-match arm (ts-pattern's `match(status).with(Status.EXPIRED, () => …)`) holding a
 * change in its handler: `status===Status.EXPIRED`.
 */
function matchArm(call: TS.CallExpression, child: TS.Node): string | undefined {
  return call.arguments.indexOf(child as TS.Expression) >= 1 ? armTest(call) : undefined;
}

/**
 * The test of a pattern-match arm, `status===Status.EXPIRED` for `.with(Status.EXPIRED, handler)`,
 * on a chain that starts at `match(…)`; undefined for any other call.
 */
export function armTest(call: TS.CallExpression): string | undefined {
  const root = matchOfArm(call);
  if (!root) return undefined;
  const patterns = call.arguments.slice(0, -1).map((pattern) => squash(pattern.getText()));
  return `${squash(root.arguments[0].getText())}===${patterns.join('|')}`;
}
