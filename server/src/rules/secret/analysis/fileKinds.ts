/**
 * Which kinds of file the secret rules read, by path and a cheap look at the text. Structural
 * checks need to know what a file is: a literal `password:` is a leak in Helm values or a compose
 * file, but only a field name in an OpenAPI schema.
 */
export type SecretFileKind =
  | 'kubernetes' // YAML/JSON with apiVersion and kind (incl. Argo CD, Flux, SealedSecret, ExternalSecret)
  | 'kustomization'
  | 'helm-values'
  | 'helm-template'
  | 'compose'
  | 'github-actions'
  | 'gitlab-ci'
  | 'dotenv'
  | 'other-config'; // other YAML/JSON: only token formats and URLs with passwords apply

export function secretFileKind(relPath: string, text: string): SecretFileKind | null {
  const lower = relPath.toLowerCase();
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return isExampleEnv(name) ? null : 'dotenv';
  if (!/\.(ya?ml|json|tpl)$/.test(name)) return null;
  if (name === 'package.json' || name === 'package-lock.json' || name.endsWith('.schema.json') || name === 'tsconfig.json') return null;
  if (/(^|\/)templates\//.test(lower) && text.includes('{{')) return 'helm-template';
  if (/^kustomization\.ya?ml$/.test(name)) return 'kustomization';
  if (/^values([.-][\w.-]+)?\.ya?ml$/.test(name)) return 'helm-values';
  if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/.test(name)) return 'compose';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(lower) || /(^|\/)action\.ya?ml$/.test(lower)) return 'github-actions';
  if (name === '.gitlab-ci.yml' || /(^|\/)\.gitlab\/ci\//.test(lower)) return 'gitlab-ci';
  if (/^[ \t]*"?apiVersion"?\s*:/m.test(text) && /^[ \t]*"?kind"?\s*:/m.test(text)) return 'kubernetes';
  return 'other-config';
}

/** `.env.example` and friends document variables; their values are placeholders by intent. */
function isExampleEnv(name: string): boolean {
  return /\.(example|sample|template|dist|defaults?)$/.test(name);
}
