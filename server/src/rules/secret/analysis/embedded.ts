/**
 * Files held inside values: a `prometheus.yml` or `application.properties` in a ConfigMap, an
 * `.env` block in a Secret, Argo CD `helm.values: |`, a kustomize inline patch. The format comes
 * from the key's file name when it has one, else from a look at the text; line formats (`.env`,
 * properties, INI, TOML) are read here, YAML and JSON by the YAML model.
 */
export type EmbeddedFormat = 'yaml' | 'json' | 'properties' | 'ini' | 'toml' | 'env' | 'shell';

/** Embedded texts longer than this are not read (a bundled dashboard, a CRD schema). */
export const MAX_EMBEDDED_CHARS = 256 * 1024;

const BY_EXTENSION: Record<string, EmbeddedFormat> = {
  yaml: 'yaml', yml: 'yaml', json: 'json', properties: 'properties', ini: 'ini', cfg: 'ini', cnf: 'ini', toml: 'toml', env: 'env', sh: 'shell', bash: 'shell',
};

export function embeddedFormat(key: string | null, text: string): EmbeddedFormat | null {
  if (text.length > MAX_EMBEDDED_CHARS) return null;
  const name = (key ?? '').toLowerCase();
  const extension = /\.([a-z]+)$/.exec(name)?.[1];
  if (extension && BY_EXTENSION[extension]) return BY_EXTENSION[extension];
  if (name === '.env' || name.endsWith('.env')) return 'env';
  const trimmed = text.trimStart();
  if (/^[{[]/.test(trimmed) && /[}\]]$/.test(text.trimEnd())) return 'json';
  if (!text.includes('\n')) return null;
  if (trimmed.startsWith('#!')) return 'shell';
  let yaml = 0;
  let assignments = 0;
  let sections = 0;
  let lines = 0;
  for (const line of text.split('\n', 400)) {
    const content = line.trim();
    if (content === '' || /^[#;!]/.test(content)) continue;
    lines++;
    if (/^\[{1,2}[\w .:"'-]{1,128}\]{1,2}$/.test(content)) sections++;
    else if (/^(export[ \t]+)?[\w.-]{1,128}[ \t]*=/.test(content)) assignments++;
    else if (/^(- )?["']?[\w./-]{1,128}["']?:([ \t]|$)/.test(content)) yaml++;
  }
  if (lines === 0) return null;
  if (sections > 0 && assignments > 0) return /=[ \t]*["'[{]|=[ \t]*(true|false|\d)/.test(text) && !/^[ \t]*[\w.-]+[ \t]*=[ \t]*[^"'\s[{\dtf]/m.test(text) ? 'toml' : 'ini';
  if (assignments * 2 >= lines) return /^[ \t]*export[ \t]/m.test(text) || /^[A-Z_][A-Z0-9_]*=/m.test(text) ? 'env' : 'properties';
  if (yaml * 2 >= lines) return 'yaml';
  return null;
}

export interface KeyValueLine {
  /** Section (INI, TOML) and key. */
  path: string[];
  key: string;
  value: string;
  /** Offsets of the value in the text (inside its quotes). */
  start: number;
  end: number;
}

const EQUALS = /^(export[ \t]+)?([\w.\-"' ]{1,256}?)[ \t]{0,16}=[ \t]*/;
const COLON_OR_EQUALS = /^(export[ \t]+)?([\w.\-"' ]{1,256}?)[ \t]{0,16}[=:][ \t]*/;

/**
 * `key=value` lines of `.env`, properties, INI and TOML text: `export`, quotes and trailing
 * comments understood, section headers kept as a path. Multi-line values (TOML `"""`, properties
 * continuations) are read up to their first line. Empty values are left out: they hold nothing.
 */
export function keyValueLines(text: string, format: 'env' | 'properties' | 'ini' | 'toml'): KeyValueLine[] {
  const found: KeyValueLine[] = [];
  const pattern = format === 'properties' || format === 'ini' ? COLON_OR_EQUALS : EQUALS;
  const sections = format === 'ini' || format === 'toml';
  let section: string[] = [];
  for (let lineStart = 0; lineStart < text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const from = lineStart;
    lineStart = lineEnd + 1;
    // Cheap tests first: most lines of a large file are blank, comments, or without a value.
    const line = text.charCodeAt(lineEnd - 1) === 13 ? text.slice(from, lineEnd - 1) : text.slice(from, lineEnd);
    const content = line.trimStart();
    const first = content[0];
    if (first === undefined || first === '#' || first === ';' || (format === 'properties' && first === '!')) continue;
    if (first === '[' && sections) {
      const header = /^\[{1,2}([^\]]{1,256})\]{1,2}[ \t]*$/.exec(content);
      if (header) {
        section = header[1].split('.').map((part) => part.trim().replace(/^["']|["']$/g, ''));
        continue;
      }
    }
    if (!content.includes('=') && !(pattern === COLON_OR_EQUALS && content.includes(':'))) continue;
    const pair = pattern.exec(content);
    if (!pair) continue;
    let valueStart = from + (line.length - content.length) + pair[0].length;
    let value = line.slice(valueStart - from);
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
    if (quote) {
      const close = value.indexOf(quote, 1);
      value = close > 0 ? value.slice(1, close) : value.slice(1);
      valueStart += 1;
    } else {
      // A comment starts at a `#` (or `;` in INI) after a blank; searched as the pair, not as
      // `[ \t]+#`, which scans a long run of blanks from each of them.
      const comment = format === 'properties' ? -1 : value.search(format === 'ini' ? /[ \t][#;]/ : /[ \t]#/);
      value = (comment >= 0 ? value.slice(0, comment) : value).trimEnd();
      if (format === 'properties' && value.endsWith('\\')) value = value.slice(0, -1);
    }
    if (value === '') continue;
    const key = pair[2].trim().replace(/^["']|["']$/g, '');
    found.push({ path: [...section, ...key.split('.')], key, value, start: valueStart, end: valueStart + value.length });
  }
  return found;
}
