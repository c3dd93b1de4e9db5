import type * as TS from 'typescript';
import { FLAG_CALLS } from '../catalog';
import { typescript } from '../detect/typescriptModule';
import type { HomeGrownFlags } from '../detect/model';
import { accessPath, FileSymbols, unwrap } from './symbols';

let ts: typeof TS;

/**
 * A function a project evaluates flags through: an SDK's hook (`useFlag` from
 * `@unleash/proxy-client-react`), a home-grown function from `.deployrisk.yaml`, or a wrapper the
 * flag inventory discovered (`useFeatureFlag` from `apps/web/lib/flags.ts`). `name` may be a member
 * path (`getFeatureFlag.execute`).
 */
export interface FlagFunction {
  /** A package, or a workspace-relative path; undefined: the name counts wherever it comes from. */
  module?: string;
  name: string;
}

/**
 * The flag functions from the catalog and the configuration. The project's own wrappers, which
 * the flag inventory's wrapper discovery finds, are flag evaluations to the detection
 * (`FlagDetection`): a test holding one reads a flag, and a one-line definition holding one is a
 * gate (`gateNames`).
 */
export function flagFunctions(homeGrown: HomeGrownFlags): FlagFunction[] {
  const catalog = FLAG_CALLS.filter((entry) => entry.shape === 'function').flatMap((entry) => entry.packages.flatMap((module) => entry.names.map((name) => ({ module, name }))));
  return [...catalog, ...homeGrown.functions.map((f) => ({ name: f.name }))];
}

/** Properties of the data model that hold entitlements and per-tenant flags: `claims.flags.x`, `team.features.y`. */
const ENTITLEMENT_SEGMENT = /^(flags|featureFlags|features|entitlements|organisationClaim|organizationClaim|claims)$/;
/** Environment variables named as switches. */
const SWITCH_NAME = /(^|_)(ENABLE|ENABLED|DISABLE|DISABLED|FEATURE|FEATURES|FLAG|FLAGS|ALLOW|IS|USE|SHOW|HIDE)(_|$)|(^|_)(ON|OFF)$/i;
/** Environment variables that say which build or stage this is: code under them is for development. */
const DEV_VARIABLES = new Set(['NODE_ENV', 'DEV', 'PROD', 'MODE', 'APP_ENV', 'ENVIRONMENT', 'VERCEL_ENV']);
/** `isDevEnv()`, `isDevelopment()`: true outside production. */
const DEV_FUNCTION = /^(is|in)(Dev|Development|Local|Debug|Test|Testing)(Env|Mode|Environment|Build)?$/;
const DEV_VALUE = /^(dev|development|test|testing|local|debug)$/i;
const PRODUCTION_VALUE = /^(prod|production)$/i;
const BOOLEAN_TEXT = /^(true|false|1|0|on|off|yes|no|enabled|disabled)$/i;

/**
 * The project's own gates, beside the flag APIs: what a maintainer would accept as "this can be
 * switched off without a redeploy of code", and what never runs in production.
 * - Environment switches: `process.env.FEATURE_X`, `import.meta.env.VITE_ENABLE_Y`, `env('NEXT_PUBLIC_DISABLE_Z')`,
 *   read as a boolean (named as a switch, compared with `'true'`, negated or tested bare), directly
 *   or through a constant or function the workspace defines (`IS_CLOUD()`). An environment value
 *   that selects between behaviours (`=== 'oauth2'`) is configuration, not a switch.
 * - Entitlements and per-tenant flags in the data model: `organisation.claims.flags.emailDomains`.
 * - Development-only code: `NODE_ENV`, `import.meta.env.DEV`, `isDevEnv()`.
 * Permission and role checks are not gates: they decide who may use a feature, not whether it is on.
 */
export class Gates {
  constructor(
    private readonly symbols: FileSymbols,
    private readonly apis: readonly FlagFunction[],
    /** Where an import specifier of this file leads in the workspace. */
    private readonly resolve: (specifier: string) => string | undefined,
    /** Local names of constants and functions, here or imported, that are gates themselves. */
    private readonly gateNames: ReadonlySet<string>,
  ) {
    ts ??= typescript();
  }

