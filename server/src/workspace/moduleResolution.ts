import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';

/**
 * Which workspace file an import names, as the compiler and the runtime would find it: relative
 * paths, tsconfig/jsconfig `paths` and `baseUrl` (nearest config, `extends` followed), the
 * workspace's own packages by name (`exports` with conditions and patterns, `main`, `module`,
 * `types`, mapped back from build output to sources), and Python packages from every project root.
 * Written here because the compiler's resolver needs a file system host and `node_modules`; this
 * one answers from the file index alone, so it never reads outside the workspace.
 */

const JS_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
const CONFIG_NAMES = new Set(['tsconfig.json', 'jsconfig.json']);
const PYTHON_PROJECT_FILES = new Set(['pyproject.toml', 'setup.py', 'setup.cfg']);
/** Conditions tried in order: sources and types first (what the editor and tests see), then runtime ones. */
const CONDITIONS = ['source', 'development', 'types', 'typings', 'import', 'module', 'require', 'node', 'browser', 'default'];
/** Build output folders whose files map back to `src/` (a workspace package's `main: dist/index.js`). */
const BUILD_DIRS = /^(dist|lib|build|out|esm|cjs|es|types)(\/|$)/;

/** `paths` of a tsconfig: `@/*` → `src/*` (targets relative to the workspace root). */
export interface AliasPattern {
  prefix: string;
  suffix: string;
  /** An alias without `*`: it matches that specifier only. */
  exact?: boolean;
  targets: string[];
}

export interface ModuleMap {
  /** Each config's folder and its patterns (`paths`, then `baseUrl` as `*`), deepest folder first. */
  configs: { dir: string; patterns: AliasPattern[] }[];
  /** The workspace's packages: name, folder, and entry points by subpath (`.`, `./client`, `./*`). */
  packages: { name: string; dir: string; entries: [string, string[]][] }[];
  /** Folders Python imports are resolved from: the root, project folders and their `src/`. */
  pythonRoots: string[];
}

export const EMPTY_MODULE_MAP: ModuleMap = { configs: [], packages: [], pythonRoots: ['', 'src'] };

/** The files `buildModuleMap` reads: tsconfig/jsconfig (and what they extend), package.json, Python project files. */
export function isModuleConfigFile(relPath: string): boolean {
  const name = path.posix.basename(relPath);
  return CONFIG_NAMES.has(name) || name === 'package.json' || PYTHON_PROJECT_FILES.has(name) || /^tsconfig\..*\.json$/.test(name);
}

