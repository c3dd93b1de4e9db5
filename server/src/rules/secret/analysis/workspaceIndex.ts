/**
 * What the secret rules learn from the whole workspace: files' roles by how they are used (values
 * files referenced from Argo CD, Flux, kustomize, helmfile or sitting next to a Chart.yaml;
 * helm-secrets files; kustomize patch files), the names of the objects that hold secrets, what the
 * files secretGenerators read hold, the Secrets a secretKeyRef can point at, and where each
 * secret's fingerprint appears (for related locations). Plain data: the editor's scan process
 * computes it and hands it over.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { IO_CONCURRENCY, mapLimit } from '../../../engine/concurrency';
import { cachedFact } from '../../../engine/factCache';
import { arr, num, obj, str, type Schema } from '../../../engine/factSchema';
import { SourceDocument } from '../../../engine/document';
import { fingerprint } from '../../../engine/fingerprint';
import type { RuleContext } from '../../../engine/rule';
import type { Range } from '../../../engine/types';
import type { WorkspaceContext } from '../../../engine/workspaceContext';
import type { IndexedFile } from '../../../workspace/contracts';
import type { GeneratedFile, ScanHints, SecretFact } from './facts';
import { secretFileKind } from './fileKinds';
import { objectNamesIn } from './objectNames';
import { privateKeyBlocks } from './pem';
import { scanFile } from './scan';
import { harmlessValue } from './values';
import { secretKeyKind } from './secretKeys';
import { get, getText, items, pairs, parseYaml, scalarText, type YamlDocument } from './yamlModel';
import { parseSecretYaml } from './yamlScan';

export const SECRET_INDEX_FACT = 'secret/workspace-index';
export const SECRET_OCCURRENCES_FACT = 'secret/occurrences';

export type FileRole = 'helm-values' | 'helm-secrets' | 'kubernetes';

/** A Secret (or what creates one: SealedSecret, ExternalSecret, SOPS Secret) a secretKeyRef can name. */
export interface KnownSecret {
  name: string;
  namespace: string | null;
  /** Its keys, when the manifest lists them. */
  keys: string[];
  file: string;
}

export interface SecretIndex {
  roles: Record<string, FileRole>;
  objectNames: string[];
  generatorFiles: Record<string, GeneratedFile>;
  secrets: KnownSecret[];
}

/** Every place a secret was found, by fingerprint. */
export type SecretOccurrences = Record<string, { file: string; range: Range }[]>;

/** Files larger than this are not read for roles (generated bundles). */
const MAX_ROLE_FILE_CHARS = 2 * 1024 * 1024;

export function secretIndex(ctx: RuleContext): Promise<SecretIndex | undefined> {
  return ctx.workspaceFact(SECRET_INDEX_FACT, () => buildSecretIndex(ctx.workspace));
}

/**
 * Where each secret of the workspace is, for related locations: every manifest, values and env
 * file scanned, so it is asked only for a file with a secret to report.
 */
export function secretOccurrences(ctx: RuleContext): Promise<SecretOccurrences | undefined> {
  return ctx.workspaceFact(SECRET_OCCURRENCES_FACT, async () => buildSecretOccurrences(ctx.workspace, await ctx.workspace.derived(SECRET_INDEX_FACT, () => buildSecretIndex(ctx.workspace)).promise));
}

/** The scan hints for one file from the index (shared objects per index, so scans are cached alike). */
export function hintsFor(index: SecretIndex | undefined, relPath: string): ScanHints {
  if (!index) return {};
  let shared = derived.get(index);
  if (!shared) derived.set(index, (shared = { objectNames: new Set(index.objectNames), generatorFiles: new Map(Object.entries(index.generatorFiles)) }));
  return { ...shared, role: index.roles[relPath] };
}

const derived = new WeakMap<SecretIndex, Required<Omit<ScanHints, 'role'>>>();

/** The files the secret index and the occurrences read: manifests, values, templates, env files. */
async function candidateFiles(workspace: WorkspaceContext): Promise<{ paths: Set<string>; candidates: { file: IndexedFile; relPath: string; text: string }[] }> {
  const { files } = await workspace.files();
  const paths = new Set(files.map((file) => file.relPath));
  const candidates = files.filter((file) => /\.(ya?ml|json|gotmpl)$/i.test(file.relPath) || secretFileKind(file.relPath, '') === 'dotenv');
  const texts = await mapLimit(candidates, IO_CONCURRENCY, (file) => workspace.readText(file.relPath).catch(() => ''));
  return { paths, candidates: candidates.map((file, i) => ({ file, relPath: file.relPath, text: texts[i] })) };
}

