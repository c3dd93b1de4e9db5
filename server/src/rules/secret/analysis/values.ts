/**
 * What a literal value is, judged before the name it sits under: a number, a duration, a path or
 * an algorithm is never a secret, whatever its key is called, and a placeholder says so by its
 * shape. Real manifest passwords have low entropy (`minio123`, `supersecret`, even `password`), so
 * the decision rests on shape, not on entropy: a weak chosen password is still the password.
 */
import { splitWords } from './secretKeys';

/** Why a value is not reported, or null when it may be a real secret. */
export type Harmless =
  | 'empty'
  | 'template'
  | 'reference'
  | 'encrypted'
  | 'placeholder'
  | 'documentation'
  | 'number'
  | 'boolean'
  | 'duration'
  | 'network'
  | 'algorithm'
  | 'path'
  | 'file name'
  | 'variable name'
  | 'email'
  | 'url'
  | 'public material';

/** Longer values are read as they are: none of the shapes below is this long, and every test stays linear. */
const MAX_SHAPED_CHARS = 4096;

export function harmlessValue(value: string): Harmless | null {
  const v = value.trim();
  if (v === '' || /^(none|null|nil|undefined|empty|n\/a|~)$/i.test(v)) return 'empty';
  if (isTemplated(v)) return 'template';
  if (/^ENC\[[A-Z0-9_]+,data:/.test(v)) return 'encrypted';
  // vals/helm-secrets references, Vault paths, ARNs of secret stores, Azure Key Vault references,
  // 1Password and Doppler references, Home Assistant `!secret`.
  if (/^(ref\+|vault:|secretref:|sm:\/\/|awssm:|gcpsm:|azkv:|op:\/\/|doppler:\/\/|arn:aws:(secretsmanager|ssm):|@Microsoft\.KeyVault\(|!secret\s)/i.test(v)) return 'reference';
  // Argo CD's `$secret-name:key` and `$key` in argocd-cm, and `store:key` selectors of secret
  // fetchers (`helm-chart-signing-key:private_key`).
  if (/^\$[\w.-]{1,253}(:[\w.-]{1,253})?$/.test(v) || namesKeyInStore(v)) return 'reference';
  if (isPublicMaterial(v)) return 'public material';
  if (v.length > MAX_SHAPED_CHARS) return null;
  if (isDocumentationValue(v)) return 'documentation';
  if (isPlaceholder(v)) return 'placeholder';
  // An exponent of a few digits: a hex token of digits and one `e` (`123456789012e45678`) is no number.
  if (/^[+-]?\d{1,12}(\.\d+)?([eE][+-]?\d{1,3})?$/.test(v)) return 'number';
  if (/^(true|false|yes|no|on|off|enabled?|disabled?)$/i.test(v)) return 'boolean';
  if (isDuration(v)) return 'duration';
  if (isNetwork(v)) return 'network';
  if (isAlgorithm(v)) return 'algorithm';
  if (isPath(v)) return 'path';
  if (/^[\w.-]+\.(ya?ml|json|pem|crt|cer|csr|key|txt|conf|cfg|ini|properties|toml|env|p12|pfx|jks|der|pub|sh|js|py|sql|xml|csv|gpg|asc|kdbx|keytab|tpl)$/i.test(v) && /[A-Za-z]/.test(v.slice(0, v.lastIndexOf('.')))) return 'file name';
  // `DB_PASSWORD`, `TAXONOMY_LLM_API_KEY`: the name of a variable or key, not its value.
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v)) return 'variable name';
  if (/^[\w.+-]+@[\w-]+(\.[\w-]+)+$/.test(v)) return 'email';
  if (isPlainUrl(v)) return 'url';
  return null;
}

/**
 * Whether a value is a template or an expansion resolved at deploy or run time: Helm / Go
 * templates, shell and compose interpolation, GitHub Actions expressions, Kubernetes $(VAR),
 * GitLab $VAR, Grafana `$__env{X}`, `{ENV_NAME}` substitution (Frigate), Azure DevOps `#{X}#`,
 * Concourse `((var))`, ERB, Python `%(name)s`.
 */
