import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { SourceDocument } from '../../../engine/document';
import { fingerprint } from '../../../engine/fingerprint';
import type { Severity } from '../../../engine/types';
import { secretFileKind, type SecretFileKind } from './fileKinds';
import { secretKeyKind, splitWords } from './secretKeys';
import { findTokens } from './tokens';
import { decodeBase64, harmlessValue, urlPassword } from './values';
import { redactTokens } from '../report';
import { get, getText, items, nodeRange, pairs, parseYaml, scalarText, walk, type YamlDocument } from './yamlModel';

export type SecretCategory = 'k8s-secret' | 'sealed-template' | 'external-literal' | 'credential' | 'token';

/** A literal `value:` in a Kubernetes env list, which the secretKeyRef fix rewrites. */
export interface EnvLiteral {
  envName: string;
  /** Offsets of `value: <literal>` (key through value). */
  pairStart: number;
  pairEnd: number;
  workload: string | null;
  namespace: string | null;
}

/** A Kubernetes Secret document, which the ExternalSecret fix replaces. */
export interface SecretDocument {
  name: string;
  namespace: string | null;
  type: string | null;
  keys: string[];
  start: number;
  end: number;
}

export interface SecretFact {
  category: SecretCategory;
  start: number;
  end: number;
  /** Where it sits, for the message: `env var DB_PASSWORD`, `stringData.password of Secret "db"`. */
  where: string;
  /** What it is: `password`, `GitHub token`. */
  kind: string;
  /** The kind's prefix when one names it (`ghp_`); never more of the value. */
  shownPrefix: string;
  length: number;
  fingerprint: string;
  fileKind: SecretFileKind;
  severity?: Severity;
  env?: EnvLiteral;
  secretDocument?: SecretDocument;
}

/** Every secret the secret rules report for a file, computed once per text and shared by them. */
export function secretFacts(doc: SourceDocument): SecretFact[] {
  return doc.parse('secret-facts', (text) => {
    const fileKind = secretFileKind(doc.relPath, text);
    return fileKind ? scan(text, fileKind) : [];
  });
}

function scan(text: string, fileKind: SecretFileKind): SecretFact[] {
  const facts: SecretFact[] = [];
  const add: Add = (fact) => {
    // `source` comes along when a literal is spread in; facts keep offsets, not text.
    const { value, source, ...rest } = fact;
    void source;
    facts.push({ shownPrefix: '', ...rest, where: elideLongWords(redactTokens(rest.where)), length: value.length, fingerprint: fingerprint(value), fileKind });
  };
  if (fileKind === 'dotenv') scanDotenv(text, add);
  else scanYaml(text, fileKind, add);

  const structural = [...facts];
  for (const token of findTokens(text)) {
    const covering = structural.find((fact) => fact.start <= token.start && token.end <= fact.end + 1);
    if (covering) {
      // The structural finding owns the fix; the token format makes its message precise.
      covering.kind = token.pattern.kind;
      covering.shownPrefix = token.pattern.shownPrefix(token.value);
      continue;
    }
    add({ category: 'token', start: token.start, end: token.end, where: 'plain text', kind: token.pattern.kind, shownPrefix: token.pattern.shownPrefix(token.value), value: token.value, severity: token.pattern.severity });
  }
  return withoutAllowlisted(text, facts).sort((a, b) => a.start - b.start);
}

/**
 * Where a secret sits is told by the keys above it, and a key can hold anything: a token is named
 * as a secret (`redactTokens`, before this), and words no name is as long as (a pasted key block)
 * are elided, so the message never echoes one.
 */
function elideLongWords(where: string): string {
  return where.replace(/\s+/g, ' ').replace(/\S{41,}/g, '…');
}

/** A literal scalar: its value, and its source text and offsets (quotes and block indicators included). */
interface Literal {
  value: string;
  start: number;
  end: number;
  source: string;
}

type LiteralOf = (node: Node | null) => Literal | null;

