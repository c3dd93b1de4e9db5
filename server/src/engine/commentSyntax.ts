/** How to write a one-line comment in a file, so fixes can insert directives in its own syntax. */
export interface CommentSyntax {
  open: string;
  close: string;
}

const HASH: CommentSyntax = { open: '# ', close: '' };
const SLASHES: CommentSyntax = { open: '// ', close: '' };
const DASHES: CommentSyntax = { open: '-- ', close: '' };
const MARKUP: CommentSyntax = { open: '<!-- ', close: ' -->' };

const BY_EXTENSION: Record<string, CommentSyntax | null> = {
  ts: SLASHES, tsx: SLASHES, js: SLASHES, jsx: SLASHES, mjs: SLASHES, cjs: SLASHES, mts: SLASHES, cts: SLASHES,
  go: SLASHES, java: SLASHES, kt: SLASHES, kts: SLASHES, scala: SLASHES, cs: SLASHES, c: SLASHES, h: SLASHES,
  cc: SLASHES, cpp: SLASHES, hpp: SLASHES, rs: SLASHES, swift: SLASHES, php: SLASHES, dart: SLASHES, groovy: SLASHES,
  gradle: SLASHES, jsonc: SLASHES, prisma: SLASHES, tf: HASH, hcl: HASH,
  sql: DASHES, lua: DASHES, hs: DASHES,
  yaml: HASH, yml: HASH, py: HASH, rb: HASH, sh: HASH, bash: HASH, zsh: HASH, toml: HASH, env: HASH,
  properties: HASH, conf: HASH, cfg: HASH, ini: HASH, pem: HASH, key: HASH, txt: HASH, r: HASH, pl: HASH,
  dockerfile: HASH, mk: HASH,
  xml: MARKUP, html: MARKUP, htm: MARKUP, md: MARKUP, markdown: MARKUP, vue: MARKUP, svelte: MARKUP,
  // No comment syntax: suppress these through `exclude` or a rule severity instead.
  json: null,
};

/** The file's comment syntax, `#` for unknown kinds (dotfiles, Dockerfile, .env), null for JSON. */
export function commentSyntaxFor(relPath: string): CommentSyntax | null {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1) : name.replace(/^\./, '');
  const syntax = BY_EXTENSION[extension];
  return syntax === undefined ? HASH : syntax;
}
