import { IO_CONCURRENCY, mapLimit } from '../../engine/concurrency';
import { cachedFact } from '../../engine/factCache';
import { isStackOverflow, noteTooDeep } from '../../engine/stackDepth';
import type { ReportedLines } from '../../engine/reportedLines';
import type { WorkspaceContext } from '../../engine/workspaceContext';
import { workspaceModules } from '../../engine/workspaceModules';
import type { ModuleResolver } from '../../workspace/moduleResolution';
import { apiSources, type TextFact } from './apis/apiSources';
import { mayDefineFlagApi, passesKeyTo } from './apis/mayDefineApi';
import { FlagApiIndex } from './apis/flagApiIndex';
import { apiId, type FlagApi } from './apis/model';
import { workspaceClients } from './clients';
import { codeContext, type CodeContext } from './codeContext';
import { emptyFacts, mentionsHomeGrown, type ClientModules, type FileFlagFacts, type HomeGrownFlags, type ModuleExports } from './detect/model';
import { detectByPattern, patternLanguage } from './detect/patterns';
import { detectTypeScript, mentionsProviderClient, type DetectionEnv } from './detect/typescript';
import { FILE_FLAG_FACTS, MODULE_EXPORTS } from './factShapes';
import { ModuleScope } from './detect/tsScope';
import { isUnparsed, keepingTrees, parseSource } from './detect/typescriptModule';
import { flagOptions } from './options';
import { parseRegistry, type RegistryEntry } from './registry';
import { CODE, SDK_IMPORT } from './sdkImports';
import { ENV_FLAG_PREFIXES, ENV_SWITCH_PREFIXES } from './catalog';

/**
 * The workspace read for flags: every file's references, declarations and registry entries, and
 * the project's own flag APIs. Discovery runs to a fixed point: the files that call the SDKs are
 * read first, and each round reads the files that mention an API the round before found (a
 * function wrapping a wrapper is found the round after it), until no new API appears. A file is
 * detected again only when its text or the APIs it can see change.
 */
export interface FlagScan {
  apis: FlagApi[];
  files: Map<string, ScannedFile>;
  index: FlagApiIndex;
  resolver: ModuleResolver;
  /** What a module exports (constants, re-exports), read when a key or an API is looked up through it. */
  exportsOf: (file: string) => ModuleExports | undefined;
}

export interface ScannedFile {
  text: string;
  facts: FileFlagFacts;
  registry: RegistryEntry[];
  context: CodeContext;
}

/** Files read for registry entries (flags.yaml, flagd, providers' snapshots), and only for them. */
export const DATA = /\.(ya?ml|json)$/;
/** Wrappers of wrappers of SDK calls, a few levels deep, are the most real code has. */
const MAX_ROUNDS = 8;
/** Detections kept per file: one per set of APIs it could see, so a round does not undo the last. */
const SIGNATURES_KEPT = 4;
/**
 * Room for the trees of the files the rounds detect, kept for the next round (which detects a file
 * again when the APIs it sees changed), in characters of source; a tree takes about thirty bytes
 * per character, so at most some 60 MB more while the rounds run. Least recently used first out,
 * a round over more than the tree cache's own budget parsed every file again: growthbook's
 * one-commit check detects 1.3 million characters, outline's 0.9 million.
 */
const ROUND_TREE_CHARS = 2 * 1024 * 1024;

interface CacheEntry {
  stamp: string;
  registry: RegistryEntry[];
  exports?: ModuleExports;
  bySignature: Map<string, FileFlagFacts>;
}

const perWorkspace = new WeakMap<WorkspaceContext, Map<string, CacheEntry>>();
const EMPTY = emptyFacts();
const TOO_DEEP: FileFlagFacts = { ...emptyFacts(), tooDeep: true };

const scans = new WeakMap<WorkspaceContext, { key: unknown; base: string; scan: Promise<FlagScan> }>();

/**
 * The scan of the workspace as it is: shared by the inventory and the APIs fact until a file or
 * the configuration changes. `only`: the files a caller needs (a removal's candidates, found by
 * text): they are detected, and so is the code they can reach flag APIs in (`apiSources`), since
 * what their calls evaluate depends on it; nothing else is. Such a scan is the caller's own, not
 * shared.
 */