type Add = (fact: Omit<SecretFact, 'fingerprint' | 'length' | 'fileKind' | 'shownPrefix'> & { value: string; shownPrefix?: string; source?: string }) => void;

function scanYaml(text: string, fileKind: SecretFileKind, add: Add): void {
  const { documents, templated } = parseYaml(text, fileKind === 'helm-template');
  const isTemplatedAt = (start: number, end: number) => templated.some(([s, e]) => s < end && start < e);
  /** A scalar of `document` that is a literal secret value: not templated, not harmless, not a PEM block (secret/private-key reports those). */
  const literalIn = (document: YamlDocument) => (node: Node | null | undefined): Literal | null => {
    if (!node || !isScalar(node)) return null;
    const value = scalarText(node);
    const range = nodeRange(node, document);
    if (value === null || !range || isTemplatedAt(range[0], range[1]) || harmlessValue(value) !== null || value.includes('PRIVATE KEY-----')) return null;
    return { value, start: range[0], end: range[1], source: text.slice(range[0], range[1]) };
  };

  for (const document of documents) {
    const root = document.root;
    const literal = literalIn(document);
    const kind = getText(root, 'kind');
    const apiVersion = getText(root, 'apiVersion') ?? '';
    const isSops = isMap(get(root, 'sops'));
    const name = getText(root, 'metadata', 'name');
    const namespace = getText(root, 'metadata', 'namespace');
    const handled = new Set<Node>();

    if (kind === 'Secret' && !apiVersion.includes('/')) {
      scanKubernetesSecret(document, name, namespace, isSops, literal, add, handled);
    } else if (kind === 'SealedSecret') {
      for (const pair of pairs(get(root, 'spec', 'template', 'data'))) {
        if (pair.value) handled.add(pair.value);
        const lit = literal(pair.value);
        if (lit) add({ category: 'sealed-template', ...lit, where: `spec.template.data.${scalarText(pair.key)} of SealedSecret "${name ?? '?'}"`, kind: 'value' });
      }
    } else if (kind === 'ExternalSecret' || kind === 'ClusterExternalSecret') {
      const templateData = kind === 'ExternalSecret' ? get(root, 'spec', 'target', 'template', 'data') : get(root, 'spec', 'externalSecretSpec', 'target', 'template', 'data');
      for (const pair of pairs(templateData)) {
        if (pair.value) handled.add(pair.value);
        const lit = literal(pair.value);
        const key = scalarText(pair.key) ?? '';
        if (lit && (secretKeyKind(key) || urlPassword(lit.value))) add({ category: 'external-literal', ...lit, where: `target.template.data.${key} of ExternalSecret "${name ?? '?'}"`, kind: secretKeyKind(key) ?? 'credential' });
      }
    } else if ((kind === 'SecretStore' || kind === 'ClusterSecretStore') && get(root, 'spec', 'provider', 'fake')) {
      for (const entry of items(get(root, 'spec', 'provider', 'fake', 'data'))) {
        const valueNode = get(entry, 'value');
        if (valueNode) handled.add(valueNode);
        const lit = literal(valueNode);
        if (lit) add({ category: 'external-literal', ...lit, where: `fake provider entry "${getText(entry, 'key') ?? '?'}" of ${kind} "${name ?? '?'}"`, kind: 'value' });
      }
    }

    if (fileKind === 'kustomization') scanSecretGenerators(root, literal, add);
    if (fileKind === 'compose') scanComposeEnvLists(root, literal, add, handled);
    if (fileKind === 'other-config' || fileKind === 'helm-template' && !kind) {
      scanUrls(root, literal, add);
      continue;
    }
    if (kind && SECRET_MACHINERY_KINDS.has(kind)) continue;
    scanEnvLists(document, name, namespace, literal, add, handled);
    scanKeyedLiterals(root, fileKind, kind, literal, add, handled);
  }
}

