import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, reportAtReferences } from './lifecycle';
import { flagOptions } from './options';
import { addToRegistryFix } from './registryEntry';

/** A flag evaluated in code but missing from the registry (when the workspace has one): no owner, no expiry. */
export const flagUnregisteredRule: Rule = {
  id: 'flag/unregistered',
  area: 'flag',
  defaultSeverity: 'warning',
  description: 'A feature flag evaluated in code but missing from the flag registry.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) =>
    reportAtReferences(
      doc,
      ctx,
      (flag) => flag.state === 'unregistered',
      (flag) => `Flag "${flag.key}" is not in the flag registry, so it has no owner and no expiry. Add it (key, owner, created, expires, kind).`,
      async (flag, inventory) => {
        const fix = await addToRegistryFix(ctx.workspace, inventory, flag, flagOptions(ctx.config).staleAfterDays, new Date());
        return fix ? [fix] : [];
      },
    ),
};
