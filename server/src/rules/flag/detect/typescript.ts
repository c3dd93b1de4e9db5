import type * as TS from 'typescript';
import { ENV_FLAG_PREFIXES, ENV_SWITCH_PREFIXES, FLAG_CALLS, FLAG_COMPONENTS, PROPERTY_HOOKS, evaluationReturns, type CatalogEntry } from '../catalog';
import type { FlagApiIndex } from '../apis/flagApiIndex';
import { apiOfParameter, type Reached } from '../apis/discovery';
import { apiLabel, type FlagApi, type KeyPosition } from '../apis/model';
import { emptyFacts, expressionLabel, type ClientModules, type FileFlagFacts, type HomeGrownFlags, type RawReference } from './model';
import { permanenceByComment } from '../permanence';
import { codeDeclarations } from './tsDeclarations';
import { ModuleScope, bindingOf, unwrap, type KeyValue } from './tsScope';
import { parseSource, typescript } from './typescriptModule';

let ts: typeof TS;

/** What detection in one file needs to know of the workspace. */
export interface DetectionEnv {
  homeGrown: HomeGrownFlags;
  /** Workspace modules that import a flag SDK: calls through what they export are that SDK's. */
  clients: ClientModules;
  /** The project's own flag APIs (discovered wrappers), and how this file's imports resolve. */
  apis: FlagApiIndex;
  /** Only the references are wanted (a new feature's guards): the declarations of keys and SDK type arguments are not looked for. */
  referencesOnly?: boolean;
}

/** Objects whose properties are flags by name: `flags.x`, `uiConfig.flags[key]`, `featureFlags`. */
const FLAG_CONTAINER = /^(?:flags|\w*Flags|featureToggles)$/;
/** Of those, the ones a function reading `flags[key]` is a flag API by (not enums such as `SymbolFlags`). */
export const FLAG_STORE = /^(?:flags|[a-z][a-zA-Z]*Flags)$/;
/** Object properties that name the flag a route or menu entry is behind: `{ path: '/x', flag: 'newNav' }`. */
const FLAG_PROPERTY = /^(?:flag|flagKey|flagName|featureFlag|featureFlagKey|feature_flag|flag_key|requiredFlag)$/;
/** A list of flags evaluated for the call (`{ flagNames: ['x'] }`, Unleash's impact metrics label the metric with each flag's state). */
const FLAG_LIST_PROPERTY = /^(?:flagNames|flagKeys|featureFlags|requiredFlags)$/;

/**
 * Flag references in one TS/JS file, by its syntax tree (no type checker, so it is fast enough to
 * run per keystroke). Keys held in constants, objects, enums and templates are resolved in the
 * scopes around their use; keys imported from other modules come back symbolic and the inventory
 * resolves them. A function whose parameter reaches the key of an evaluation is reported as a
 * flag API (`apis`): its call sites are the evaluations, found once the workspace knows it.
 */
