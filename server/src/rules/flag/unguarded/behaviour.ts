import type * as TS from 'typescript';
import { canonicalTag, squash, type SyntaxDiff } from '../../../engine/syntaxDiff';
import { typescript } from '../detect/typescriptModule';
import type { EntryContext } from './entryPoints';
import type { Feature } from './features';
import type { NewFunctions } from './newFunctions';
import { ensuresMember, passesAlong, replacesHandedValue, runsNewCallback } from './plumbing';
import { accessPath, isNullish, matchOfArm, unwrap } from './symbols';
import { armBody } from './triggers';

let ts: typeof TS;

export interface ChangeContext extends EntryContext {
  diff: SyntaxDiff;
  /** The file at the merge-base (undefined: the branch adds it, so nothing in it is "existing code"). */
  base?: TS.SourceFile;
  /** New: nothing at the merge-base is this node, here or moved from another file of the branch. */
  isNew(node: TS.Node): boolean;
  /** How many nodes of a subtree are new in that sense. */
  newNodes(node: TS.Node): number;
  newFunctions: NewFunctions;
  /** Lines the branch removed anywhere, trimmed (a condition restated from another file). */
  removedLines: ReadonlySet<string>;
  /** Only entry points are features here (a published library). */
  entryPointsOnly: boolean;
  /** How many more elements of a component the branch renders than the merge-base did. */
  renderedMore(tag: string): number;
  /** The share of a subtree's names and literals the branch removed, here or in another file. */
  removedShare(node: TS.Node): number;
}

/** Hooks whose function computes a value rather than being a named function. */
const VALUE_HOOK = /^(useMemo|useState|useRef|useReducer|computed|lazy|createSelector)$/;
/** APIs that register a function to run on an event: a new listener is new behaviour. */
const LISTENER_CALL = /^(addEventListener|addListener|on|once|subscribe|listen|observe|setInterval|registerCommand|registerHandler|onDidChange\w*)$/;
/** A branch needs this many new nodes in its bodies to be new behaviour (a rewritten condition around old code has none). */
const MIN_NEW_NODES = 3;
/**
 * A branch this much made of names and literals the branch removed was moved or rewritten, not
 * written (new behaviour measured at most half; moved ones from 0.7 up, on replayed commits).
 */
const MOVED_SHARE = 0.7;
/** A function value in an object needs this many new nodes to be behaviour rather than a one-line adapter. */
const MIN_NEW_FUNCTION = 8;
/** Components that only render text (a changed or added sentence is not a feature). */
export const TEXT_COMPONENTS = new Set(['Trans', 'FormattedMessage', 'Translation', 'T', 'Text', 'Typography']);
/** Components that wire state rather than render anything a user sees: context providers, boundaries. */
export const PLUMBING_TAG = /(Provider|\.Provider|Consumer|Boundary|Portal|Suspense|Fragment)$/;
/** What shows while something loads: skeletons, spinners, placeholders. */
export const LOADING_TAG = /Skeleton|Spinner|Loader|Loading|Shimmer|Placeholder|Fallback/;
const LOADING_TEST = /(^|[^A-Za-z])(is)?(loading|Loading|pending|Pending|fetching|Fetching|isLoading|isPending|isFetching)/;
/**
 * Code that checks or repairs input, by its function's name: `validateEnvValues`, `getConfigValidationIssues`,
 * `isFieldEmpty`, `AreAnyConfigFieldsEmpty`, `repairBoundTextElementOrder` (restoring a scene puts malformed data right).
 */
const VALIDATION_NAME = /valid|Valid|check|Check|assert|Assert|ensure|Ensure|verify|Verify|sanitiz|Sanitiz|normali[sz]|Normali[sz]|repair|Repair|Issues|Errors|^(is|has|are|can|should|must)[A-Z]|^(Is|Has|Are|Can|Should)[A-Z]/;
/** Calls that report a problem with the input rather than do something: `ctx.addIssue`, `toast.error`, `setError`. */
const REPORTS_PROBLEM = /^(addIssue|setError|setErrors|setFieldError|toast|notify|notification|showError|showToast|showNotification|alert|reportError|captureException|console|logger|log|warn|error|debug|info|fail|reject|throwError)$/;
/** What a rejecting branch returns: `fail(…)`, `E.left(…)`, `err(…)`, `badRequest()`. */
const FAILURE_CALL = /^(fail|failure|failed|err|error|reject|left|invalid|badRequest|notFound|unauthorized|forbidden|unprocessable|conflict|redirect|abort|throwError|Err|Left|Failure)$/;

/**
 * A change in code that existed, when it is new behaviour a user can meet: a new component
 * element or a form field described as data, a new branch (an `if`, a `case`, a pattern-match arm,
 * a ternary), a call to a function the branch wrote, or behaviour registered as a value (a function
 * in an object, an element of a registry array).
 * Not features: code inside functions the branch added (the place that calls or renders them is the
 * feature), restyled, reworded or re-propped elements (the syntax diff matches them), rewritten
 * conditions, branches that only reject input, guard against missing values or pass a value along
 * only when it is there, branches putting into a list a value they found missing there, branches
 * running a callback the caller may now pass, calls whose answer
 * replaces a value the function was handed, loading
 * placeholders, text components, elements the branch only moved, and calls to predicates.
 */
export function behaviourChange(node: TS.Node, context: ChangeContext): Feature | undefined {
  ts ??= typescript();
  if (!context.base || !context.isNew(node)) return undefined;
  if (ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node)) return element(node, context);
  if (ts.isIfStatement(node)) return ifBranch(node, context);
  if (ts.isCaseClause(node)) return caseBranch(node, context);
  if (ts.isConditionalExpression(node)) return ternary(node, context);
  if (ts.isCallExpression(node) && matchOfArm(node)) return matchArm(node, context);
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) return call(node, context);
  if ((ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node)) && ts.isObjectLiteralExpression(node.parent)) return objectValue(node, context);
  if (ts.isArrayLiteralExpression(node.parent)) return ts.isObjectLiteralExpression(node) ? describedField(node, node.parent, context) : arrayElement(node as TS.Expression, node.parent, context);
  return undefined;
}

