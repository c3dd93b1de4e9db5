import type { ResolvedConfig } from '../../config/config';
import { GIT_CONCURRENCY, mapLimit } from '../../engine/concurrency';
import { SourceDocument } from '../../engine/document';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import { FlagApiIndex } from './apis/flagApiIndex';
import type { FlagApi } from './apis/model';
import type { CodeContext } from './codeContext';
import { emptyFacts, type ClientModules, type CodeDeclaration, type FileFlagFacts, type HomeGrownFlags, type KeyPart, type RawReference, type SymbolicKey } from './detect/model';
import { detectByPattern, patternLanguage } from './detect/patterns';
import { flagOptions } from './options';
import { editionMarkers, permanenceByName } from './permanence';
import type { RegistryEntry } from './registry';
import { detectCode, mayHoldFlags, scanFlags, type FlagScan } from './scan';
import { CODE } from './sdkImports';
import { redactTokens } from '../secret/report';
import { isGenerated } from '../../engine/generated';

export { clientModules, workspaceClients } from './clients';

/** `expired`: past the registry's expiry date; `stale`: temporary and old with no expiry, or marked stale. */
export type FlagState = 'expired' | 'stale' | 'active' | 'unregistered' | 'dead' | 'unresolved';

export interface InventoryLocation {
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface InventoryReference extends InventoryLocation {
  kind: RawReference['kind'];
  /**
   * A reference outside production code: in a test, fixture, mock or story (`test`), or in
   * documentation or an example (`documentation`). It never makes a flag on its own.
   */
  context?: Exclude<CodeContext, 'production'>;
  /** The project's own API it goes through (`useUiFlag`, `FlagResolver.isEnabled`). */
  via?: string;
}

export interface InventoryFlag {
  key: string;
  provider: string;
  state: FlagState;
  /** Why the state: `expired 2026-10-01`, `temporary, 143 days old, no expiry`. */
  reason?: string;
  references: InventoryReference[];
  defaults: string[];
  firstSeen?: string;
  lastChanged?: string;
  ageDays?: number;
  owner?: string;
  expires?: string;
  description?: string;
  kind?: 'temporary' | 'permanent';
  /** Why it stays (kill switch, operational switch, entitlement): from the registry, else from its key. Never stale. */
  permanent?: string;
  rolledOut?: boolean;
  /** What makes it rolled out, and where each is written (a registry entry, every definition that turns it on). */
  rolledOutBecause?: (InventoryLocation & { reason: string })[];
  /** Temporary, and past its expiry or older than the threshold: why. Independent of `unregistered`. */
  stale?: string;
  /** Evaluated in code, missing from the workspace's registry file (flags.yaml, a provider snapshot). */
  unregistered?: boolean;
  /** What it answers, as declared or as the evaluating APIs say: `boolean`, `variant`, `json`, `boolean | variant`. */
  valueType?: string;
  /** What is declared of it: the default a definition gives, the state and variations a registry or snapshot gives. */
  declared?: { default?: string; state?: string; variations?: string[] };
  /** Where the registry names the flag: its key, 1-based lines and columns, the end exclusive. */
  registry?: InventoryLocation;
  /**
   * Every place that declares it: registry files and snapshots, key unions, typed feature maps,
   * enums, definitions. `generated`: in a file a tool generated (a provider CLI's typing of the
   * whole account), which nobody deletes a flag from by hand.
   */
  declarations?: (InventoryLocation & { source: string; generated?: true })[];
}

export interface Inventory {
  version: 1;
  flags: InventoryFlag[];
}

/**
 * A flag as the inventory's outputs show it (CLI, the Feature Flags view, hover): a key, default,
 * owner or description that holds a token is named as a secret is (`redactTokens`). The
 * inventory itself keeps the real key, which the rules and the removal match code against.
 */
export function shownFlag<T extends InventoryFlag>(flag: T): T {
  const reason = flag.reason && redactTokens(flag.reason);
  const owner = flag.owner && redactTokens(flag.owner);
  const description = flag.description && redactTokens(flag.description);
  return { ...flag, key: redactTokens(flag.key), defaults: flag.defaults.map(redactTokens), ...(reason && { reason }), ...(owner && { owner }), ...(description && { description }) };
}

/** Whether a key is shown redacted: such a key is never copied elsewhere (a registry entry, a completion). */
export function isSecretKey(key: string): boolean {
  return redactTokens(key) !== key;
}

/**
 * The flag references, declarations and APIs of one file, as the inventory finds them. `apis`:
 * the project's own flag APIs (`workspaceDetectionEnv`), without which only
 * the providers' SDKs, the configured home-grown flags and the `clients` (the workspace's own
 * modules wrapping an SDK) count.
 */
export function detectFlags(relPath: string, text: string, homeGrown: HomeGrownFlags, clients: ClientModules = NO_CLIENTS, apis?: FlagApiIndex, referencesOnly = false): FileFlagFacts {
  // A Vue component's `<script>` blocks are read as code (`parseSource`), at their places in the file.
  if (CODE.test(relPath) || relPath.endsWith('.vue')) {
    const env = { homeGrown, clients, apis: apis ?? FlagApiIndex.catalogOnly(clients), referencesOnly };
    if (![...env.apis.names].some((name) => text.includes(name)) && !mayHoldFlags(text, homeGrown, clients)) return emptyFacts();
    return detectCode(relPath, text, env);
  }
  return detectByPattern(patternLanguage(relPath) ? text : '', relPath);
}

const NO_CLIENTS: ClientModules = new Map();

/** The key the inventory is cached under as a workspace-wide fact. */
export const INVENTORY_FACT = 'flag/inventory';

/**
 * The inventory as a workspace-wide fact: built once per state of the files (git blames
 * included) and shared by the rules, the Feature Flags view, hovers and completion, which ask
 * after every diagnostics pull or keystroke.
 */
export function workspaceInventory(workspace: WorkspaceContext): Promise<Inventory> {
  return workspace.derived(INVENTORY_FACT, () => buildInventory(workspace)).promise;
}

/**
 * `only`: the files a caller needs, found by text search (a removal's candidates). Only they and
 * the production code the flag APIs are discovered in are detected, and no git dates are looked
 * up: one flag's references without the whole inventory's work. Lifecycle states then come from
 * the registry alone.
 */
export async function buildInventory(workspace: WorkspaceContext, now = new Date(), only?: ReadonlySet<string>): Promise<Inventory> {
  const config = await workspace.config();
  const scan = await scanFlags(workspace, only);
  return aggregate(workspace, scan, config, now, !only);
}

/**
 * The inventory of a removal's candidate files (`only`, as `buildInventory` reads them), with the
 * project's flag APIs they were read through: what a call of one answers is the flag's own value.
 */
export async function candidateInventory(workspace: WorkspaceContext, only: ReadonlySet<string>): Promise<{ inventory: Inventory; apis: FlagApi[] }> {
  const config = await workspace.config();
  const scan = await scanFlags(workspace, only);
  return { inventory: await aggregate(workspace, scan, config, new Date(), false), apis: scan.apis };
}

interface Resolved {
  key: string;
  file: string;
  reference: RawReference;
  context: CodeContext;
}

async function aggregate(workspace: WorkspaceContext, scan: FlagScan, config: ResolvedConfig, now: Date, gitDates: boolean): Promise<Inventory> {
  const options = flagOptions(config);
  const files = scan.files;
  const docs = new Map<string, SourceDocument>();
  const docOf = (relPath: string) => {
    let doc = docs.get(relPath);
    if (!doc) docs.set(relPath, (doc = new SourceDocument(relPath, files.get(relPath)!.text)));
    return doc;
  };
  const location = (relPath: string, start: number, end: number): InventoryLocation => {
    const doc = docOf(relPath);
    const from = doc.positionAt(start);
    const to = doc.positionAt(end);
    return { file: relPath, startLine: from.line + 1, startColumn: from.character + 1, endLine: to.line + 1, endColumn: to.character + 1 };
  };
  const resolver = new KeyResolver(scan);

  // References, their keys resolved; the ones no key was found for are grouped by expression.
  const resolved: Resolved[] = [];
  const unresolved = new Map<string, InventoryFlag>();
  for (const [relPath, file] of files) {
    for (const reference of file.facts.references) {
      const key = reference.key ?? resolver.key(relPath, reference);
      if (key !== undefined) {
        resolved.push({ key, file: relPath, reference, context: file.context });
        continue;
      }
      if (file.context !== 'production' || reference.weak) continue;
      const expression = reference.expression ?? resolver.label(reference);
      const id = `${reference.provider}\0${expression}`;
      const group = unresolved.get(id) ?? { key: expression, provider: reference.provider, state: 'unresolved' as FlagState, reason: '', references: [], defaults: [] };
      group.references.push({ ...location(relPath, reference.start, reference.end), kind: reference.kind, ...(reference.via ? { via: reference.via } : {}) });
      group.reason = `the key is computed, so it cannot be matched to a flag (${group.references.length} ${group.references.length === 1 ? 'reference' : 'references'})`;
      unresolved.set(id, group);
    }
  }
  // A key evaluated through a flag API in production code is a flag; weak reads and tests only add to flags.
  const strong = new Set(resolved.filter((r) => r.context === 'production' && !r.reference.weak).map((r) => r.key));
  // Registries in files: flags.yaml, flagd, and the providers' snapshots of this project's flags
  // (a snapshot none of whose flags the code evaluates is data, such as an import fixture). The
  // first entry of a key wins.
  const registered = new Map<string, RegistryEntry[]>();
  for (const [, file] of files) {
    const snapshot = file.registry.length > 0 && file.registry[0].source !== 'deployrisk' && file.registry[0].source !== 'flagd';
    if (snapshot && !file.registry.some((item) => strong.has(item.key))) continue;
    for (const item of file.registry) registered.set(item.key, [...(registered.get(item.key) ?? []), item]);
  }
  const declarations = acceptedDeclarations(scan, strong, resolver);
  const byCamelCase = new Map<string, string>();
  for (const key of [...registered.keys(), ...declarations.keys()]) if (!byCamelCase.has(camelCaseKey(key))) byCamelCase.set(camelCaseKey(key), key);

  const flags = new Map<string, InventoryFlag>();
  const flagOf = (key: string, provider: string) => {
    let flag = flags.get(key);
    if (!flag) flags.set(key, (flag = { key, provider, state: 'active', references: [], defaults: [] }));
    return flag;
  };
  const keyOf = ({ key, reference }: Resolved) => (reference.camelCased ? (byCamelCase.get(key) ?? key) : key);
  const makes = (r: Resolved) => r.context === 'production' && !r.reference.weak;
  // Production evaluations make flags, then declarations and registries; weak reads, tests and documentation only add to them.
  for (const r of resolved) if (makes(r)) flagOf(keyOf(r), r.reference.provider);
  for (const key of declarations.keys()) flagOf(key, 'declared');
  for (const key of registered.keys()) flagOf(key, 'registry');
  const returns = new Map<string, Set<string>>();
  // Why a flag stays, as the API evaluating it says (a django-waffle switch is operational) or its
  // declared type (a JSON value is remote configuration: a banner's content, a widget's settings).
  const permanentByUse = new Map<string, string>();
  // Flags an evaluation hands on whole as data, and flags some evaluation reads otherwise (tests, compares).
  const asData = new Set<string>();
  const testedOrUsed = new Set<string>();
  for (const r of resolved) {
    const { file, reference, context } = r;
    const flag = flags.get(keyOf(r));
    if (!flag) continue;
    // One key evaluated through two SDKs (a server and a React one) lists both.
    if (makes(r) && !flag.provider.split(', ').includes(reference.provider)) flag.provider = `${flag.provider}, ${reference.provider}`;
    flag.references.push({ ...location(file, reference.start, reference.end), kind: reference.kind, ...(context !== 'production' ? { context } : {}), ...(reference.via ? { via: reference.via } : {}) });
    if (context !== 'production') continue;
    if (reference.defaultValue !== undefined && !flag.defaults.includes(reference.defaultValue)) flag.defaults.push(reference.defaultValue);
    if (reference.returns) returns.set(flag.key, (returns.get(flag.key) ?? new Set()).add(reference.returns));
    if (reference.permanence) permanentByUse.set(flag.key, reference.permanence);
    if (reference.kind === 'evaluation') (reference.asData ? asData : testedOrUsed).add(flag.key);
  }
  for (const key of asData) if (!testedOrUsed.has(key)) permanentByUse.set(key, 'remote configuration (its value is only handed on as data)');
  const markers = editionMarkersOf(declarations);
  for (const [key, list] of declarations) {
    const flag = flags.get(key)!;
    if (markers.has(key)) permanentByUse.set(key, 'entitlement (an upper-case edition or plan code among the declared flags)');
    flag.declarations = list.map(({ file, declaration }) => ({ ...location(file, declaration.start, declaration.end), source: declaration.container, ...(isGenerated(files.get(file)!.text) ? { generated: true as const } : {}) }));
    const valueType = list.find((d) => d.declaration.valueType)?.declaration.valueType;
    if (valueType === 'json') permanentByUse.set(key, 'remote configuration (declared as a JSON value)');
    if (valueType) flag.valueType = valueType;
    const declaredDefault = list.find((d) => d.declaration.defaultValue)?.declaration.defaultValue?.text;
    if (declaredDefault !== undefined) flag.declared = { default: declaredDefault };
    const description = list.find((d) => d.declaration.description)?.declaration.description;
    if (description) flag.description = description;
  }
  for (const [key, items] of registered) {
    const flag = flags.get(key)!;
    const item = items[0];
    const at = location(item.file, item.start, item.end);
    Object.assign(flag, {
      owner: item.owner,
      expires: item.expires,
      description: item.description ?? flag.description,
      kind: item.kind,
      registry: at,
      declarations: [...items.map((i) => ({ ...location(i.file, i.start, i.end), source: i.source })), ...(flag.declarations ?? [])],
      ...(item.state || item.variations ? { declared: { ...flag.declared, ...(item.state ? { state: item.state } : {}), ...(item.variations ? { variations: item.variations } : {}) } } : {}),
    });
  }
  for (const flag of flags.values()) {
    if (!flag.registry && flag.declarations?.length) flag.registry = withoutSource(flag.declarations[0]);
    if (!flag.valueType && returns.has(flag.key)) flag.valueType = [...returns.get(flag.key)!].join(' | ');
  }

  if (gitDates) await addGitDates(workspace, flags, registered);
  const ahead = gitDates ? await declaredAhead(workspace, flags, registered) : new Set<string>();
  const hasRegistryFile = registered.size > 0;
  const today = now.toISOString().slice(0, 10);
  for (const flag of flags.values()) {
    const item = registered.get(flag.key)?.[0];
    if (item?.created) flag.firstSeen = item.created;
    if (flag.firstSeen) flag.ageDays = Math.floor((now.getTime() - Date.parse(flag.firstSeen)) / 86_400_000);
    const evaluations = flag.references.filter((r) => r.kind === 'evaluation' && !r.context);
    // A typing generated from the provider's account lists flags other apps of that account
    // evaluate: one this code does not evaluate is not dead unless the project itself declares it.
    const declared = item !== undefined || (flag.declarations ?? []).some((d) => !d.generated);
    const dead = declared && evaluations.length === 0 && !ahead.has(flag.key);
    const permanent = item?.kind === 'permanent' ? (item.permanence ?? `kind: permanent in ${item.file}`) : item?.kind === 'temporary' ? undefined : (permanenceByName(flag.key) ?? permanentByUse.get(flag.key));
    if (permanent) Object.assign(flag, { permanent, kind: flag.kind ?? 'permanent' });
    const rolledOut = rolledOutFact(item, declarations.get(flag.key), location);
    if (rolledOut && !permanent) Object.assign(flag, { rolledOut: true, rolledOutBecause: rolledOut });
    const expired = flag.expires && flag.expires < today ? `expired on ${flag.expires}` : undefined;
    const old = !flag.permanent && !flag.expires && !flag.rolledOut && evaluations.length > 0 && flag.ageDays !== undefined && flag.ageDays > options.staleAfterDays ? `temporary, ${flag.ageDays} days old, no expiry` : undefined;
    const stale = expired ?? old ?? (dead ? undefined : item?.markedStale);
    if (stale) flag.stale = stale;
    if (hasRegistryFile && !item && evaluations.length > 0) flag.unregistered = true;
    if (dead) [flag.state, flag.reason] = ['dead', item ? 'registered, but no code evaluates it' : 'declared, but no code evaluates it'];
    else if (expired) [flag.state, flag.reason] = ['expired', expired];
    else if (stale) [flag.state, flag.reason] = ['stale', stale];
    else if (flag.unregistered) [flag.state, flag.reason] = ['unregistered', 'evaluated in code, missing from the flag registry'];
  }
  const sorted = [...flags.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  return { version: 1, flags: [...sorted, ...unresolved.values()] };
}

/**
 * Teams add a flag's key first and the code evaluating it next: a flag that nothing evaluates and
 * that none of the files declaring it named two weeks before HEAD's commit is declared ahead of
 * its code, not dead. The files are read as of then (a blame dates a line's last edit: a comment
 * added to an old key, a merge fix). Without a commit that old, nothing is declared ahead.
 */
const DECLARED_AHEAD_DAYS = 14;

async function declaredAhead(workspace: WorkspaceContext, flags: Map<string, InventoryFlag>, registered: Map<string, RegistryEntry[]>): Promise<Set<string>> {
  const git = await workspace.git();
  const head = git.repoRoot ? await git.headTime() : null;
  const ahead = new Set<string>();
  if (head === null) return ahead;
  const since = new Date((head - DECLARED_AHEAD_DAYS * 86_400) * 1000).toISOString().slice(0, 10);
  const then = new Map<string, Promise<string | null>>();
  const textThen = (file: string) => {
    let text = then.get(file);
    if (!text) then.set(file, (text = git.textBefore(file, head - DECLARED_AHEAD_DAYS * 86_400)));
    return text;
  };
  for (const flag of flags.values()) {
    const recent = (registered.get(flag.key)?.[0].created ?? flag.firstSeen ?? '') >= since;
    if (!recent || !flag.declarations?.length || flag.references.some((r) => r.kind === 'evaluation' && !r.context)) continue;
    const before = await Promise.all([...new Set(flag.declarations.map((d) => d.file))].map(textThen));
    if (before.every((text) => text !== null && !text.includes(flag.key))) ahead.add(flag.key);
  }
  return ahead;
}

function withoutSource({ file, startLine, startColumn, endLine, endColumn }: InventoryLocation & { source: string }): InventoryLocation {
  return { file, startLine, startColumn, endLine, endColumn };
}

/** The keys each declaring container (a union, a typed map) marks as editions or plans by their case. */
function editionMarkersOf(declarations: Map<string, { file: string; declaration: CodeDeclaration }[]>): Set<string> {
  const containers = new Map<string, string[]>();
  for (const [key, list] of declarations) {
    for (const { file, declaration } of list) {
      const id = `${file}\0${declaration.container}`;
      const keys = containers.get(id);
      if (keys) keys.push(key);
      else containers.set(id, [key]);
    }
  }
  return new Set([...containers.values()].flatMap((keys) => [...editionMarkers(keys)]));
}

/** A registry that says the flag is fully on, or the definitions whose declared default is `true` (a temporary flag on for everyone). */
function rolledOutFact(item: RegistryEntry | undefined, declared: { file: string; declaration: CodeDeclaration }[] | undefined, location: (file: string, start: number, end: number) => InventoryLocation): (InventoryLocation & { reason: string })[] | undefined {
  if (item?.rolledOutBecause) return [{ ...location(item.file, item.rolledOutBecause.start, item.rolledOutBecause.end), reason: item.rolledOutBecause.reason }];
  const on = (declared ?? []).filter((d) => d.declaration.shape === 'definition' && d.declaration.defaultValue?.text === 'true');
  return on.length ? on.map((d) => ({ ...location(d.file, d.declaration.defaultValue!.start, d.declaration.defaultValue!.end), reason: `its ${d.declaration.container} definition turns it on by default` })) : undefined;
}

/**
 * The code declarations that are a registry: definitions typed as flags; a union, type, enum or
 * object whose name says flags once one of its keys is evaluated through a flag API; and any of
 * them a flag API or SDK is typed with (`key: IFlagKey`, `GrowthBook<AppFeatures>`). Tests and
 * documentation declare nothing.
 */
function acceptedDeclarations(scan: FlagScan, strong: Set<string>, resolver: KeyResolver): Map<string, { file: string; declaration: CodeDeclaration }[]> {
  const evidence = new Set<string>();
  for (const [relPath, file] of scan.files) {
    if (file.context !== 'production') continue;
    for (const use of file.facts.registryTypes) {
      const declaring = use.module ? resolver.declaringFile(relPath, use.module, use.name) : relPath;
      if (declaring) evidence.add(`${declaring}\0${use.name}`);
    }
  }
  const accepted = new Map<string, { file: string; declaration: CodeDeclaration }[]>();
  for (const [relPath, file] of scan.files) {
    if (file.context !== 'production' || file.facts.declarations.length === 0) continue;
    const containers = new Map<string, CodeDeclaration[]>();
    for (const declaration of file.facts.declarations) containers.set(declaration.container, [...(containers.get(declaration.container) ?? []), declaration]);
    for (const [container, list] of containers) {
      const confidence = list[0].confidence;
      // Two of its keys evaluated: one could share a name by chance (`type ClientSpecFeature = 'segments' | 'deltaApi'`).
      const accept = confidence === 'definition' || evidence.has(`${relPath}\0${container}`) || (confidence === 'named' && list.filter((d) => strong.has(d.key)).length >= 2);
      if (!accept) continue;
      for (const declaration of list) accepted.set(declaration.key, [...(accepted.get(declaration.key) ?? []), { file: relPath, declaration }]);
    }
  }
  return accepted;
}

/** Keys held by constants of other modules, found as the compiler and the runtime find the modules. */
class KeyResolver {
  constructor(private readonly scan: FlagScan) {}

  key(fromFile: string, reference: RawReference): string | undefined {
    if (reference.symbol) return this.symbol(fromFile, reference.symbol);
    if (reference.template) return this.template(fromFile, reference.template);
    return undefined;
  }

  /** How an unresolved reference is listed. */
  label(reference: RawReference): string {
    return reference.symbol ? reference.symbol.path.join('.') : '(computed)';
  }

  /** The file that declares the type `name` imported from `module`, through re-exports. */
  declaringFile(fromFile: string, module: string, name: string): string | undefined {
    const file = this.scan.resolver.resolveJs(fromFile, module);
    return file && this.follow(file, name, new Set(), (target, exported) => (this.scan.files.get(target)?.facts.declarations.some((d) => d.container === exported) ? target : undefined));
  }

  private template(fromFile: string, parts: KeyPart[]): string | undefined {
    let text = '';
    for (const part of parts) {
      const value = typeof part === 'string' ? part : this.symbol(fromFile, part);
      if (value === undefined) return undefined;
      text += value;
    }
    return text;
  }

  private symbol(fromFile: string, symbol: SymbolicKey): string | undefined {
    const python = symbol.language === 'python';
    const file = python ? this.scan.resolver.resolvePython(fromFile, symbol.module) : this.scan.resolver.resolveJs(fromFile, symbol.module);
    const found = file ? this.exported(file, symbol.path, new Set(), python) : undefined;
    if (found !== undefined || !python || symbol.path.length < 2) return found;
    // `from app import flags` then `flags.NEW_SEARCH`: a submodule of the package.
    const submodule = this.scan.resolver.resolvePython(fromFile, `${symbol.module}${symbol.module.endsWith('.') ? '' : '.'}${symbol.path[0]}`);
    return submodule ? this.exported(submodule, symbol.path.slice(1), new Set(), true) : undefined;
  }

  private exported(file: string, path: string[], seen: Set<string>, python: boolean): string | undefined {
    const [name, ...rest] = path;
    if (name === undefined) return undefined;
    return this.follow(file, name, seen, (target, exported) => {
      const value = this.scan.exportsOf(target)?.values.get(exported);
      if (typeof value === 'string' && rest.length === 0) return value;
      if (value instanceof Map && rest.length > 0) return value.get(rest.join('.'));
      if (Array.isArray(value) && rest.length === 0) return this.template(target, value);
      return undefined;
    }, python, rest);
  }

  /** Looks `name` up in a module, then through what it re-exports (named, namespace, `*`). */
  private follow<T>(file: string, name: string, seen: Set<string>, found: (file: string, name: string) => T | undefined, python = false, rest: string[] = []): T | undefined {
    const id = `${file}\0${name}`;
    if (seen.has(id) || seen.size > 32) return undefined;
    seen.add(id);
    const direct = found(file, name);
    if (direct !== undefined) return direct;
    const exports = this.scan.exportsOf(file);
    if (!exports) return undefined;
    const resolve = (module: string) => (python ? this.scan.resolver.resolvePython(file, module) : this.scan.resolver.resolveJs(file, module));
    const reexport = exports.reexports.get(name);
    if (reexport) {
      const target = resolve(reexport.module);
      if (!target) return undefined;
      if (reexport.name === '*') return rest.length ? this.follow(target, rest[0], seen, found, python, rest.slice(1)) : undefined;
      return this.follow(target, reexport.name, seen, found, python, rest);
    }
    for (const module of exports.star) {
      const target = resolve(module);
      const value = target ? this.follow(target, name, seen, found, python, rest) : undefined;
      if (value !== undefined) return value;
    }
    return undefined;
  }
}

/**
 * First and last commit dates of each flag's lines, from git blame (trusted workspaces): its
 * declarations when it has some (a flag is as old as the line that declares it, and one blame of
 * a key union dates all its flags), else its production references.
 */
async function addGitDates(workspace: WorkspaceContext, flags: Map<string, InventoryFlag>, registered: Map<string, RegistryEntry[]>): Promise<void> {
  const git = await workspace.git();
  if (!git.repoRoot) return;
  const linesOf = (flag: InventoryFlag) => (flag.declarations?.length ? flag.declarations : flag.references.filter((r) => !r.context));
  const byFile = new Map<string, Set<number>>();
  for (const flag of flags.values()) {
    if (registered.get(flag.key)?.[0].created) continue;
    for (const ref of linesOf(flag)) byFile.set(ref.file, (byFile.get(ref.file) ?? new Set()).add(ref.startLine));
  }
  // One blame per file, a few at a time: git works while the next one starts.
  const blamed = await mapLimit([...byFile], GIT_CONCURRENCY, ([file, lineSet]) => git.lineLastChanged(file, [...lineSet]));
  const dates = new Map([...byFile.keys()].map((file, i) => [file, blamed[i]]));
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
  for (const flag of flags.values()) {
    const times = linesOf(flag).map((r) => dates.get(r.file)?.get(r.startLine)).filter((t): t is number => t !== undefined);
    if (times.length === 0) continue;
    flag.firstSeen ??= iso(Math.min(...times));
    flag.lastChanged = iso(Math.max(...times));
  }
}

/** LaunchDarkly's React SDK hands `new-checkout` out as `newCheckout`. */
export function camelCaseKey(key: string): string {
  // `(.?)` always matches, so each run of separators is looked at once (not from each of its characters).
  return key.replace(/[-_.\s]+(.?)/g, (run: string, next: string) => (/^[a-zA-Z0-9]$/.test(next) ? next.toUpperCase() : run));
}

