import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, reportAtReferences } from './lifecycle';

/**
 * The same key evaluated with different default values: when the flag service is unreachable, parts
 * of the app disagree about whether the feature is on.
 */
export const flagInconsistentDefaultRule: Rule = {
  id: 'flag/inconsistent-default',
  area: 'flag',
  defaultSeverity: 'warning',
  description: 'The same feature flag evaluated with different default values.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) =>
    reportAtReferences(doc, ctx, (flag) => flag.defaults.length > 1, (flag) => `Flag "${flag.key}" is evaluated with different defaults (${flag.defaults.join(', ')}): if the flag service is down, parts of the app disagree. Use one default, ideally from one shared wrapper.`),
};
