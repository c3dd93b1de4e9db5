import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, evaluations, firstEvaluation, reportPerFlag, type PerFlagRule } from './lifecycle';

/**
 * A flag that is fully on: the registry says `rolledOut: true`, the provider's snapshot serves it
 * to everyone in every environment, or its definition turns it on by default. Its checks always
 * take one path; the flag, its off path and its definition can go. Reported where that fact is
 * written (each definition that turns it on), with the checks to remove as related locations. A
 * rolled-out flag no code evaluates is dead, and reported once, by `flag/dead`.
 */
const rolledOut: PerFlagRule = {
  matches: (flag) => flag.rolledOut === true && evaluations(flag).length > 0,
  at: (flag) => flag.rolledOutBecause ?? [firstEvaluation(flag)],
  message: (flag) => {
    const uses = evaluations(flag).length;
    const because = flag.rolledOutBecause?.[0].reason ?? 'the registry says so';
    return `Flag "${flag.key}" is fully rolled out (${because}): its ${uses === 1 ? 'check always takes' : `${uses} checks always take`} the enabled path. Remove the flag and keep that path.`;
  },
};

export const flagRolledOutRule: Rule = {
  id: 'flag/rolled-out',
  area: 'flag',
  defaultSeverity: 'info',
  description: 'A fully rolled-out feature flag still checked in code or still defined.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) => reportPerFlag(doc, ctx, rolledOut),
};
