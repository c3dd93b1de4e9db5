import type { Rule } from '../engine/rule';
import { flagDeadRule } from './flag/dead';
import { flagExpiredRule } from './flag/expired';
import { flagInconsistentDefaultRule } from './flag/inconsistentDefault';
import { flagRolledOutRule } from './flag/rolledOut';
import { flagStaleRule } from './flag/stale';
import { flagUnregisteredRule } from './flag/unregistered';
import { unguardedFeatureRule } from './flag/unguardedFeature';
import { dataDependentRule } from './migration/dataDependent';
import { destructiveWithoutPlanRule } from './migration/destructiveWithoutPlan';
import { editedAfterMergeRule } from './migration/editedAfterMerge';
import { incompatibleChangeRule } from './migration/incompatibleChange';
import { invalidPlanRule } from './migration/invalidPlan';
import { lockRiskRule } from './migration/lockRisk';
import { rollbackNotAPlanRule } from './migration/rollbackNotAPlan';
import { stillReferencedRule } from './migration/stillReferenced';
import { unparseableStatementRule } from './migration/unparseableStatement';
import { externalSecretLiteralRule } from './secret/externalSecretLiteral';
import { hardcodedCredentialRule } from './secret/hardcodedCredential';
import { k8sSecretPlaintextRule } from './secret/k8sSecretPlaintext';
import { knownTokenRule } from './secret/knownToken';
import { privateKeyRule } from './secret/privateKey';
import { sealedSecretTemplateRule } from './secret/sealedSecretTemplate';
import { flagOneStateRule } from './test/flagOneState';
import { shallowTestRule } from './test/shallowTest';
import { uncoveredLinesRule } from './test/uncoveredLines';
import { untestedExportRule } from './test/untestedExport';
import { untestedFileRule } from './test/untestedFile';

/** Every rule DeployRisk has, in the order `deployrisk rules` lists them. */
export const ALL_RULES: readonly Rule[] = [
  destructiveWithoutPlanRule,
  incompatibleChangeRule,
  stillReferencedRule,
  rollbackNotAPlanRule,
  lockRiskRule,
  dataDependentRule,
  editedAfterMergeRule,
  invalidPlanRule,
  unparseableStatementRule,
  // Before the lifecycle rules: a changed file adding features has it ask for the whole flag scan,
  // which then also tells them where the file's flags are (`check --changed-lines`), instead of a
  // second scan narrowed to the changed files.
  unguardedFeatureRule,
  flagExpiredRule,
  flagStaleRule,
  flagInconsistentDefaultRule,
  flagUnregisteredRule,
  flagDeadRule,
  flagRolledOutRule,
  untestedFileRule,
  untestedExportRule,
  uncoveredLinesRule,
  flagOneStateRule,
  shallowTestRule,
  privateKeyRule,
  k8sSecretPlaintextRule,
  hardcodedCredentialRule,
  sealedSecretTemplateRule,
  externalSecretLiteralRule,
  knownTokenRule,
];