function scanKubernetesSecret(document: YamlDocument, name: string | null, namespace: string | null, isSops: boolean, literal: LiteralOf, add: Add, handled: Set<Node>): void {
  const root = document.root;
  const secretType = getText(root, 'type');
  const argoType = getText(root, 'metadata', 'labels', 'argocd.argoproj.io/secret-type');
  const label = argoType ? `Argo CD ${argoType} credential Secret "${name ?? '?'}"` : `Secret "${name ?? '?'}"`;
  const keys = [...pairs(get(root, 'data')), ...pairs(get(root, 'stringData'))].map((pair) => scalarText(pair.key) ?? '');
  // The ExternalSecret fix rewrites a whole document; an item of a List keeps its YAML as it is.
  const secretDocument: SecretDocument | undefined = isSops || document.inList ? undefined : { name: name ?? 'app-secrets', namespace, type: secretType, keys, start: document.start, end: document.end };
  for (const field of ['data', 'stringData'] as const) {
    for (const pair of pairs(get(root, field))) {
      const key = scalarText(pair.key) ?? '';
      handled.add(pair.value as Node);
      const lit = literal(pair.value);
      if (!lit) continue;
      let plain = lit.value;
      if (field === 'data') {
        const decoded = decodeBase64(lit.value);
        if (decoded === null || harmlessValue(decoded) !== null || decoded.includes('PRIVATE KEY-----')) continue;
        plain = decoded;
      }
      // A well-known token is a secret under any key (a webhook URL under `url` is the credential);
      // in `data` only its decoded text shows it, judged under its key as formats known by their
      // name (a Datadog key is 32 hex digits) need.
      const token = field === 'data' ? findTokens(`${key}: ${plain}`)[0] : undefined;
      if (isPublicSecretKey(key) && !token) continue;
      const kind = token?.pattern.kind ?? (key === '.dockerconfigjson' || key === '.dockercfg' ? 'registry credential' : secretKeyKind(key) ?? 'value');
      if (kind === 'registry credential' && !/"(auth|password)"\s*:\s*"[^"]+"/.test(plain)) continue;
      const shownPrefix = token?.pattern.shownPrefix(token.value) ?? '';
      add({ category: 'k8s-secret', ...lit, value: plain, shownPrefix, where: `${field}.${key}${field === 'data' ? ' (only base64-encoded)' : ''} of ${label}`, kind, secretDocument });
    }
  }
}

/** Keys of Secrets that hold public facts: certificates, user names, hosts, repository URLs. */
const PUBLIC_WORDS = new Set(['crt', 'cert', 'certificate', 'username', 'user', 'url', 'host', 'hostname', 'address', 'addr', 'port', 'type', 'project', 'name', 'region', 'endpoint', 'database', 'db', 'email', 'server']);

function isPublicSecretKey(key: string): boolean {
  if (secretKeyKind(key)) return false;
  const words = splitWords(key);
  return words.some((word) => PUBLIC_WORDS.has(word)) || /(name|user|url|host|address)$/i.test(key);
}

/**
 * `[{name, value}]` lists: container `env` of any workload (the secretKeyRef fix applies there),
 * and the same shape elsewhere (Argo CD helm parameters, Tekton params).
 */
function scanEnvLists(document: YamlDocument, workload: string | null, namespace: string | null, literal: LiteralOf, add: Add, handled: Set<Node>): void {
  walk(document.root, (node, path) => {
    if (!isSeq(node)) return;
    const isEnv = path[path.length - 1] === 'env';
    for (const entry of node.items) {
      const envName = getText(entry, 'name');
      const valueNode = get(entry, 'value');
      if (!envName || !valueNode) continue;
      handled.add(valueNode);
      const lit = literal(valueNode);
      if (!lit) continue;
      const valuePair = pairs(entry).find((pair) => scalarText(pair.key) === 'value') as Pair<Scalar, Node>;
      const kind = secretKeyKind(envName);
      const url = urlPassword(lit.value);
      const env: EnvLiteral | undefined = isEnv && isMap(entry) && !(entry as { flow?: boolean }).flow && valuePair.key.range
        ? { envName, pairStart: document.offset + valuePair.key.range[0], pairEnd: lit.end, workload, namespace }
        : undefined;
      const where = isEnv ? `env var ${envName}` : `${path.join('.')} entry ${envName}`;
      if (kind) add({ category: 'credential', ...lit, where, kind, env });
      else if (url) add({ category: 'credential', ...inner(lit, url.start, url.length), where: `the URL in ${where}`, kind: 'password in a URL', env });
    }
  });
}

