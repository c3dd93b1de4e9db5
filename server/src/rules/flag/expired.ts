import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, evaluations, registryOrFirstEvaluation, reportPerFlag, type PerFlagRule } from './lifecycle';

/** A flag past the expiry date its registry entry gives: it was meant to be gone by now. */
const expired: PerFlagRule = {
  matches: (flag) => flag.stale?.startsWith('expired') === true,
  at: (flag) => [registryOrFirstEvaluation(flag)],
  message: (flag) => {
    const uses = evaluations(flag).length;
    return `Flag "${flag.key}" expired on ${flag.expires}${flag.owner ? ` (owner: ${flag.owner})` : ''} and is still evaluated in ${uses} ${uses === 1 ? 'place' : 'places'}. Remove it, keeping the path that is live, or extend its expiry in the registry with a reason.`;
  },
};

export const flagExpiredRule: Rule = {
  id: 'flag/expired',
  area: 'flag',
  defaultSeverity: 'warning',
  description: 'A feature flag evaluated past the expiry date in its registry entry.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) => reportPerFlag(doc, ctx, expired),
};
