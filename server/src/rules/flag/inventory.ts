import * as path from 'node:path';
import type { ResolvedConfig } from '../../config/config';
import { GIT_CONCURRENCY, IO_CONCURRENCY, mapLimit } from '../../engine/concurrency';
import { SourceDocument } from '../../engine/document';
import { hasFollowedBy } from '../../engine/followedBy';
import type { RuleContext } from '../../engine/rule';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import type { IndexedFile } from '../../workspace/contracts';
import { FLAG_CALLS, FLAG_COMPONENTS, PROPERTY_HOOKS } from './catalog';
import { detectByPattern } from './detect/patterns';
import { detectTypeScript, mentionsProviderClient } from './detect/typescript';
import { isUnparsed, parseSource } from './detect/typescriptModule';
import { isStackOverflow, noteTooDeep } from '../../engine/stackDepth';
import { expressionLabel, type ClientModules, type FileFlagFacts, type HomeGrownFlags, type RawReference } from './detect/model';
import { flagOptions } from './options';
import { parseRegistry, type RegistryEntry } from './registry';
import { redactTokens } from '../secret/report';

export type FlagState = 'stale' | 'active' | 'unregistered' | 'dead' | 'unresolved';

export interface InventoryReference {
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  kind: RawReference['kind'];
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
  rolledOut?: boolean;
  /** Where the registry names the flag: its key, 1-based lines and columns, the end exclusive. */
  registry?: { file: string; startLine: number; startColumn: number; endLine: number; endColumn: number };
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

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;
const PATTERN_CODE = /\.(py|go|rb|java|kt)$/;

/** What one file contributes; recomputed only when the file changes (incremental inventory). */
interface FileEntry {
  mtimeMs: number;
  size: number;
  text: string;
  facts: FileFlagFacts;
  registry: RegistryEntry[];
}

const perWorkspace = new WeakMap<WorkspaceContext, Map<string, FileEntry>>();
const EMPTY_FACTS: FileFlagFacts = { references: [], exports: new Map() };
const TOO_DEEP_FACTS: FileFlagFacts = { references: [], exports: new Map(), tooDeep: true };

/**
 * The flag references and key constants of one file. `clients`: the workspace's own modules that
 * wrap a flag SDK (`lib/flags.ts` exporting a configured LaunchDarkly client), so a call through
 * what they export counts as a call to that SDK.
 */
export function detectFlags(relPath: string, text: string, homeGrown: HomeGrownFlags, clients: ClientModules = NO_CLIENTS): FileFlagFacts {
  if (CODE.test(relPath)) {
    if (!mayHoldFlags(text, homeGrown, clients)) return EMPTY_FACTS;
    try {
      const facts = detectTypeScript(relPath, text, homeGrown, clients);
      return isUnparsed(parseSource(relPath, text)) ? TOO_DEEP_FACTS : facts;
    } catch (error) {
      if (isStackOverflow(error)) return TOO_DEEP_FACTS;
      throw error;
    }
  }
  if (PATTERN_CODE.test(relPath)) return detectByPattern(text);
  return { references: [], exports: new Map() };
}

const NO_CLIENTS: ClientModules = new Map();

/** The key the inventory is cached under as a workspace-wide fact. */
export const INVENTORY_FACT = 'flag/inventory';
const CLIENTS_FACT = 'flag/clients';

/**
 * The inventory as a workspace-wide fact: built once per state of the files (git blames
 * included) and shared by the rules, the Feature Flags view, hovers and completion, which ask
 * after every diagnostics pull or keystroke.
 */
export function workspaceInventory(workspace: WorkspaceContext): Promise<Inventory> {
  return workspace.derived(INVENTORY_FACT, () => buildInventory(workspace)).promise;
}

/** The workspace's client modules, waited for (hovers, completion, the inventory itself). */
export async function workspaceClients(workspace: WorkspaceContext): Promise<ClientModules> {
  return new Map(await workspace.derived(CLIENTS_FACT, () => findClientModules(workspace)).promise);
}

/** The workspace's client modules for a rule: in the editor, none until they are known (it refreshes then). */
export async function clientModules(ctx: RuleContext): Promise<ClientModules> {
  const pairs = await ctx.workspaceFact(CLIENTS_FACT, () => findClientModules(ctx.workspace));
  return pairs ? new Map(pairs) : NO_CLIENTS;
}

/**
 * Code files that import a flag SDK, with its packages: a project's `lib/flags.ts` exporting a
 * configured client is one, and what other files import from it is that SDK's. Plain data (pairs),
 * so the editor's scan process can hand it over.
 */
async function findClientModules(workspace: WorkspaceContext): Promise<[string, string[]][]> {
  const { files } = await workspace.files();
  const code = files.filter((file) => CODE.test(file.relPath));
  const texts = await mapLimit(code, IO_CONCURRENCY, (file) => workspace.readText(file.relPath).catch(() => ''));
  return code.flatMap((file, i) => {
    const sdks = SDK_IMPORT.test(texts[i]) ? SDK_PACKAGES.filter((pkg) => texts[i].includes(`'${pkg}`) || texts[i].includes(`"${pkg}`)) : [];
    return sdks.length ? [[file.relPath, sdks] as [string, string[]]] : [];
  });
}

/**
 * `only`: the files a caller needs, found by text search (a removal's candidates). Only they are
 * read and detected, in a cache of their own, and no git dates are looked up: one flag's
 * references in a fraction of the time of the whole inventory. Lifecycle states then come from
 * the registry alone.
 */
export async function buildInventory(workspace: WorkspaceContext, now = new Date(), only?: ReadonlySet<string>): Promise<Inventory> {
  const config = await workspace.config();
  const options = flagOptions(config);
  const clients = await workspaceClients(workspace);
  const { files } = await workspace.files();
  let cache = new Map<string, FileEntry>();
  if (!only) {
    // A module that starts or stops wrapping an SDK changes what other files' calls mean: all are detected again.
    const signature = JSON.stringify([...clients].sort());
    if (signatures.get(workspace) !== signature) perWorkspace.delete(workspace);
    signatures.set(workspace, signature);
    cache = perWorkspace.get(workspace) ?? cache;
    perWorkspace.set(workspace, cache);
  }
  const relevant = files.filter((file) => (CODE.test(file.relPath) || PATTERN_CODE.test(file.relPath) || /\.(ya?ml|json)$/.test(file.relPath)) && (!only || only.has(file.relPath)));
  const seen = new Set(relevant.map((file) => file.relPath));
  const changed = relevant.filter((file) => {
    const cached = cache.get(file.relPath);
    return !cached || cached.mtimeMs !== file.mtimeMs || cached.size !== file.size;
  });
  await mapLimit(changed, IO_CONCURRENCY, async (file) => {
    // Files without flags are cached too (as empty), so an update re-reads only what changed.
    cache.set(file.relPath, (await readEntry(workspace, file, options.homeGrown, clients)) ?? { mtimeMs: file.mtimeMs, size: file.size, text: '', facts: EMPTY_FACTS, registry: [] });
  });
  for (const relPath of [...cache.keys()]) {
    if (seen.has(relPath)) continue;
    cache.delete(relPath);
    workspace.note(`flag/registry-size:${relPath}`, undefined);
    noteTooDeep(workspace, relPath, false, 'flag checks');
  }
  return aggregate(workspace, cache, config, now, !only);
}

/** The client modules each workspace's cached detections were made with. */
const signatures = new WeakMap<WorkspaceContext, string>();

const SDK_PACKAGES = [...new Set([...FLAG_CALLS, ...FLAG_COMPONENTS, ...PROPERTY_HOOKS].flatMap((entry) => entry.packages))];
/** A quoted module name starting with an SDK's package: one scan of the text instead of one per package (44 of them). */
const SDK_IMPORT = new RegExp(`['"](?:${SDK_PACKAGES.map((pkg) => pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})`);

/**
 * A cheap test before the syntax tree: the file imports a flag SDK, reads the environment, uses a
 * home-grown flag name, or exports string constants (keys other files may import).
 */
function mayHoldFlags(text: string, homeGrown: HomeGrownFlags, clients: ClientModules): boolean {
  return (
    SDK_IMPORT.test(text) ||
    importsClientModule(text, clients) ||
    mentionsProviderClient(text) ||
    text.includes('.env.') ||
    homeGrown.functions.some((f) => text.includes(f.name)) ||
    homeGrown.components.some((c) => text.includes(`<${c.name}`)) ||
    exportsConstants(text)
  );
}

/** Whether the text exports a constant or enum a key may come from (`export const KEY = 'x'`, `export enum Flags {`). */
export function exportsConstants(text: string): boolean {
  return hasFollowedBy(text, /export\s+(?:const|enum)\b/, /=\s*['"`{]|\{/);
}

const clientStems = new WeakMap<ClientModules, Set<string>>();
const IMPORTED = /(?:\bfrom|\bimport(?:\s*\()?|\brequire\s*\()\s*['"]([^'"\n]{1,300})['"]/g;

/** Whether the text imports a module named like one of the workspace's client modules (`./lib/flags`). */
export function importsClientModule(text: string, clients: ClientModules): boolean {
  if (clients.size === 0) return false;
  let stems = clientStems.get(clients);
  if (!stems) clientStems.set(clients, (stems = new Set([...clients.keys()].map(stemOf))));
  for (const match of text.matchAll(IMPORTED)) if (stems.has(stemOf(match[1]))) return true;
  return false;
}

function stemOf(modulePath: string): string {
  return path.posix.basename(modulePath).replace(/\.[^.]+$/, '');
}

async function readEntry(workspace: WorkspaceContext, file: IndexedFile, homeGrown: HomeGrownFlags, clients: ClientModules): Promise<FileEntry | null> {
  const text = await workspace.readText(file.relPath).catch(() => null);
  if (text === null) return null;
  const { entries: registry, tooLarge } = /\.(ya?ml|json)$/.test(file.relPath) ? parseRegistry(file.relPath, text) : { entries: [], tooLarge: undefined };
  workspace.note(`flag/registry-size:${file.relPath}`, tooLarge);
  const facts = detectFlags(file.relPath, text, homeGrown, clients);
  noteTooDeep(workspace, file.relPath, facts.tooDeep === true, 'flag checks');
  if (registry.length === 0 && facts.references.length === 0 && facts.exports.size === 0) return null;
  return { mtimeMs: file.mtimeMs, size: file.size, text, facts, registry };
}

async function aggregate(workspace: WorkspaceContext, cache: Map<string, FileEntry>, config: ResolvedConfig, now: Date, gitDates: boolean): Promise<Inventory> {
  const options = flagOptions(config);
  // Files are read in parallel, so the cache's order is arrival order: path order keeps the
  // inventory (provider lists, reference order, which duplicate registry entry wins) deterministic.
  const files = [...cache].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const registry = new Map<string, RegistryEntry>();
  for (const [, entry] of files) for (const item of entry.registry) registry.set(item.key, item);
  const hasRegistry = registry.size > 0;
  // Registered keys by their camelCase form (the first registered wins), looked up per reference.
  const byCamelCase = new Map<string, string>();
  for (const key of registry.keys()) if (!byCamelCase.has(camelCaseKey(key))) byCamelCase.set(camelCaseKey(key), key);
  const flags = new Map<string, InventoryFlag>();
  const unresolved: InventoryFlag[] = [];
  const lines = new Map<string, SourceDocument>();
  const docOf = (relPath: string) => {
    let doc = lines.get(relPath);
    if (!doc) lines.set(relPath, (doc = new SourceDocument(relPath, cache.get(relPath)!.text)));
    return doc;
  };

  for (const [relPath, entry] of files) {
    for (const reference of entry.facts.references) {
      const doc = docOf(relPath);
      const start = doc.positionAt(reference.start);
      const end = doc.positionAt(reference.end);
      const location: InventoryReference = { file: relPath, startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1, kind: reference.kind };
      const key = reference.key ?? resolveSymbol(relPath, reference, cache);
      if (key === undefined) {
        unresolved.push({ key: reference.expression ?? expressionLabel(doc.text.slice(reference.start, reference.end)), provider: reference.provider, state: 'unresolved', reason: 'the key is computed, so it cannot be matched to a flag', references: [location], defaults: [] });
        continue;
      }
      const canonical = reference.camelCased ? byCamelCase.get(key) ?? key : key;
      const flag = flags.get(canonical) ?? { key: canonical, provider: reference.provider, state: 'active' as FlagState, references: [], defaults: [] };
      // One key evaluated through two SDKs (a server and a React one) lists both.
      if (!flag.provider.split(', ').includes(reference.provider)) flag.provider = `${flag.provider}, ${reference.provider}`;
      flag.references.push(location);
      if (reference.defaultValue !== undefined && !flag.defaults.includes(reference.defaultValue)) flag.defaults.push(reference.defaultValue);
      flags.set(canonical, flag);
    }
  }
  for (const item of registry.values()) {
    const flag = flags.get(item.key) ?? { key: item.key, provider: 'registry', state: 'active' as FlagState, references: [], defaults: [] };
    const doc = docOf(item.file);
    const at = doc.positionAt(item.start);
    const end = doc.positionAt(item.end);
    Object.assign(flag, {
      owner: item.owner,
      expires: item.expires,
      description: item.description,
      kind: item.kind,
      rolledOut: item.rolledOut,
      registry: { file: item.file, startLine: at.line + 1, startColumn: at.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
    });
    flags.set(item.key, flag);
  }
  if (gitDates) await addGitDates(workspace, flags, registry);
  const today = now.toISOString().slice(0, 10);
  for (const flag of flags.values()) {
    const item = registry.get(flag.key);
    if (item?.created) flag.firstSeen = item.created;
    if (flag.firstSeen) flag.ageDays = Math.floor((now.getTime() - Date.parse(flag.firstSeen)) / 86_400_000);
    const evaluations = flag.references.filter((r) => r.kind !== 'definition');
    if (item && evaluations.length === 0) [flag.state, flag.reason] = ['dead', 'registered, but no code evaluates it'];
    else if (flag.expires && flag.expires < today) [flag.state, flag.reason] = ['stale', `expired on ${flag.expires}`];
    else if (flag.kind !== 'permanent' && !flag.expires && flag.ageDays !== undefined && flag.ageDays > options.staleAfterDays) [flag.state, flag.reason] = ['stale', `temporary, ${flag.ageDays} days old, no expiry`];
    else if (hasRegistry && !item) [flag.state, flag.reason] = ['unregistered', 'evaluated in code, missing from the flag registry'];
  }
  const sorted = [...flags.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  return { version: 1, flags: [...sorted, ...unresolved] };
}

/** A key imported from another module: `FLAGS.NEW_CHECKOUT` where `./flags` exports `FLAGS`. */
function resolveSymbol(fromFile: string, reference: RawReference, cache: Map<string, FileEntry>): string | undefined {
  const symbol = reference.symbol;
  if (!symbol || !symbol.module.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), symbol.module));
  const candidates = [base, ...['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'].map((ext) => `${base.replace(/\.(js|mjs|cjs)$/, '')}${ext}`), ...['index.ts', 'index.tsx', 'index.js'].map((i) => `${base}/${i}`)];
  for (const candidate of candidates) {
    const exports = cache.get(candidate)?.facts.exports;
    if (!exports) continue;
    const [name, property] = symbol.path;
    const value = exports.get(name);
    if (typeof value === 'string' && property === undefined) return value;
    if (value instanceof Map && property !== undefined) return value.get(property);
  }
  return undefined;
}

/** First and last commit dates of each flag's reference lines, from git blame (trusted workspaces). */
async function addGitDates(workspace: WorkspaceContext, flags: Map<string, InventoryFlag>, registry: Map<string, RegistryEntry>): Promise<void> {
  const git = await workspace.git();
  if (!git.repoRoot) return;
  const byFile = new Map<string, Set<number>>();
  for (const flag of flags.values()) {
    if (registry.get(flag.key)?.created) continue;
    for (const ref of flag.references) byFile.set(ref.file, (byFile.get(ref.file) ?? new Set()).add(ref.startLine));
  }
  // One blame per file, a few at a time: git works while the next one starts.
  const blamed = await mapLimit([...byFile], GIT_CONCURRENCY, ([file, lineSet]) => git.lineLastChanged(file, [...lineSet]));
  const dates = new Map([...byFile.keys()].map((file, i) => [file, blamed[i]]));
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
  for (const flag of flags.values()) {
    const times = flag.references.map((r) => dates.get(r.file)?.get(r.startLine)).filter((t): t is number => t !== undefined);
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

