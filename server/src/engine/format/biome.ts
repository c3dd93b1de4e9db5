import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { Configuration, Workspace } from '@biomejs/wasm-nodejs';
import type { WorkspaceContext } from '../workspaceContext';
import { dependencyVersions, foldersUp, isObject, joinPath, majorVersion, readIfPresent } from './configFiles';
import { editorconfigFor } from './editorconfig';
import type { CodeFormatter } from './projectFormatter';

type Json = Record<string, unknown>;

/**
 * The project's Biome for a TS/JS file: the nearest `biome.json(c)` over what it `extends` (the
 * root configuration for `"//"`, files beside it, packages' in node_modules), `.editorconfig` when it says
 * `useEditorconfig`; a file its `includes` leave out is not formatted. Biome 1 configurations
 * differ from Biome 2's, which DeployRisk runs: those are not formatted, with the reason.
 * Undefined when the project does not use Biome.
 */
export async function projectBiome(workspace: WorkspaceContext, relPath: string): Promise<CodeFormatter | { reason: string } | undefined> {
  const versions = await dependencyVersions(workspace, relPath);
  const found = await nearestConfig(workspace, foldersUp(relPath));
  if (!found && !versions.has('@biomejs/biome')) return undefined;
  const own = found?.config ?? {};
  const schemaVersion = typeof own.$schema === 'string' ? /schemas\/(\d+)\./.exec(own.$schema)?.[1] : undefined;
  const major = schemaVersion ? Number(schemaVersion) : majorVersion(versions.get('@biomejs/biome'));
  if (major !== undefined && major !== BIOME_MAJOR) return { reason: `the project's Biome ${major} configuration is not Biome ${BIOME_MAJOR}'s, which DeployRisk runs` };
  const extended: Json[] = [];
  for (const name of [own.extends ?? []].flat()) {
    if (typeof name !== 'string') continue;
    // `"//"`: a nested configuration (`"root": false`) extending the root one above it.
    const base = name === '//' ? await nearestConfig(workspace, foldersUp(joinPath(found?.dir ?? '', 'x')).slice(1), true) : await extendedConfig(workspace, found?.dir ?? '', name);
    if (!base) return { reason: `the Biome configuration extends ${name}, which is not in the workspace` };
    extended.push(base.config);
  }
  const merged = [...extended, own];
  const formatter = (config: Json, ...keys: string[]) => keys.reduce<unknown>((value, key) => (value as Json | undefined)?.[key], config);
  if (merged.some((config) => formatter(config, 'formatter', 'enabled') === false || formatter(config, 'javascript', 'formatter', 'enabled') === false)) {
    return { reason: 'the project turns Biome\'s formatter off for JavaScript' };
  }
  const layout = merged.some((config) => formatter(config, 'formatter', 'useEditorconfig') === true) ? await editorconfigFor(workspace, relPath) : {};
  const fromEditorconfig: Json = {
    ...(layout.indentStyle && { indentStyle: layout.indentStyle }),
    ...(layout.indentSize && { indentWidth: layout.indentSize }),
    ...(layout.maxLineLength && { lineWidth: layout.maxLineLength }),
    ...(layout.endOfLine && { lineEnding: layout.endOfLine }),
  };
  const combined = merged.map(formattingPart).reduce(mergeConfigurations, { formatter: fromEditorconfig });
  const projectDir = found?.dir ?? '';
  const local = projectDir ? relPath.slice(projectDir.length + 1) : relPath;
  const project = openProject(combined as Configuration);
  if ('reason' in project) return project;
  if (project.workspace.isPathIgnored({ projectKey: project.key, path: local, features: ['format'] })) return { reason: 'the project\'s Biome configuration leaves it out' };
  return {
    name: `Biome ${BIOME_VERSION}`,
    formatRange: async (text, start, end) =>
      withFile(project, local, text, () => {
        const printed = project.workspace.formatRange({ projectKey: project.key, path: local, range: [utf8Offset(text, start), utf8Offset(text, end)] }) as Printed;
        if (!printed.range) return text;
        const [from, to] = printed.range.map((offset) => utf16Offset(text, offset));
        return text.slice(0, from) + printed.code + text.slice(to);
      }),
  };
}

interface Printed {
  code: string;
  range?: [number, number];
}

