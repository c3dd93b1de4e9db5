import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import schema from '../../../schemas/deployrisk.schema.json';
import { AREAS } from '../engine/types';
import { readWorkspaceText } from '../workspace/readWorkspaceFile';
import { MAX_YAML_DEPTH, isTooDeepForYaml } from '../engine/yamlDepth';
import { CONFIG_FILE_NAME, defaultConfig, type ConfigProblem, type ResolvedConfig } from './config';

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

export interface LoadedConfig {
  config: ResolvedConfig;
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
  return parseConfigText(file, text, knownRuleIds);
}

export function parseConfigText(file: string, text: string, knownRuleIds: ReadonlySet<string>): LoadedConfig {
  const config = { ...defaultConfig(), file };
  if (isTooDeepForYaml(text)) return { config, problems: [{ file, key: '', message: `the file nests deeper than ${MAX_YAML_DEPTH} levels, which no configuration needs; it was not read` }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      config,
      problems: doc.errors.map((error) => ({
        file,
        key: '',
        message: `YAML syntax error: ${error.message.split('\n')[0]}`,
        offset: { start: error.pos[0], end: error.pos[1] },
      })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch {
    // The yaml package refuses documents whose aliases expand without bound (an "alias bomb").
    return { config, problems: [{ file, key: '', message: 'too many YAML aliases: the file expands beyond a safe size; write the values out' }] };
  }
  const problems: ConfigProblem[] = [];
  if (!validate(value)) {
    for (const error of validate.errors ?? []) problems.push(problemFromSchemaError(file, doc, error));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { config, problems };

  const raw = value as Record<string, unknown>;
  const badTopKeys = new Set(problems.map((p) => p.key.split('.')[0]));
  if (typeof raw.baseBranch === 'string' && !badTopKeys.has('baseBranch')) config.baseBranch = raw.baseBranch.trim();
  if (Array.isArray(raw.exclude) && !badTopKeys.has('exclude')) config.exclude = raw.exclude.filter((p): p is string => typeof p === 'string' && p.length > 0);
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

/** Offsets of the value at a key path (or of the key itself when it is the mistake), for underlining. */
function keyOffset(doc: Document, segments: string[]): { start: number; end: number } | undefined {
  let node: unknown = doc.contents;
  let keyRange: [number, number, number] | undefined;
  for (const segment of segments) {
    if (!isMap(node)) break;
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
    if (!pair) break;
    keyRange = isScalar(pair.key) ? pair.key.range ?? undefined : undefined;
    node = pair.value;
  }
  const range = (isScalar(node) ? node.range : undefined) ?? keyRange;
  return range ? { start: range[0], end: range[1] } : undefined;
}
