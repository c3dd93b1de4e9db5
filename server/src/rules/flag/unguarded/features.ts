import type * as TS from 'typescript';
import { typescript } from '../detect/typescriptModule';
import { behaviourChange, groupOf, type ChangeContext } from './behaviour';
import { entryPoint, tsRestHandlers } from './entryPoints';
import { splitByTrigger } from './triggers';

/**
 * What counts as a feature in TS/JS, by syntax tree. Entry points (routes, handlers, jobs,
 * commands, pages) are where new behaviour is reached from outside; new elements, branches, calls
 * and registrations are new behaviour inside code that existed. The policy is documented in
 * docs/rules/flag/unguarded-feature.md.
 */
export type FeatureKind = 'route' | 'handler' | 'job' | 'command' | 'page' | 'jsx' | 'field' | 'branch' | 'call' | 'registration';

export interface Feature {
  kind: FeatureKind;
  /** The node the feature is. */
  node: TS.Node;
  /** Where the finding goes (the route path, the handler's name, the element's tag). */
  anchor: TS.Node;
  /** `route POST /refunds`, `<RefundButton>`: how the message names it. */
  label: string;
  /** The function that handles the entry point or that a new call runs, when there is one (a guard at its top counts). */
  handler?: TS.FunctionLikeDeclaration;
  /**
   * The other changes of the unit this change stands for, in the order they would stand for it:
   * a flag around this one says nothing of them, so the first unguarded one is reported instead.
   */
  alternatives?: Feature[];
}

export interface EntryPointPatterns {
  routeMethods: string[];
  /** Calls that schedule or consume work: `cron.schedule`, `queue.process`, matched at the end of the callee. */
  jobCalls: string[];
  jobConstructors: string[];
  commandCalls: string[];
}

export const DEFAULT_ENTRY_POINTS: EntryPointPatterns = {
  routeMethods: ['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head'],
  jobCalls: ['cron.schedule', 'schedule.scheduleJob', 'agenda.define', 'agenda.every', 'queue.process', 'consumer.run'],
  jobConstructors: ['CronJob', 'Worker'],
  commandCalls: ['command'],
};

export const ENTRY_KINDS: ReadonlySet<FeatureKind> = new Set(['route', 'handler', 'job', 'command', 'page']);

let ts: typeof TS;

/**
 * The features a file's new code adds, one per feature: what lies inside a new entry point is part
 * of it; of the changes inside one function that existed, the first stands for them all (a new
 * column and the branch that fills it are one change of that component), unless they are branches
 * and calls running on independent conditions (two features, see `splitByTrigger`).
 */
export function findFeatures(context: ChangeContext): Feature[] {
  ts ??= typescript();
  const entries: Feature[] = [];
  const changes: Feature[] = [];
  const visit = (node: TS.Node): void => {
    const entry = entryPoint(node, context);
    if (entry && context.isNew(entry.node) && !isStub(entry.handler)) entries.push(entry);
    for (const handler of tsRestHandlers(node, context)) if (context.isNew(handler.node)) entries.push(handler);
    if (!context.entryPointsOnly) {
      const change = behaviourChange(node, context);
      if (change) changes.push(change);
    }
    // A feature is a new node: a change, or an entry point, which is the node found or its parent (a
    // tRPC procedure is the property holding the call). Under a subtree the diff paired whole, none is.
    if (context.diff.newNodes(node) > 0) ts.forEachChild(node, visit);
  };
  visit(context.source);
  const within = (inner: TS.Node, outer: TS.Node) => ownStart(outer) <= inner.getStart() && inner.getEnd() <= outer.getEnd();
  const reported = entries.filter((entry) => !entries.some((other) => other !== entry && other.node !== entry.node && within(entry.node, other.node) && other.kind !== 'page'));
  // One finding per unit of code that existed (a component with its closures, a class method, a
  // handler registered at the top of a module): the changes in it are one change of it. A
  // component the branch wrote, rendered here (a new dialog), stands for them; else an element a
  // user sees, or a form field described as data; else the first change that runs code the branch wrote (the branch that sets a new
  // cursor, not the value computed for it before); else the first change. The others follow it as
  // alternatives: a flag or gate around the first says nothing of them.
  const rank = (feature: Feature) => {
    if (feature.kind === 'jsx') return context.newFunctions.isWritten(feature.anchor.getText().split('.')[0], feature.node) ? 0 : 1;
    if (feature.kind === 'field') return 1;
    return feature.kind === 'call' || (feature.kind === 'branch' && callsWritten(feature.node, context)) ? 2 : 3;
  };
  const byGroup = new Map<TS.Node, Feature[]>();
  for (const change of changes) {
    // A change inside a new entry point is part of it; a new branch around one (a job registered
    // under `if (prod)`) has the entry point as its feature.
    if (reported.some((entry) => within(change.node, entry.node) || (entry.handler && within(change.node, entry.handler)) || within(entry.node, change.node))) continue;
    const group = groupOf(change.node, context);
    byGroup.set(group, [...(byGroup.get(group) ?? []), change]);
  }
  // Changes on independent conditions (a new filter option, a new status arm) are features of
  // their own, each standing for the changes on its condition.
  for (const [group, changesOfGroup] of byGroup) {
    for (const part of splitByTrigger(changesOfGroup, group)) {
      const [best, ...others] = part.sort((a, b) => rank(a) - rank(b) || a.node.getStart() - b.node.getStart());
      reported.push(others.length ? { ...best, alternatives: others } : best);
    }
  }
  return reported.sort((a, b) => a.anchor.getStart() - b.anchor.getStart());
}

/** Whether code calls a function the branch wrote (here, or in a workspace module it changed). */
function callsWritten(node: TS.Node, context: ChangeContext): boolean {
  let found = false;
  const visit = (child: TS.Node): void => {
    if (found) return;
    if ((ts.isCallExpression(child) || ts.isNewExpression(child)) && context.newFunctions.written(child.expression, child)) found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** Calls a stub may make besides throwing: logging what it was asked. */
const LOGGING = /^(console|logger|log)$|\.(logger|log)$/;

/**
 * A handler that serves nothing: it ends by throwing, never returns or awaits, and calls nothing
 * but a logger on the way (an OpenAPI documentation stub throwing `NOT_IMPLEMENTED` while another
 * server answers the route). The route that does the work is the feature.
 */
export function isStub(handler: TS.FunctionLikeDeclaration | undefined): boolean {
  ts ??= typescript();
  const body = handler?.body;
  if (!body || !ts.isBlock(body)) return false;
  const last = body.statements[body.statements.length - 1];
  if (!last || !ts.isThrowStatement(last)) return false;
  let serves = false;
  const visit = (node: TS.Node): void => {
    if (serves || ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) || ts.isAwaitExpression(node)) serves = true;
    else if (ts.isCallExpression(node) && !(ts.isPropertyAccessExpression(node.expression) && LOGGING.test(node.expression.expression.getText()))) serves = true;
    else ts.forEachChild(node, visit);
  };
  body.statements.slice(0, -1).forEach(visit);
  return !serves;
}

/** Where a node's own code starts: a chained call (`new Hono().get(…).post(…)`) holds the links before it without owning them. */
function ownStart(node: TS.Node): number {
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) ? node.expression.name.getStart() : node.getStart();
}