export function isTemplated(value: string): boolean {
  // `{{ … }}` and `${ … }` by position, not by a regex that rescans the rest of the value from every `{{`.
  return (
    opensAndCloses(value, '{{', '}}') ||
    opensAndCloses(value, '${', '}') ||
    opensAndCloses(value, '<%', '%>') ||
    opensAndCloses(value, '((', '))') ||
    /\$\([A-Za-z_]\w*\)/.test(value) ||
    /^\$[A-Za-z_]\w*$/.test(value) ||
    /\$__(env|file|vault)\{/.test(value) ||
    /\{[A-Z][A-Z0-9_]{2,}\}/.test(value) ||
    /#\{[\w.-]+\}#?/.test(value) ||
    /%\([\w.]+\)s/.test(value)
  );
}

/**
 * `30s`, `1h30m`, `720h`, `PT5M`: each unit once, each count of at most ten digits. A hex token of
 * digits and `d`s (`999999999999999d9d`) is no duration.
 */
function isDuration(v: string): boolean {
  if (/^P(\d+[YMWD])*(T(\d+[HMS])+)?$/.test(v) && v.length > 1) return true;
  if (!/^(\d{1,10}(\.\d{1,10})?(ns|us|µs|ms|s|m|h|d|w|y))+$/.test(v)) return false;
  const units = v.match(/[a-zµ]+/g) ?? [];
  return new Set(units).size === units.length;
}

/** `store-name:key_name`, where the part after the colon reads as a key's name. */
function namesKeyInStore(value: string): boolean {
  const match = /^[a-z0-9][a-z0-9._/-]{0,252}:([a-z0-9_.-]{1,128})$/.exec(value);
  return match !== null && splitWords(match[1]).every((word) => KEY_NAME_WORDS.has(word));
}

const KEY_NAME_WORDS = new Set(['password', 'passphrase', 'secret', 'token', 'key', 'private', 'public', 'api', 'apikey', 'name', 'id', 'user', 'username', 'cert', 'certificate', 'client', 'access', 'credentials']);

function opensAndCloses(value: string, open: string, close: string): boolean {
  const at = value.indexOf(open);
  return at >= 0 && value.indexOf(close, at + open.length) >= 0;
}

/** Words that declare a value made up: for an example, a test, a demo or local development. */
const MADE_UP_WORDS = new Set([
  'fake', 'dummy', 'example', 'examples', 'sample', 'samples', 'placeholder', 'mock', 'mocked', 'redacted', 'notreal', 'notasecret', 'insecure',
  'foo', 'bar', 'baz', 'qux', 'quux', 'foobar', 'lorem', 'ipsum', 'test', 'testing', 'ci', 'dev', 'development', 'demo', 'local', 'localhost',
]);
/** Words that ask for a value to be filled in (`replace-me-with-a-random-string`, `YOUR_API_KEY`). */
const ASKING_WORDS = new Set(['replace', 'replaceme', 'change', 'changeme', 'changeit', 'insert', 'enter', 'put', 'set', 'fill', 'update', 'provide', 'generate', 'your', 'todo', 'tbd', 'fixme', 'tochange']);
/** Words a made-up value describes itself with (`secret_pw`, `another_pw`). */
const DESCRIBING_WORDS = new Set(['secret', 'password', 'passwd', 'pass', 'pw', 'pwd', 'token', 'key', 'api', 'apikey', 'another', 'other', 'some']);
/** Words that say whose a made-up value is (`test_db_password`, `dev-admin-secret`). */
const GENERIC_WORDS = new Set(['db', 'database', 'admin', 'user', 'app', 'value', 'only', 'account', 'service']);
/** Whole values that name an issued credential's kind rather than hold one (`token: token`). */
const KIND_NAMES = new Set(['token', 'apikey', 'key', 'accesstoken', 'authtoken', 'bearertoken', 'clientsecret', 'webhook', 'dsn', 'credentials', 'creds', 'string', 'str', 'required', 'optional', 'value']);

/**
 * Placeholders by shape: brackets and markers (`<password>`, `[secret]`, `%VAR%`, `__TOKEN__`),
 * one character repeated or a counting run (`xxxx`, `****`, `123456789…`), words asking for a
 * value (`change-me`, `your-password-here`), words declaring the value made up (`fake_password`,
 * `example-pw`, `foo`), a value only describing itself (`secret_pw`), a credential's kind as its
 * value (`token: token`) and RabbitMQ's well-known `guest`. A real password that merely contains a
 * word (`MySecretPassword`, `minio123`, `password` itself) is not one.
 */
export function isPlaceholder(value: string): boolean {
  if (/^<[^<>]*>$/.test(value) || (/^\[[^[\]]*\]$/.test(value) && !value.includes(','))) return true;
  if (/^%[A-Za-z_]+%$/.test(value) || /^__[A-Z0-9_]+__$/.test(value) || /^@[A-Z_]+@$/.test(value)) return true;
  if (fewDistinct(value) || isCountingRun(value)) return true;
  const lower = value.toLowerCase();
  if (KIND_NAMES.has(lower.replace(/[-_ .]/g, '')) || lower === 'guest') return true;
  // Words only: a structured value (JSON, a URL, a list) is not a phrase that says what it is.
  if (value.length > 100 || !/^[\w .,!?'-]+$/.test(value)) return false;
  const words = splitWords(value);
  if (words.length === 0) return false;
  // Made up when it says so and says nothing else (`fake_password`, `test-password`, `example-db-pw`): a
  // password that merely contains such a word (`DevOps-Team-2024`) is a password.
  if (words.some((word) => MADE_UP_WORDS.has(word)) && words.every((word) => MADE_UP_WORDS.has(word) || DESCRIBING_WORDS.has(word) || GENERIC_WORDS.has(word) || /^\d{1,4}$/.test(word))) return true;
  const lettersOnly = words.every((word) => /^[a-z]+$/.test(word));
  if (lettersOnly && words.some((word) => ASKING_WORDS.has(word))) return true;
  return words.length >= 2 && words.every((word) => DESCRIBING_WORDS.has(word));
}

/** `***`, `xxxxxxxx`, `ghp_xxxxxxxxxxxx`: a body of one character repeated. */
function fewDistinct(value: string): boolean {
  const body = value.replace(/^[A-Za-z]{2,5}[_-]/, '');
  if (body.length < 3) return false;
  for (let i = 1; i < body.length; i++) if (body[i] !== body[0]) return false;
  return true;
}

/** `123456`, `12345678901234567890`, `abcdef`: each character the one after the last. */
function isCountingRun(value: string): boolean {
  if (value.length < 6) return false;
  const next = (c: string) => (c === '9' ? '0' : c === 'z' ? 'a' : c === 'Z' ? 'A' : String.fromCharCode(c.charCodeAt(0) + 1));
  for (let i = 1; i < value.length; i++) if (value[i] !== next(value[i - 1]) || !/[0-9a-zA-Z]/.test(value[i])) return false;
  return true;
}

/**
 * Values published in documentation and emulators: AWS's `…EXAMPLE` keys, the Azurite storage
 * key and development connection string, the Cosmos DB emulator key, jwt.io's sample token.
 */
const DOCUMENTED = new Set([
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  'UseDevelopmentStorage=true',
]);

export function isDocumentationValue(value: string): boolean {
  return DOCUMENTED.has(value) || /EXAMPLE(KEY)?$/.test(value);
}

/** Certificates, public keys and other public PEM or OpenSSH material: published by design. */
export function isPublicMaterial(value: string): boolean {
  if (value.includes('PRIVATE KEY')) return false;
  return /-----BEGIN (CERTIFICATE|TRUSTED CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|PGP PUBLIC KEY BLOCK|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|DH PARAMETERS|EC PARAMETERS)-----/.test(value) || /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) AAAA[A-Za-z0-9+/=]+( \S*)?$/.test(value);
}

function isNetwork(value: string): boolean {
  const one = (part: string) => /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/.test(part) || (/^[0-9a-fA-F:]+(\/\d{1,3})?$/.test(part) && part.includes('::'));
  return value.split(',').every((part) => one(part.trim()));
}

const ALGORITHMS = /^((hmac-?)?(sha|md)-?\d+|hmac-?md5|(hs|rs|es|ps)(256|384|512)|eddsa|ed25519|ed448|rsa|ecdsa|dsa|aes(-?\d+)?(-(gcm|cbc|ctr|cfb|ofb))?|bcrypt|scrypt|argon2(i|d|id)?|pbkdf2(-sha\d+)?|scram-sha-\d+|chacha20(-poly1305)?|plain|plaintext|none)$/i;

function isAlgorithm(value: string): boolean {
  return ALGORITHMS.test(value);
}

/**
 * A file system path: absolute, home- or dot-relative, a Windows drive or a file URL. A base64
 * value can start with `/` too, so an absolute path needs a segment that reads as a word.
 */
function isPath(value: string): boolean {
  if (/\s/.test(value)) return false;
  if (/^(~|\.{1,2})\/[\w.@+\-/]*$/.test(value) || /^[A-Za-z]:\\[\w.\\ -]*$/.test(value) || /^file:\/\//.test(value)) return true;
  if (!/^\/[\w.@+-]+(\/[\w.@+-]+)*\/?$/.test(value)) return false;
  return value.split('/').some((segment) => /^[a-z][a-z0-9]*([._-][a-z0-9]+)*$/.test(segment) && segment.length >= 3);
}

/**
 * A URL with no credentials in it (no password, no secret query parameter, no long random path
 * segment): an endpoint, which says where a secret is used, not what it is.
 */
function isPlainUrl(value: string): boolean {
  const match = /^[a-z][a-z0-9+.-]{1,20}:\/\/([^\s/?#]*)([^\s]*)$/i.exec(value);
  if (!match || match[1].includes('@')) return false;
  if (findConnectionSecrets(value).length > 0) return false;
  return !match[2].split(/[/?&=#]/).some((segment) => segment.length >= 16 && /\d/.test(segment) && /[A-Za-z]/.test(segment));
}

/**
 * The decoded text of a base64 value, or null when it is not base64 (bounded: at most 256 KB is
 * decoded). The decoded text is judged like any file: base64 is encoding, not encryption.
 */
export function decodeBase64(value: string): string | null {
  if (value.length > 256 * 1024) return null;
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 === 1 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * The decoded text of a value that reads as base64-encoded text (a PEM block, JSON, a config,
 * a connection string), or null: random keys that happen to be valid base64 decode to bytes.
 */
export function decodedText(value: string): string | null {
  const compact = value.trim();
  if (compact.length < 16 || !/^[A-Za-z0-9+/\s]+={0,2}$/.test(compact) || /^[a-z]+$|^[A-Z]+$|^\d+$/.test(compact)) return null;
  const decoded = decodeBase64(compact);
  if (decoded === null || decoded.length < 8) return null;
  let printable = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13 || (c > 160 && c !== 0xfffd)) printable++;
  }
  return printable === decoded.length ? decoded : null;
}

export interface InlineSecret {
  /** Offset of the secret within the value. */
  start: number;
  length: number;
  kind: string;
}

/** Query and key-value parameters of connection strings that hold a secret. */
const SECRET_PARAMS = new Set(['password', 'pwd', 'passwd', 'pass', 'sslpassword', 'accountkey', 'sharedaccesskey', 'access_token', 'accesstoken', 'auth_token', 'authtoken', 'api_key', 'apikey', 'client_secret', 'clientsecret', 'secret', 'token']);

/**
 * Secrets inside a connection string or URL: the password of `scheme://user:pass@host` (an empty
 * user name too: `redis://:pass@host`), secret query parameters (`?password=`, JDBC), and the
 * `Password=…;` pairs of ADO.NET, ODBC, JDBC (SQL Server) and libpq key-value strings, or
 * StackExchange.Redis' `host,password=…`. Placeholders, templates and documentation values are not.
 */
export function findConnectionSecrets(value: string): InlineSecret[] {
  if (value.length > MAX_SHAPED_CHARS * 4) return [];
  const found: InlineSecret[] = [];
  const url = /\b[a-z][a-z0-9+.-]{1,20}:\/\/([^\s:/@'"?#]{0,128}):([^\s@/'"?#]{1,256})@[\w.[\]-]/gi;
  for (const match of value.matchAll(url)) {
    const password = match[2];
    const start = match.index + match[0].length - password.length - 2;
    // `postgres://[user][:password]@[host]`: a format's optional parts, written in brackets.
    const optionalPart = match[1].endsWith('[') && password.endsWith(']');
    if (!optionalPart && !harmlessSecret(password) && !isDocumentationHost(value, match.index + match[0].length - 1)) found.push({ start, length: password.length, kind: 'password in a URL' });
  }
  // `name=value` after `?`, `&`, `;`, `,` or a blank (or at the start), up to the next separator.
  const pair = /(^|[?&;,\s])([A-Za-z_]{2,32})[ \t]{0,8}=[ \t]{0,8}("[^"]{0,256}"|'[^']{0,256}'|\{[^{}]{0,256}\}|[^;&,\s"'{}]+(?=$|[;&,\s]))/g;
  for (const match of value.matchAll(pair)) {
    const name = match[2].toLowerCase();
    if (!SECRET_PARAMS.has(name)) continue;
    // `token`, `secret` and `pass` alone are secrets only in a query or a `;` list, not in prose.
    if ((name === 'token' || name === 'secret' || name === 'pass') && !/[?&;]/.test(match[1])) continue;
    if (!/[?&;,]/.test(match[1]) && isCodeOrProse(value, match.index + match[0].length)) continue;
    let secret = match[3];
    let start = match.index + match[0].length - secret.length;
    if (/^["'{]/.test(secret)) {
      secret = secret.slice(1, -1);
      start += 1;
    }
    if (secret === '' || harmlessSecret(secret)) continue;
    found.push({ start, length: secret.length, kind: name.includes('key') ? 'account key' : name.includes('token') ? 'token' : name.includes('secret') ? 'secret' : 'password' });
  }
  return found;
}

/**
 * Whether the words after a blank-separated `name=value` pair show it is code or prose
 * (`const apiKey = await createKey()`): in a libpq string, a pair is followed on its line only by
 * more pairs.
 */
function isCodeOrProse(value: string, end: number): boolean {
  const rest = value.slice(end, end + 80);
  const blanks = /^[ \t]+/.exec(rest);
  if (!blanks || blanks[0].length === rest.length || /^[\r\n]/.test(rest.slice(blanks[0].length))) return false;
  return !/^[A-Za-z_]{2,32}[ \t]{0,8}=/.test(rest.slice(blanks[0].length));
}

/** RFC 2606 hosts (`example.com`, `*.example`, `*.test`, `*.invalid`): documentation, not a service. */
function isDocumentationHost(value: string, hostStart: number): boolean {
  const host = /^[\w.-]+/.exec(value.slice(hostStart, hostStart + 256))?.[0].toLowerCase() ?? '';
  return /(^|\.)example\.(com|org|net)$|\.(example|test|invalid)$/.test(host);
}

/**
 * Whether the text in a password's place (a URL's password, a flag's value) is not one: where the
 * place already says it is a password, only the shapes that are never one apply (a number there
 * is the password).
 */
export function harmlessSecret(secret: string): boolean {
  const reason = harmlessValue(secret);
  return reason === 'empty' || reason === 'template' || reason === 'reference' || reason === 'encrypted' || reason === 'placeholder' || reason === 'documentation' || reason === 'public material';
}

/**
 * The password part of a URL or DSN with credentials (`postgres://app:s3cret@db/app`): its offset
 * within the value and its length, or null.
 */
export function urlPassword(value: string): { start: number; length: number } | null {
  const secret = findConnectionSecrets(value).find((found) => found.kind === 'password in a URL');
  return secret ? { start: secret.start, length: secret.length } : null;
}