/** Reads the workspace's module configuration; `read` answers undefined for a file it cannot read. */
export async function buildModuleMap(files: readonly string[], read: (relPath: string) => Promise<string | undefined>): Promise<ModuleMap> {
  const packages: ModuleMap['packages'] = [];
  const pythonRoots = new Set(['', 'src']);
  const configPaths: string[] = [];
  for (const file of files) {
    const name = path.posix.basename(file);
    const dir = dirOf(file);
    if (name === 'package.json') {
      const manifest = parseObject(await read(file));
      if (manifest && typeof manifest.name === 'string') packages.push({ name: manifest.name, dir, entries: packageEntries(manifest) });
    } else if (PYTHON_PROJECT_FILES.has(name)) {
      pythonRoots.add(dir);
      pythonRoots.add(dir ? `${dir}/src` : 'src');
    } else if (CONFIG_NAMES.has(name)) configPaths.push(file);
  }
  const fileSet = new Set(files);
  const loaded = new Map<string, Promise<ResolvedConfig>>();
  const load = (file: string, chain: readonly string[]): Promise<ResolvedConfig> => {
    let config = loaded.get(file);
    if (!config) loaded.set(file, (config = loadConfig(file, [...chain, file])));
    return config;
  };
  // `extends` chains are followed as far as the workspace holds them; a cycle ends where it closes.
  const loadConfig = async (file: string, chain: readonly string[]): Promise<ResolvedConfig> => {
    const config = parseObject(await read(file));
    const options = (config?.compilerOptions ?? {}) as { baseUrl?: unknown; paths?: unknown };
    let resolved: ResolvedConfig = {};
    const parents = typeof config?.extends === 'string' ? [config.extends] : Array.isArray(config?.extends) ? config.extends.filter((e): e is string => typeof e === 'string') : [];
    for (const parent of parents) {
      const parentFile = resolveExtends(file, parent, fileSet, packages);
      if (parentFile && !chain.includes(parentFile) && chain.length < 16) resolved = { ...resolved, ...definedOnly(await load(parentFile, chain)) };
    }
    const dir = dirOf(file);
    if (typeof options.baseUrl === 'string') resolved.baseUrl = join(dir, options.baseUrl);
    if (options.paths && typeof options.paths === 'object') resolved.paths = { dir, map: options.paths as Record<string, unknown> };
    return resolved;
  };
  const configs: ModuleMap['configs'] = [];
  for (const file of configPaths) {
    const resolved = await load(file, []);
    configs.push({ dir: dirOf(file), patterns: aliasPatterns(resolved) });
  }
  configs.sort((a, b) => b.dir.length - a.dir.length || a.dir.localeCompare(b.dir));
  packages.sort((a, b) => b.name.length - a.name.length || a.name.localeCompare(b.name));
  return { configs, packages, pythonRoots: [...pythonRoots].sort() };
}

interface ResolvedConfig {
  baseUrl?: string;
  /** The `paths` map and the folder its targets are relative to when there is no `baseUrl`. */
  paths?: { dir: string; map: Record<string, unknown> };
}

function aliasPatterns(config: ResolvedConfig): AliasPattern[] {
  const patterns: AliasPattern[] = [];
  if (config.paths) {
    const base = config.baseUrl ?? config.paths.dir;
    for (const [alias, targets] of Object.entries(config.paths.map)) {
      if (!Array.isArray(targets)) continue;
      const star = alias.indexOf('*');
      patterns.push({
        prefix: star < 0 ? alias : alias.slice(0, star),
        suffix: star < 0 ? '' : alias.slice(star + 1),
        ...(star < 0 ? { exact: true } : {}),
        targets: targets.filter((t): t is string => typeof t === 'string').map((t) => join(base, t)),
      });
    }
  }
  // With a baseUrl, any bare specifier may also name a file under it (`components/Button`).
  if (config.baseUrl !== undefined) patterns.push({ prefix: '', suffix: '', targets: [config.baseUrl ? `${config.baseUrl}/*` : '*'] });
  return patterns;
}

function resolveExtends(fromConfig: string, specifier: string, files: ReadonlySet<string>, packages: ModuleMap['packages']): string | undefined {
  const candidates: string[] = [];
  if (specifier.startsWith('.')) candidates.push(join(dirOf(fromConfig), specifier));
  else {
    const owner = packages.find((p) => specifier === p.name || specifier.startsWith(`${p.name}/`));
    if (owner) candidates.push(join(owner.dir, specifier.slice(owner.name.length + 1) || 'tsconfig.json'));
  }
  for (const candidate of candidates) {
    for (const file of [candidate, `${candidate}.json`, `${candidate}/tsconfig.json`]) if (files.has(file)) return file;
  }
  return undefined;
}

