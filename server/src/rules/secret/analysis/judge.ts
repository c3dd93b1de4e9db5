/**
 * Judging one literal value where it sits: what the value is first (a number, a path, a
 * placeholder, a Secret's name, a file held inside the value, base64-encoded text), and only then
 * what its key says. Embedded files and decoded text are judged like any file, so a password in
 * a `prometheus.yml` held by a ConfigMap, or a PEM key base64-encoded under `keyBase64:`, is found
 * where it is.
 */
import { findTokens, type TokenMatch } from './tokens';
import { commandSecrets, shellCommands, type Arg } from './commandLines';
import { embeddedFormat, keyValueLines, type EmbeddedFormat } from './embedded';
import type { Add, EnvLiteral, Found, ScanHints, SecretCategory, SecretDocument } from './facts';
import type { SecretContext, SecretFileKind } from './fileKinds';
import { privateKeyBlocks } from './pem';
import { looksLikeObjectName, namesSecretObject, secretKeyKind, splitWords } from './secretKeys';
import { decodedView, valueView, type View } from './textView';
import { decodeBase64, decodedText, findConnectionSecrets, harmlessSecret, harmlessValue, isPublicMaterial } from './values';
import { scanYamlText } from './yamlScan';

/** Embedded in embedded in decoded: deeper than this is not read. */
const MAX_DEPTH = 4;

export interface ScanState {
  readonly relPath: string;
  readonly fileKind: SecretFileKind;
  readonly hints: ScanHints;
  readonly add: Add;
  depth: number;
  /** How many secrets were reported so far: tells a caller whether a judgement found any. */
  reported: number;
  /**
   * Values judged neither harmless nor secret nor public so far: a Secret entry holding a file in
   * which nothing is named secret is still reported whole when this moved.
   */
  unnamed: number;
}

/** Where a value sits, and how values there are judged. */
export interface Place {
  category: SecretCategory;
  /** For the message: `env var DB_PASSWORD`, `data.password of Secret "db"`. */
  where: string;
  /**
   * Every value is secret unless its key is public (Secret data, SealedSecret templates,
   * helm-secrets files); otherwise only values under secret names, and passwords in URLs.
   */
  every?: boolean;
  /** `data` of a Secret: the value is base64 and judged decoded. */
  base64?: boolean;
  context?: SecretContext;
  env?: EnvLiteral;
  secretDocument?: SecretDocument;
  /** compose, `.env` and shell: the default of `${VAR:-default}` is a value too. */
  defaults?: boolean;
  /**
   * False where names mean nothing (arbitrary JSON and YAML: schemas, fixtures, translations):
   * only tokens, connection strings and decoded values are judged there.
   */
  keyed?: boolean;
  /** The kind of object an inline kustomize patch targets (`Secret`: its values are all secret). */
  targetKind?: string;
}

/** Keys of Secrets and configs that hold public facts: certificates, user names, hosts, URLs. */
const PUBLIC_WORDS = new Set(['crt', 'cert', 'certificate', 'username', 'user', 'url', 'uri', 'host', 'hostname', 'address', 'addr', 'port', 'type', 'project', 'name', 'region', 'endpoint', 'database', 'db', 'email', 'server', 'ca', 'id', 'login', 'domain', 'bucket', 'issuer', 'audience', 'scope', 'realm', 'namespace', 'cluster', 'zone', 'path', 'pub', 'public']);

export function isPublicKeyName(key: string): boolean {
  if (secretKeyKind(key)) return false;
  const words = splitWords(key);
  const saysPublic = words.some((word) => PUBLIC_WORDS.has(word)) || /(name|user|url|host|address)$/i.test(key) || /\.(crt|pem|pub|cer)$/i.test(key) && !/key/i.test(key);
  // A token pasted where a name goes says nothing of its value, whatever its random letters spell
  // (`ghp_…Id` reads as the word "id"). Tested last: few keys get this far.
  return saysPublic && findTokens(key).length === 0;
}

/**
 * Judges the value seen through `view`, under `key` (null for a list item). Reports what is
 * secret in it and returns whether anything was.
 */
export function judgeValue(view: View, key: string | null, place: Place, state: ScanState): boolean {
  const before = state.reported;
  judge(view, key, place, state);
  return state.reported > before;
}

/** The state of one file's scan: `add` counts what it is given. */
export function scanState(relPath: string, fileKind: SecretFileKind, hints: ScanHints, add: Add): ScanState {
  const state: ScanState = {
    relPath,
    fileKind,
    hints,
    add: (found: Found) => {
      state.reported++;
      add(found);
    },
    depth: 0,
    reported: 0,
    unnamed: 0,
  };
  return state;
}