/**
 * Whether a manifest has a key that gives another file a role or names an object holding secrets
 * (`readRoles`, `objectNamesIn`), written as a YAML or JSON key: a file without one is not parsed
 * for them (translation files, schemas, fixtures). A JSON file is asked by its own parse, which is
 * a hundred times faster than the YAML model's: a `kind` counts only as its document's own (data
 * fixtures have `kind` fields: saleor's 250 KB `populatedb_data.json` was parsed for nothing).
 */
export function mayReferToOthers(text: string, relPath = ''): boolean {
  if (!REFERRING_KEY.test(text)) return false;
  if (!/\.json$/i.test(relPath)) return true;
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // JSON with comments, or YAML named .json: the YAML model reads it.
    return true;
  }
  return (isObject(value) && typeof value.kind === 'string') || hasReferringKey(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether any object of a parsed JSON value has a key REFERRING_KEY names (other than `kind`), however deep. */
function hasReferringKey(root: unknown): boolean {
  const stack = [root];
  while (stack.length) {
    const value = stack.pop();
    if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (isObject(value)) {
      for (const [key, inner] of Object.entries(value)) {
        if (REFERRING_KEYS.has(key)) return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

/** Keys that give another file a role or name an object holding secrets (besides a document's `kind`). */
const REFERRING_KEYS = new Set(['target', 'secretGenerator', 'configMapGenerator', 'patches', 'patchesJson6902', 'patchesStrategicMerge', 'helmCharts', 'releases', 'environments', 'secretName', 'existingSecret', 'existingSecretName', 'existingConfigMap', 'configMapName', 'secretRefName', 'credentialsSecret', 'passwordSecret', 'secretKeyRef', 'secretRef', 'configMapKeyRef', 'configMapRef', 'valuesFrom', 'imagePullSecrets', 'pullSecrets', 'passwordSecretRef']);
const REFERRING_KEY = new RegExp(`(?:^|[\\s{,[?])["']?(?:${['kind', ...REFERRING_KEYS].join('|')})["']?\\s*:`, 'm');

export async function buildSecretIndex(workspace: WorkspaceContext): Promise<SecretIndex> {
  const { paths, candidates } = await candidateFiles(workspace);
  const index: SecretIndex = { roles: {}, objectNames: [], generatorFiles: {}, secrets: [] };
  const names = new Set<string>();
  const generatorReads: string[] = [];
  for (const { relPath, text } of candidates) {
    if (text.length > MAX_ROLE_FILE_CHARS) continue;
    const kind = secretFileKind(relPath, text);
    if (!kind || kind === 'dotenv' || kind === 'app-config' || !mayReferToOthers(text, relPath)) continue;
    const { documents } = parseSecretYaml(text, kind, false);
    for (const name of objectNamesIn(documents)) names.add(name);
    readRoles(relPath, documents, paths, index, generatorReads);
  }
  for (const file of paths) {
    const dir = path.posix.dirname(file);
    if (path.posix.basename(file) !== 'Chart.yaml') continue;
    // Values files beside a chart (`prod.yaml`, `ci/x.yaml`), and helm-secrets files.
    for (const sibling of paths) {
      if (path.posix.dirname(sibling) !== dir || !/\.ya?ml$/.test(sibling) || /\/(Chart|requirements)\.ya?ml$|\/Chart\.lock$/.test(sibling) || sibling === file) continue;
      index.roles[sibling] ??= /(^|\/)(secrets?)([.-][\w.-]+)?\.ya?ml$/.test(sibling) ? 'helm-secrets' : 'helm-values';
    }
  }
  for (const file of paths) {
    if (/(^|\/)secrets([.-][\w.-]+)?\.ya?ml$/.test(file) && [...paths].some((other) => path.posix.dirname(other) === path.posix.dirname(file) && /(^|\/)(values[\w.-]*\.ya?ml|helmfile[\w.-]*)$/.test(other))) index.roles[file] ??= 'helm-secrets';
  }
  index.objectNames = [...names];
  const generated = await mapLimit([...new Set(generatorReads)], IO_CONCURRENCY, async (file) => [file, await generatedFile(workspace, file)] as const);
  for (const [key, held] of generated) if (held) index.generatorFiles[key.split('\0').slice(0, 2).join('\0')] = held;
  index.secrets = knownSecrets(candidates);
  return index;
}

export async function buildSecretOccurrences(workspace: WorkspaceContext, index: SecretIndex): Promise<SecretOccurrences> {
  const { candidates } = await candidateFiles(workspace);
  const stored = await workspace.factCache();
  // A file's secrets depend on its text and the hints: the object names and generator files of the whole workspace, and its role.
  const hints = createHash('sha256').update(JSON.stringify([index.objectNames, index.generatorFiles])).digest('base64url');
  // Scanned last file first: the YAML chunk cache still holds the documents the index parsed last,
  // and in the index's order each file's parse would have been evicted before its turn came.
  const found = new Array<{ fingerprint: string; range: Range }[]>(candidates.length);
  for (let i = candidates.length - 1; i >= 0; i--) {
    const { file, relPath, text } = candidates[i];
    found[i] = text.length > MAX_ROLE_FILE_CHARS ? [] : cachedFact(stored, 'secret/occurrences', file, text, `${index.roles[relPath] ?? ''}|${hints}`, OCCURRENCES, () => occurrencesIn(relPath, text, index));
  }
  const occurrences: SecretOccurrences = {};
  for (const [i, { relPath }] of candidates.entries()) for (const { fingerprint, range } of found[i]) (occurrences[fingerprint] ??= []).push({ file: relPath, range });
  return occurrences;
}

/** Where a file holds secrets, by fingerprint (never the value): its secrets' and its private keys'. */
function occurrencesIn(relPath: string, text: string, index: SecretIndex): { fingerprint: string; range: Range }[] {
  const doc = new SourceDocument(relPath, text);
  const found = scanFile(relPath, text, hintsFor(index, relPath)).map((fact) => ({ fingerprint: fact.fingerprint, range: doc.rangeOf(fact.start, fact.end) }));
  if (!text.includes('PRIVATE KEY')) return found;
  for (const block of privateKeyBlocks(text)) found.push({ fingerprint: fingerprint(block.base64), range: doc.rangeOf(block.start, block.markerEnd) });
  return found;
}

const position = obj({ line: num, character: num });
const OCCURRENCES: Schema<{ fingerprint: string; range: Range }[]> = arr(obj({ fingerprint: str, range: obj({ start: position, end: position }) }));

/** Roles of the files a manifest, kustomization or helmfile refers to, resolved against the workspace. */
function readRoles(relPath: string, documents: YamlDocument[], paths: Set<string>, index: SecretIndex, generatorReads: string[]): void {
  const dir = path.posix.dirname(relPath);
  const resolve = (base: string, ref: string) => {
    if (/[{}$]/.test(ref) || /^[a-z]+:\/\//i.test(ref)) return null;
    const joined = path.posix.normalize(path.posix.join(base, ref));
    return joined.startsWith('..') || !paths.has(joined) ? null : joined;
  };
  const mark = (file: string | null, role: FileRole) => {
    if (file) index.roles[file] ??= role;
  };
  for (const document of documents) {
    const root = document.root;
    const kind = getText(root, 'kind');
    if (kind === 'Application' || kind === 'ApplicationSet') {
      const spec = kind === 'ApplicationSet' ? get(root, 'spec', 'template', 'spec') : get(root, 'spec');
      for (const source of [get(spec, 'source'), ...items(get(spec, 'sources'))]) {
        const sourcePath = getText(source, 'path') ?? '';
        for (const file of items(get(source, 'helm', 'valueFiles'))) mark(resolve(sourcePath, scalarText(file) ?? ''), 'helm-values');
      }
    }
    if (kind === 'HelmRelease') {
      for (const file of items(get(root, 'spec', 'chart', 'spec', 'valuesFiles'))) mark(resolve('', scalarText(file) ?? '') ?? resolve(dir, scalarText(file) ?? ''), 'helm-values');
    }
    // kustomize: patches by path, Helm charts' values files, and files turned into ConfigMaps and Secrets.
    for (const patch of [...items(get(root, 'patches')), ...items(get(root, 'patchesJson6902'))]) mark(resolve(dir, getText(patch, 'path') ?? ''), 'kubernetes');
    for (const patch of items(get(root, 'patchesStrategicMerge'))) mark(resolve(dir, scalarText(patch) ?? ''), 'kubernetes');
    for (const chart of items(get(root, 'helmCharts'))) {
      mark(resolve(dir, getText(chart, 'valuesFile') ?? ''), 'helm-values');
      for (const file of items(get(chart, 'additionalValuesFiles'))) mark(resolve(dir, scalarText(file) ?? ''), 'helm-values');
    }
    for (const generator of items(get(root, 'configMapGenerator'))) {
      for (const entry of items(get(generator, 'files'))) {
        const ref = (scalarText(entry) ?? '').replace(/^[^=]*=/, '');
        if (/\.ya?ml$/.test(ref)) mark(resolve(dir, ref), 'helm-values');
      }
    }
    for (const generator of items(get(root, 'secretGenerator'))) {
      for (const entry of [...items(get(generator, 'files')), ...items(get(generator, 'envs')), get(generator, 'env')]) {
        const ref = (scalarText(entry) ?? '').replace(/^[^=]*=/, '');
        const file = resolve(dir, ref);
        if (file) generatorReads.push(`${dir}\0${ref}\0${file}`);
      }
    }
    // helmfile: values and secrets of releases and environments.
    for (const owner of [...items(get(root, 'releases')), ...pairs(get(root, 'environments')).map((pair) => pair.value)]) {
      for (const entry of items(get(owner, 'values'))) mark(resolve(dir, scalarText(entry) ?? ''), 'helm-values');
      for (const entry of items(get(owner, 'secrets'))) mark(resolve(dir, scalarText(entry) ?? ''), 'helm-secrets');
    }
  }
}

/**
 * What a file a secretGenerator reads holds: a secret unless it is encrypted (SOPS, a PGP or
 * Ansible Vault message), a placeholder, or public material. `key` is `<dir>\0<ref>\0<file>`: the
 * kustomization in `dir` names it `ref`, and the index keeps it under `<dir>\0<ref>`.
 */
async function generatedFile(workspace: WorkspaceContext, key: string): Promise<GeneratedFile | null> {
  const [, , file] = key.split('\0');
  const text = await workspace.readText(file).catch(() => null);
  if (text === null || text.length > MAX_ROLE_FILE_CHARS) return null;
  const content = text.trim();
  const encrypted = /^sops:|"sops"\s*:|ENC\[AES256_GCM|^\$ANSIBLE_VAULT|-----BEGIN PGP MESSAGE-----/m.test(content);
  const dotenv = /\.env$|(^|\/)\.env[.\w-]*$/.test(file);
  // `.env` files are judged line by line by the rules on their own; the generator adds nothing.
  if (encrypted || dotenv || harmlessValue(content) !== null) return { secret: null };
  const name = path.posix.basename(file);
  return { secret: { length: content.length, fingerprint: fingerprint(content), kind: secretKeyKind(name.replace(/\.[^.]+$/, '')) ?? 'file content' } };
}

/** Secrets, SealedSecrets, ExternalSecret targets and SOPS Secrets the workspace declares. */
export function knownSecrets(files: { relPath: string; text: string }[]): KnownSecret[] {
  const known: KnownSecret[] = [];
  for (const { relPath, text } of files) {
    if (text.length > MAX_ROLE_FILE_CHARS || !/kind"?\s*:\s*"?(Secret|SealedSecret|ExternalSecret)/.test(text)) continue;
    for (const document of parseYaml(text, false).documents) {
      const root = document.root;
      const kind = getText(root, 'kind');
      const namespace = getText(root, 'metadata', 'namespace');
      if (kind === 'Secret' || kind === 'SealedSecret') {
        const keys = [...pairs(get(root, 'data')), ...pairs(get(root, 'stringData')), ...pairs(get(root, 'spec', 'encryptedData'))].map((pair) => scalarText(pair.key) ?? '');
        const name = getText(root, 'metadata', 'name');
        if (name) known.push({ name, namespace, keys, file: relPath });
      } else if (kind === 'ExternalSecret') {
        const name = getText(root, 'spec', 'target', 'name') ?? getText(root, 'metadata', 'name');
        const keys = items(get(root, 'spec', 'data')).map((entry) => getText(entry, 'secretKey') ?? '').filter(Boolean);
        if (name) known.push({ name, namespace, keys, file: relPath });
      }
    }
  }
  return known;
}

/** Other places the same secret appears, for a finding's related locations. */
export function otherOccurrences(occurrences: SecretOccurrences | undefined, fact: Pick<SecretFact, 'fingerprint'>, file: string, range: Range): { file: string; range: Range }[] {
  const all = occurrences?.[fact.fingerprint] ?? [];
  return all.filter((other) => other.file !== file || other.range.start.line !== range.start.line || other.range.start.character !== range.start.character).slice(0, 20);
}
