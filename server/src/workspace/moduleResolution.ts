import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';

const JS_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

/** `compilerOptions.paths` of the root tsconfig/jsconfig: `@/*` → `src/*`. */
export interface PathAliases {
  patterns: { prefix: string; suffix: string; targets: string[] }[];
}

export function readPathAliases(configText: string | undefined): PathAliases {
  if (!configText) return { patterns: [] };
  const config = parseJsonc(configText) as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } } | undefined;
  const baseUrl = config?.compilerOptions?.baseUrl ?? '.';
  const patterns = Object.entries(config?.compilerOptions?.paths ?? {}).flatMap(([alias, targets]) => {
    if (!Array.isArray(targets)) return [];
    const star = alias.indexOf('*');
    return [{ prefix: star < 0 ? alias : alias.slice(0, star), suffix: star < 0 ? '' : alias.slice(star + 1), targets: targets.filter((t) => typeof t === 'string').map((t) => path.posix.normalize(path.posix.join(baseUrl, t))) }];
  });
  return { patterns };
}

/**
 * The workspace file a TS/JS specifier names: relative paths, and aliases from the root tsconfig
 * (`@/lib/price`). Packages resolve to nothing: tests of a package's own code import it relatively.
 */
export function resolveJsModule(fromFile: string, specifier: string, files: ReadonlySet<string>, aliases: PathAliases): string | undefined {
  const bases: string[] = [];
  if (specifier.startsWith('.')) bases.push(path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier)));
  else {
    for (const alias of aliases.patterns) {
      if (!specifier.startsWith(alias.prefix) || !specifier.endsWith(alias.suffix) || specifier.length < alias.prefix.length + alias.suffix.length) continue;
      const middle = specifier.slice(alias.prefix.length, specifier.length - alias.suffix.length);
      for (const target of alias.targets) bases.push(target.replace('*', middle));
    }
  }
  for (const base of bases) {
    const stripped = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
    const candidates = [base, ...JS_EXTENSIONS.map((ext) => `${stripped}${ext}`), ...JS_EXTENSIONS.map((ext) => `${base}/index${ext}`)];
    const found = candidates.find((candidate) => files.has(candidate));
    if (found) return found;
  }
  return undefined;
}

/**
 * The workspace file a Python import names: relative imports from the test's package, absolute ones
 * from the root or a `src/` layout, as a module file or a package's `__init__.py`.
 */
export function resolvePythonModule(fromFile: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const dots = /^\.*/.exec(specifier)![0].length;
  const dotted = specifier.slice(dots);
  const parts = dotted ? dotted.split('.') : [];
  const roots: string[] = [];
  if (dots > 0) {
    let dir = path.posix.dirname(fromFile);
    for (let i = 1; i < dots; i++) dir = path.posix.dirname(dir);
    roots.push(dir === '.' ? '' : dir);
  } else roots.push('', 'src');
  for (const root of roots) {
    const base = [root, ...parts].filter(Boolean).join('/');
    for (const candidate of [`${base}.py`, `${base}/__init__.py`]) if (files.has(candidate)) return candidate;
  }
  return undefined;
}
