import type * as TS from 'typescript';
import { ENV_FLAG_PREFIXES, FLAG_CALLS, FLAG_COMPONENTS, PROPERTY_HOOKS, type CatalogEntry } from '../catalog';
import { EMPTY_MODULE_MAP, ModuleResolver } from '../../../workspace/moduleResolution';
import { expressionLabel, isFlagKeyText, type ClientModules, type RawReference, type FileFlagFacts, type SymbolicKey, type HomeGrownFlags } from './model';
import { parseSource, typescript } from './typescriptModule';

/**
 * Flag references in one TS/JS file, by its syntax tree (no type checker, so it is fast enough to
 * run per keystroke). Keys held in constants, objects and enums of the same file are resolved
 * here; keys imported from other files come back symbolic and the inventory resolves them.
 */
let ts: typeof TS;

export function detectTypeScript(relPath: string, text: string, homeGrown: HomeGrownFlags, clients: ClientModules): FileFlagFacts {
  ts ??= typescript();
  const source = parseSource(relPath, text);
  const imports = new Map<string, { module: string; name: string }>();
  /** Names imported from the workspace's client modules, with the SDK packages behind them. */
  const clientBindings = new Map<string, string[]>();
  const clientResolver = new ModuleResolver(EMPTY_MODULE_MAP, new Set(clients.keys()));
  const importedModules = new Set<string>();
  const constants = new Map<string, string | Map<string, string>>();
  const exports = new Map<string, string | Map<string, string>>();
  const references: RawReference[] = [];

  // First pass: imports and constant keys.
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const module = statement.moduleSpecifier.text;
      importedModules.add(module);
      const clause = statement.importClause;
      if (clause?.name) imports.set(clause.name.text, { module, name: 'default' });
      if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const element of clause.namedBindings.elements) imports.set(element.name.text, { module, name: (element.propertyName ?? element.name).text });
      }
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) imports.set(clause.namedBindings.name.text, { module, name: '*' });
      const client = module.startsWith('.') && clients.size ? clientResolver.resolveJs(relPath, module) : undefined;
      if (client && clause) {
        const locals = [clause.name, ...(clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.map((e) => e.name) : []), clause.namedBindings && ts.isNamespaceImport(clause.namedBindings) ? clause.namedBindings.name : undefined];
        for (const local of locals) if (local) clientBindings.set(local.text, clients.get(client)!);
      }
    }
    const exported = hasExportModifier(statement);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
        const value = constantValue(unwrap(declaration.initializer));
        if (value !== undefined) {
          constants.set(declaration.name.text, value);
          if (exported) exports.set(declaration.name.text, value);
        }
      }
    }
    if (ts.isEnumDeclaration(statement)) {
      const members = new Map<string, string>();
      for (const member of statement.members) {
        if (member.initializer && ts.isStringLiteralLike(member.initializer)) members.set(member.name.getText(source), member.initializer.text);
      }
      constants.set(statement.name.text, members);
      if (exported) exports.set(statement.name.text, members);
    }
  }

  const fromPackages = (packages: string[]) => packages.some((p) => importedModules.has(p) || [...importedModules].some((m) => m.startsWith(`${p}/`)));
  const homeGrownImported = homeGrown.modules.length === 0 || homeGrown.modules.some((m) => [...importedModules].some((i) => i === m || i.endsWith(m)));

  const keyOf = (node: TS.Expression | undefined): { key?: string; symbol?: SymbolicKey } => {
    if (!node) return {};
    const expression = unwrap(node);
    if (ts.isStringLiteralLike(expression)) return isFlagKeyText(expression.text) ? { key: expression.text } : {};
    if (ts.isIdentifier(expression)) {
      const local = constants.get(expression.text);
      if (typeof local === 'string') return isFlagKeyText(local) ? { key: local } : {};
      const imported = imports.get(expression.text);
      if (imported) return { symbol: { module: imported.module, path: [imported.name] } };
      return {};
    }
    if (ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression)) {
      const chain = accessChain(expression);
      if (!chain) return {};
      const [head, ...rest] = chain;
      const local = constants.get(head);
      if (local instanceof Map && rest.length === 1 && local.has(rest[0])) return isFlagKeyText(local.get(rest[0])!) ? { key: local.get(rest[0]) } : {};
      const imported = imports.get(head);
      if (imported) return { symbol: { module: imported.module, path: imported.name === '*' ? rest : [imported.name, ...rest] } };
    }
    return {};
  };

  const addCall = (entry: Pick<CatalogEntry, 'provider' | 'key' | 'defaultArg'>, call: TS.CallExpression, kind: RawReference['kind']) => {
    const keyNode = 'property' in entry.key ? objectProperty(call.arguments[entry.key.arg], entry.key.property) : call.arguments[entry.key.arg];
    if (!keyNode) return;
    const resolved = keyOf(keyNode);
    const defaultNode = entry.defaultArg === undefined ? undefined : call.arguments[entry.defaultArg === -1 ? call.arguments.length - 1 : entry.defaultArg];
    references.push({
      provider: entry.provider,
      kind,
      start: keyNode.getStart(source),
      end: keyNode.getEnd(),
      ...resolved,
      expression: resolved.key === undefined && !resolved.symbol ? expressionLabel(keyNode.getText(source)) : undefined,
      defaultValue: defaultNode && defaultNode !== keyNode && isLiteral(defaultNode) ? defaultNode.getText(source) : undefined,
    });
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
        const imported = imports.get(current.text);
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
    while (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current) || ts.isAwaitExpression(current)) current = current.expression;
    return ts.isIdentifier(current) ? clientBindings.get(current.text) ?? [] : [];
  };

  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const shape = ts.isIdentifier(callee) ? 'function' : 'method';
      if (name) {
        const viaClient = clientBindings.size ? throughClient(callee) : [];
        const receiver = shape === 'method' ? rootName(callee) : undefined;
        const candidates = FLAG_CALLS.filter((e) => e.shape === shape && e.names.includes(name) && (fromPackages(e.packages) || e.packages.some((p) => viaClient.includes(p)) || namesProvider(receiver, e.provider)));
        const entry = candidates.length > 1 ? pickByOrigin(candidates, viaClient[0] ?? originModule(callee)) : candidates[0];
        if (entry) addCall(entry, node, entry.provider === 'Vercel Flags' ? 'definition' : 'evaluation');
        else {
          const custom = homeGrownImported ? homeGrown.functions.find((f) => f.name === name) : undefined;
          if (custom) addCall({ provider: 'home-grown', key: { arg: custom.keyArg } }, node, 'evaluation');
        }
        // `const { newCheckout } = useFlags()` and `useFlags().newCheckout`.
        const hook = PROPERTY_HOOKS.find((h) => h.hook === name && fromPackages(h.packages));
        if (hook) collectPropertyFlags(node, hook.provider, source, references);
      }
    }
    if (ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) {
      const tag = node.tagName.getText(source);
      const entry = FLAG_COMPONENTS.find((c) => c.component === tag && fromPackages(c.packages)) ?? (homeGrownImported ? homeGrown.components.map((c) => ({ provider: 'home-grown', component: c.name, keyProp: c.keyProp, packages: [] })).find((c) => c.component === tag) : undefined);
      if (entry) {
        const attribute = node.attributes.properties.find((p) => ts.isJsxAttribute(p) && p.name.getText(source) === entry.keyProp) as TS.JsxAttribute | undefined;
        const initializer = attribute?.initializer;
        const expression = initializer && ts.isJsxExpression(initializer) ? initializer.expression : initializer;
        if (expression) {
          const resolved = keyOf(expression as TS.Expression);
          references.push({ provider: entry.provider, kind: 'evaluation', start: expression.getStart(source), end: expression.getEnd(), ...resolved, expression: resolved.key === undefined && !resolved.symbol ? expressionLabel(expression.getText(source)) : undefined });
        }
      }
    }
    // process.env.FEATURE_X and import.meta.env.VITE_FEATURE_X
    if (ts.isPropertyAccessExpression(node) && /^(process\.env|import\.meta\.env)$/.test(node.expression.getText(source))) {
      const variable = node.name.text;
      if ([...ENV_FLAG_PREFIXES, ...homeGrown.envPrefixes].some((prefix) => variable.startsWith(prefix))) {
        references.push({ provider: 'environment', kind: 'evaluation', start: node.name.getStart(source), end: node.name.getEnd(), key: variable });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { references, exports };
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

function constantValue(node: TS.Expression): string | Map<string, string> | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isObjectLiteralExpression(node)) {
    const map = new Map<string, string>();
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property) && ts.isStringLiteralLike(unwrap(property.initializer))) {
        const name = ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name) ? property.name.text : undefined;
        if (name) map.set(name, (unwrap(property.initializer) as TS.StringLiteralLike).text);
      }
    }
    return map.size ? map : undefined;
  }
  return undefined;
}