/**
 * The unit a change belongs to: the nearest named function, method, class member or top-level
 * component around it, or the module. Inline callbacks and local closures are part of the function
 * they are written in.
 */
function unitOf(node: TS.Node, context: Pick<ChangeContext, 'source'>): TS.Node {
  ts ??= typescript();
  for (let current = node.parent; current; current = current.parent) if (isUnit(current)) return current;
  return context.source;
}

/**
 * The unit a change is grouped in: the outermost unit under the module (a component with its
 * closures, a class method, a handler registered at the top of a module).
 */
export function groupOf(node: TS.Node, context: Pick<ChangeContext, 'source'>): TS.Node {
  let group: TS.Node = context.source;
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (isUnit(current)) group = current;
    if (ts.isClassLike(current)) break;
  }
  return group;
}

function isUnit(node: TS.Node): boolean {
  if (ts.isFunctionDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isClassStaticBlockDeclaration(node)) return true;
  // Class members; an object's methods are part of the code around the object.
  if ((ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) && ts.isClassLike(node.parent)) return true;
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  // Through wrappers: `export const Page = observer(() => …)`, `const onSave = useCallback(() => …)`;
  // a hook that computes a value (`useMemo`) is not a wrapper: its function is part of the code around it.
  let holder: TS.Node = node.parent;
  while (ts.isCallExpression(holder) || ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder)) {
    if (ts.isCallExpression(holder) && VALUE_HOOK.test((accessPath(unwrap(holder.expression)) ?? ['']).pop() ?? '')) return false;
    holder = holder.parent;
  }
  if (ts.isPropertyDeclaration(holder) || ts.isExportAssignment(holder) || ts.isVariableDeclaration(holder)) return true;
  // A handler registered at the top of a module: `router.post('x', auth(), async (ctx) => …)`.
  return ts.isExpressionStatement(holder) && ts.isSourceFile(holder.parent);
}

/**
 * In code that existed: its unit is old (or it is at the top of a module that existed), or was
 * extracted from old code (`const suggestUsers = async () => …` holding the query the handler ran
 * inline): what the branch adds inside it is a change of that code.
 */
function inExistingCode(node: TS.Node, context: ChangeContext): boolean {
  const unit = unitOf(node, context);
  if (ts.isSourceFile(unit) || !context.isNew(unit)) return true;
  const holder = ts.isArrowFunction(unit) || ts.isFunctionExpression(unit) ? unit.parent : unit;
  const name = ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name : ts.isFunctionDeclaration(unit) ? unit.name : undefined;
  return !!name && context.newFunctions.extracted(name.text, name);
}

function element(node: TS.JsxElement | TS.JsxSelfClosingElement, context: ChangeContext): Feature | undefined {
  const tagName = ts.isJsxElement(node) ? node.openingElement.tagName : node.tagName;
  const tag = tagName.getText(context.source);
  if (!isComponentElement(node, context) || !inExistingCode(node, context)) return undefined;
  const unit = unitOf(node, context);
  for (let current = node.parent; current && current !== unit; current = current.parent) {
    // The outermost new component is the feature; what it holds is part of it.
    if ((ts.isJsxElement(current) || ts.isJsxSelfClosingElement(current)) && context.isNew(current) && isComponentElement(current, context)) return undefined;
  }
  if (loadingState(node, unit) || optedInByNewProp(node, unit, context)) return undefined;
  // As many of it as before across the branch: it moved (out of a prop, into another component), it is not new.
  if (context.renderedMore(canonicalTag(node)) <= 0) return undefined;
  return { kind: 'jsx', node, anchor: tagName, label: `<${tag}>` };
}

/**
 * An element a user meets: a component (capitalised), not markup (`<div>`, `<motion.div>`, a
 * styled-components wrapper), not text (`<Trans>`), not plumbing (providers, boundaries), not a
 * loading placeholder, and not a component extracted from old code.
 */
function isComponentElement(node: TS.JsxElement | TS.JsxSelfClosingElement, context: ChangeContext): boolean {
  const tag = (ts.isJsxElement(node) ? node.openingElement.tagName : node.tagName).getText(context.source);
  const root = tag.split('.')[0];
  const last = tag.split('.').pop() ?? tag;
  if (!/^[A-Z]/.test(last) || TEXT_COMPONENTS.has(last) || LOADING_TAG.test(tag) || PLUMBING_TAG.test(tag)) return false;
  return !context.newFunctions.extracted(root, node) && !isStyledMarkup(root, node, context);
}

/** A component that is styled markup: `const Trailing = styled.div\`…\``, `styled(Flex)\`…\``, `tw.div`. */
function isStyledMarkup(name: string, at: TS.Node, context: ChangeContext): boolean {
  const declaration = context.symbols.declarationOf(name, at);
  const value = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
  if (!value) return false;
  const tag = ts.isTaggedTemplateExpression(value) ? value.tag : ts.isCallExpression(value) ? value.expression : undefined;
  let root = tag;
  while (root && (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root))) root = ts.isPropertyAccessExpression(root) ? root.expression : root.expression;
  return !!root && ts.isIdentifier(root) && /^(styled|css|tw|classed|cva)$/.test(root.text);
}

