import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Pair, type YAMLMap } from 'yaml';
import schema from '../../../schemas/deployrisk.schema.json';
import { AREAS } from '../engine/types';
import { readWorkspaceText } from '../workspace/readWorkspaceFile';
import { workspacePathProblem } from '../workspace/workspacePath';
import { MAX_YAML_DEPTH, isTooDeepForYaml } from '../engine/yamlDepth';
import { CONFIG_FILE_NAME, MAX_EXCLUDE_PATTERNS, defaultConfig, type ConfigProblem, type ResolvedConfig } from './config';

/** Keys the schema declares paths; `checkPaths` checks their values, as only the file system can tell a link. */
const WORKSPACE_PATH = 'workspace-path';
let compiled: ValidateFunction | undefined;
/** Compiled the first time a configuration is read (about 150 ms): a run without one never pays it. */
function validator(): ValidateFunction {
  if (!compiled) {
    const { default: Ajv } = require('ajv') as typeof import('ajv');
    compiled = new Ajv({ allErrors: true, strict: false, formats: { [WORKSPACE_PATH]: true } }).compile(schema);
  }
  return compiled;
}
/** A configuration is a few KB; past this the file is not read (parsing and reporting stay fast at any size below it). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadedConfig {
  config: ResolvedConfig;
  problems: ConfigProblem[];
}

/** The file as YAML and as plain values (none when it could not be read as a mapping), with its problems so far. */
interface ParsedConfig {
  file: string;
  doc?: Document;
  raw?: Record<string, unknown>;
  problems: ConfigProblem[];
}

/**
 * Reads `.deployrisk.yaml` from the workspace root (not through a link), or an explicit file the
 * user named. A missing default file is not a problem; a missing explicit file is. Invalid keys are
 * reported and ignored, the rest applies.
 */
export async function loadConfig(root: string, knownRuleIds: ReadonlySet<string>, explicitFile?: string): Promise<LoadedConfig> {
  const file = explicitFile ? path.resolve(root, explicitFile) : path.join(root, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = explicitFile ? await readFile(file, 'utf8') : await readWorkspaceText(root, CONFIG_FILE_NAME);
  } catch (error) {
    if (!explicitFile && (error as NodeJS.ErrnoException).code === 'ENOENT') return { config: defaultConfig(), problems: [] };
    return {
      config: defaultConfig(),
      problems: [{ file, key: '', message: `cannot read the config file: ${(error as Error).message}` }],
    };
  }
  const parsed = parseConfigDocument(file, text);
  await checkPaths(root, parsed);
  return resolveConfig(parsed, knownRuleIds);
}

/** The configuration a text gives, without the file-system checks of its paths (`loadConfig` makes them). */
export function parseConfigText(file: string, text: string, knownRuleIds: ReadonlySet<string>): LoadedConfig {
  return resolveConfig(parseConfigDocument(file, text), knownRuleIds);
}

