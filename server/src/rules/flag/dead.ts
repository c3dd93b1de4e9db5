import type { Rule } from '../../engine/rule';
import { inventory, rangeOf } from './lifecycle';

/** A registered flag no code evaluates: the registry entry (and the flag in the service) can go. */
export const flagDeadRule: Rule = {
  id: 'flag/dead',
  area: 'flag',
  defaultSeverity: 'warning',
  description: 'A feature flag in the registry that no code evaluates.',
  appliesTo: (relPath) => /\.(ya?ml|json)$/.test(relPath),
  async check(doc, ctx) {
    const facts = await inventory(ctx);
    return (facts?.flags ?? [])
      .filter((flag) => flag.state === 'dead' && flag.registry?.file === doc.relPath)
      .map((flag) => ({
        message: `Flag "${flag.key}" is registered but no code evaluates it. Delete its entry here and archive it in your flag service.`,
        // The key as written: quoted, escaped or folded over lines, it is not `key.length` long on one line.
        range: rangeOf(flag.registry!),
      }));
  },
};