function ifBranch(node: TS.IfStatement, context: ChangeContext): Feature | undefined {
  // A new `else if` on a new `if`: the chain is one branch.
  if (ts.isIfStatement(node.parent) && node.parent.elseStatement === node && context.isNew(node.parent)) return undefined;
  if (!inExistingCode(node, context) || isDefensive(node.expression) || inValidation(node) || restated(node.expression, context) || moved(node, context) || passesAlong(node, context) || runsNewCallback(node, context) || returnsWhenPresent(node) || ensuresMember(node)) return undefined;
  const label = `branch if (${oneLine(node.expression, context.source)})`;
  if (!doesSomething([node.thenStatement])) {
    // A guard clause is hardening, unless it enforces a rule the branch adds (a new limit, a new
    // option): `if (reminderCount >= MAX_REMINDERS) return null;` changes what happens next.
    return !node.elseStatement && readsNewDeclaration(node.expression, context) && !rejectsInput([node.thenStatement]) ? { kind: 'branch', node, anchor: node.expression, label } : undefined;
  }
  const bodies = [node.thenStatement, ...(node.elseStatement && !ts.isIfStatement(node.elseStatement) ? [node.elseStatement] : [])];
  if (!hasNewCode(bodies, context) || rejectsInput([node.thenStatement]) || choosesWording(node) || repeatsExisting(bodies, node, context)) return undefined;
  return { kind: 'branch', node, anchor: node.expression, label };
}

/**
 * Made of code the branch removed, here or from another file, with its receivers renamed
 * (`appState.followedBy.has(appState.userToFollow.socketId)` → `this.followedBy.has(userToFollow.socketId)`
 * as the state moved into another class): moved, not written.
 */
function moved(node: TS.Node, context: ChangeContext): boolean {
  return context.removedShare(node) >= MOVED_SHARE;
}

/** Whether a condition reads a name the branch declared: a new constant, parameter, property or import. */
function readsNewDeclaration(condition: TS.Expression, context: ChangeContext): boolean {
  let found = false;
  const visit = (node: TS.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const declaration = context.symbols.declarationOf(node.text, node);
      const binding = declaration && ts.isVariableDeclaration(declaration) && !ts.isIdentifier(declaration.name) ? bindingElement(declaration.name, node.text) : undefined;
      const imported = context.symbols.imports.has(node.text) ? importSpecifier(context.source, node.text) : undefined;
      const declared = binding ?? declaration ?? imported;
      if (declared && context.isNew(declared)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(condition);
  return found;
}

function bindingElement(pattern: TS.BindingName, name: string): TS.Node | undefined {
  if (ts.isIdentifier(pattern)) return pattern.text === name ? pattern : undefined;
  for (const element of pattern.elements) {
    if (ts.isOmittedExpression(element)) continue;
    const found = bindingElement(element.name, name);
    if (found) return ts.isIdentifier(element.name) ? element : found;
  }
  return undefined;
}

function importSpecifier(source: TS.SourceFile, name: string): TS.Node | undefined {
  for (const statement of source.statements) {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) if (element.name.text === name) return element;
  }
  return undefined;
}

function caseBranch(node: TS.CaseClause, context: ChangeContext): Feature | undefined {
  if (!inExistingCode(node, context) || !hasNewCode([...node.statements], context) || !doesSomething([...node.statements])) return undefined;
  if (rejectsInput([...node.statements]) || inValidation(node) || context.isNew(node.parent.parent) || moved(node, context)) return undefined;
  return { kind: 'branch', node, anchor: node.expression, label: `branch case ${oneLine(node.expression, context.source)}` };
}

/**
 * A new arm of a pattern match that existed (ts-pattern's `.with(Status.EXPIRED, () => q.where(…))`
 * added to `match(status)`): a new `case`. An arm that only answers data (a message, a constant,
 * an empty state's `{ title: msg\`…\`, icon: TimerOff }`) chooses presentation, like a ternary
 * choosing a label; one that runs something is a branch.
 */
function matchArm(node: TS.CallExpression, context: ChangeContext): Feature | undefined {
  if (context.isNew(matchOfArm(node)!) || !inExistingCode(node, context)) return undefined;
  const body = armBody(node);
  if (!hasNewCode([body], context) || !runsSomething(body) || inValidation(node) || moved(node, context)) return undefined;
  const pattern = node.arguments[0];
  return { kind: 'branch', node, anchor: pattern, label: `branch .with(${oneLine(pattern, context.source)})` };
}

/** Whether code calls something other than a translation (`t('…')`, `msg\`…\``): it acts, not only answers data. */
function runsSomething(node: TS.Node): boolean {
  if (ts.isCallExpression(node) && TEXT_CALL.test((accessPath(unwrap(node.expression)) ?? ['']).pop() ?? '')) return false;
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) return true;
  return !ts.isFunctionLike(node) && !!ts.forEachChild(node, (child) => runsSomething(child) || undefined);
}

function ternary(node: TS.ConditionalExpression, context: ChangeContext): Feature | undefined {
  const choices = [node.whenTrue, node.whenFalse].map(unwrap);
  // Choosing a class name, a label, a message (`n === 1 ? t('Link revoked') : t('{{ n }} links revoked')`),
  // a constant (`reset ? { count: 0 } : {}`) or a markup variant is presentation or data; a new
  // component in a choice is reported as an element.
  if (choices.every((c) => isConstant(c) || isText(c) || ts.isJsxElement(c) || ts.isJsxSelfClosingElement(c) || ts.isJsxFragment(c))) return undefined;
  if (insideJsxAttribute(node) || !inExistingCode(node, context) || !hasNewCode(choices, context)) return undefined;
  if (isDefensive(node.condition) || inValidation(node) || restated(node.condition, context) || moved(node, context) || passesAlong(node, context) || runsNewCallback(node, context)) return undefined;
  return { kind: 'branch', node, anchor: node.condition, label: `branch ${oneLine(node.condition, context.source)} ? …` };
}

