import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, reportPerFlag, type PerFlagRule } from './lifecycle';

/**
 * A declared flag no code evaluates: a registry entry, a snapshot's flag, a key union member, a
 * typed feature map's property, a definition. Reported at each place that declares it by hand (each
 * is something to delete; a generated typing is regenerated, not edited), with the others as
 * related locations.
 */
const dead: PerFlagRule = {
  matches: (flag) => flag.state === 'dead',
  at: (flag) => flag.declarations?.filter((d) => !d.generated) ?? [flag.registry],
  message: (flag) =>
    /\.(ya?ml|json)$/.test(flag.registry?.file ?? '')
      ? `Flag "${flag.key}" is registered but no code evaluates it. Delete its entry here and archive it in your flag service.`
      : `Flag "${flag.key}" is declared but no code evaluates it. Delete the declaration (and archive the flag in your flag service).`,
};

export const flagDeadRule: Rule = {
  id: 'flag/dead',
  area: 'flag',
  defaultSeverity: 'warning',
  description: 'A declared or registered feature flag that no code evaluates.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) => reportPerFlag(doc, ctx, dead),
};
