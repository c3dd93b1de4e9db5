/**
 * Whether a key (YAML key, env var name, .env name) names a secret value. Names are split into
 * words (camelCase, snake_case, kebab-case, dots) so `dbPassword`, `DB_PASSWORD` and `db.password`
 * read alike, while `passwordKey`, `existingSecret` or `tokenUrl` name where a secret lives, not
 * the secret itself.
 */

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'credential', 'credentials', 'creds', 'dsn', 'privatekey', 'connectionstring', 'connstr']);
/** A `...key` is a secret only after one of these (`apiKey`, `accessKey`, `signingKey`). */
const KEY_QUALIFIERS = new Set(['api', 'access', 'private', 'secret', 'signing', 'encryption', 'master', 'auth', 'client', 'license', 'app', 'service', 'webhook', 'hmac', 'session', 'admin', 'root', 'account', 'storage', 'shared']);
/** Last words that make the key a name, location or setting rather than the secret. */
const NOT_A_VALUE_LAST = new Set(['name', 'names', 'ref', 'refs', 'reference', 'selector', 'file', 'files', 'path', 'paths', 'dir', 'url', 'uri', 'endpoint', 'policy', 'length', 'len', 'type', 'id', 'ids', 'version', 'enabled', 'enable', 'required', 'ttl', 'expiry', 'expires', 'expiration', 'lifetime', 'timeout', 'header', 'field', 'prefix', 'suffix', 'format', 'mount', 'mounts', 'provider', 'store', 'manager', 'rotation', 'hash', 'algorithm', 'size', 'count', 'class', 'template', 'annotations', 'labels', 'namespace', 'volume', 'kind', 'mode', 'strategy', 'env', 'arn', 'location', 'source', 'sources', 'hint', 'reset', 'regex', 'pattern', 'scopes', 'scope', 'audience', 'issuer', 'claim', 'key']);
/** First words that make the key a switch or a reference (`existingSecret`, `createSecret`). */
const NOT_A_VALUE_FIRST = new Set(['existing', 'use', 'create', 'enable', 'enabled', 'has', 'is', 'show', 'generate', 'rotate', 'auto', 'skip', 'allow', 'require', 'disable', 'min', 'max', 'num', 'no', 'from', 'external', 'csrf', 'xsrf', 'public', 'pub']);

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
  const last = words[words.length - 1];
  const endsInKeyPair = last === 'key' && words.length >= 2 && KEY_QUALIFIERS.has(words[words.length - 2]);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const isKeyPair = word === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]);
    if (!SECRET_WORDS.has(word) && !isKeyPair) continue;
    // `passwordKey`, `tokenUrl`, `secretName`: a secret word followed by a location word names where
    // the secret lives, not the secret.
    if (i < words.length - 1 && NOT_A_VALUE_LAST.has(last) && !endsInKeyPair) return null;
    if (isKeyPair) return `${words[i - 1]} key`;
    if (word.startsWith('pass') || word === 'pwd') return 'password';
    if (word === 'dsn' || word === 'connectionstring' || word === 'connstr') return 'connection string';
    if (word === 'secrets') return 'secret';
    if (word === 'creds') return 'credentials';
    return word === 'apikey' ? 'API key' : word === 'privatekey' ? 'private key' : word;
  }
  return null;
}