function call(node: TS.CallExpression | TS.NewExpression, context: ChangeContext): Feature | undefined {
  const callee = node.expression;
  const target = context.newFunctions.written(callee, node);
  if (!target) return listener(node, context);
  if (!inExistingCode(node, context)) return undefined;
  const path = accessPath(unwrap(callee)) ?? [];
  const name = path[path.length - 1] ?? callee.getText(context.source);
  // A predicate (`isValidProxyUrl(x)`) or a check decides, it does nothing a user meets, unless
  // its answer is handed to an action (`classList.toggle('sticky', this.hasHeaderColumn(node))`);
  // error handling is hardening.
  if ((VALIDATION_NAME.test(name) && !handedToAction(node)) || inTest(node) || inDefensiveBranch(node)) return undefined;
  if (renamedLocalCall(node, context) || replacesHandedValue(node, context)) return undefined;
  const awaited = ts.isAwaitExpression(node.parent) ? node.parent : node;
  const statement = ts.isExpressionStatement(awaited.parent) ? awaited.parent : undefined;
  return {
    kind: 'call',
    node: statement ?? node,
    anchor: callee,
    label: ts.isNewExpression(node) ? `new ${name}()` : `call to ${name}()`,
    handler: context.newFunctions.functionOf(target),
  };
}

/**
 * A local helper renamed with the code around it: `updateMaxAvatars(wrapper.current.clientWidth)`
 * → `updateWrapperWidth(wrapper.current.clientWidth)`, the closure declared in the function that
 * calls it, and a line the branch removed calling another name with the same arguments. (A call
 * wrapping old code, `withWatermark(JSON.stringify(x))`, or of an imported helper, is new.)
 */
function renamedLocalCall(node: TS.CallExpression | TS.NewExpression, context: ChangeContext): boolean {
  const callee = node.expression;
  const args = (node.arguments ?? []).map((arg) => arg.getText(context.source)).join(', ');
  if (!ts.isIdentifier(callee) || !args || args.includes('\n')) return false;
  const declaration = context.symbols.declarationOf(callee.text, node);
  let local = false;
  for (let current = declaration?.parent; current && !ts.isSourceFile(current); current = current.parent) if (ts.isFunctionLike(current)) local = true;
  return local && [...context.removedLines].some((line) => line.includes(`(${args})`) && !line.includes(`${callee.text}(`));
}

/**
 * A predicate's answer passed straight to a call that acts on it (`classList.toggle(cls, has(x))`,
 * `setVisible(canEdit(doc))`), not to one that checks, reports or logs it (`assert`, `expect`,
 * `logger.info`).
 */
function handedToAction(node: TS.CallExpression | TS.NewExpression): boolean {
  const outer = node.parent;
  if (!ts.isCallExpression(outer) || !outer.arguments.includes(node as TS.Expression)) return false;
  const path = accessPath(unwrap(outer.expression)) ?? [];
  const last = path[path.length - 1] ?? '';
  return !!last && !VALIDATION_NAME.test(last) && !REPORTS_PROBLEM.test(last) && !REPORTS_PROBLEM.test(path[0] ?? '') && !/^(expect|assert|invariant|ok|equal|deepEqual|strictEqual)$/.test(last);
}

/** `window.addEventListener('keydown', onKeyDown)` with a function the branch wrote: a new listener. */
function listener(node: TS.CallExpression | TS.NewExpression, context: ChangeContext): Feature | undefined {
  const path = accessPath(unwrap(node.expression)) ?? [];
  if (!ts.isCallExpression(node) || !LISTENER_CALL.test(path[path.length - 1] ?? '') || !inExistingCode(node, context)) return undefined;
  const handler = node.arguments.find((arg) => {
    const value = unwrap(arg);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return context.newNodes(value) >= MIN_NEW_FUNCTION;
    return ts.isIdentifier(value) && !!context.newFunctions.written(value, node);
  });
  if (!handler) return undefined;
  const event = node.arguments[0] && ts.isStringLiteralLike(node.arguments[0]) ? ` for "${node.arguments[0].text}"` : '';
  return { kind: 'registration', node, anchor: node.expression, label: `listener${event}` };
}

/** A function the branch put into an object that existed: a platform method, a handler in a map, a strategy. */
function objectValue(node: TS.PropertyAssignment | TS.MethodDeclaration, context: ChangeContext): Feature | undefined {
  const value = ts.isMethodDeclaration(node) ? node : unwrap(node.initializer);
  if (!ts.isMethodDeclaration(value) && !ts.isArrowFunction(value) && !ts.isFunctionExpression(value)) return undefined;
  if (context.newNodes(value) < MIN_NEW_FUNCTION || context.isNew(node.parent) || insideJsxAttribute(node) || !inExistingCode(node.parent, context)) return undefined;
  const name = node.name.getText(context.source);
  if (VALIDATION_NAME.test(name) || isHookArgument(node.parent)) return undefined;
  return { kind: 'registration', node, anchor: node.name, label: `function ${name} in an existing object` };
}

/**
 * A new element of a registry array that existed: `[…, MentionMenuExtension]`, `[…, new StripeProvider()]`.
 * Not a table of data joining a list of tables (`ALL_CONFIGS = [MAIL_CONFIGS, …, PROXY_URL_CONFIGS]`):
 * a constant named in capitals, or one this file declares as an array or object literal, is data the
 * code that reads the list acts on, not behaviour of its own.
 */
function arrayElement(node: TS.Expression, array: TS.ArrayLiteralExpression, context: ChangeContext): Feature | undefined {
  const registered = (element: TS.Expression) => (ts.isIdentifier(element) && /^[A-Z]/.test(element.text) && !isDataConstant(element, context)) || ((ts.isNewExpression(element) || ts.isCallExpression(element)) && ts.isIdentifier(element.expression) && /^[A-Z]/.test(element.expression.text));
  if (!registered(node) || context.isNew(array) || isHookArgument(array) || insideJsxAttribute(array) || insideDecorator(array)) return undefined;
  const others = array.elements.filter((e) => e !== node && !context.isNew(e));
  if (others.length < 2 || others.filter(registered).length * 2 < others.length || !inExistingCode(array, context)) return undefined;
  return { kind: 'registration', node, anchor: node, label: `${oneLine(node, context.source)} registered` };
}