  /** Whether this one expression (not its parts) reads a flag or a gate. */
  isGateRead(node: TS.Node): boolean {
    if (ts.isCallExpression(node)) {
      if (isEnvCall(node) || isConfigRead(node)) return isSwitch(node, envCallName(node));
      if (this.isFlagApiCall(node) || isDevCall(node)) return true;
      const callee = accessPath(unwrap(node.expression));
      if (callee?.length === 1 && this.gateNames.has(callee[0])) return true;
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const variable = envVariable(node);
      if (variable !== undefined) return DEV_VARIABLES.has(variable) ? onlyOutsideProduction(node, variable) : isSwitch(node, variable);
      const path = accessPath(node);
      if (path && path.slice(0, -1).some((segment) => ENTITLEMENT_SEGMENT.test(segment)) && !isParentAccess(node)) return true;
    }
    if (ts.isIdentifier(node) && (node.text === '__DEV__' || (this.gateNames.has(node.text) && !isDeclarationName(node)))) return true;
    return false;
  }

  private isFlagApiCall(call: TS.CallExpression): boolean {
    const path = accessPath(unwrap(call.expression));
    if (!path || path[0] === 'this') return false;
    const imported = this.symbols.imports.get(path[0]);
    const name = imported && imported.name !== 'default' && imported.name !== '*' ? [imported.name, ...path.slice(1)].join('.') : path.join('.');
    return this.apis.some((api) => {
      if (api.name !== name && !(imported?.name === 'default' && api.name === path.join('.'))) return false;
      if (api.module === undefined) return true;
      if (!imported) return false;
      return imported.module === api.module || imported.module.startsWith(`${api.module}/`) || this.resolve(imported.module) === api.module;
    });
  }
}

/**
 * Names a file can test that are gates: its own top-level constants and functions whose value or
 * return reads an environment switch, a flag API or an entitlement, or holds a flag evaluation
 * (`evaluations`: where the flag detection, the project's discovered APIs included, found one),
 * and the same from the workspace modules it imports them from (`IS_DOCUMENSO_CLOUD` from
 * `@documenso/lib/constants/app`, `isArchiveOn = () => isOn('archive')` from `lib/gates`).
 */
export async function gateNames(symbols: FileSymbols, apis: readonly FlagFunction[], resolve: (specifier: string) => string | undefined, load: (specifier: string) => Promise<TS.SourceFile | undefined>, evaluations: (tree: TS.SourceFile) => Promise<number[]>): Promise<Set<string>> {
  ts ??= typescript();
  const names = new Set<string>();
  const own = await evaluations(symbols.source);
  for (const [local, definition] of topLevelDefinitions(symbols.source)) if (readsGate(definition, new Gates(symbols, apis, resolve, new Set()), own)) names.add(local);
  const wanted = new Map<string, string[]>();
  for (const [local, imported] of symbols.imports) {
    if (imported.name === '*' || !(imported.module.startsWith('.') || resolve(imported.module))) continue;
    if (!/^[A-Z_][A-Z0-9_]*$|^(is|has|should|use|can)[A-Z]/.test(local)) continue;
    wanted.set(imported.module, [...(wanted.get(imported.module) ?? []), local]);
  }
  for (const [module, locals] of wanted) {
    const other = await load(module).catch(() => undefined);
    if (!other) continue;
    const definitions = topLevelDefinitions(other);
    const otherGates = new Gates(new FileSymbols(other), apis, () => undefined, new Set());
    const offsets = await evaluations(other);
    for (const local of locals) {
      const definition = definitions.get(symbols.imports.get(local)!.name);
      if (definition && readsGate(definition, otherGates, offsets)) names.add(local);
    }
  }
  return names;
}

/** `const X = …` and `function X() { … }` at the top of a module: the expression or body that defines X. */
function topLevelDefinitions(source: TS.SourceFile): Map<string, TS.Node> {
  const definitions = new Map<string, TS.Node>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) definitions.set(statement.name.text, statement.body);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.initializer) definitions.set(declaration.name.text, declaration.initializer);
    }
  }
  return definitions;
}

