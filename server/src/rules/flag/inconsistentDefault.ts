import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, firstEvaluation, reportPerFlag, type PerFlagRule } from './lifecycle';

/**
 * The same key evaluated with different default values: when the flag service is unreachable, parts
 * of the app disagree about whether the feature is on. Production code only: a test may pass any
 * fallback on purpose.
 */
const inconsistentDefault: PerFlagRule = {
  matches: (flag) => flag.defaults.length > 1,
  at: (flag) => [firstEvaluation(flag)],
  message: (flag) => `Flag "${flag.key}" is evaluated with different defaults (${flag.defaults.join(', ')}): if the flag service is down, parts of the app disagree. Use one default, ideally from one shared wrapper.`,
};

export const flagInconsistentDefaultRule: Rule = {
  id: 'flag/inconsistent-default',
  area: 'flag',
  defaultSeverity: 'warning',
  description: 'The same feature flag evaluated with different default values.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) => reportPerFlag(doc, ctx, inconsistentDefault),
};