/** A package's entry points by subpath, from `exports` (conditions in preference order) or `main`/`module`/`types`. */
function packageEntries(manifest: Record<string, unknown>): [string, string[]][] {
  const exports = manifest.exports;
  const targetsOf = (value: unknown, depth = 0): string[] => {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap((v) => targetsOf(v, depth + 1));
    if (!value || typeof value !== 'object' || depth > 6) return [];
    const conditions = value as Record<string, unknown>;
    const known = CONDITIONS.filter((c) => c in conditions);
    const others = Object.keys(conditions).filter((c) => !CONDITIONS.includes(c));
    return [...known, ...others].flatMap((c) => targetsOf(conditions[c], depth + 1));
  };
  if (exports !== undefined && exports !== null) {
    const isSubpathMap = typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
    if (!isSubpathMap) return [['.', targetsOf(exports)]];
    return Object.entries(exports as Record<string, unknown>)
      .filter(([subpath]) => subpath.startsWith('.'))
      .map(([subpath, value]) => [subpath, targetsOf(value)]);
  }
  const root = ['source', 'types', 'typings', 'module', 'main'].map((field) => manifest[field]).filter((v): v is string => typeof v === 'string');
  return [['.', [...root, './index']]];
}

/**
 * Resolves imports against a module map and the indexed files, both fixed for the resolver's life
 * (`workspaceModules` makes a new one when either changes).
 */
export class ModuleResolver {
  private readonly configOfDir = new Map<string, ModuleMap['configs'][number] | null>();
  /**
   * Answers by folder and specifier, all a resolution depends on: the modules of a folder import
   * the same ones, and the flag reach, the import graph and the test index resolve the same
   * imports again (a one-commit check of growthbook asked 42,315 times for 13,524 pairs).
   */
  private readonly resolvedJs = new Map<string, string | undefined>();
  private readonly resolvedPython = new Map<string, string | undefined>();

  constructor(
    private readonly map: ModuleMap,
    private readonly files: ReadonlySet<string>,
  ) {}

  /** The workspace file a TS/JS specifier names, or undefined (an outside package, or nothing there). */
  resolveJs(fromFile: string, specifier: string): string | undefined {
    return remembered(this.resolvedJs, dirOf(fromFile), specifier, (dir) => this.resolveJsFrom(dir, specifier));
  }

  private resolveJsFrom(dir: string, specifier: string): string | undefined {
    if (specifier.startsWith('.') || specifier.startsWith('/')) return this.firstFile([join(dir, specifier)]);
    const config = this.configFor(dir);
    if (config) {
      for (const pattern of config.patterns) {
        if (!specifier.startsWith(pattern.prefix) || !specifier.endsWith(pattern.suffix) || specifier.length < pattern.prefix.length + pattern.suffix.length) continue;
        // An alias without `*` names one module: `@app/common` is not `@app/common/composables/zoom`.
        if (pattern.exact && specifier !== pattern.prefix) continue;
        const middle = specifier.slice(pattern.prefix.length, specifier.length - pattern.suffix.length);
        const found = this.firstFile(pattern.targets.map((target) => target.replace('*', middle)));
        if (found) return found;
      }
    }
    return this.resolvePackage(specifier);
  }

  /** The workspace file a Python import names: relative to the importing package, else from each project root. */
  resolvePython(fromFile: string, specifier: string): string | undefined {
    return remembered(this.resolvedPython, dirOf(fromFile), specifier, (dir) => this.resolvePythonFrom(dir, specifier));
  }

  private resolvePythonFrom(fromDir: string, specifier: string): string | undefined {
    const dots = /^\.*/.exec(specifier)![0].length;
    const parts = specifier.slice(dots).split('.').filter(Boolean);
    const roots: string[] = [];
    if (dots > 0) {
      let dir = fromDir;
      for (let i = 1; i < dots; i++) dir = dirOf(dir);
      roots.push(dir);
    } else roots.push(...this.map.pythonRoots);
    for (const root of roots) {
      const base = [root, ...parts].filter(Boolean).join('/');
      for (const candidate of [`${base}.py`, `${base}/__init__.py`]) if (this.files.has(candidate)) return candidate;
    }
    return undefined;
  }

