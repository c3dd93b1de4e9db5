import { stringify } from 'yaml';
import { ContentCache } from '../../engine/contentCache';
import type { SourceDocument } from '../../engine/document';
import type { Fix } from '../../engine/types';
import type { EnvLiteral, SecretDocument } from './analysis/facts';
import { knownSecrets, type KnownSecret, type SecretIndex } from './analysis/workspaceIndex';

/**
 * Fixes that take the value out of the file and reference it instead. They never copy the value
 * anywhere: the secret goes into the secret store by hand, once, and is rotated. Manifests are
 * written by the YAML library, so names that need quotes get them. A reference always names a
 * Secret that exists (one the workspace declares with that key) or one the fix creates (an
 * ExternalSecret in the same file): never a dangling name.
 */
export function secretKeyRefFixes(doc: SourceDocument, env: EnvLiteral, index: SecretIndex | undefined): Fix[] {
  const eol = doc.eol;
  const indent = ' '.repeat(doc.positionAt(env.pairStart).character);
  const replace = (secretName: string, key: string) => ({
    range: doc.rangeOf(env.pairStart, env.pairEnd),
    newText: [`valueFrom:`, `${indent}  secretKeyRef:`, `${indent}    name: ${secretName}`, `${indent}    key: ${key}`].join(eol),
  });
  // Once per text, not per literal: a manifest with twenty of them read its Secrets twenty times a keystroke.
  const own = doc.parse('known-secrets', (text) => knownSecrets([{ relPath: doc.relPath, text }]));
  const known = [...(index?.secrets ?? []), ...own];
  const inNamespace = known.filter((secret) => env.namespace === null || secret.namespace === null || secret.namespace === env.namespace);
  const fixes: Fix[] = [];
  const existing = existingKey(inNamespace, env.envName);
  if (existing) fixes.push({ title: `Reference key "${existing.key}" of the existing Secret "${existing.secret.name}" (secretKeyRef) instead of the literal`, edits: [replace(existing.secret.name, existing.key)], isPreferred: true });
  const key = kebab(env.envName);
  const taken = new Set(known.map((secret) => secret.name));
  const name = [`${env.workload ?? 'app'}-secrets`, `${env.workload ?? 'app'}-${key}`].find((candidate) => !taken.has(candidate));
  if (name) {
    const stub = externalSecretYaml({ name, namespace: env.namespace, type: null, keys: [key] }, eol);
    const end = doc.positionAt(doc.text.length);
    const separator = doc.text.endsWith('\n') ? '' : eol;
    fixes.push({
      title: `Reference Secret "${name}" (secretKeyRef) and add the ExternalSecret that creates it`,
      edits: [replace(name, key), { range: { start: end, end }, newText: `${separator}---${eol}${stub}` }],
      isPreferred: !existing,
    });
  }
  return fixes;
}

/** A declared Secret holding a key named like the variable (`DB_PASSWORD`, `db-password`, `db_password`). */
function existingKey(secrets: KnownSecret[], envName: string): { secret: KnownSecret; key: string } | null {
  const spellings = new Set([envName, kebab(envName), envName.toLowerCase(), kebab(envName).replace(/-/g, '_')]);
  for (const secret of secrets) {
    const key = secret.keys.find((candidate) => spellings.has(candidate));
    if (key) return { secret, key };
  }
  return null;
}

export function externalSecretFix(doc: SourceDocument, secret: SecretDocument): Fix {
  // A JSON manifest stays JSON: YAML in its place would no longer parse.
  const json = doc.relPath.toLowerCase().endsWith('.json');
  const text = json ? JSON.stringify(externalSecret(secret), null, 2).split('\n').join(doc.eol) : externalSecretYaml(secret, doc.eol).replace(new RegExp(`${doc.eol}$`), '');
  return {
    title: `Replace Secret "${secret.name}" with an ExternalSecret (values move to your secret store)`,
    edits: [{ range: doc.rangeOf(secret.start, secret.end), newText: text }],
  };
}

/**
 * An External Secrets Operator skeleton with one remoteRef per key. The store's name is a
 * placeholder on purpose: the YAML form's comment says what to fill in.
 */
function externalSecret(secret: Pick<SecretDocument, 'name' | 'namespace' | 'type' | 'keys'>): Record<string, unknown> {
  const remoteBase = `${secret.namespace ? `${secret.namespace}/` : ''}${secret.name}`;
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: secret.name, ...(secret.namespace ? { namespace: secret.namespace } : {}) },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'secret-store' },
      target: { name: secret.name, ...(secret.type && secret.type !== 'Opaque' ? { template: { type: secret.type } } : {}) },
      data: secret.keys.map((key) => ({ secretKey: key, remoteRef: { key: remoteBase, property: key } })),
    },
  };
}

/**
 * Stubs by what they say: every literal of a manifest offers one, and each keystroke asks for the
 * same ones again (written by the YAML library, 2 ms a keystroke in a 2,000-line manifest).
 */
const stubs = new ContentCache<string>(256 * 1024, 256);

function externalSecretYaml(secret: Pick<SecretDocument, 'name' | 'namespace' | 'type' | 'keys'>, eol: string): string {
  return stubs.get(JSON.stringify([secret.name, secret.namespace, secret.type, secret.keys, eol]), () => {
    const body = stringify(externalSecret(secret), { lineWidth: 0 });
    return ['# Generated by DeployRisk: set secretStoreRef to your store and put each value in it under remoteRef.', ...body.trimEnd().split('\n')].join(eol) + eol;
  });
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[_\s.]+/g, '-').toLowerCase();
}
