import type { Rule } from '../../engine/rule';
import { CODE_OR_REGISTRY, reportAtReferences } from './lifecycle';

/** A flag the registry marks fully rolled out, checked in one place: that check always takes one path. */
export const flagRolledOutRule: Rule = {
  id: 'flag/rolled-out',
  area: 'flag',
  defaultSeverity: 'info',
  description: 'A fully rolled-out feature flag still checked in code.',
  appliesTo: (relPath) => CODE_OR_REGISTRY.test(relPath),
  check: (doc, ctx) =>
    reportAtReferences(doc, ctx, (flag) => flag.rolledOut === true && flag.references.filter((r) => r.kind === 'evaluation').length === 1, (flag) => `Flag "${flag.key}" is fully rolled out (registry: rolledOut: true): this check always takes its enabled path. Remove the flag and keep that path.`),
};
