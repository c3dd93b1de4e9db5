import ignore from 'ignore';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import type { WorkspaceContext } from '../workspaceContext';
import { dependencyVersions, foldersUp, isObject, joinPath, majorVersion, readIfPresent } from './configFiles';
import { editorconfigFor } from './editorconfig';
import type { CodeFormatter } from './projectFormatter';
import { staticConfigObject } from './staticConfig';

/** Where Prettier looks in each folder, in its order; the first one found wins. */
const CONFIG_FILES = [
  'package.json',
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.json5',
  '.prettierrc.js',
  '.prettierrc.mjs',
  '.prettierrc.cjs',
  '.prettierrc.ts',
  '.prettierrc.mts',
  '.prettierrc.cts',
  'prettier.config.js',
  'prettier.config.mjs',
  'prettier.config.cjs',
  'prettier.config.ts',
  'prettier.config.mts',
  'prettier.config.cts',
  '.prettierrc.toml',
];

/** The options that shape TS/JS output; anything else (a parser, a plugin's own option) is not passed on. */
const LAYOUT_OPTIONS = new Set(['printWidth', 'tabWidth', 'useTabs', 'semi', 'singleQuote', 'jsxSingleQuote', 'quoteProps', 'trailingComma', 'bracketSpacing', 'objectWrap', 'bracketSameLine', 'arrowParens', 'endOfLine', 'experimentalTernaries', 'experimentalOperatorPosition', 'singleAttributePerLine']);

/**
 * Plugins that change nothing a removal produces: they order imports or class names (which a
 * removal only deletes from), or format other languages. Any other plugin could print TS/JS its
 * own way, and running it would run workspace code: a file whose Prettier has one is not formatted.
 */
const NEUTRAL_PLUGINS = /^(prettier-plugin-(organize-imports|tailwindcss|sort-imports|packagejson|sql|prisma|svelte|astro|sh|toml|java|css-order)|@trivago\/prettier-plugin-sort-imports|@ianvs\/prettier-plugin-sort-imports|@prettier\/plugin-(xml|php|ruby|pug))$/;

type Options = Record<string, unknown>;

/**
 * The project's Prettier for a TS/JS file, as its CLI would run: the nearest configuration file
 * (read as data: a JavaScript one only when it exports a literal object), its `overrides` for
 * this file, `.editorconfig` under it, `.prettierignore` at the root. Undefined when the project
 * does not use Prettier (no configuration, no dependency on it).
 */
export async function projectPrettier(workspace: WorkspaceContext, relPath: string): Promise<CodeFormatter | { reason: string } | undefined> {
  const found = await findConfig(workspace, relPath);
  const versions = await dependencyVersions(workspace, relPath);
  if (!found && !versions.has('prettier')) return undefined;
  if (found && 'reason' in found) return found;
  const ignored = await readIfPresent(workspace, '.prettierignore');
  if (ignored && ignore().add(ignored).ignores(relPath)) return { reason: 'the project\'s .prettierignore lists it' };
  const config = found?.options ?? {};
  const plugins = Array.isArray(config.plugins) ? config.plugins.filter((p): p is string => typeof p === 'string') : [];
  const unknown = plugins.find((plugin) => !NEUTRAL_PLUGINS.test(plugin));
  if (unknown) return { reason: `the project's Prettier runs the plugin ${unknown}, which DeployRisk does not run (it is workspace code)` };
  const layout = await editorconfigFor(workspace, relPath);
  const options: Options = {
    ...(layout.indentStyle && { useTabs: layout.indentStyle === 'tab' }),
    ...(layout.indentSize && { tabWidth: layout.indentSize }),
    ...(layout.maxLineLength && { printWidth: layout.maxLineLength }),
    ...(layout.endOfLine && { endOfLine: layout.endOfLine }),
    ...(layout.quoteType && { singleQuote: layout.quoteType === 'single' }),
    // Prettier 3 made trailing commas everywhere the default; a Prettier 2 project's are ES5's.
    ...(majorVersion(versions.get('prettier')) === 2 && { trailingComma: 'es5' }),
    ...layoutOptions(config),
    ...overridesFor(config, found ? relativeTo(found.dir, relPath) : relPath),
  };
  const parser = /\.[cm]?tsx?$/.test(relPath) ? 'typescript' : 'babel';
  return {
    name: `Prettier ${PRETTIER_VERSION}`,
    formatRange: (text, start, end) => formatWithPrettier(text, { ...options, parser, rangeStart: start, rangeEnd: end, endOfLine: 'auto' }),
  };
}