/** Compose `environment:` as a list of `KEY=value` strings. */
function scanComposeEnvLists(root: Node | null, literal: LiteralOf, add: Add, handled: Set<Node>): void {
  for (const service of pairs(get(root, 'services'))) {
    for (const entry of items(get(service.value, 'environment'))) {
      handled.add(entry);
      const lit = literal(entry);
      const eq = lit?.value.indexOf('=') ?? -1;
      if (!lit || eq <= 0) continue;
      const key = lit.value.slice(0, eq);
      const value = lit.value.slice(eq + 1);
      const kind = secretKeyKind(key);
      if (!kind || harmlessValue(value) !== null) continue;
      add({ category: 'credential', ...inner(lit, eq + 1, value.length), where: `environment ${key} of service "${scalarText(service.key)}"`, kind });
    }
  }
}

/** kustomize `secretGenerator[].literals`: each `key=value` becomes a Secret, so every literal is plaintext. */
function scanSecretGenerators(root: Node | null, literal: LiteralOf, add: Add): void {
  for (const generator of items(get(root, 'secretGenerator'))) {
    for (const entry of items(get(generator, 'literals'))) {
      const lit = literal(entry);
      const eq = lit?.value.indexOf('=') ?? -1;
      if (!lit || eq <= 0) continue;
      const key = lit.value.slice(0, eq);
      const value = lit.value.slice(eq + 1);
      if (harmlessValue(value) !== null || isPublicSecretKey(key)) continue;
      add({ category: 'k8s-secret', ...inner(lit, eq + 1, value.length), where: `secretGenerator literal ${key} of "${getText(generator, 'name') ?? '?'}"`, kind: secretKeyKind(key) ?? 'value' });
    }
  }
}

/**
 * Objects of the secret-management operators: their fields name keys and stores (`secretKey`,
 * `remoteRef.property`), and their literal risks are checked above, kind by kind.
 */
const SECRET_MACHINERY_KINDS = new Set(['SealedSecret', 'ExternalSecret', 'ClusterExternalSecret', 'PushSecret', 'SecretStore', 'ClusterSecretStore', 'SecretProviderClass', 'VaultStaticSecret', 'VaultDynamicSecret', 'VaultAuth', 'VaultConnection']);

/**
 * Ciphertext (SealedSecret encryptedData, SOPS metadata) and object metadata (labels, controller
 * annotations such as Vault agent's `agent-inject-secret-*` paths) are never literal secrets.
 */
const SKIPPED_SUBTREES = new Set(['encryptedData', 'sops']);

/**
 * Literal values under secret-looking keys anywhere in Helm values, Kubernetes objects (ConfigMaps,
 * CRDs, Argo CD and Flux inline values), compose files and CI files; URLs with passwords too.
 */
function scanKeyedLiterals(root: Node | null, fileKind: SecretFileKind, kind: string | null, literal: LiteralOf, add: Add, handled: Set<Node>): void {
  walk(root, (node, path) => {
    if (!isMap(node) || path.some((key, i) => SKIPPED_SUBTREES.has(key) || (i === 1 && path[0] === 'metadata'))) return;
    for (const pair of node.items as Pair<Node, Node>[]) {
      if (!pair.value || handled.has(pair.value)) continue;
      const key = scalarText(pair.key);
      const lit = literal(pair.value);
      if (!key || !lit) continue;
      const secretKind = secretKeyKind(key);
      const where = describe(fileKind, kind, [...path, key]);
      if (secretKind) {
        handled.add(pair.value);
        add({ category: 'credential', ...lit, where, kind: secretKind });
        continue;
      }
      const url = urlPassword(lit.value);
      if (url) {
        handled.add(pair.value);
        add({ category: 'credential', ...inner(lit, url.start, url.length), where: `the URL in ${where}`, kind: 'password in a URL' });
      }
    }
  });
}