  /** The workspace package that holds a file (its `name`), if any. */
  packageOf(file: string): string | undefined {
    return this.map.packages.filter((p) => p.dir === '' || file.startsWith(`${p.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0]?.name;
  }

  private resolvePackage(specifier: string): string | undefined {
    const owner = this.map.packages.find((p) => specifier === p.name || specifier.startsWith(`${p.name}/`));
    if (!owner) return undefined;
    const subpath = specifier === owner.name ? '.' : `.${specifier.slice(owner.name.length)}`;
    for (const [entry, targets] of owner.entries) {
      const star = entry.indexOf('*');
      let middle: string | undefined;
      if (star < 0) {
        if (entry !== subpath) continue;
      } else {
        const prefix = entry.slice(0, star);
        const suffix = entry.slice(star + 1);
        if (!subpath.startsWith(prefix) || !subpath.endsWith(suffix) || subpath.length < prefix.length + suffix.length) continue;
        middle = subpath.slice(prefix.length, subpath.length - suffix.length);
      }
      const found = this.firstFile(targets.flatMap((target) => sourceCandidates(owner.dir, middle === undefined ? target : target.replaceAll('*', middle))));
      if (found) return found;
    }
    // No `exports` entry for it: a subpath is a file of the package (`@org/ui/button`).
    if (subpath !== '.' && !owner.entries.some(([entry]) => entry !== '.')) return this.firstFile(sourceCandidates(owner.dir, subpath));
    return undefined;
  }

  private configFor(dir: string): ModuleMap['configs'][number] | undefined {
    const cached = this.configOfDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    const config = this.map.configs.find((c) => c.dir === '' || dir === c.dir || dir.startsWith(`${c.dir}/`)) ?? null;
    this.configOfDir.set(dir, config);
    return config ?? undefined;
  }

  /** The first base that names a file: as written, with a JS/TS extension, or as a folder's index. */
  private firstFile(bases: string[]): string | undefined {
    for (const base of bases) {
      const stripped = base.replace(/\.(js|mjs|cjs|jsx|d\.ts|d\.mts|d\.cts)$/, '');
      const candidates = [base, ...JS_EXTENSIONS.map((ext) => `${stripped}${ext}`), `${stripped}.d.ts`, ...JS_EXTENSIONS.map((ext) => `${base}/index${ext}`)];
      const found = candidates.find((candidate) => this.files.has(candidate));
      if (found) return found;
    }
    return undefined;
  }
}

/**
 * How many answers a resolver keeps: every import of a large workspace (growthbook's: about 13,500
 * folder and specifier pairs), while in the editor each keystroke in an import's string is one
 * more specifier, and the resolver lives until a file changes.
 */
const MAX_REMEMBERED = 100_000;

function remembered(answers: Map<string, string | undefined>, dir: string, specifier: string, resolve: (dir: string) => string | undefined): string | undefined {
  const key = `${dir}\0${specifier}`;
  if (answers.has(key)) return answers.get(key);
  if (answers.size >= MAX_REMEMBERED) answers.clear();
  const answer = resolve(dir);
  answers.set(key, answer);
  return answer;
}

/** A package target and the sources its build output comes from (`dist/x.js` → `src/x.ts`, `x.ts`). */
function sourceCandidates(packageDir: string, target: string): string[] {
  const relative = path.posix.normalize(target.replace(/^\.\//, ''));
  if (relative.startsWith('..')) return [];
  const candidates = [join(packageDir, relative)];
  if (BUILD_DIRS.test(relative)) {
    const inner = relative.replace(BUILD_DIRS, '');
    candidates.push(join(packageDir, `src/${inner}`), join(packageDir, inner));
  }
  return candidates;
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  const value = parseJsonc(text) as unknown;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function definedOnly(config: ResolvedConfig): ResolvedConfig {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
}

function dirOf(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === '.' ? '' : dir;
}

/** Joins workspace-relative paths; the result never climbs above the root. */
function join(dir: string, relative: string): string {
  const joined = path.posix.normalize(path.posix.join(dir || '.', relative));
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}
