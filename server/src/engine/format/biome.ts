import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import picomatch from 'picomatch';
import type { WorkspaceContext } from '../workspaceContext';
import { askBiome } from './biomeThread';
import { dependencyVersions, foldersUp, isObject, joinPath, majorVersion, readIfPresent } from './configFiles';
import { editorconfigFor } from './editorconfig';
import { findConfig } from './prettier';
import { FormatterUnavailable } from './formatterUnavailable';
import type { CodeFormatter } from './projectFormatter';

type Json = Record<string, unknown>;

/**
 * The project's Biome for a TS/JS file: the nearest `biome.json(c)` over what it `extends` (the
 * root configuration for `"//"`, files beside it, packages' in node_modules, all inside the
 * workspace and read as data), its overrides, `.editorconfig` when it says `useEditorconfig`; a
 * file its `files.includes` or `formatter.includes` leave out is not formatted. Run with
 * Biome's JavaScript API from DeployRisk's bundle, never the workspace's Biome. Undefined when
 * the project does not use Biome, or uses it only to lint (Prettier may then format the file).
 *
 * The API formats a range but answers only the range's new text, not which text it replaces, so
 * Biome formats whole files, and the caller keeps what touches the change (`formatWith`).
 */
export async function projectBiome(workspace: WorkspaceContext, relPath: string): Promise<CodeFormatter | { reason: string } | undefined> {
  const settings = await biomeSettings(workspace, relPath);
  if (!settings || 'reason' in settings) return settings;
  const { configuration, local, file } = settings;
  return {
    name: `Biome ${BIOME_VERSION}`,
    // Asked at once, not after Biome has loaded: its thread answers in order, whatever the caller does meanwhile.
    formatFile: async (text) => {
      const result = await askBiome({ configuration, text, filePath: local });
      if (result.content !== undefined) return result.content;
      if (result.failed !== undefined) throw new Error(result.failed);
      throw new FormatterUnavailable(result.refused ? `${result.refused} in ${file}` : result.error!);
    },
  };
}

/**
 * Asks Biome's thread to open the file's project, when Biome formats the file, without waiting for
 * the answer: the thread loads Biome meanwhile. Resolves once the configuration is read.
 */
export async function openBiomeProject(workspace: WorkspaceContext, relPath: string): Promise<void> {
  const settings = await biomeSettings(workspace, relPath);
  if (settings && 'configuration' in settings) void askBiome({ configuration: settings.configuration });
}

/**
 * The configuration Biome formats the file with (its JSON), the file's path in the project and
 * the configuration file's; the reason when DeployRisk cannot use it; undefined without Biome.
 */
async function biomeSettings(workspace: WorkspaceContext, relPath: string): Promise<{ configuration: string; local: string; file: string } | { reason: string } | undefined> {
  const found = await nearestConfig(workspace, foldersUp(relPath));
  if (found && 'reason' in found) return found;
  const versions = await dependencyVersions(workspace, relPath);
  // Without its configuration file Biome formats with its defaults; a project that also sets up
  // Prettier then formats with Prettier and only lints with Biome.
  if (!found && (!versions.has('@biomejs/biome') || versions.has('prettier') || (await findConfig(workspace, relPath)))) return undefined;
  const own = found?.config ?? {};
  const projectDir = found?.dir ?? '';
  const extended: Json[] = [];
  for (const name of [own.extends ?? []].flat()) {
    if (typeof name !== 'string') continue;
    // `"//"`: a nested configuration (`"root": false`) extending the root one above it.
    const base = name === '//' ? await nearestConfig(workspace, foldersUp(joinPath(projectDir, 'x')).slice(1), true) : await extendedConfig(workspace, projectDir, name);
    if (!base) return { reason: `the Biome configuration extends ${name}, which DeployRisk could not resolve in the workspace` };
    if ('reason' in base) return base;
    // One level is followed: formatting with part of the settings would be formatting otherwise.
    if ([base.config.extends ?? []].flat().length > 0) return { reason: `the Biome configuration ${name} extends further configurations, which DeployRisk does not follow: run \`biome format --write ${relPath}\`` };
    extended.push(base.config);
  }
  const merged = [...extended, own].map(formattingPart).reduce(mergeConfigurations, {});
  const setting = (...keys: string[]) => keys.reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), merged);
  if (setting('formatter', 'enabled') === false || setting('javascript', 'formatter', 'enabled') === false) return undefined;
  const schemaVersion = typeof own.$schema === 'string' ? /schemas\/(\d+)\./.exec(own.$schema)?.[1] : undefined;
  const major = schemaVersion ? Number(schemaVersion) : majorVersion(versions.get('@biomejs/biome'));
  if (major !== undefined && major !== BIOME_MAJOR) return { reason: `the project's Biome ${major} configuration is not Biome ${BIOME_MAJOR}'s, which DeployRisk runs: run \`biome format --write ${relPath}\`` };
  const local = projectDir ? relPath.slice(projectDir.length + 1) : relPath;
  if (!included(setting('files', 'includes'), local) || !included(setting('formatter', 'includes'), local)) return { reason: 'the project\'s Biome configuration leaves it out' };
  const layout = setting('formatter', 'useEditorconfig') === true ? await editorconfigFor(workspace, relPath) : {};
  const fromEditorconfig: Json = {
    ...(layout.indentStyle && { indentStyle: layout.indentStyle }),
    ...(layout.indentSize && { indentWidth: layout.indentSize }),
    ...(layout.maxLineLength && { lineWidth: layout.maxLineLength }),
    ...(layout.endOfLine && { lineEnding: layout.endOfLine }),
  };
  return { configuration: JSON.stringify(mergeConfigurations({ formatter: fromEditorconfig }, merged)), local, file: found?.file ?? 'its Biome configuration' };
}