export function detectTypeScript(relPath: string, text: string, env: DetectionEnv): FileFlagFacts {
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const scope = new ModuleScope(source);
  const facts = emptyFacts();
  facts.exports = scope.exports;
  const { declarations, registryTypes } = env.referencesOnly ? { declarations: [], registryTypes: [] } : codeDeclarations(source, scope);
  facts.declarations = declarations;
  facts.registryTypes = registryTypes;
  const { homeGrown, clients, apis } = env;
  const importedModules = scope.importedModules;

  /** Names imported from the workspace's client modules, with the SDK packages behind them. */
  const clientBindings = new Map<string, string[]>();
  if (clients.size) {
    for (const [local, imported] of scope.imports) {
      const client = apis.resolve(relPath, imported.module);
      if (client && clients.has(client)) clientBindings.set(local, clients.get(client)!);
    }
  }

  const fromPackages = (packages: string[]) => packages.some((p) => importedModules.has(p) || [...importedModules].some((m) => m.startsWith(`${p}/`)));
  const homeGrownImported = homeGrown.modules.length === 0 || homeGrown.modules.some((m) => [...importedModules].some((i) => i === m || i.endsWith(m)));
  const discovered = new Map<string, FlagApi>();

  /** The reference for a key expression; a parameter of an enclosing function makes that function a flag API instead. */
  const addKey = (keyNode: TS.Expression, reached: Reached & { kind?: RawReference['kind']; defaultValue?: string; weak?: boolean; discover?: boolean }) => {
    const value: KeyValue = scope.keyOf(keyNode);
    // A parameter reaching a weak read (`{ flag: name }` in a table) makes no API: only evaluations and flag stores do.
    if ('parameter' in value && (!reached.weak || reached.discover)) {
      const { fn, index, property } = value.parameter;
      const found = apiOfParameter(fn, index, property, reached, relPath, scope);
      if (found) {
        const id = `${found.api.owner ?? ''}.${found.api.name}:${found.api.shape}`;
        if (!discovered.has(id)) discovered.set(id, found.api);
        facts.registryTypes.push(...found.keyTypes);
        return;
      }
    }
    if (reached.weak && !('key' in value) && !('symbol' in value) && !('template' in value)) return;
    const reference: RawReference = {
      provider: reached.provider,
      kind: reached.kind ?? 'evaluation',
      start: keyNode.getStart(source),
      end: keyNode.getEnd(),
      ...('key' in value ? { key: value.key } : {}),
      ...('symbol' in value ? { symbol: value.symbol } : {}),
      ...('template' in value ? { template: value.template } : {}),
      ...(reached.defaultValue !== undefined ? { defaultValue: reached.defaultValue } : {}),
      ...(reached.weak ? { weak: true } : {}),
      ...(reached.via ? { via: reached.via } : {}),
      ...(reached.returns !== 'unknown' ? { returns: reached.returns } : {}),
    };
    if (!('key' in value) && !('symbol' in value) && !('template' in value)) reference.expression = expressionLabel(keyNode.getText(source));
    if (reference.kind === 'evaluation') {
      const permanence = permanenceByComment(leadingComments(keyNode, source));
      if (permanence) reference.permanence = permanence;
      const evaluation = evaluationOf(keyNode);
      if (reached.returns !== 'boolean' && evaluation && handedOnAsData(evaluation)) reference.asData = true;
    }
    facts.references.push(reference);
  };

  const addCall = (api: { provider: string; key: KeyPosition; defaultArg?: number; returns?: FlagApi['returns']; via?: string; name: string }, call: TS.CallExpression, kind: RawReference['kind'] = 'evaluation') => {
    const keyNode = keyArgument(call, api.key);
    if (!keyNode) return;
    const defaultNode = api.defaultArg === undefined ? undefined : call.arguments[api.defaultArg === -1 ? call.arguments.length - 1 : api.defaultArg];
    const defaultValue = defaultNode && defaultNode !== keyNode && isLiteral(defaultNode) ? defaultNode.getText(source) : undefined;
    const returns = api.returns && api.returns !== 'unknown' ? api.returns : evaluationReturns(api.provider, api.name, defaultValue);
    addKey(keyNode, { provider: api.provider, returns, via: api.via ?? `${api.provider} ${api.name}`, kind, defaultValue });
  };

  // Several SDKs in one file share method names (`isFeatureEnabled`): the module a call's function
  // or receiver comes from decides. Local variables are looked up through their initializers.
  let initializers: Map<string, TS.Expression> | undefined;
  const originModule = (callee: TS.Expression): string | undefined => {
    let current: TS.Expression = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
    const seen = new Set<string>();
    for (;;) {
      current = unwrap(current);
      if (ts.isAwaitExpression(current) || ts.isNewExpression(current) || ts.isCallExpression(current) || ts.isPropertyAccessExpression(current)) current = current.expression;
      else if (ts.isIdentifier(current)) {
        const imported = scope.imports.get(current.text);
        if (imported) return imported.module;
        initializers ??= collectInitializers(source);
        const next = initializers.get(current.text);
        if (!next || seen.has(current.text)) return undefined;
        seen.add(current.text);
        current = next;
      } else return undefined;
    }
  };

  // `ldClient.variation(…)` where ldClient comes from the project's own `lib/flags.ts`: the SDK behind it.
  const throughClient = (callee: TS.Expression): string[] => {
    let current: TS.Expression = callee;
    while (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current) || ts.isAwaitExpression(current) || ts.isNonNullExpression(current) || ts.isParenthesizedExpression(current)) current = current.expression;
    return ts.isIdentifier(current) ? clientBindings.get(current.text) ?? [] : [];
  };

  /** The project's own APIs a call goes to: a function (local or imported), a method on a receiver named for its class, an evaluator a factory returned. */
  const projectApis = (call: TS.CallExpression): FlagApi[] => {
    if (apis.apis.length === 0) return [];
    const callee = unwrap(call.expression);
    if (ts.isIdentifier(callee)) {
      const name = callee.text;
      if (!apis.names.has(name)) return apis.hasFactories ? evaluatorOf(callee) : [];
      const binding = bindingOf(callee);
      if (binding?.kind === 'parameter') return [];
      if (binding?.kind === 'constant') {
        const evaluator = evaluatorOf(callee);
        return evaluator.length ? evaluator : apis.local(relPath, name).filter((api) => api.shape === 'function');
      }
      const imported = scope.imports.get(name);
      const found = imported ? apis.imported(relPath, imported.module, imported.name) : apis.local(relPath, name);
      return found.filter((api) => api.shape === 'function');
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (!apis.names.has(method)) return [];
      const receiver = unwrap(callee.expression);
      // `flags.isOn(…)` with `import * as flags`: the module's function.
      if (ts.isIdentifier(receiver)) {
        const imported = scope.imports.get(receiver.text);
        if (imported?.name === '*') return apis.imported(relPath, imported.module, method).filter((api) => api.shape === 'function');
      }
      return apis.methods(method, receiverNames(receiver), relPath, enclosingClassName(call));
    }
    return [];
  };

  /** `isOn('x')` where `const isOn = useFlagEvaluator()`: the factory's evaluator. */
  const evaluatorOf = (callee: TS.Identifier): FlagApi[] => {
    const binding = bindingOf(callee);
    if (binding && binding.kind !== 'constant') return [];
    const initializer = binding?.kind === 'constant' ? binding.declaration.initializer : (initializers ??= collectInitializers(source)).get(callee.text);
    const made = initializer && unwrap(initializer);
    if (!made || !ts.isCallExpression(made) || !ts.isIdentifier(made.expression)) return [];
    const factory = made.expression.text;
    if (!apis.names.has(factory)) return [];
    const imported = scope.imports.get(factory);
    return (imported ? apis.imported(relPath, imported.module, imported.name) : apis.local(relPath, factory)).filter((api) => api.shape === 'factory');
  };

  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) visitCall(node);
    else if (ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) visitElement(node);
    else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) visitAccess(node);
    else if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && FLAG_PROPERTY.test(node.name.text) && ts.isObjectLiteralExpression(node.parent)) {
      // `{ path: '/admin/x', flag: 'newAdmin' }`: a table entry shown when the flag is on.
      addKey(node.initializer, { provider: 'home-grown', returns: 'unknown', via: `${node.name.text}: property`, weak: true });
    } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && FLAG_LIST_PROPERTY.test(node.name.text) && ts.isArrayLiteralExpression(node.initializer) && ts.isObjectLiteralExpression(node.parent)) {
      for (const element of node.initializer.elements) addKey(element, { provider: 'home-grown', returns: 'unknown', via: `${node.name.text}: list`, weak: true });
    }
    ts.forEachChild(node, visit);
  };

  const visitCall = (node: TS.CallExpression): void => {
    const callee = unwrap(node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (!name) return;
    const shape = ts.isIdentifier(callee) ? 'function' : 'method';
    const viaClient = clientBindings.size ? throughClient(callee) : [];
    const receiver = shape === 'method' ? rootName(callee) : undefined;
    const candidates = FLAG_CALLS.filter((e) => e.shape === shape && e.names.includes(name) && (fromPackages(e.packages) || e.packages.some((p) => viaClient.includes(p)) || namesProvider(receiver, e.provider)));
    const entry = candidates.length > 1 ? pickByOrigin(candidates, viaClient[0] ?? originModule(callee)) : candidates[0];
    if (entry) addCall({ ...entry, name }, node, entry.provider === 'Vercel Flags' ? 'definition' : 'evaluation');
    else {
      const custom = homeGrownImported ? homeGrown.functions.find((f) => matchesConfigured(f.name, name, callee)) : undefined;
      if (custom) addCall({ provider: 'home-grown', key: custom.key, returns: custom.returns, name, via: custom.name }, node);
      else for (const api of projectApis(node)) addCall({ provider: api.provider, key: api.key, returns: api.returns, name, via: apiLabel(api) }, node);
    }
    // `const { newCheckout } = useFlags()` and `useFlags().newCheckout`.
    const hook = PROPERTY_HOOKS.find((h) => h.hook === name && fromPackages(h.packages));
    if (hook) collectPropertyFlags(node, hook.provider, source, facts.references);
  };

  const visitElement = (node: TS.JsxOpeningElement | TS.JsxSelfClosingElement): void => {
    const tag = node.tagName.getText(source);
    const known = FLAG_COMPONENTS.find((c) => c.component === tag && fromPackages(c.packages)) ?? (homeGrownImported ? homeGrown.components.map((c) => ({ provider: 'home-grown', component: c.name, keyProp: c.keyProp })).find((c) => c.component === tag) : undefined);
    const entries: { provider: string; keyProp: string; returns: FlagApi['returns']; via: string }[] = known ? [{ provider: known.provider, keyProp: known.keyProp, returns: 'boolean', via: tag }] : componentApis(tag).map((api) => ({ provider: api.provider, keyProp: (api.key as { property: string }).property, returns: api.returns, via: apiLabel(api) }));
    for (const entry of entries) {
      const attribute = node.attributes.properties.find((p) => ts.isJsxAttribute(p) && p.name.getText(source) === entry.keyProp) as TS.JsxAttribute | undefined;
      const initializer = attribute?.initializer;
      const expression = initializer && ts.isJsxExpression(initializer) ? initializer.expression : initializer;
      if (expression) addKey(expression as TS.Expression, { provider: entry.provider, returns: entry.returns, via: entry.via });
    }
  };

  /** `<Feature name="x">` where `Feature({ name })` hands `name` to a flag evaluation. */
  const componentApis = (tag: string): FlagApi[] => {
    if (!/^[A-Z]\w*$/.test(tag) || !apis.names.has(tag)) return [];
    const imported = scope.imports.get(tag);
    const found = imported ? apis.imported(relPath, imported.module, imported.name) : apis.local(relPath, tag);
    return found.filter((api) => api.shape === 'function' && api.key.arg === 0 && 'property' in api.key);
  };

  const visitAccess = (node: TS.PropertyAccessExpression | TS.ElementAccessExpression): void => {
    // process.env.FEATURE_X and import.meta.env.VITE_FEATURE_X
    if (ts.isPropertyAccessExpression(node) && /^(process\.env|import\.meta\.env)$/.test(node.expression.getText(source))) {
      const variable = node.name.text;
      const flag = [...ENV_FLAG_PREFIXES, ...homeGrown.envPrefixes].some((prefix) => variable.startsWith(prefix));
      if (flag || ENV_SWITCH_PREFIXES.some((prefix) => variable.startsWith(prefix))) {
        facts.references.push({ provider: 'environment', kind: 'evaluation', start: node.name.getStart(source), end: node.name.getEnd(), key: variable, ...(flag ? {} : { weak: true }) });
      }
      return;
    }
    const container = unwrap(node.expression);
    const containerName = ts.isIdentifier(container) ? container.text : ts.isPropertyAccessExpression(container) ? container.name.text : undefined;
    if (!containerName) return;
    const configured = homeGrown.propertyReads.some((read) => endsWithPath(container, read));
    if (!configured && !FLAG_CONTAINER.test(containerName)) return;
    // Writes and deletes set flags (tests, overrides); they do not read them.
    const parent = node.parent;
    if ((ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) || ts.isDeleteExpression(parent)) return;
    const keyNode = ts.isPropertyAccessExpression(node) ? node.name : node.argumentExpression;
    const reached: Reached = { provider: 'home-grown', returns: 'unknown', via: `${containerName}[…]` };
    const weak = configured ? {} : { weak: true, discover: FLAG_STORE.test(containerName) };
    if (ts.isIdentifier(keyNode) && ts.isPropertyAccessExpression(node)) {
      const start = keyNode.getStart(source);
      facts.references.push({ provider: reached.provider, kind: 'evaluation', start, end: keyNode.getEnd(), key: keyNode.text, via: `${containerName}.${keyNode.text}`, ...(configured ? {} : { weak: true }), ...(handedOnAsData(node) ? { asData: true as const } : {}) });
    } else if (!ts.isPropertyAccessExpression(node)) {
      // `flags[key]` with `key` a parameter: the function reading it is a flag API.
      addKey(keyNode, { ...reached, ...weak });
    }
  };

  visit(source);
  facts.apis = [...discovered.values()];
  return facts;
}