/** What a user reads of a field or an item described as data. */
const SHOWN_AS = /^(label|title|text|placeholder)$/;

/**
 * A new field of a form or a menu described as data, in a list of such fields that existed, and
 * bound to state the branch wrote: `{ id: 'tokenType', label: 'Token Type', type: 'dropdown', ref: tokenType }`
 * among a grant type's form fields, where `tokenType` is new. What a user meets, like an element
 * (and so it stands for the other changes of its function before a call); a row of a data table,
 * bound to nothing new, is data.
 */
function describedField(node: TS.ObjectLiteralExpression, array: TS.ArrayLiteralExpression, context: ChangeContext): Feature | undefined {
  const shown = (object: TS.Expression) => (ts.isObjectLiteralExpression(object) ? object.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && SHOWN_AS.test(p.name.getText(context.source)) && isText(p.initializer)) : undefined);
  const label = shown(node);
  if (!label || context.isNew(array) || isHookArgument(array) || insideJsxAttribute(array) || !inExistingCode(array, context)) return undefined;
  // Other fields of the list, beside lists spread into it (`...pkceFields.value`).
  const others = array.elements.filter((e) => e !== node && !context.isNew(e) && !ts.isSpreadElement(e));
  if (others.length === 0 || !others.every((e) => !!shown(unwrap(e)))) return undefined;
  const bound = node.properties.some((p) => {
    const value = ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) ? unwrap(p.initializer) : undefined;
    const declaration = value && ts.isIdentifier(value) ? context.symbols.declarationOf(value.text, value) : undefined;
    return !!declaration && !ts.isParameter(declaration) && context.isNew(declaration);
  });
  if (!bound) return undefined;
  return { kind: 'field', node, anchor: label, label: `field ${oneLine(label.initializer, context.source)}` };
}

/** `MAIL_CONFIGS`, or `const Defaults = [ … ]` / `{ … }` here: a table of data, not a registrable component or class. */
function isDataConstant(name: TS.Identifier, context: ChangeContext): boolean {
  if (/^[A-Z][A-Z0-9_]+$/.test(name.text)) return true;
  const declaration = context.symbols.declarationOf(name.text, name);
  const value = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
  return !!value && (ts.isArrayLiteralExpression(value) || ts.isObjectLiteralExpression(value));
}

function hasNewCode(bodies: TS.Node[], context: ChangeContext): boolean {
  return bodies.reduce((sum, body) => sum + context.newNodes(body), 0) >= MIN_NEW_NODES;
}

/** More than a guard clause (a bare return, throw, break or continue) or logging. */
function doesSomething(body: TS.Statement[]): boolean {
  const statements = body.flatMap((statement) => (ts.isBlock(statement) ? [...statement.statements] : [statement]));
  return statements.some((s) => {
    if (ts.isThrowStatement(s) || ts.isBreakStatement(s) || ts.isContinueStatement(s)) return false;
    if (ts.isReturnStatement(s)) return !!s.expression && !ts.isIdentifier(s.expression) && s.expression.kind !== ts.SyntaxKind.NullKeyword;
    if (ts.isExpressionStatement(s) && /^(console|logger|log|debug)\b/.test(s.expression.getText())) return false;
    return true;
  });
}

/**
 * A branch whose every statement the function already ran at the merge-base, word for word
 * (`if (colorChanged) { this.cursor.applyForTool(); }` beside the old `if (toolChanged) { this.cursor.applyForTool(); }`):
 * a new moment to refresh what exists, not new behaviour. What it refreshes is the feature.
 */
function repeatsExisting(body: TS.Statement[], at: TS.Node, context: ChangeContext): boolean {
  let fn: TS.Node | undefined = at.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  const old = fn && context.diff.counterpart(fn);
  if (!old) return false;
  const known = new Set<string>();
  const collect = (node: TS.Node): void => {
    if (ts.isExpressionStatement(node)) known.add(squash(node.getText(context.base)));
    ts.forEachChild(node, collect);
  };
  collect(old);
  const statements = body.flatMap((statement) => (ts.isBlock(statement) ? [...statement.statements] : [statement]));
  return statements.length > 0 && statements.every((s) => ts.isExpressionStatement(s) && known.has(squash(s.getText(context.source))));
}

/** Calls that translate or format text: `t('key')`, `_(msg\`…\`)`, `i18n.t(…)`, `intl.formatMessage(…)`. */
const TEXT_CALL = /^(t|_|translate|formatMessage|msg|defineMessage)$/;

/**
 * A branch that only chooses wording: it returns text (literals, templates, translated messages,
 * objects of them) after naming values it reads (`const who = data.name || data.email`), where the
 * code would have returned text anyway (its `else`, or the `return` after it). Which sentence an
 * audit log shows is presentation, like a ternary choosing a label; a banner returned where there
 * was none (`return null` after it) is not.
 */
function choosesWording(node: TS.IfStatement): boolean {
  if (!onlyWording([node.thenStatement])) return false;
  if (node.elseStatement) return onlyWording([node.elseStatement]);
  const statements = ts.isBlock(node.parent) || ts.isSourceFile(node.parent) ? node.parent.statements : undefined;
  const next = statements?.[statements.indexOf(node) + 1];
  return !!next && ts.isReturnStatement(next) && !!next.expression && isText(next.expression);
}

function onlyWording(body: TS.Statement[]): boolean {
  const statements = body.flatMap((statement) => (ts.isBlock(statement) ? [...statement.statements] : [statement]));
  let returns = false;
  const wording = statements.every((s) => {
    if (ts.isReturnStatement(s)) return (returns = !!s.expression && isText(s.expression));
    if (ts.isVariableStatement(s)) return s.declarationList.declarations.every((d) => !d.initializer || !containsCall(d.initializer));
    if (ts.isIfStatement(s)) return onlyWording([s.thenStatement, ...(s.elseStatement ? [s.elseStatement] : [])]);
    return false;
  });
  return wording && returns;
}

