/**
 * What a literal value is: a real secret, a placeholder someone will replace, or a reference
 * resolved elsewhere. Real manifest passwords have low entropy (`minio123`), so the decision rests
 * on shape, not on entropy.
 */

const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change-me', 'change_me', 'changeit', 'replaceme', 'replace-me', 'replace_me', 'todo', 'tbd', 'fixme',
  'xxx', 'xxxx', 'xxxxx', 'xxxxxx', 'xxxxxxxx', 'none', 'null', 'nil', 'undefined', 'empty', 'dummy', 'example', 'sample',
  'placeholder', 'secret', 'password', 'your-password', 'yourpassword', 'your_password', 'mypassword', 'my-password', 'redacted',
  'notasecret', 'not-a-secret', 'fake', 'test', 'true', 'false', 'yes', 'no', 'on', 'off', 'required', 'optional', 'string', 'str',
]);

/** Why a value is not reported, or null when it looks like a real secret. */
export type Harmless = 'empty' | 'placeholder' | 'template' | 'reference' | 'encrypted';

export function harmlessValue(value: string): Harmless | null {
  const v = value.trim();
  if (v === '') return 'empty';
  if (isTemplated(v)) return 'template';
  if (/^ENC\[[A-Z0-9_]+,data:/.test(v)) return 'encrypted';
  // vals/helm-secrets references, Vault paths, ARNs of secret stores, Azure Key Vault references.
  if (/^(ref\+|vault:|secretref:|sm:\/\/|awssm:|gcpsm:|azkv:|op:\/\/|arn:aws:secretsmanager:|@Microsoft\.KeyVault\()/i.test(v)) return 'reference';
  if (isPlaceholder(v)) return 'placeholder';
  return null;
}

export function isTemplated(value: string): boolean {
  // Helm / Go templates, shell and compose interpolation, GitHub Actions expressions, Kubernetes
  // $(VAR) env expansion, GitLab $VAR.
  // `{{ … }}` and `${ … }` by position, not by a regex that rescans the rest of the value from every `{{`.
  return opensAndCloses(value, '{{', '}}') || opensAndCloses(value, '${', '}') || /\$\([A-Za-z_][\w]*\)/.test(value) || /^\$[A-Za-z_]\w*$/.test(value);
}

function opensAndCloses(value: string, open: string, close: string): boolean {
  const at = value.indexOf(open);
  return at >= 0 && value.indexOf(close, at + open.length) >= 0;
}

function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (/^<[^<>]*>$/.test(value) || /^\[[^[\]]*\]$/.test(value) && !value.includes(',')) return true; // <password>, [secret]
  if (/^(.)\1{2,}$/.test(value)) return true; // ***, xxxxxxxx, 00000
  if (/^(replace|change|insert|enter|put|add|set|your|my)[-_ ]?(me|this|here|it|your|the|a)?[-_ ]?/i.test(value) && /(here|me|this|password|secret|token|key|value)$/i.test(value)) return true;
  if (/^%[A-Z_]+%$/.test(value) || /^__[A-Z0-9_]+__$/.test(value) || /^@[A-Z_]+@$/.test(value)) return true; // %VAR%, __TOKEN__, @VAR@
  return false;
}

/**
 * The decoded text of a Kubernetes Secret `data` value, or null when it is not valid base64. The
 * decoded value is judged like any literal: base64 is encoding, not encryption.
 */
export function decodeBase64(value: string): string | null {
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 === 1 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * The password part of a URL or DSN with credentials (`postgres://app:s3cret@db/app`): its offset
 * within the value and its length, or null.
 */
export function urlPassword(value: string): { start: number; length: number } | null {
  const match = /\b[a-z][a-z0-9+.-]{1,20}:\/\/([^\s:/@'"]{1,128}):([^\s@/'"]{1,256})@[\w.-]/i.exec(value);
  if (!match) return null;
  const password = match[2];
  if (harmlessValue(password) !== null) return null;
  const start = match.index + match[0].indexOf(`:${password}@`) + 1;
  return { start, length: password.length };
}