function scanUrls(root: Node | null, literal: LiteralOf, add: Add): void {
  walk(root, (node, path) => {
    const lit = literal(node);
    const url = lit && urlPassword(lit.value);
    if (!lit || !url) return;
    add({ category: 'credential', ...inner(lit, url.start, url.length), where: `the URL at ${path.join('.')}`, kind: 'password in a URL' });
  });
}

function describe(fileKind: SecretFileKind, kind: string | null, path: string[]): string {
  const dotted = path.join('.');
  switch (fileKind) {
    case 'helm-values':
      return `Helm value ${dotted}`;
    case 'compose':
      return `compose setting ${dotted}`;
    case 'github-actions':
      return `workflow setting ${dotted}`;
    case 'gitlab-ci':
      return `GitLab CI setting ${dotted}`;
    default:
      return kind ? `${dotted} of ${kind}` : dotted;
  }
}

/** KEY=value lines of a .env file (`export`, quotes and trailing comments understood). */
function scanDotenv(text: string, add: Add): void {
  const linePattern = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*(.*)$/gm;
  for (const match of text.matchAll(linePattern)) {
    const key = match[1];
    let raw = match[2].replace(/\r$/, '');
    let offset = match.index + match[0].length - match[2].length;
    const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
    if (quote) {
      const close = raw.indexOf(quote, 1);
      raw = close > 0 ? raw.slice(1, close) : raw.slice(1);
      offset += 1;
    } else {
      // A comment starts at a `#` after a blank; searched as the pair, not as `[ \t]+#`, which
      // scans a long run of blanks from each of them.
      const comment = raw.search(/[ \t]#/);
      raw = (comment >= 0 ? raw.slice(0, comment) : raw).trimEnd();
    }
    if (harmlessValue(raw) !== null) continue;
    const kind = secretKeyKind(key);
    const url = urlPassword(raw);
    if (kind) add({ category: 'credential', start: offset, end: offset + raw.length, value: raw, where: `.env variable ${key}`, kind });
    else if (url) add({ category: 'credential', start: offset + url.start, end: offset + url.start + url.length, value: raw.substr(url.start, url.length), where: `the URL in .env variable ${key}`, kind: 'password in a URL' });
  }
}

/**
 * The source offsets of part of a literal's value (a URL's password, the value of `KEY=value`),
 * found in the scalar's own source text, so quotes and block indicators cannot shift it.
 */
function inner(lit: Literal, valueStart: number, length: number): { start: number; end: number; value: string } {
  const value = lit.value.substr(valueStart, length);
  const at = lit.source.indexOf(value);
  const start = lit.start + (at >= 0 ? at : 0);
  return { start, end: start + length, value };
}

/**
 * Honours the inline allowlist comments people already use with other scanners, so adopting
 * DeployRisk is quiet: `gitleaks:allow`, `secretlint-disable-line`, `pragma: allowlist secret`
 * on the line, `secretlint-disable-next-line` and `pragma: allowlist nextline secret` above it.
 */
function withoutAllowlisted(text: string, facts: SecretFact[]): SecretFact[] {
  if (!/gitleaks:allow|secretlint-disable|pragma: allowlist/.test(text)) return facts;
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  const lines = text.split('\n');
  return facts.filter((fact) => {
    const line = lineOf(fact.start);
    const own = lines[line] ?? '';
    const above = lines[line - 1] ?? '';
    return !(/gitleaks:allow|secretlint-disable-line|pragma: allowlist secret/.test(own) || /secretlint-disable-next-line|pragma: allowlist nextline secret/.test(above));
  });
}