function parseConfigDocument(file: string, text: string): ParsedConfig {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_CONFIG_BYTES) return { file, problems: [{ file, key: '', message: `the file is ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${MAX_CONFIG_BYTES / 1024 / 1024} MB a configuration may have; it was not read` }] };
  if (isTooDeepForYaml(text)) return { file, problems: [{ file, key: '', message: `the file nests deeper than ${MAX_YAML_DEPTH} levels, which no configuration needs; it was not read` }] };
  const lineCounter = new LineCounter();
  // The yaml package's own duplicate check compares each key with every key before it (quadratic).
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const errors = [...doc.errors.map((error) => ({ message: error.message.split('\n')[0], pos: error.pos })), ...duplicateKeys(doc)];
  if (errors.length > 0) {
    return {
      file,
      problems: errors.map((error) => ({ file, key: '', message: `YAML syntax error: ${error.message}`, offset: { start: error.pos[0], end: error.pos[1] } })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch {
    // The yaml package refuses documents whose aliases expand without bound (an "alias bomb").
    return { file, problems: [{ file, key: '', message: 'too many YAML aliases: the file expands beyond a safe size; write the values out' }] };
  }
  const problems: ConfigProblem[] = [];
  const validate = validator();
  if (!validate(value)) {
    for (const error of validate.errors ?? []) problems.push(problemFromSchemaError(file, doc, error));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { file, doc, problems };
  return { file, doc, raw: value as Record<string, unknown>, problems };
}

/**
 * Every path the configuration names stays inside the workspace folder and reaches it without a
 * link (`workspacePathProblem`). One that does not is a problem at its key and is dropped, so no
 * rule reads a report or writes a test outside the workspace because the configuration said so.
 */
async function checkPaths(root: string, parsed: ParsedConfig): Promise<void> {
  const { file, doc, raw } = parsed;
  if (!doc || !raw) return;
  const outside: PathSetting[] = [];
  for (const setting of pathSettings(raw)) {
    // As the options read it: without the blanks around it.
    const problem = await workspacePathProblem(root, setting.value.trim());
    if (!problem) continue;
    const message = `"${setting.value}" ${problem}, so it is ignored: a path here is relative to the workspace folder, inside it and not through a link`;
    parsed.problems.push({ file, key: setting.segments.join('.'), message, offset: keyOffset(doc, setting.segments) });
    outside.push(setting);
  }
  // From the last: taking an item out of a list moves the ones after it.
  for (const { segments } of outside.reverse()) {
    const parent = segments.slice(0, -1).reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], raw);
    if (Array.isArray(parent)) parent.splice(Number(segments[segments.length - 1]), 1);
    else delete (parent as Record<string, unknown>)[segments[segments.length - 1]];
  }
}

interface PathSetting {
  segments: string[];
  value: string;
}

interface JsonSchema {
  format?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
}

/** Where the schema declares a path (`format: workspace-path`), `*` standing for every item of a list. */
const PATH_KEYS = (function pathKeys(node: JsonSchema, prefix: string[]): string[][] {
  if (node.format === WORKSPACE_PATH) return [prefix];
  if (node.items) return pathKeys(node.items, [...prefix, '*']);
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => pathKeys(child, [...prefix, key]));
})(schema as JsonSchema, []);

/** The string values at the schema's path keys. */
function pathSettings(raw: Record<string, unknown>): PathSetting[] {
  const found: PathSetting[] = [];
  const visit = (node: unknown, pattern: string[], segments: string[]): void => {
    const [head, ...rest] = pattern;
    if (head === undefined) {
      if (typeof node === 'string') found.push({ segments, value: node });
    } else if (head === '*') {
      if (Array.isArray(node)) node.forEach((item, index) => visit(item, rest, [...segments, String(index)]));
    } else if (node && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, head)) {
      visit((node as Record<string, unknown>)[head], rest, [...segments, head]);
    }
  };
  for (const pattern of PATH_KEYS) visit(raw, pattern, []);
  return found;
}

