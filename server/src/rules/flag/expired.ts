import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, reportAtReferences } from './lifecycle';

/** A flag past the expiry date its registry entry gives: it was meant to be gone by now. */
export const flagExpiredRule: Rule = {
  id: 'flag/expired',
  area: 'flag',
  defaultSeverity: 'warning',
  description: 'A feature flag evaluated past the expiry date in its registry entry.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) =>
    reportAtReferences(doc, ctx, (flag) => flag.reason?.startsWith('expired') === true, (flag) => `Flag "${flag.key}" expired on ${flag.expires}${flag.owner ? ` (owner: ${flag.owner})` : ''}. Remove it, keeping the path that is live, or extend its expiry in the registry with a reason.`),
};
