import type { Rule } from '../../engine/rule';
import { secretFileKind, type SecretFileKind } from './analysis/fileKinds';
import { secretKeyRefFixes } from './fixes';
import { secretFindings, secretReports } from './findings';
import { describeSecret } from './report';

const ADVICE: Record<SecretFileKind, string> = {
  kubernetes: 'reference a Secret (valueFrom.secretKeyRef, or a volume from a Secret) that comes from your secret manager',
  kustomization: 'generate the Secret from a file that is not committed, or use an ExternalSecret',
  'helm-values': 'point the chart at an existing Secret (e.g. existingSecret) or pass the value at deploy time from CI secrets',
  'helm-secrets': 'encrypt the file (helm secrets encrypt, or sops --encrypt) before committing it',
  'helm-template': 'take it from .Values and reference an existing Secret',
  helmfile: 'take it from an encrypted secrets file (helm-secrets) or a vals reference (ref+vault://…)',
  compose: 'use an env_file that is not committed, or Compose secrets',
  'github-actions': 'use ${{ secrets.NAME }}',
  'gitlab-ci': 'use a masked CI/CD variable',
  dotenv: 'do not commit .env files with real values: ignore the file and commit a .env.example with placeholders',
  'app-config': 'read it from the environment (${DB_PASSWORD}) or a secret store at run time',
  'other-config': 'load it from the environment or a secret manager at run time',
};

/**
 * Literal values under secret-looking names (password, token, API key, DSN...) in env lists,
 * ConfigMaps, Helm values, compose and CI files and .env files, files embedded in them, passwords
 * in URLs and connection strings, and credentials on command lines. Real manifest passwords have
 * low entropy (`minio123`), so the value's shape and the name decide, not entropy.
 */
export const hardcodedCredentialRule: Rule = {
  id: 'secret/hardcoded-credential',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'A literal password, token or key under a secret-looking name, in a connection string or on a command line, in a manifest, values, compose, CI or .env file, or in a file embedded in one.',
  appliesTo: (relPath, text) => secretFileKind(relPath, text) !== null,
  async check(doc, ctx) {
    const found = await secretFindings(doc, ctx);
    return secretReports(doc, ctx, found, 'credential', this.id, (fact) => ({
      message: `Literal ${fact.kind} in ${fact.where} (${describeSecret(fact)}). Anyone who can read this repository can use it: ${ADVICE[fact.fileKind]}, and rotate it.`,
      fixes: fact.env ? secretKeyRefFixes(doc, fact.env, found.index) : undefined,
    }));
  },
};