function isText(node: TS.Expression): boolean {
  const value = unwrap(node);
  if (ts.isStringLiteralLike(value) || ts.isTemplateExpression(value) || ts.isTaggedTemplateExpression(value)) return true;
  if (ts.isObjectLiteralExpression(value)) return value.properties.length > 0 && value.properties.every((p) => ts.isPropertyAssignment(p) && isText(p.initializer));
  if (ts.isConditionalExpression(value)) return isText(value.whenTrue) && isText(value.whenFalse);
  if (ts.isCallExpression(value)) return TEXT_CALL.test((accessPath(unwrap(value.expression)) ?? ['']).pop() ?? '') && value.arguments.every((a) => !containsCall(a) || isText(a));
  return false;
}

function containsCall(node: TS.Node): boolean {
  let found = false;
  const visit = (child: TS.Node): void => {
    if (found) return;
    if (ts.isCallExpression(child) || ts.isNewExpression(child) || ts.isAwaitExpression(child)) found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** Inside `if (!value)` or `if (error)` in its function: error handling, not a feature. */
function inDefensiveBranch(node: TS.Node): boolean {
  for (let current = node.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (ts.isIfStatement(current) && isDefensive(current.expression)) return true;
  }
  return false;
}

/** Tests for missing values and errors guard against bad input: hardening, not a feature. */
function isDefensive(condition: TS.Expression): boolean {
  const text = condition.getText();
  return (
    (ts.isPrefixUnaryExpression(condition) && condition.operator === ts.SyntaxKind.ExclamationToken) ||
    /^(err|error|e|ex|exception)$/i.test(text) ||
    /[=!]==?\s*(null|undefined)\b|\binstanceof\s+\w*Error\b|^['"]error['"]\s+in\b|\.(error|errors)$/.test(text)
  );
}

/**
 * A branch that only rejects: it reports the problem (`ctx.addIssue`, a toast, `setError`, a log)
 * and leaves (`return fail(…)`, `return E.left(…)`, `throw`, `continue`), so the code after it never
 * runs on bad input. Validation, not a feature.
 */
function rejectsInput(body: TS.Statement[]): boolean {
  const statements = body.flatMap((statement) => (ts.isBlock(statement) ? [...statement.statements] : [statement]));
  let reported = false;
  const rejects = statements.every((s) => {
    if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) return true;
    if (ts.isThrowStatement(s)) return (reported = true);
    if (ts.isReturnStatement(s)) {
      if (!s.expression) return true;
      const value = unwrap(s.expression);
      if (isFailure(value)) reported ||= !isEmpty(value);
      return isFailure(value);
    }
    if (ts.isExpressionStatement(s)) {
      const expression = unwrap(s.expression);
      if (ts.isCallExpression(expression)) {
        const path = accessPath(unwrap(expression.expression)) ?? [];
        const last = path[path.length - 1] ?? '';
        // issues.push(…), errors.push(…)
        const reports = REPORTS_PROBLEM.test(last) || REPORTS_PROBLEM.test(path[0] ?? '') || (last === 'push' && /issue|error|problem|warning|invalid/i.test(path[path.length - 2] ?? ''));
        return reports && (reported = true);
      }
      // ctx.status = 400, res.statusCode = 422
      return ts.isBinaryExpression(expression) && /status/i.test(expression.left.getText()) && ts.isNumericLiteral(expression.right) && Number(expression.right.text) >= 400 && (reported = true);
    }
    return false;
  });
  // A bare `return null` says nothing about input; a rejection reports or fails.
  return statements.length > 0 && rejects && reported;
}

/**
 * A guard clause turned inside out: `if (token) { return E.right({ accessToken: token }); }` and the
 * function failing after it (`return E.left(…)`, `throw`), where `if (!token) return E.left(…)`
 * would stand first. A presence test that answers with the value or fails is validation.
 */
function returnsWhenPresent(node: TS.IfStatement): boolean {
  const tested = accessPath(unwrap(node.expression));
  const body = ts.isBlock(node.thenStatement) ? node.thenStatement.statements : [node.thenStatement];
  const only = body.length === 1 ? body[0] : undefined;
  if (!tested || node.elseStatement || !only || !ts.isReturnStatement(only) || !only.expression || !mentions(only.expression, tested.join('.'))) return false;
  // The code that runs when the test fails: the next statement of the nearest block that has one.
  for (let current: TS.Node = node; current.parent && !ts.isFunctionLike(current.parent); current = current.parent) {
    const block = current.parent;
    if (!ts.isBlock(block)) continue;
    const next = block.statements[block.statements.indexOf(current as TS.Statement) + 1];
    // A bare `return null` says nothing of input (a banner shown where there was none is new).
    if (next) return ts.isThrowStatement(next) || (ts.isReturnStatement(next) && !!next.expression && isFailure(unwrap(next.expression)) && !isEmpty(unwrap(next.expression)));
  }
  return false;
}

/** Whether code reads a dotted path (`token`, `user.token`). */
function mentions(node: TS.Node, path: string): boolean {
  if (ts.isExpression(node) && accessPath(node)?.join('.') === path) return true;
  let found = false;
  ts.forEachChild(node, (child) => {
    found ||= mentions(child, path);
  });
  return found;
}

function isEmpty(value: TS.Expression): boolean {
  return value.kind === ts.SyntaxKind.FalseKeyword || isNullish(value);
}

function isFailure(value: TS.Expression): boolean {
  if (isEmpty(value)) return true;
  if (ts.isNewExpression(value) && /Error$/.test(value.expression.getText())) return true;
  if (ts.isCallExpression(value)) {
    const path = accessPath(unwrap(value.expression)) ?? [];
    if (FAILURE_CALL.test(path[path.length - 1] ?? '')) return true;
    // res.status(400).json(…), reply.code(422).send(…)
    return /\b(status|code)\(\s*[45]\d\d\s*\)/.test(value.getText());
  }
  if (ts.isObjectLiteralExpression(value)) {
    return value.properties.some((p) => ts.isPropertyAssignment(p) && ((/^(success|ok|valid)$/.test(p.name.getText()) && p.initializer.kind === ts.SyntaxKind.FalseKeyword) || /^(error|errors)$/.test(p.name.getText())));
  }
  return false;
}

/** Inside a function that checks input (by its name), or a schema refinement (`.superRefine((v, ctx) => …)`). */
function inValidation(node: TS.Node): boolean {
  let nearest = true;
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isFunctionLike(current)) continue;
    const name = functionName(current);
    if (name && VALIDATION_NAME.test(name)) return true;
    if (nearest && name && isPredicate(current)) return true;
    nearest = false;
    const call = current.parent;
    if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && /^(refine|superRefine|check|validate|transform)$/.test(call.expression.name.text)) return true;
  }
  return false;
}