function resolveConfig({ file, doc, raw, problems }: ParsedConfig, knownRuleIds: ReadonlySet<string>): LoadedConfig {
  const config = { ...defaultConfig(), file };
  if (!doc || !raw) return { config, problems };
  const badTopKeys = new Set(problems.map((p) => p.key.split('.')[0]));
  if (typeof raw.baseBranch === 'string' && !badTopKeys.has('baseBranch')) config.baseBranch = raw.baseBranch.trim();
  if (Array.isArray(raw.exclude) && !badTopKeys.has('exclude')) {
    config.exclude = raw.exclude.filter((p): p is string => typeof p === 'string' && p.length > 0);
    if (config.exclude.length > MAX_EXCLUDE_PATTERNS) {
      problems.push({ file, key: 'exclude', message: `${config.exclude.length} globs, more than the ${MAX_EXCLUDE_PATTERNS} an exclude list may have: the first ${MAX_EXCLUDE_PATTERNS} apply; exclude a folder instead of its files`, offset: keyOffset(doc, ['exclude']) });
      config.exclude = config.exclude.slice(0, MAX_EXCLUDE_PATTERNS);
    }
  }
  if (typeof raw.baseline === 'string' && raw.baseline.trim() && !badTopKeys.has('baseline')) config.baseline = raw.baseline.trim();
  if (typeof raw.cacheLocation === 'string' && raw.cacheLocation.trim() && !badTopKeys.has('cacheLocation')) config.cacheLocation = raw.cacheLocation.trim();
  if (Number.isInteger(raw.maxFileSizeKB) && (raw.maxFileSizeKB as number) > 0) config.maxFileBytes = (raw.maxFileSizeKB as number) * 1024;
  if (raw.rules && typeof raw.rules === 'object') {
    const badRuleKeys = new Set(problems.map((p) => p.key));
    for (const [id, severity] of Object.entries(raw.rules as Record<string, unknown>)) {
      if (badRuleKeys.has(`rules.${id}`) || typeof severity !== 'string') continue;
      if (!id.endsWith('/*') && !knownRuleIds.has(id)) {
        problems.push({ file, key: `rules.${id}`, message: `unknown rule "${id}"; \`deployrisk rules\` lists the rule ids`, offset: keyOffset(doc, ['rules', id]) });
        continue;
      }
      config.rules[id] = severity as ResolvedConfig['rules'][string];
    }
  }
  for (const area of AREAS) {
    const options = raw[area];
    if (options && typeof options === 'object' && !Array.isArray(options)) config.areaOptions[area] = options as Record<string, unknown>;
  }
  return { config, problems };
}

function problemFromSchemaError(file: string, doc: Document, error: ErrorObject): ConfigProblem {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'additionalProperties') segments.push(String(error.params.additionalProperty));
  if (error.keyword === 'propertyNames') segments.push(String(error.params.propertyName));
  const key = segments.join('.');
  return { file, key, message: describeSchemaError(error), offset: keyOffset(doc, segments) };
}

function describeSchemaError(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown key "${String(error.params.additionalProperty)}"`;
    case 'propertyNames':
      return `"${String(error.params.propertyName)}" is not a rule id: expected <area>/<name> with area one of migration, flag, test, secret (or <area>/* for a whole area)`;
    case 'enum':
      return `expected one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `expected ${String(error.params.type)}`;
    default:
      return error.message ?? 'invalid value';
  }
}

/** Keys a map repeats (what the yaml package's `uniqueKeys` reports), found with one set per map. */
function duplicateKeys(doc: Document): { message: string; pos: [number, number] }[] {
  const found: { message: string; pos: [number, number] }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) found.push({ message: 'Map keys must be unique', pos: [pair.key.range?.[0] ?? 0, pair.key.range?.[1] ?? 0] });
        seen.add(pair.key.value);
      }
    },
  });
  return found;
}

/** Each map's pairs by key, built once per map: a file with thousands of mistakes looks each one up. */
const pairsByKey = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let pairs = pairsByKey.get(map);
  if (!pairs) {
    pairs = new Map();
    for (const item of map.items) if (isScalar(item.key) && !pairs.has(String(item.key.value))) pairs.set(String(item.key.value), item);
    pairsByKey.set(map, pairs);
  }
  return pairs.get(key);
}

/** Offsets of the value at a key path (or of the key itself when it is the mistake), for underlining. */
function keyOffset(doc: Document, segments: string[]): { start: number; end: number } | undefined {
  let node: unknown = doc.contents;
  let keyRange: [number, number, number] | undefined;
  for (const segment of segments) {
    if (isSeq(node) && node.items[Number(segment)]) {
      node = node.items[Number(segment)];
      continue;
    }
    if (!isMap(node)) break;
    const pair = pairOf(node, segment);
    if (!pair) break;
    keyRange = isScalar(pair.key) ? pair.key.range ?? undefined : undefined;
    node = pair.value;
  }
  const range = (isScalar(node) ? node.range : undefined) ?? keyRange;
  return range ? { start: range[0], end: range[1] } : undefined;
}
