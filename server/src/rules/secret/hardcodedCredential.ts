import type { Rule } from '../../engine/rule';
import { secretFileKind, type SecretFileKind } from './analysis/fileKinds';
import { secretFacts } from './analysis/scan';
import { secretKeyRefFixes } from './fixes';
import { describeSecret, secretReport } from './report';

const ADVICE: Record<SecretFileKind, string> = {
  kubernetes: 'reference a Secret (valueFrom.secretKeyRef, or a volume from a Secret) that comes from your secret manager',
  kustomization: 'generate the Secret from a file that is not committed, or use an ExternalSecret',
  'helm-values': 'point the chart at an existing Secret (e.g. existingSecret) or pass the value at deploy time from CI secrets',
  'helm-template': 'take it from .Values and reference an existing Secret',
  compose: 'use an env_file that is not committed, or Compose secrets',
  'github-actions': 'use ${{ secrets.NAME }}',
  'gitlab-ci': 'use a masked CI/CD variable',
  dotenv: 'do not commit .env files with real values: ignore the file and commit a .env.example with placeholders',
  'other-config': 'load it from the environment or a secret manager at run time',
};

/**
 * Literal values under secret-looking names (password, token, API key, DSN...) in env lists,
 * ConfigMaps, Helm values, compose and CI files and .env files, and passwords embedded in URLs.
 * Real manifest passwords have low entropy (`minio123`), so the name decides, not entropy.
 */
export const hardcodedCredentialRule: Rule = {
  id: 'secret/hardcoded-credential',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'A literal password, token or key under a secret-looking name, or a password inside a URL, in a manifest, values, compose, CI or .env file.',
  appliesTo: (relPath, text) => secretFileKind(relPath, text) !== null,
  check(doc) {
    return secretFacts(doc)
      .filter((fact) => fact.category === 'credential')
      .map((fact) =>
        secretReport(
          doc,
          fact,
          this.id,
          `Literal ${fact.kind} in ${fact.where} (${describeSecret(fact)}). Anyone who can read this repository can use it: ${ADVICE[fact.fileKind]}, and rotate it.`,
          fact.env ? secretKeyRefFixes(doc, fact.env) : undefined,
        ),
      );
  },
};
