import type { Rule } from '../../engine/rule';
import { secretFileKind } from './analysis/fileKinds';
import { secretFindings, secretReports } from './findings';
import { describeSecret } from './report';

/**
 * An ExternalSecret's template that writes a literal credential instead of a `{{ .value }}` from the
 * store, or a `fake` provider store holding literals: the secret manager is bypassed.
 */
export const externalSecretLiteralRule: Rule = {
  id: 'secret/external-secret-literal',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'An ExternalSecret template or a fake SecretStore that holds a literal secret.',
  appliesTo: (relPath, text) => /ExternalSecret|SecretStore/.test(text) && secretFileKind(relPath, text) !== null,
  async check(doc, ctx) {
    const found = await secretFindings(doc, ctx);
    return secretReports(doc, ctx, found, 'external-literal', this.id, (fact) => ({
      message: `Literal ${fact.kind} in ${fact.where} (${describeSecret(fact)}): the secret store is bypassed. Put the value in the store and reference it with remoteRef and a {{ .name }} template.`,
    }));
  },
};