export async function scanFlags(workspace: WorkspaceContext, only?: ReadonlySet<string>): Promise<FlagScan> {
  const [snapshot, config, clients] = await Promise.all([workspace.files(), workspace.config(), workspaceClients(workspace)]);
  if (only) return runScan(workspace, clients, only);
  const base = JSON.stringify([flagOptions(config).homeGrown, [...clients].sort()]);
  const memo = scans.get(workspace);
  if (memo && memo.key === snapshot && memo.base === base) return memo.scan;
  const scan = runScan(workspace, clients);
  scans.set(workspace, { key: snapshot, base, scan });
  scan.catch(() => scans.delete(workspace));
  return scan;
}

const reportedScans = new WeakMap<ReportedLines, Promise<FlagScan>>();

/**
 * When only some lines are reported (`check --changed-lines`): the scan of the reported code files
 * with the code they can reach flag APIs in, which tells what those files evaluate and declare,
 * without detecting the rest of the workspace (or the whole scan, when something asked for it
 * already). Undefined when every line is reported.
 */
export function reportedFilesScan(workspace: WorkspaceContext, reported: ReportedLines | undefined): Promise<FlagScan> | undefined {
  if (!reported) return undefined;
  // Once the whole workspace's scan was asked for (new features need every flag API), it answers.
  if (scans.has(workspace)) return scanFlags(workspace);
  let scan = reportedScans.get(reported);
  if (!scan) reportedScans.set(reported, (scan = scanFlags(workspace, new Set([...reported.keys()].filter((file) => CODE.test(file))))));
  return scan;
}