/** The call a key is an argument of (directly or as a property of an object argument). */
function evaluationOf(keyNode: TS.Node): TS.CallExpression | undefined {
  let node = keyNode;
  while (ts.isPropertyAssignment(node.parent) || ts.isObjectLiteralExpression(node.parent)) node = node.parent;
  return ts.isCallExpression(node.parent) && node.parent.arguments.includes(node as TS.Expression) ? node.parent : undefined;
}

/**
 * Whether an evaluation's value is handed on whole as data: the argument of another call
 * (`useVariant(flags.banner)`, `parse(getValue('x'))`; `Boolean(…)` tests it) or the initializer
 * of a value declared `unknown` (`const config: unknown = useFeatureValue('survey', 0)`), through
 * `await`, parentheses, `!` and a fallback (`?? {}`).
 */
function handedOnAsData(evaluation: TS.Expression): boolean {
  let node: TS.Node = evaluation;
  for (;;) {
    const parent = node.parent;
    const fallback = ts.isBinaryExpression(parent) && parent.left === node && (parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || parent.operatorToken.kind === ts.SyntaxKind.BarBarToken);
    if (!(fallback || ts.isParenthesizedExpression(parent) || ts.isAwaitExpression(parent) || ts.isNonNullExpression(parent))) break;
    node = parent;
  }
  const parent = node.parent;
  if (ts.isCallExpression(parent)) return parent.arguments.includes(node as TS.Expression) && !(ts.isIdentifier(parent.expression) && parent.expression.text === 'Boolean');
  return ts.isVariableDeclaration(parent) && parent.initializer === node && parent.type?.kind === ts.SyntaxKind.UnknownKeyword;
}