const PRETTIER_VERSION: string = (require('prettier/package.json') as { version: string }).version;

async function formatWithPrettier(text: string, options: Options): Promise<string> {
  // Prettier is 4 MB of JavaScript: loaded the first time a removal is formatted with it (dist/prettier.js in the bundles).
  const { prettier, estree, typescript, babel } = require('./prettierBundle') as typeof import('./prettierBundle');
  return prettier.format(text, { ...options, plugins: [estree, options.parser === 'typescript' ? typescript : babel] });
}

/** The nearest Prettier configuration up from a file, in Prettier's order of files. */
export async function findConfig(workspace: WorkspaceContext, relPath: string): Promise<{ dir: string; options: Options } | { reason: string } | undefined> {
  for (const dir of foldersUp(relPath)) {
    for (const name of CONFIG_FILES) {
      const file = joinPath(dir, name);
      const text = await readIfPresent(workspace, file);
      if (text === undefined) continue;
      if (name === 'package.json') {
        const value = parseJson(text)?.prettier;
        if (value === undefined) continue;
        return typeof value === 'string' ? sharedConfig(workspace, dir, value) : isObject(value) ? { dir, options: value } : { reason: `${file} has a "prettier" entry that is no configuration` };
      }
      return parsed(file, dir, text);
    }
  }
  return undefined;
}

function parsed(file: string, dir: string, text: string): { dir: string; options: Options } | { reason: string } {
  if (/\.toml$|\.json5$/.test(file)) return { reason: `${file} is in a format DeployRisk does not read` };
  if (/\.[cm]?[jt]s$/.test(file)) {
    const result = staticConfigObject(file, text);
    return 'reason' in result ? result : { dir, options: result.value };
  }
  // `.prettierrc` is JSON or YAML; YAML reads JSON.
  try {
    const value: unknown = parseYaml(text);
    return isObject(value) ? { dir, options: value } : { reason: `${file} holds no configuration object` };
  } catch {
    return { reason: `${file} does not parse` };
  }
}

/** `"prettier": "@company/prettier-config"`: the package's JSON or literal object, read from node_modules. */
async function sharedConfig(workspace: WorkspaceContext, dir: string, name: string): Promise<{ dir: string; options: Options } | { reason: string }> {
  const base = joinPath(dir, `node_modules/${name}`);
  const manifest = parseJson((await readIfPresent(workspace, `${base}/package.json`)) ?? '');
  const main = typeof manifest?.main === 'string' ? manifest.main : 'index.js';
  for (const file of [/\.(json|[cm]?js)$/.test(name) ? base : `${base}/${main}`, `${base}/index.json`]) {
    const text = await readIfPresent(workspace, file);
    if (text === undefined) continue;
    if (!file.endsWith('.json')) return parsed(file, dir, text);
    const options = parseJson(text);
    return options ? { dir, options } : { reason: `${file} holds no configuration object` };
  }
  return { reason: `the shared Prettier configuration ${name} is not installed in the workspace` };
}

function layoutOptions(config: Options): Options {
  return Object.fromEntries(Object.entries(config).filter(([name]) => LAYOUT_OPTIONS.has(name)));
}

/** The options of every `overrides` entry whose `files` match (and `excludeFiles` do not), in order. */
function overridesFor(config: Options, local: string): Options {
  const result: Options = {};
  for (const override of Array.isArray(config.overrides) ? config.overrides : []) {
    if (!isObject(override) || !isObject(override.options)) continue;
    const files = ([] as unknown[]).concat(override.files ?? []).filter((f): f is string => typeof f === 'string');
    const excluded = ([] as unknown[]).concat(override.excludeFiles ?? []).filter((f): f is string => typeof f === 'string');
    if (files.some((glob) => matches(glob, local)) && !excluded.some((glob) => matches(glob, local))) Object.assign(result, layoutOptions(override.options));
  }
  return result;
}

/** A Prettier glob: without a `/` it matches the file name at any depth. */
function matches(glob: string, local: string): boolean {
  return picomatch.isMatch(local, glob, { dot: true, basename: !glob.includes('/') });
}

function relativeTo(dir: string, relPath: string): string {
  return dir ? relPath.slice(dir.length + 1) : relPath;
}

function parseJson(text: string): Options | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