async function runScan(workspace: WorkspaceContext, clients: ClientModules, only?: ReadonlySet<string>): Promise<FlagScan> {
  const options = flagOptions(await workspace.config());
  const resolver = await workspaceModules(workspace);
  const { files } = await workspace.files();
  const stored = await workspace.factCache();
  const cache = perWorkspace.get(workspace) ?? new Map<string, CacheEntry>();
  perWorkspace.set(workspace, cache);
  const relevant = files.filter((file) => CODE.test(file.relPath) || patternLanguage(file.relPath) !== undefined || DATA.test(file.relPath));
  const seen = new Set(relevant.map((file) => file.relPath));
  // Code outside `only` is read still: the APIs its files call are found in it, and keys are looked up through its exports.
  const needed = only ? relevant.filter((file) => only.has(file.relPath) || CODE.test(file.relPath)) : relevant;
  const indexed = new Map(needed.map((file) => [file.relPath, file]));
  for (const relPath of [...cache.keys()]) {
    if (seen.has(relPath)) continue;
    cache.delete(relPath);
    workspace.note(`flag/registry-size:${relPath}`, undefined);
    noteTooDeep(workspace, relPath, false, 'flag checks');
  }
  const texts = new Map<string, string>();
  await mapLimit(needed, IO_CONCURRENCY, async (file) => {
    const text = await workspace.readText(file.relPath).catch(() => '');
    texts.set(file.relPath, text);
    const stamp = `${file.mtimeMs}:${file.size}`;
    if (cache.get(file.relPath)?.stamp === stamp) return;
    const { entries, tooLarge } = DATA.test(file.relPath) && codeContext(file.relPath) === 'production' ? parseRegistry(file.relPath, text) : { entries: [], tooLarge: undefined };
    workspace.note(`flag/registry-size:${file.relPath}`, tooLarge);
    cache.set(file.relPath, { stamp, registry: entries, bySignature: new Map() });
  });
  // Path order: the inventory (provider lists, which duplicate registry entry wins) is deterministic.
  const paths = needed.map((file) => file.relPath).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // With `only`, APIs are discovered where its files can reach them: the rest of the code is not detected.
  const production = (relPath: string) => CODE.test(relPath) && codeContext(relPath) === 'production';
  const textFact: TextFact = (relPath, area, schema, compute) => cachedFact(stored, area, indexed.get(relPath)!, texts.get(relPath)!, '', schema, compute);
  const sources = only && apiSources(only, texts, resolver, production, textFact);
  const code = paths.filter((relPath) => CODE.test(relPath) && (!sources || only!.has(relPath) || sources.has(relPath)));
  const base = JSON.stringify([options.homeGrown, [...clients].sort()]);
  // Exports are read when a lookup passes through the module: most modules export components, not keys.
  const exportsOf = (file: string): ModuleExports | undefined => {
    const entry = cache.get(file);
    const text = texts.get(file);
    if (!entry || text === undefined) return undefined;
    if (!entry.exports && CODE.test(file)) entry.exports = cachedFact(stored, 'flag/exports', indexed.get(file)!, text, '', MODULE_EXPORTS, () => moduleExports(file, text));
    return entry.exports;
  };

  // The text tests do not depend on the round: each file is tested once per scan.
  const apiSourceTests = new Map<string, boolean>();
  const apiSource = (relPath: string, text: string) => {
    let may = apiSourceTests.get(relPath);
    if (may === undefined) apiSourceTests.set(relPath, (may = mayDefineFlagApi(relPath, text, options.homeGrown, clients, resolver)));
    return may;
  };
  const holdsFlagTests = new Map<string, boolean>();
  const holdsFlags = (relPath: string, text: string) => {
    let may = holdsFlagTests.get(relPath);
    if (may === undefined) holdsFlagTests.set(relPath, (may = mayHoldFlags(text, options.homeGrown, clients)));
    return may;
  };
  let apis: FlagApi[] = [];
  let index = new FlagApiIndex(apis, resolver, exportsOf);
  const facts = new Map<string, FileFlagFacts>();
  for (const relPath of paths) {
    if (CODE.test(relPath) || DATA.test(relPath)) continue;
    const entry = cache.get(relPath)!;
    const text = texts.get(relPath)!;
    facts.set(relPath, detectCached(workspace, entry, base, () => cachedFact(stored, 'flag/patterns', indexed.get(relPath)!, text, base, FILE_FLAG_FACTS, () => detectByPattern(text, relPath)), relPath));
    entry.exports ??= facts.get(relPath)!.exports;
  }
  const detect = (relPath: string, text: string, visible: string[], apisIndex: FlagApiIndex) => {
    const signature = `${base}|${apisIndex.signatureFor(visible)}`;
    const env: DetectionEnv = { homeGrown: options.homeGrown, clients, apis: apisIndex };
    const entry = cache.get(relPath)!;
    facts.set(relPath, detectCached(workspace, entry, signature, () => cachedFact(stored, 'flag/detect', indexed.get(relPath)!, text, signature, FILE_FLAG_FACTS, () => detectCode(relPath, text, env)), relPath));
    entry.exports ??= facts.get(relPath)!.exports;
  };
  // Files that name only the class a flag method belongs to: they call no flag API, so they cannot
  // change which APIs there are, and are read once the rounds are done (`mayDeclareFlags`).
  let ownerOnly: { relPath: string; visible: string[] }[] = [];
  let lastIndex = index;
  const discover = () => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const names = [...index.names];
      const callNames = [...index.callNames];
      ownerOnly = [];
      lastIndex = index;
      for (const relPath of code) {
        const text = texts.get(relPath)!;
        const visible = names.filter((name) => text.includes(name));
        // A file outside `only` is read for the APIs it may define: its references are not asked for.
        const worthParsing = only && !only.has(relPath) ? apiSource(relPath, text) || passesKeyTo(text, visible, apis) : callNames.some((name) => text.includes(name)) || holdsFlags(relPath, text);
        if (!worthParsing) {
          facts.set(relPath, EMPTY);
          if (visible.length > 0 && (!only || only.has(relPath))) ownerOnly.push({ relPath, visible });
          continue;
        }
        detect(relPath, text, visible, index);
      }
      const found = new Map<string, FlagApi>();
      for (const relPath of code) {
        if (codeContext(relPath) !== 'production') continue;
        for (const api of facts.get(relPath)!.apis) found.set(apiId(api), api);
      }
      const next = [...found.values()];
      const changed = next.length !== apis.length || next.some((api, i) => apiId(api) !== apiId(apis[i]));
      apis = next;
      index = new FlagApiIndex(apis, resolver, exportsOf, [...cache.values()].flatMap((entry) => (entry.exports ? [entry.exports] : [])));
      if (!changed) break;
    }
    const typeNames = new Set([...facts.values()].flatMap((fileFacts) => fileFacts.registryTypes.map((use) => use.name)));
    for (const { relPath, visible } of ownerOnly) {
      const text = texts.get(relPath)!;
      if (mayDeclareFlags(text, typeNames)) detect(relPath, text, visible, lastIndex);
    }
  };
  keepingTrees(ROUND_TREE_CHARS, discover);

  const scanned = new Map<string, ScannedFile>();
  for (const relPath of paths) {
    const fileFacts = facts.get(relPath) ?? EMPTY;
    const registry = cache.get(relPath)!.registry;
    if (fileFacts === EMPTY && registry.length === 0) continue;
    scanned.set(relPath, { text: texts.get(relPath)!, facts: fileFacts, registry, context: codeContext(relPath) });
  }
  return { apis, files: scanned, index, resolver, exportsOf };
}

