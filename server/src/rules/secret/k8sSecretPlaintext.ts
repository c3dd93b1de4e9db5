import type { Rule } from '../../engine/rule';
import { secretFileKind } from './analysis/fileKinds';
import { secretFacts } from './analysis/scan';
import { externalSecretFix } from './fixes';
import { describeSecret, secretReport } from './report';

/**
 * A Kubernetes Secret (or kustomize secretGenerator literal) committed with real values. `data` is
 * base64, which is encoding: the value is decoded to tell a real one from a placeholder. SOPS-
 * encrypted files, SealedSecrets and ExternalSecrets are the safe forms.
 */
export const k8sSecretPlaintextRule: Rule = {
  id: 'secret/k8s-secret-plaintext',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'A Kubernetes Secret committed with a plaintext (or merely base64-encoded) value.',
  appliesTo: (relPath, text) => (text.includes('Secret') || text.includes('secretGenerator')) && secretFileKind(relPath, text) !== null,
  check(doc) {
    return secretFacts(doc)
      .filter((fact) => fact.category === 'k8s-secret')
      .map((fact) =>
        secretReport(
          doc,
          fact,
          this.id,
          `Plaintext ${fact.kind} in ${fact.where} (${describeSecret(fact)}). Everyone who can read this repository, and every cluster that syncs it, has it: keep it in a secret manager (ExternalSecret) or commit it encrypted (SealedSecret, SOPS), and rotate it.`,
          fact.secretDocument ? [externalSecretFix(doc, fact.secretDocument)] : undefined,
        ),
      );
  },
};