/** `x as const`, `(x)`, `x!` and `<T>x` are the same value. */
function unwrap(node: TS.Expression): TS.Expression {
  let current = node;
  while (ts.isAsExpression(current) || ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current) || ts.isSatisfiesExpression(current)) current = current.expression;
  return current;
}

function accessChain(node: TS.Expression): string[] | null {
  const chain: string[] = [];
  let current: TS.Expression = node;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
    if (ts.isPropertyAccessExpression(current)) chain.unshift(current.name.text);
    else if (ts.isStringLiteralLike(current.argumentExpression)) chain.unshift(current.argumentExpression.text);
    else return null;
    current = current.expression;
  }
  if (!ts.isIdentifier(current)) return null;
  chain.unshift(current.text);
  return chain;
}

function objectProperty(node: TS.Expression | undefined, property: string): TS.Expression | undefined {
  if (!node || !ts.isObjectLiteralExpression(unwrap(node))) return undefined;
  for (const element of (unwrap(node) as TS.ObjectLiteralExpression).properties) {
    if (ts.isPropertyAssignment(element) && element.name.getText() === property) return element.initializer;
  }
  return undefined;
}

function isLiteral(node: TS.Expression): boolean {
  const value = unwrap(node);
  return ts.isStringLiteralLike(value) || ts.isNumericLiteral(value) || value.kind === ts.SyntaxKind.TrueKeyword || value.kind === ts.SyntaxKind.FalseKeyword || ts.isPrefixUnaryExpression(value) && ts.isNumericLiteral(value.operand);
}

function hasExportModifier(node: TS.Statement): boolean {
  return (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}