function judge(view: View, key: string | null, place: Place, state: ScanState): void {
  let value = view.text;
  if (place.base64) {
    const decoded = decodeBase64(value);
    if (decoded === null) return;
    view = decodedView(view, 0, value.length, decoded);
    value = decoded;
    place = { ...place, base64: false };
  }
  // Most values of a file sit under ordinary keys and hold nothing that could be a secret: they
  // are passed before their shape is read (a large `.env` or properties file stays cheap). Inside
  // an embedded file every value is read, to tell a file with secrets from one without.
  if (state.depth === 0 && !place.every && !mayHoldSecret(value) && !(key && (/\.\w+$/.test(key) || (place.keyed !== false && secretKeyKind(key))))) return;
  const harmless = harmlessValue(value);
  if (harmless) {
    if (harmless === 'template' && place.defaults) judgeDefaults(view, key, place, state);
    return;
  }
  if (key && (namesSecretObject(key, value) || (state.hints.objectNames?.has(value) && looksLikeObjectName(value)))) return;
  if (value.includes('PRIVATE KEY')) {
    // A PEM block in the file's own text is secret/private-key's; decoded, it is reported here.
    if (!view.exact) reportPrivateKeys(view, place, state);
    return;
  }
  if (state.depth < MAX_DEPTH) {
    const format = value.includes('\n') || /\.\w+$/.test(key ?? '') || /^\s*[{[]/.test(value) ? embeddedFormat(key, value) : null;
    if (format) {
      const unnamed = state.unnamed;
      const found = nested(state, () => judgeEmbedded(view, format, key, place, state));
      if (found || !place.every || state.unnamed === unnamed) return;
    }
    const decoded = view.exact ? decodedText(value) : null;
    if (decoded !== null) {
      if (isPublicMaterial(decoded.trim())) return;
      if (nested(state, () => judgeDecoded(decodedView(view, 0, value.length, decoded), key, place, state))) return;
    }
  }
  const connection = findConnectionSecrets(value);
  const tokens = view.exact && connection.length === 0 ? [] : tokensIn(value, key);
  if (!view.exact && tokens.length > 0) {
    // Decoded text is out of sight of the file's token scan (scan.ts names the tokens of the file's
    // own text): a well-known token here is named by its kind, and is a secret under any key (a
    // webhook URL under `url` is the credential).
    for (const token of tokens) report(view, token.start, token.end, place, token.pattern.kind, place.where, state, token.pattern.shownPrefix(token.value));
    return;
  }
  const kind = key && place.keyed !== false ? secretKeyKind(key) : null;
  // A parameter of a known token's URL (a Google Chat webhook's `&token=`) is part of that token,
  // reported once by its kind.
  const inline = connection.filter((secret) => !tokens.some((token) => token.start < secret.start + secret.length && secret.start < token.end));
  if (inline.length > 0) {
    for (const secret of inline) report(view, secret.start, secret.start + secret.length, place, secret.kind, `the ${secret.kind === 'password in a URL' ? 'URL' : 'connection string'} in ${place.where}`, state);
    return;
  }
  if (kind || (place.every && !(key && isPublicKeyName(key)))) {
    report(view, 0, value.length, place, kind ?? 'value', place.where, state);
    return;
  }
  if (key && !isPublicKeyName(key)) state.unnamed++;
}

/**
 * Whether a value under a name that says nothing could still hold a secret: a URL or connection
 * string, `key=value` pairs, an embedded file, an expansion with a default, or enough characters
 * to be encoded text.
 */
function mayHoldSecret(value: string): boolean {
  return value.length >= 16 || /[=:$\n{[]/.test(value);
}

function nested(state: ScanState, run: () => unknown): boolean {
  const before = state.reported;
  state.depth++;
  try {
    run();
  } finally {
    state.depth--;
  }
  return state.reported > before;
}

function report(view: View, start: number, end: number, place: Place, kind: string, where: string, state: ScanState, shownPrefix = ''): void {
  const [fileStart, fileEnd] = view.locate(start, end);
  const decoded = !view.exact && !where.includes('base64');
  state.add({ category: place.category, start: fileStart, end: fileEnd, value: view.text.slice(start, end), where: decoded ? `${where} (decoded from base64)` : where, kind, shownPrefix, context: place.context, env: view.exact ? place.env : undefined, secretDocument: place.secretDocument });
}

/**
 * The well-known tokens of a value, at their offsets in it, judged under its key as formats known
 * by their name need (a Datadog key is 32 hex digits).
 */
function tokensIn(value: string, key: string | null): TokenMatch[] {
  const prefix = key ? `${key}: ` : '';
  return findTokens(`${prefix}${value}`).filter((token) => token.start >= prefix.length).map((token) => ({ ...token, start: token.start - prefix.length, end: token.end - prefix.length }));
}

/**
 * The defaults of `${VAR:-default}` and `${VAR-default}` (compose, shell, `.env`): used whenever
 * the variable is unset, which is how most such files are run.
 */
function judgeDefaults(view: View, key: string | null, place: Place, state: ScanState): void {
  for (const match of view.text.matchAll(/\$\{([A-Za-z_]\w{0,127}):?[-=]([^}]{1,1024})\}/g)) {
    const start = match.index + match[0].length - 1 - match[2].length;
    const inner = valueView(view, start, start + match[2].length, match[2]);
    const name = key && secretKeyKind(key) ? key : match[1];
    judgeValue(inner, name, { ...place, defaults: false, where: `the default of \${${match[1]}} in ${place.where}` }, state);
  }
}

/** A file held in a value, read in its format; every value in it is judged where it is. */
function judgeEmbedded(view: View, format: EmbeddedFormat, key: string | null, place: Place, state: ScanState): void {
  const inner: Place = { ...place, every: false, base64: false, env: undefined };
  if (format === 'yaml' || format === 'json') {
    const kind: SecretFileKind = key === 'values' || key === 'valuesInline' ? 'helm-values' : key === 'patch' ? 'kubernetes' : 'app-config';
    scanYamlText(view, kind, inner, state);
    return;
  }
  if (format === 'shell') {
    for (const words of shellCommands(view.text)) reportCommand(view, words, inner, state);
    return;
  }
  for (const line of keyValueLines(view.text, format)) {
    judgeValue(valueView(view, line.start, line.end, line.value), line.key, { ...inner, where: `${line.path.join('.')} in ${place.where}`, defaults: format === 'env' }, state);
  }
}

/** Secrets on the command lines of a shell string seen through `view`, reported where they are. */
export function reportCommand(view: View, words: Arg[], place: Place, state: ScanState): void {
  for (const secret of commandSecrets(words)) {
    const [start, end] = view.exact ? view.locate(secret.start, secret.end) : view.locate(0, view.text.length);
    state.add({ category: place.category, start, end, value: secret.value, where: `${secret.via} in ${place.where}`, kind: secret.kind, context: place.context });
  }
}

/**
 * Decoded base64 text judged like a file: PEM private keys, well-known tokens, a docker
 * `config.json`, a file's secrets, connection strings with passwords.
 */
function judgeDecoded(view: View, key: string | null, place: Place, state: ScanState): void {
  const text = view.text;
  if (text.includes('PRIVATE KEY')) {
    reportPrivateKeys(view, place, state);
    return;
  }
  for (const token of findTokens(text)) {
    const [start, end] = view.locate(token.start, token.end);
    state.add({ category: 'token', start, end, value: token.value, where: `${place.where} (decoded from base64)`, kind: token.pattern.kind, shownPrefix: token.pattern.shownPrefix(token.value), severity: token.pattern.severity, context: place.context });
  }
  const format = embeddedFormat(key, text);
  if (format) judgeEmbedded(view, format, key, { ...place, every: false }, state);
  else for (const secret of findConnectionSecrets(text)) report(view, secret.start, secret.start + secret.length, place, secret.kind, place.where, state);
}

function reportPrivateKeys(view: View, place: Place, state: ScanState): void {
  for (const block of privateKeyBlocks(view.text)) {
    const [start, end] = view.locate(block.start, block.markerEnd);
    state.add({ category: 'private-key', start, end, value: block.base64, where: `${place.where} (base64-encoded)`, kind: block.encrypted ? `${block.kind} (encrypted)` : block.kind, context: place.context });
  }
}

/**
 * A docker `config.json` (`auths` by registry): each `auth` is base64 of `user:password`, and
 * `password`, `identitytoken` and `registrytoken` hold credentials. Placeholders stay quiet.
 */
export function judgeDockerAuth(entries: { registry: string; field: string; view: View }[], place: Place, state: ScanState): void {
  for (const { registry, field, view } of entries) {
    const where = `${field} for ${registry} in ${place.where}`;
    if (field === 'auth') {
      const decoded = decodeBase64(view.text);
      const colon = decoded?.indexOf(':') ?? -1;
      if (decoded === null || colon < 0 || harmlessSecret(decoded.slice(colon + 1))) continue;
      state.add({ category: place.category, ...range(view), value: decoded.slice(colon + 1), where: `${where} (base64 of user:password)`, kind: 'registry credential', context: place.context });
    } else if (!harmlessSecret(view.text)) {
      state.add({ category: place.category, ...range(view), value: view.text, where, kind: 'registry credential', context: place.context });
    }
  }
}

function range(view: View): { start: number; end: number } {
  const [start, end] = view.locate(0, view.text.length);
  return { start, end };
}
