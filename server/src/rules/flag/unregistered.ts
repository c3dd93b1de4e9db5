import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, firstEvaluation, reportPerFlag, type PerFlagRule } from './lifecycle';
import { flagOptions } from './options';
import { registryFixes } from './registryEntry';

/**
 * A flag evaluated in code but missing from the workspace's registry file (flags.yaml, or a
 * provider's snapshot): no owner, no expiry, and against a snapshot, a flag the service may not
 * have. Independent of its age: an old unregistered flag is reported here and as stale.
 */
const unregistered: PerFlagRule = {
  matches: (flag) => flag.unregistered === true,
  at: (flag) => [firstEvaluation(flag)],
  message: (flag) => `Flag "${flag.key}" is not in the flag registry, so it has no owner and no expiry. Add it (key, owner, created, expires, kind).`,
  fixes: (flag, inventory, ctx) => registryFixes(ctx.workspace, inventory, flag, flagOptions(ctx.config).staleAfterDays),
};

export const flagUnregisteredRule: Rule = {
  id: 'flag/unregistered',
  area: 'flag',
  defaultSeverity: 'warning',
  description: 'A feature flag evaluated in code but missing from the flag registry.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) => reportPerFlag(doc, ctx, unregistered),
};