/**
 * A named function that only answers yes or no (`allElementsInSameGroup`: every return is `true`,
 * `false`, a comparison, a negation or a logical combination of them): a predicate, whatever its
 * name. It decides, the code that asks it acts.
 */
function isPredicate(fn: TS.SignatureDeclaration): boolean {
  const body = (fn as { body?: TS.Node }).body;
  if (!body || !ts.isBlock(body)) return false;
  let returns = 0;
  let other = false;
  const visit = (node: TS.Node): void => {
    if (other || ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node)) {
      if (node.expression && isBooleanExpression(node.expression)) returns++;
      else other = true;
    } else ts.forEachChild(node, visit);
  };
  body.statements.forEach(visit);
  return returns > 0 && !other;
}

function isBooleanExpression(node: TS.Expression): boolean {
  const value = unwrap(node);
  if (value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (ts.isPrefixUnaryExpression(value)) return value.operator === ts.SyntaxKind.ExclamationToken;
  if (!ts.isBinaryExpression(value)) return false;
  const kind = value.operatorToken.kind;
  if (kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken) return isBooleanExpression(value.left) && isBooleanExpression(value.right);
  return [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.InstanceOfKeyword, ts.SyntaxKind.InKeyword].includes(kind);
}

function functionName(fn: TS.SignatureDeclaration): string | undefined {
  if (fn.name) return fn.name.getText();
  const holder = fn.parent;
  if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && holder.name) return holder.name.getText();
  return undefined;
}

/**
 * A condition the code already tested, rewritten: `a?.b()` → `if (a) a.b()`, a ternary → `if`/`else`,
 * a `switch` → `if` on the same variable. Each part of the new condition (split at `&&`/`||`, without
 * `!`) was tested by the same function at the merge-base, or on a line the branch removed.
 */
function restated(condition: TS.Expression, context: ChangeContext): boolean {
  const atoms = conditionAtoms(condition);
  if (atoms.length === 0) return false;
  let old: TS.Node | undefined;
  for (let current = condition.parent; current && !old; current = current.parent) if (ts.isFunctionLike(current) || ts.isSourceFile(current)) old = context.diff.counterpart(current);
  const tested = testedAtoms(old ?? context.base!);
  const wasTested = (atom: string) => {
    const value = initializerAtoms(atom, condition);
    return tested.has(atom) || (value.length > 0 && value.every((a) => tested.has(a)));
  };
  if (atoms.every(wasTested)) return true;
  const text = condition.getText(context.source);
  return [...context.removedLines].some((line) => [`${text} ?`, `(${text})`, `${text} &&`, `${text} ||`].some((use) => includesWhole(line, use)));
}

/**
 * Whether a line holds a piece of code starting at a name's start: `userToFollow &&` is not in
 * `appState.userToFollow &&` (another object's property: a local of the same name is not that test).
 */
function includesWhole(line: string, part: string): boolean {
  for (let at = line.indexOf(part); at >= 0; at = line.indexOf(part, at + 1)) if (at === 0 || !/[\w$.]/.test(line[at - 1])) return true;
  return false;
}

/** A tested variable stands for what it was set to: `const child = byId[id]; if (child)` tests `byId[id]`. */
function initializerAtoms(atom: string, at: TS.Node): string[] {
  if (!/^[A-Za-z_$][\w$]*$/.test(atom)) return [];
  for (let scope: TS.Node | undefined = at.parent; scope; scope = scope.parent) {
    if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === atom && declaration.initializer) return conditionAtoms(declaration.initializer);
      }
    }
  }
  return [];
}

/** `a && !b.c || x === Y` → ['a', 'b.c', 'x===Y', 'Y===x']. */
export function conditionAtoms(condition: TS.Expression): string[] {
  const node = unwrap(condition);
  if (ts.isBinaryExpression(node) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)) return [...conditionAtoms(node.left), ...conditionAtoms(node.right)];
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return conditionAtoms(node.operand);
  const text = squash(node.getText());
  if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(node.operatorToken.kind)) {
    return [`${squash(node.left.getText())}===${squash(node.right.getText())}`];
  }
  return [text.replace(/\?\./g, '.')];
}

