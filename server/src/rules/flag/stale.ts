import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, evaluations, registryOrFirstEvaluation, reportPerFlag, type PerFlagRule } from './lifecycle';
import { flagOptions } from './options';
import { registryFixes } from './registryEntry';

/**
 * A temporary flag older than the threshold (default 90 days) with no expiry, or one its provider
 * marks stale: cleanup work, not a feature. Kill switches, operational switches and entitlements
 * stay by design and are never stale; a rolled-out or dead flag is reported as such instead.
 */
const stale: PerFlagRule = {
  matches: (flag) => flag.stale !== undefined && !flag.stale.startsWith('expired'),
  at: (flag) => [registryOrFirstEvaluation(flag)],
  message: (flag) => {
    const uses = evaluations(flag).length;
    const where = `${uses} ${uses === 1 ? 'evaluation' : 'evaluations'}`;
    if (!flag.stale!.startsWith('temporary')) return `Flag "${flag.key}" is ${flag.stale} (${where}). Remove it, keeping the path that is live, or record why it stays (kind: permanent) in the registry.`;
    return `Flag "${flag.key}" is ${flag.ageDays} days old and has no expiry date (${where}). Remove it if it is fully rolled out, or record why it stays: kind: permanent, or an expiry, in the registry.`;
  },
  fixes: (flag, inventory, ctx) => registryFixes(ctx.workspace, inventory, flag, flagOptions(ctx.config).staleAfterDays),
};

export const flagStaleRule: Rule = {
  id: 'flag/stale',
  area: 'flag',
  defaultSeverity: 'info',
  description: 'A temporary feature flag older than the configured age (90 days by default) with no expiry date.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) => reportPerFlag(doc, ctx, stale),
};
