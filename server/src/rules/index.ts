import type { Rule } from '../engine/rule';
import { externalSecretLiteralRule } from './secret/externalSecretLiteral';
import { hardcodedCredentialRule } from './secret/hardcodedCredential';
import { k8sSecretPlaintextRule } from './secret/k8sSecretPlaintext';
import { knownTokenRule } from './secret/knownToken';
import { privateKeyRule } from './secret/privateKey';
import { sealedSecretTemplateRule } from './secret/sealedSecretTemplate';

/** Every rule DeployRisk has, in the order `deployrisk rules` lists them. */
export const ALL_RULES: readonly Rule[] = [
  privateKeyRule,
  k8sSecretPlaintextRule,
  hardcodedCredentialRule,
  sealedSecretTemplateRule,
  externalSecretLiteralRule,
  knownTokenRule,
];