/** The comments right above the statement that holds the node (`// Killswitch for the sweep` over `if (!isOn('x')) return;`). */
function leadingComments(node: TS.Node, source: TS.SourceFile): string {
  let statement: TS.Node = node;
  // Up to the statement, the object property or the arrow function's body it is in, not past them: a comment over a whole table or callback is about that.
  const stops = (parent: TS.Node) => ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isObjectLiteralExpression(parent) || ts.isArrowFunction(parent);
  while (statement.parent && !stops(statement.parent)) statement = statement.parent;
  const ranges = ts.getLeadingCommentRanges(source.text, statement.getFullStart()) ?? [];
  return ranges.map((range) => source.text.slice(range.pos, range.end)).join('\n');
}

/** The key's expression in a call: the argument, or the property of an object argument. */
function keyArgument(call: TS.CallExpression, key: KeyPosition): TS.Expression | undefined {
  const argument = call.arguments[key.arg];
  if (!argument) return undefined;
  if (!('property' in key)) return ts.isSpreadElement(argument) ? undefined : argument;
  const object = unwrap(argument);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const element of object.properties) {
    if (ts.isPropertyAssignment(element) && (ts.isIdentifier(element.name) || ts.isStringLiteral(element.name)) && element.name.text === key.property) return element.initializer;
    if (ts.isShorthandPropertyAssignment(element) && element.name.text === key.property) return element.name;
  }
  return undefined;
}

