import type { Rule } from '../../engine/rule';
import { secretFileKind } from './analysis/fileKinds';
import { secretFacts } from './analysis/scan';
import { describeSecret, secretReport } from './report';

/** SealedSecret `spec.template.data` is copied into the Secret unencrypted: only encryptedData is sealed. */
export const sealedSecretTemplateRule: Rule = {
  id: 'secret/sealed-secret-template',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'A plaintext value in a SealedSecret template, which is not encrypted.',
  appliesTo: (relPath, text) => text.includes('SealedSecret') && secretFileKind(relPath, text) !== null,
  check(doc) {
    return secretFacts(doc)
      .filter((fact) => fact.category === 'sealed-template')
      .map((fact) =>
        secretReport(doc, fact, this.id, `Plaintext ${fact.kind} in ${fact.where} (${describeSecret(fact)}): spec.template is copied as is, only spec.encryptedData is sealed. Seal the value with kubeseal into encryptedData.`),
      );
  },
};
