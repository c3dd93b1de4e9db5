import type { Rule } from '../../engine/rule';
import { secretFileKind } from './analysis/fileKinds';
import { secretFindings, secretReports } from './findings';
import { describeSecret } from './report';

/** SealedSecret `spec.template.data` is copied into the Secret unencrypted: only encryptedData is sealed. */
export const sealedSecretTemplateRule: Rule = {
  id: 'secret/sealed-secret-template',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'A plaintext value in a SealedSecret template, which is not encrypted.',
  appliesTo: (relPath, text) => text.includes('SealedSecret') && secretFileKind(relPath, text) !== null,
  async check(doc, ctx) {
    const found = await secretFindings(doc, ctx);
    return secretReports(doc, ctx, found, 'sealed-template', this.id, (fact) => ({
      message: `Plaintext ${fact.kind} in ${fact.where} (${describeSecret(fact)}): spec.template is copied as is, only spec.encryptedData is sealed. Seal the value with kubeseal into encryptedData.`,
    }));
  },
};