function detectCached(workspace: WorkspaceContext, entry: CacheEntry, signature: string, detect: () => FileFlagFacts, relPath: string): FileFlagFacts {
  const cached = entry.bySignature.get(signature);
  if (cached) return cached;
  const facts = detect();
  noteTooDeep(workspace, relPath, facts.tooDeep === true, 'flag checks');
  if (entry.bySignature.size >= SIGNATURES_KEPT) entry.bySignature.delete(entry.bySignature.keys().next().value!);
  entry.bySignature.set(signature, facts);
  return facts;
}

/** A module's exports alone; a module the parser cannot read exports nothing. */
function moduleExports(relPath: string, text: string): ModuleExports {
  try {
    return new ModuleScope(parseSource(relPath, text)).exports;
  } catch (error) {
    if (isStackOverflow(error)) return emptyFacts().exports;
    throw error;
  }
}

/** A TS/JS file's flags; a file nested too deep for the parser or the walk costs its own flags only. */
export function detectCode(relPath: string, text: string, env: DetectionEnv): FileFlagFacts {
  try {
    const facts = detectTypeScript(relPath, text, env);
    return isUnparsed(parseSource(relPath, text)) ? TOO_DEEP : facts;
  } catch (error) {
    if (isStackOverflow(error)) return TOO_DEEP;
    throw error;
  }
}


/**
 * A cheap test before the syntax tree: the file imports a flag SDK or a client module, calls a
 * client named for its provider, reads the environment or a flags object, uses a home-grown
 * flag name, or declares flags. (A module that only exports keys is read when a key is looked up
 * through it.)
 */
export function mayHoldFlags(text: string, homeGrown: HomeGrownFlags, clients: ClientModules): boolean {
  return (
    SDK_IMPORT.test(text) ||
    importsClientModule(text, clients) ||
    mentionsProviderClient(text) ||
    readsEnvironmentFlag(text, homeGrown) ||
    /[fF]lags\b|[tT]oggles\b|\bflag\s*:|\bflag(?:Names|Keys)\b/.test(text) ||
    mentionsHomeGrown(text, homeGrown) ||
    (/lag|eature|oggle|FLAG|FEATURE|TOGGLE/.test(text) && DECLARES_FLAGS.some((pattern) => pattern.test(text)))
  );
}

/**
 * Whether the text reads an environment variable the detection takes for a flag or a switch
 * (`process.env.FEATURE_X`, `import.meta.env.VITE_ENABLE_X`, a configured prefix): most files
 * reading the environment read settings, and are not parsed for it.
 */
function readsEnvironmentFlag(text: string, homeGrown: HomeGrownFlags): boolean {
  for (let at = text.indexOf('.env.'); at >= 0; at = text.indexOf('.env.', at + 5)) {
    const prefixed = (prefix: string) => text.startsWith(prefix, at + 5);
    if (ENV_FLAG_PREFIXES.some(prefixed) || ENV_SWITCH_PREFIXES.some(prefixed) || homeGrown.envPrefixes.some(prefixed)) return true;
  }
  return false;
}

/**
 * Whether a file that calls no flag API can still add to the inventory: read properties naming a
 * flag (`{ flagKey: 'x' }`, weak until other evidence), declare a container named or typed for
 * flags, parameterise an SDK's type, or declare a type a flag API or SDK is typed with.
 */
export function mayDeclareFlags(text: string, typeNames: ReadonlySet<string>): boolean {
  return /flag|feature|toggle/i.test(text) || SDK_TYPE_NAME.test(text) || [...typeNames].some((name) => text.includes(name));
}

/** The providers' names as their SDKs' types are (`tsDeclarations`' SDK_TYPE, unanchored). */
const SDK_TYPE_NAME = /growthbook|launchdarkly|\bld[a-z]|unleash|openfeature|flagsmith|statsig|posthog|configcat|devcycle/i;

/** `type UiFlags`, `enum FeatureFlag`, `const FEATURE_FLAGS =`, `const x: FlagSettings =`: a file that may declare flags. */
const DECLARES_FLAGS = [
  /\b(?:type|interface|enum)\s{1,20}[\w$]{0,100}(?:[fF]lag|[fF]eature|[tT]oggle)/,
  /\b(?:const|let|var)\s{1,20}[\w$]{0,100}(?:FLAG|TOGGLE|FEATURE|[fF]lag|[fF]eature|[tT]oggle)/,
  /\b(?:const|let|var)\s{1,20}[\w$]{1,100}\s{0,10}:\s{0,10}[\w.$]{0,100}(?:Flag|Toggle)/,
];

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
  return modulePath.slice(modulePath.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
}