/** A configured name: `isFeatureOn` matches calls by that name, `flagResolver.isEnabled` only on a receiver named so. */
function matchesConfigured(configured: string, name: string, callee: TS.Expression): boolean {
  const dot = configured.lastIndexOf('.');
  if (dot < 0) return configured === name;
  if (configured.slice(dot + 1) !== name || !ts.isPropertyAccessExpression(callee)) return false;
  return endsWithPath(unwrap(callee.expression), configured.slice(0, dot));
}

/** Whether an expression ends with the dotted path (`this.config.uiConfig.flags` ends with `uiConfig.flags`). */
function endsWithPath(expression: TS.Expression, dotted: string): boolean {
  const parts = dotted.split('.');
  let current: TS.Expression = expression;
  for (let i = parts.length - 1; i >= 0; i--) {
    current = unwrap(current);
    if (ts.isPropertyAccessExpression(current) && current.name.text === parts[i]) current = current.expression;
    else if (ts.isIdentifier(current) && current.text === parts[i]) return i === 0;
    else if (current.kind === ts.SyntaxKind.ThisKeyword && parts[i] === 'this') return i === 0;
    else return false;
  }
  return true;
}

/** The names a receiver goes by: its variable or property, the class it was made from, the type it is declared with. */
function receiverNames(receiver: TS.Expression): string[] {
  const names: string[] = [];
  let current = unwrap(receiver);
  while (ts.isAwaitExpression(current) || ts.isNonNullExpression(current) || ts.isParenthesizedExpression(current)) current = current.expression;
  if (ts.isCallExpression(current)) {
    // `getFlagResolver().isEnabled(…)`: named by the function that hands it out.
    const callee = unwrap(current.expression);
    if (ts.isIdentifier(callee)) names.push(callee.text.replace(/^(get|use|create)/, ''));
    else if (ts.isPropertyAccessExpression(callee)) names.push(callee.name.text.replace(/^(get|use|create)/, ''));
    return names;
  }
  if (ts.isPropertyAccessExpression(current)) names.push(current.name.text);
  if (ts.isIdentifier(current)) {
    names.push(current.text);
    const binding = bindingOf(current);
    const declaration = binding?.kind === 'constant' ? binding.declaration : binding?.kind === 'parameter' ? binding.parameter.fn.parameters[binding.parameter.index] : undefined;
    const type = declaration?.type;
    if (type && ts.isTypeReferenceNode(type)) names.push(type.typeName.getText());
    const initializer = binding?.kind === 'constant' ? binding.declaration.initializer && unwrap(binding.declaration.initializer) : undefined;
    if (initializer && ts.isNewExpression(initializer)) names.push(initializer.expression.getText());
  }
  return names;
}

