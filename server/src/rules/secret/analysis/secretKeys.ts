/**
 * Whether a key (YAML key, env var name, .env name, command-line flag) names a secret value. Names
 * are split into words (camelCase, snake_case, kebab-case, dots) so `dbPassword`, `DB_PASSWORD`
 * and `db.password` read alike, while `passwordKey`, `existingSecret` or `tokenUrl` name where a
 * secret lives, not the secret itself. The value decides first (values.ts); this is the second
 * question.
 */

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'credential', 'credentials', 'creds', 'dsn', 'privatekey', 'connectionstring', 'connstr']);
/**
 * A `...key` is a secret only after one of these (`apiKey`, `signingKey`, `secretAccessKey`).
 * `accessKey` alone is the user half of a key pair (AWS and MinIO access key IDs), like a user name.
 */
const KEY_QUALIFIERS = new Set(['api', 'private', 'secret', 'signing', 'encryption', 'master', 'auth', 'client', 'license', 'app', 'service', 'webhook', 'hmac', 'session', 'admin', 'root', 'account', 'storage', 'shared', 'cookie', 'jwt', 'crypt']);
/** Last words that make the key a name, location or setting rather than the secret. */
const NOT_A_VALUE_LAST = new Set(['name', 'names', 'ref', 'refs', 'reference', 'selector', 'file', 'files', 'path', 'paths', 'dir', 'url', 'uri', 'endpoint', 'policy', 'length', 'len', 'type', 'id', 'ids', 'version', 'enabled', 'enable', 'required', 'ttl', 'expiry', 'expires', 'expiration', 'lifetime', 'timeout', 'header', 'field', 'prefix', 'suffix', 'format', 'mount', 'mounts', 'provider', 'store', 'manager', 'rotation', 'hash', 'algorithm', 'alg', 'size', 'count', 'class', 'template', 'annotations', 'labels', 'namespace', 'volume', 'kind', 'mode', 'strategy', 'env', 'arn', 'location', 'source', 'sources', 'hint', 'reset', 'regex', 'pattern', 'scopes', 'scope', 'audience', 'issuer', 'claim', 'key', 'keys', 'seconds', 'minutes', 'hours', 'days', 'ms', 'secs', 'interval', 'period', 'duration', 'ip', 'ips', 'cidr', 'cidrs', 'host', 'hosts', 'port', 'user', 'username', 'login', 'email', 'disabled', 'validation', 'complexity', 'strength', 'min', 'max', 'retries', 'attempts', 'limit', 'cache', 'dns', 'config', 'configs', 'vault', 'bucket', 'role', 'permissions', 'permission', 'access']);
/** First words that make the key a switch or a reference (`existingSecret`, `createSecret`). */
const NOT_A_VALUE_FIRST = new Set(['existing', 'use', 'create', 'enable', 'enabled', 'has', 'is', 'show', 'generate', 'rotate', 'auto', 'skip', 'allow', 'require', 'disable', 'min', 'max', 'num', 'no', 'from', 'external', 'csrf', 'xsrf', 'public', 'pub', 'reset', 'forgot', 'change']);
/**
 * Words before a closing `secret` that say what a Kubernetes Secret holds (`tlsSecret`,
 * `configFromSecret`, `githubConfigSecret`, `pullSecret`, `TS_KUBE_SECRET`): with an object name
 * as its value, the key names that Secret.
 */
const HOLDER_WORDS = new Set(['config', 'tls', 'ssl', 'pull', 'env', 'from', 'kube', 'kubernetes', 'k8s', 'cert', 'certs', 'certificate', 'certificates', 'ca', 'credentials', 'creds', 'basic', 'values', 'token', 'tokens', 'password', 'passwords', 'keys', 'ssh', 'git', 'registry', 'docker', 'image', 'bootstrap', 'existing', 'init', 'backup', 'store', 'vault', 'keyvault', 'ldap', 'smtp']);
/** Words before `secretKey` that make it the key inside a Secret (`passwordSecretKey`, `hostedGrafanaIdSecretKey`). */
const KEY_NAME_WORDS = new Set([...SECRET_WORDS, 'key', 'id', 'json', 'name', 'cert', 'ca', 'tls', 'config', 'user', 'username']);

export function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.\-/:]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** The kind of secret a key names (for messages), or null when it does not name one. */
export function secretKeyKind(key: string): string | null {
  const words = splitWords(key);
  if (words.length === 0 || NOT_A_VALUE_FIRST.has(words[0])) return null;
  // The last secret word decides (`secretAccessKey` is a key, `passwordSecret` a secret).
  let head = -1;
  for (let i = 0; i < words.length; i++) if (SECRET_WORDS.has(words[i]) || isQualifiedKey(words, i)) head = i;
  if (head < 0) return null;
  const last = words[words.length - 1];
  // `passwordKey`, `tokenUrl`, `secretName`: a secret word followed by a location word names where
  // the secret lives, not the secret.
  if (head < words.length - 1 && NOT_A_VALUE_LAST.has(last)) return null;
  // `passwordSecretKey`, `apiKeySecretKey`: the key inside a Secret that holds the password.
  if (words[head] === 'key' && words[head - 1] === 'secret' && words.slice(0, head - 1).some((word) => KEY_NAME_WORDS.has(word))) return null;
  const word = words[head];
  if (word === 'key') return words[head - 1] === 'access' ? 'secret access key' : `${words[head - 1]} key`;
  if (word.startsWith('pass') || word === 'pwd') return 'password';
  if (word === 'dsn' || word === 'connectionstring' || word === 'connstr') return 'connection string';
  if (word === 'secrets') return 'secret';
  if (word === 'creds' || word === 'credential') return 'credentials';
  return word === 'apikey' ? 'API key' : word === 'privatekey' ? 'private key' : word;
}

function isQualifiedKey(words: string[], i: number): boolean {
  if (words[i] !== 'key' || i === 0) return false;
  return KEY_QUALIFIERS.has(words[i - 1]) || (words[i - 1] === 'access' && words[i - 2] === 'secret');
}

/**
 * Whether a key and its value name a Kubernetes Secret or a key inside one rather than hold a
 * secret: `tlsSecret: web-tls`, `TS_KUBE_SECRET: tailscale`, `tokenSecretKey: token`,
 * `clusterSecretKey: cluster` (the value repeats the words before `SecretKey`).
 */
export function namesSecretObject(key: string, value: string): boolean {
  const words = splitWords(key);
  const last = words[words.length - 1];
  if ((last === 'secret' || last === 'secrets') && words.length >= 2 && words.slice(0, -1).some((word) => HOLDER_WORDS.has(word))) return looksLikeObjectName(value);
  if (last === 'key' && words[words.length - 2] === 'secret' && words.length >= 3) {
    const before = words.slice(0, -2).join(' ');
    return splitWords(value).join(' ') === before;
  }
  return false;
}

/**
 * A Kubernetes object name (DNS-1123): lowercase words joined by `-` or `.`, not a random string
 * that happens to be lowercase (hex digests, long runs with many digits).
 */
export function looksLikeObjectName(value: string): boolean {
  if (value.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value) || !/[a-z]/.test(value)) return false;
  if (/^[0-9a-f]{16,}$/.test(value.replace(/[-.]/g, ''))) return false;
  const digits = value.replace(/\D/g, '').length;
  return digits <= 4 || digits * 4 <= value.length;
}