const BIOME_VERSION: string = (require('@biomejs/wasm-nodejs/package.json') as { version: string }).version;
const BIOME_MAJOR = Number(BIOME_VERSION.split('.')[0]);

async function nearestConfig(workspace: WorkspaceContext, folders: string[], rootOnly = false): Promise<{ dir: string; file: string; config: Json } | { reason: string } | undefined> {
  for (const dir of folders) {
    for (const name of ['biome.json', 'biome.jsonc']) {
      const file = joinPath(dir, name);
      const text = await readIfPresent(workspace, file);
      if (text === undefined) continue;
      const config = parseConfig(file, text);
      if ('reason' in config) return config;
      if (rootOnly && config.value.root === false) continue;
      return { dir, file, config: config.value };
    }
  }
  return undefined;
}

/** A configuration `extends` names: a file beside it, or a package's in the workspace's node_modules. */
async function extendedConfig(workspace: WorkspaceContext, dir: string, name: string): Promise<{ file: string; config: Json } | { reason: string } | undefined> {
  const modules = joinPath(dir, 'node_modules');
  const candidates = name.startsWith('.') ? [joinPath(dir, name)] : /\.jsonc?$/.test(name) ? [`${modules}/${name}`] : ['biome.json', 'biome.jsonc'].map((file) => `${modules}/${name}/${file}`);
  for (const candidate of candidates) {
    const file = path.posix.normalize(candidate);
    // Read inside the workspace only, and a package's configuration inside node_modules.
    if (path.posix.isAbsolute(name) || file.startsWith('../') || (!name.startsWith('.') && !file.startsWith(`${modules}/`))) return { reason: `the Biome configuration extends ${name}, outside the workspace` };
    const text = await readIfPresent(workspace, file);
    if (text === undefined) continue;
    const config = parseConfig(file, text);
    return 'reason' in config ? config : { file, config: config.value };
  }
  return undefined;
}

function parseConfig(file: string, text: string): { value: Json } | { reason: string } {
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0) {
    const line = text.slice(0, errors[0].offset).split('\n').length;
    return { reason: `${file} does not parse (${printParseErrorCode(errors[0].error)} on line ${line})` };
  }
  return isObject(value) ? { value } : { reason: `${file} holds no configuration object` };
}

/**
 * Whether a file is in a Biome `includes` list: the last pattern that matches it (or a folder
 * above it) decides, `!` and `!!` leaving it out; with no positive pattern, everything not left
 * out is in. Patterns are relative to the configuration's folder, as Biome 2 reads them.
 */
function included(patterns: unknown, local: string): boolean {
  if (!Array.isArray(patterns)) return true;
  const globs = patterns.filter((p): p is string => typeof p === 'string');
  let inside = !globs.some((glob) => !glob.startsWith('!'));
  const candidates = [local, ...foldersUp(local).filter(Boolean)];
  for (const glob of globs) {
    const negated = glob.startsWith('!');
    const pattern = glob.replace(/^!{1,2}/, '').replace(/^\.\//, '');
    if (candidates.some((candidate) => picomatch.isMatch(candidate, pattern, { dot: true }))) inside = !negated;
  }
  return inside;
}

/**
 * What of a configuration shapes formatting: the linter, assist and plugins (GritQL files Biome
 * would read from disk) are left out, as are overrides that set none of it, `extends` (handed over
 * already read) and `vcs` (ignored files are not in DeployRisk's index in the first place). The
 * includes lists are checked before (the API formats whatever file it is given).
 */
function formattingPart(config: Json): Json {
  const pick = (from: Json, keys: string[]) => Object.fromEntries(Object.entries(from).filter(([key]) => keys.includes(key)));
  const part = pick(config, ['files', 'formatter', 'javascript']);
  if (Array.isArray(config.overrides)) part.overrides = config.overrides.filter((o): o is Json => isObject(o) && ('formatter' in o || 'javascript' in o)).map((o) => pick(o, ['includes', 'formatter', 'javascript']));
  return part;
}

/** A configuration over the one it extends, as Biome merges them: objects field by field, `overrides` one after the other, other values replaced. */
function mergeConfigurations(base: Json, over: Json): Json {
  const result: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = result[key];
    if (key === 'overrides' && Array.isArray(under) && Array.isArray(value)) result[key] = [...under, ...value];
    else if (isObject(under) && isObject(value)) result[key] = mergeConfigurations(under, value);
    else result[key] = value;
  }
  return result;
}