/** Whether a definition reads a gate or evaluates a flag: a small expression or body (a gate is a one-liner, not a module). */
function readsGate(definition: TS.Node, gates: Gates, evaluations: number[]): boolean {
  if (definition.getEnd() - definition.getStart() > 400) return false;
  if (evaluations.some((offset) => offset >= definition.getStart() && offset < definition.getEnd())) return true;
  let found = false;
  const visit = (node: TS.Node): void => {
    if (found) return;
    if (gates.isGateRead(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(definition);
  return found;
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Deno.env`… : the variable's name. */
function envVariable(node: TS.PropertyAccessExpression | TS.ElementAccessExpression): string | undefined {
  const name = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
  if (name === undefined) return undefined;
  const owner = node.expression.getText();
  return owner === 'process.env' || owner === 'import.meta.env' || owner === 'env' || owner === 'Bun.env' ? name : undefined;
}

/** `env('X')`, `getEnv('X')`, `Deno.env.get('X')`: an environment read by a helper. */
function isEnvCall(node: TS.CallExpression): boolean {
  const callee = node.expression.getText();
  return /^(env|getEnv|getEnvVar|readEnv|Deno\.env\.get|Env\.get)$/.test(callee) && !!node.arguments[0] && ts.isStringLiteralLike(node.arguments[0]);
}

/**
 * `this.configService.get('auth.uniformErrors')`, `config.getOrThrow('x.enabled')`: a NestJS-style
 * configuration service, whose values the deployment's environment sets. Read as on/off, it is
 * an environment switch under another name.
 */
function isConfigRead(node: TS.CallExpression): boolean {
  const path = accessPath(unwrap(node.expression));
  return !!path && path.length >= 2 && /^(get|getOrThrow|getBoolean)$/.test(path[path.length - 1]) && /^(configService|config|appConfig|configuration)$/i.test(path[path.length - 2]) && !!node.arguments[0] && ts.isStringLiteralLike(node.arguments[0]);
}

function envCallName(node: TS.CallExpression): string {
  return (node.arguments[0] as TS.StringLiteral).text;
}

function isDevCall(node: TS.CallExpression): boolean {
  return ts.isIdentifier(node.expression) && DEV_FUNCTION.test(node.expression.text);
}

/** An environment value read as on/off: named as a switch, compared with a boolean word, or tested as a boolean. */
function isSwitch(read: TS.Node, variable: string): boolean {
  if (SWITCH_NAME.test(variable)) return true;
  const parent = read.parent;
  if (ts.isBinaryExpression(parent) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(parent.operatorToken.kind)) {
    const other = parent.left === read ? parent.right : parent.left;
    return (ts.isStringLiteralLike(other) && BOOLEAN_TEXT.test(other.text)) || other.kind === ts.SyntaxKind.TrueKeyword || other.kind === ts.SyntaxKind.FalseKeyword;
  }
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return testedAsBoolean(parent.name);
  return ts.isPrefixUnaryExpression(parent) || ts.isIfStatement(parent) || (ts.isConditionalExpression(parent) && parent.condition === read);
}

/** `const uniformErrors = config.get('auth.uniformErrors'); if (uniformErrors) …`: a variable only ever tested as on/off. */
function testedAsBoolean(name: TS.Identifier): boolean {
  let scope: TS.Node = name.parent;
  while (!ts.isBlock(scope) && !ts.isSourceFile(scope) && scope.parent) scope = scope.parent;
  let uses = 0;
  let other = false;
  const visit = (node: TS.Node): void => {
    if (other) return;
    if (ts.isIdentifier(node) && node !== name && node.text === name.text && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
      const parent = node.parent;
      const test = (ts.isIfStatement(parent) && parent.expression === node) || (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) || (ts.isConditionalExpression(parent) && parent.condition === node) || (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken);
      if (test) uses++;
      else other = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return uses > 0 && !other;
}

/**
 * A test of the stage that is true only outside production (`NODE_ENV === 'development'`,
 * `NODE_ENV !== 'production'`, `import.meta.env.DEV`): code under it never runs for users. A test
 * that is true in production (`NODE_ENV === 'production'`) gates nothing.
 */
function onlyOutsideProduction(read: TS.Node, variable: string): boolean {
  if (variable === 'DEV') return true;
  const parent = read.parent;
  if (!ts.isBinaryExpression(parent)) return false;
  const other = parent.left === read ? parent.right : parent.left;
  if (!ts.isStringLiteralLike(other)) return false;
  const equals = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(parent.operatorToken.kind);
  return equals ? DEV_VALUE.test(other.text) : PRODUCTION_VALUE.test(other.text);
}

/** `claims.flags` inside `claims.flags.x`: the longest chain is judged, not each prefix. */
function isParentAccess(node: TS.Node): boolean {
  return ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node;
}

function isDeclarationName(node: TS.Identifier): boolean {
  const parent = node.parent;
  return (ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isParameter(parent) || ts.isPropertyAssignment(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent)) && (parent as { name?: TS.Node }).name === node;
}
