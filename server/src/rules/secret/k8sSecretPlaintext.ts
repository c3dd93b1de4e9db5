import type { Rule } from '../../engine/rule';
import { secretFileKind } from './analysis/fileKinds';
import { externalSecretFix } from './fixes';
import { secretFindings, secretReports } from './findings';
import { describeSecret } from './report';

/**
 * A Kubernetes Secret (or kustomize secretGenerator literal or file) committed with real values.
 * `data` is base64, which is encoding: the value is decoded and judged like any file. SOPS-
 * encrypted files, SealedSecrets and ExternalSecrets are the safe forms.
 */
export const k8sSecretPlaintextRule: Rule = {
  id: 'secret/k8s-secret-plaintext',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'A Kubernetes Secret committed with a plaintext (or merely base64-encoded) value.',
  appliesTo: (relPath, text) => (text.includes('Secret') || text.includes('secretGenerator')) && secretFileKind(relPath, text) !== null,
  async check(doc, ctx) {
    const found = await secretFindings(doc, ctx);
    return secretReports(doc, ctx, found, 'k8s-secret', this.id, (fact) => ({
      message: `Plaintext ${fact.kind} in ${fact.where} (${describeSecret(fact)}). Everyone who can read this repository, and every cluster that syncs it, has it: keep it in a secret manager (ExternalSecret) or commit it encrypted (SealedSecret, SOPS), and rotate it.`,
      fixes: fact.secretDocument ? [externalSecretFix(doc, fact.secretDocument)] : undefined,
    }));
  },
};