/** Everything a piece of old code tested: conditions, optional-chain receivers, `switch` arms as comparisons. */
function testedAtoms(root: TS.Node): Set<string> {
  const atoms = new Set<string>();
  const add = (condition: TS.Expression) => {
    for (const atom of conditionAtoms(condition)) {
      atoms.add(atom);
      const comparison = /^(.*)===(.*)$/.exec(atom);
      if (comparison) atoms.add(`${comparison[2]}===${comparison[1]}`);
    }
  };
  const visit = (node: TS.Node): void => {
    if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) add(node.expression);
    else if (ts.isConditionalExpression(node)) add(node.condition);
    else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)) add(node.left);
    else if ((ts.isPropertyAccessExpression(node) || ts.isCallExpression(node) || ts.isElementAccessExpression(node)) && node.questionDotToken) atoms.add(squash(node.expression.getText()).replace(/\?\./g, '.'));
    else if (ts.isSwitchStatement(node)) {
      const subject = squash(node.expression.getText());
      atoms.add(subject);
      for (const clause of node.caseBlock.clauses) {
        if (!ts.isCaseClause(clause)) continue;
        const label = squash(clause.expression.getText());
        atoms.add(`${subject}===${label}`).add(`${label}===${subject}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return atoms;
}

/** Shown while something loads: in the loading branch of a test of `isLoading`, `pending`, `isFetching`. */
function loadingState(node: TS.Node, unit: TS.Node): boolean {
  for (let child = node, parent = node.parent; parent && parent !== unit; child = parent, parent = parent.parent) {
    const test = ts.isConditionalExpression(parent) ? parent.condition : ts.isIfStatement(parent) ? parent.expression : ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && child === parent.right ? parent.left : undefined;
    if (!test || child === test) continue;
    const negated = ts.isPrefixUnaryExpression(unwrap(test)) && (unwrap(test) as TS.PrefixUnaryExpression).operator === ts.SyntaxKind.ExclamationToken;
    const onTrueSide = ts.isConditionalExpression(parent) ? child === parent.whenTrue : ts.isIfStatement(parent) ? child === parent.thenStatement : true;
    if (LOADING_TEST.test(test.getText()) && onTrueSide !== negated) return true;
  }
  return false;
}

/**
 * Rendered only when a prop the branch added is passed (`{onDownloadClick && <Button …/>}`,
 * `{this.props.statusFrame && <Frame …/>}`): the component that passes it is where the feature is
 * switched on. A prop is new when the branch added it to the component's parameters, or, read
 * through `props.x` or `this.props.x` (its type declared elsewhere), when the file at the
 * merge-base never named it.
 */
function optedInByNewProp(node: TS.Node, unit: TS.Node, context: ChangeContext): boolean {
  const newProps = new Set<string>();
  if (ts.isFunctionLike(unit)) {
    for (const parameter of unit.parameters) {
      const collect = (name: TS.BindingName) => {
        if (ts.isIdentifier(name)) {
          if (context.isNew(name.parent)) newProps.add(name.text);
        } else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
      };
      collect(parameter.name);
    }
  }
  for (let child = node, parent = node.parent; parent && parent !== unit; child = parent, parent = parent.parent) {
    const test = ts.isConditionalExpression(parent) && child !== parent.condition ? parent.condition : ts.isBinaryExpression(parent) && child === parent.right ? parent.left : ts.isIfStatement(parent) && child !== parent.expression ? parent.expression : undefined;
    const path = test && accessPath(unwrap(test));
    if (!path) continue;
    if (newProps.has(path[0]) || (path[0] === 'props' && newProps.has(path[1] ?? ''))) return true;
    const prop = path[0] === 'props' ? path[1] : path[0] === 'this' && path[1] === 'props' ? path[2] : undefined;
    if (prop && !namesAtBase(context).has(prop)) return true;
  }
  return false;
}

const baseNames = new WeakMap<TS.SourceFile, Set<string>>();

/** Every identifier the file at the merge-base has (declared, read or a property name). */
function namesAtBase(context: ChangeContext): Set<string> {
  let names = baseNames.get(context.base!);
  if (!names) {
    const found = new Set<string>();
    const visit = (node: TS.Node): void => {
      if (ts.isIdentifier(node)) found.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(context.base!);
    baseNames.set(context.base!, (names = found));
  }
  return names;
}

/** In the test of an `if`, a ternary, a loop, or the left of `&&`/`||`: a value that decides, not an action. */
function inTest(node: TS.Node): boolean {
  for (let child = node, parent = node.parent; parent && !ts.isFunctionLike(parent) && !ts.isBlock(parent); child = parent, parent = parent.parent) {
    if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent)) && child === parent.expression) return true;
    if (ts.isConditionalExpression(parent) && child === parent.condition) return true;
    if (ts.isBinaryExpression(parent) && child === parent.left && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken].includes(parent.operatorToken.kind)) return true;
    if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return true;
  }
  return false;
}

function insideJsxAttribute(node: TS.Node): boolean {
  for (let current = node.parent; current && !ts.isFunctionLike(current); current = current.parent) if (ts.isJsxAttribute(current)) return true;
  return false;
}

function insideDecorator(node: TS.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (ts.isDecorator(current)) return true;
  return false;
}

/** An argument of a hook (`useEffect(…, [deps])`, `useForm({ … })`): configuration of the hook, wired by the component. */
function isHookArgument(node: TS.Node): boolean {
  const call = node.parent;
  return ts.isCallExpression(call) && call.arguments.includes(node as TS.Expression) && /^use[A-Z]/.test((accessPath(unwrap(call.expression)) ?? ['']).pop() ?? '');
}

function isLiteral(node: TS.Expression): boolean {
  return ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || ts.isTemplateExpression(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === 'undefined');
}

/** A value fixed in the code: a literal, or an object or array made only of them (`{ count: 0 }`, `{}`). */
function isConstant(node: TS.Expression): boolean {
  const value = unwrap(node);
  if (isLiteral(value)) return true;
  if (ts.isObjectLiteralExpression(value)) return value.properties.every((p) => ts.isPropertyAssignment(p) && isConstant(p.initializer));
  return ts.isArrayLiteralExpression(value) && value.elements.every(isConstant);
}

function oneLine(node: TS.Node, source: TS.SourceFile): string {
  return node.getText(source).replace(/\s+/g, ' ').slice(0, 40);
}
