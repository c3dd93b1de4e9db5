import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, reportAtReferences } from './lifecycle';

/** A temporary flag older than the threshold (default 90 days) with no expiry: cleanup work, not a feature. */
export const flagStaleRule: Rule = {
  id: 'flag/stale',
  area: 'flag',
  defaultSeverity: 'info',
  description: 'A temporary feature flag older than the configured age (90 days by default) with no expiry date.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) =>
    reportAtReferences(doc, ctx, (flag) => flag.reason?.startsWith('temporary') === true, (flag) => `Flag "${flag.key}" is ${flag.ageDays} days old and has no expiry date. Remove it if it is fully rolled out, or mark it permanent (kind: permanent) or give it an expiry in the registry.`),
};