const BIOME_VERSION: string = (require('@biomejs/wasm-nodejs/package.json') as { version: string }).version;
const BIOME_MAJOR = Number(BIOME_VERSION.split('.')[0]);

let biome: typeof import('@biomejs/wasm-nodejs') | undefined;
let shared: Workspace | undefined;
const projects = new Map<string, { key: number }>();

/**
 * Biome's WebAssembly (45 MB) is compiled the first time a file is formatted with it, and one
 * Biome workspace serves every project: each configuration is one project in it.
 */
function openProject(configuration: Configuration): { workspace: Workspace; key: number } | { reason: string } {
  if (!biome) {
    const loaded = require('@biomejs/wasm-nodejs') as typeof import('@biomejs/wasm-nodejs');
    loaded.main();
    biome = loaded;
  }
  shared ??= new biome.Workspace();
  const id = JSON.stringify(configuration);
  let project = projects.get(id);
  if (!project) {
    try {
      const key = shared.openProject({ path: `/${projects.size}`, openUninitialized: true }).projectKey;
      const result = shared.updateSettings({ projectKey: key, configuration, workspaceDirectory: `/${projects.size}` });
      const problem = result.diagnostics.find((d) => d.severity === 'error' || d.severity === 'fatal');
      if (problem) return { reason: `Biome does not accept the project's configuration (${String(problem.description ?? 'an error').split('\n')[0].slice(0, 120)})` };
      project = { key };
      projects.set(id, project);
    } catch (error) {
      return { reason: `Biome does not accept the project's configuration (${String((error as Error).message ?? error).split('\n')[0].slice(0, 120)})` };
    }
  }
  return { workspace: shared, key: project.key };
}

function withFile(project: { workspace: Workspace; key: number }, local: string, text: string, run: () => string): string {
  const { workspace, key } = project;
  workspace.openFile({ projectKey: key, path: local, content: { type: 'fromClient', content: text, version: 0 } });
  try {
    const syntax = workspace.pullDiagnostics({ projectKey: key, path: local, categories: ['syntax'], maxDiagnostics: 1 });
    if (syntax.errors > 0) throw new Error('Biome cannot parse the file');
    return run();
  } finally {
    workspace.closeFile({ projectKey: key, path: local });
  }
}

async function nearestConfig(workspace: WorkspaceContext, folders: string[], rootOnly = false): Promise<{ dir: string; file: string; config: Json } | undefined> {
  for (const dir of folders) {
    for (const name of ['biome.json', 'biome.jsonc']) {
      const file = joinPath(dir, name);
      const text = await readIfPresent(workspace, file);
      if (text === undefined) continue;
      const config = parseJsonc(text) as unknown;
      if (!config || typeof config !== 'object') continue;
      if (rootOnly && (config as Json).root === false) continue;
      return { dir, file, config: config as Json };
    }
  }
  return undefined;
}

/** A configuration `extends` names: a file beside it, or a package's in node_modules. */
async function extendedConfig(workspace: WorkspaceContext, dir: string, name: string): Promise<{ file: string; config: Json } | undefined> {
  const candidates = name.startsWith('.') ? [path.posix.normalize(joinPath(dir, name))] : /\.jsonc?$/.test(name) ? [joinPath(dir, `node_modules/${name}`)] : ['biome.json', 'biome.jsonc'].map((file) => joinPath(dir, `node_modules/${name}/${file}`));
  for (const file of candidates) {
    if (file.startsWith('..')) continue;
    const text = await readIfPresent(workspace, file);
    const config = text === undefined ? undefined : (parseJsonc(text) as unknown);
    if (config && typeof config === 'object') return { file, config: config as Json };
  }
  return undefined;
}

/**
 * What of a configuration shapes formatting: the linter, assist and plugins (GritQL files Biome
 * would read from disk) are left out, as are overrides that set none of it, `extends` (handed over
 * already read) and `vcs` (ignored files are not in DeployRisk's index in the first place).
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

/** Biome's offsets are UTF-8 bytes; a string's are UTF-16 code units. */
function utf8Offset(text: string, offset: number): number {
  return Buffer.byteLength(text.slice(0, offset));
}

function utf16Offset(text: string, bytes: number): number {
  return Buffer.from(text).subarray(0, bytes).toString().length;
}