function enclosingClassName(node: TS.Node): string | undefined {
  const callee = (node as TS.CallExpression).expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  for (let current = node.parent; current; current = current.parent) {
    if ((ts.isClassDeclaration(current) || ts.isClassExpression(current)) && current.name) return current.name.text;
  }
  return undefined;
}

/**
 * A client whose variable names its provider (`ldClient.variation(…)`, `posthog.isFeatureEnabled(…)`)
 * counts as that SDK's even when it is created in a module not in view. Split's name is too common.
 */
const PROVIDER_RECEIVERS: Record<string, RegExp> = {
  LaunchDarkly: /^(ld|launchDarkly)([A-Z_]|$)|launchdarkly/i,
  PostHog: /posthog/i,
  Unleash: /unleash/i,
  GrowthBook: /^gb$|growthbook/i,
  Statsig: /statsig/i,
  Flagsmith: /flagsmith/i,
  ConfigCat: /configcat/i,
  DevCycle: /devcycle/i,
  OpenFeature: /openfeature/i,
};

/** A cheap test for the inventory's prefilter: the text calls a method on a client named for its provider. */
export function mentionsProviderClient(text: string): boolean {
  return /\b(?:ld[A-Z_]\w*|ld|launchDarkly\w*|[lL]aunch[dD]arkly\w*|[pP]ost[hH]og\w*|[uU]nleash\w*|gb|[gG]rowth[bB]ook\w*|[sS]tatsig\w*|[fF]lagsmith\w*|[cC]onfig[cC]at\w*|[dD]ev[cC]ycle\w*|[oO]pen[fF]eature\w*)\s{0,20}\.\s{0,20}\w{1,64}\s{0,20}\(/.test(text);
}

function namesProvider(receiver: string | undefined, provider: string): boolean {
  return receiver !== undefined && PROVIDER_RECEIVERS[provider]?.test(receiver) === true;
}

/** Whether a receiver so named is some provider's client (`namesProvider` for any provider). */
export function namesAnyProvider(receiver: string): boolean {
  return Object.values(PROVIDER_RECEIVERS).some((pattern) => pattern.test(receiver));
}

/** The variable a method call starts from: `ldClient` in `ldClient.variation(…)`, `this.ld` → `ld`. */
function rootName(callee: TS.Expression): string | undefined {
  let current = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  while (ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
  if (ts.isIdentifier(current)) return current.text;
  if (ts.isPropertyAccessExpression(current)) return current.name.text;
  return undefined;
}

function pickByOrigin(candidates: CatalogEntry[], module: string | undefined): CatalogEntry {
  return (module && candidates.find((entry) => entry.packages.some((p) => module === p || module.startsWith(`${p}/`)))) || candidates[0];
}

function collectInitializers(source: TS.SourceFile): Map<string, TS.Expression> {
  const initializers = new Map<string, TS.Expression>();
  const visit = (node: TS.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) initializers.set(node.name.text, node.initializer);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return initializers;
}

function collectPropertyFlags(call: TS.CallExpression, provider: string, source: TS.SourceFile, references: RawReference[]): void {
  const parent = call.parent;
  if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)) {
    for (const element of parent.name.elements) {
      const property = element.propertyName ?? element.name;
      if (ts.isIdentifier(property)) references.push({ provider, kind: 'evaluation', start: property.getStart(source), end: property.getEnd(), key: property.text, camelCased: true });
    }
  } else if (ts.isPropertyAccessExpression(parent) && parent.expression === call) {
    references.push({ provider, kind: 'evaluation', start: parent.name.getStart(source), end: parent.name.getEnd(), key: parent.name.text, camelCased: true });
  }
}

function isLiteral(node: TS.Expression): boolean {
  const value = unwrap(node);
  return ts.isStringLiteralLike(value) || ts.isNumericLiteral(value) || value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword || (ts.isPrefixUnaryExpression(value) && ts.isNumericLiteral(value.operand));
}

