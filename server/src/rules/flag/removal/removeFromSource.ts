import { evaluationEdit, type DeclaredApis, type FlagSite } from './evaluations';
import { parseSource as parse } from '../detect/typescriptModule';
import type { Keep } from './keep';
import { FlagValues } from './markers';
import { simplifyOnce } from './simplify';
import { applyEdits, type TextEdit } from './textEdits';
import { countUses, removeNewlyUnused } from './unused';

export interface SourceRemoval {
  text: string;
  /** Evaluations left in place, with why, for a person to finish. */
  skipped: { start: number; reason: string }[];
}

/** Enough for any real file; a bound so that a simplification bug cannot loop forever. */
const MAX_STEPS = 1000;

/**
 * A flag removed from one TS/JS file: each evaluation becomes what the flag keeps, the code
 * around it is simplified step by step, and what that leaves unused is removed.
 */
export function removeFlagFromSource(fileName: string, text: string, sites: FlagSite[], options: { keep: Keep; providers: string[]; homeGrown: string[]; declaredApis?: DeclaredApis }): SourceRemoval {
  const original = parse(fileName, text);
  const values = new FlagValues();
  const skipped: SourceRemoval['skipped'] = [];
  const edits: TextEdit[] = [];
  for (const site of sites) {
    const result = evaluationEdit(site, { ...options, source: original, values });
    if ('reason' in result) skipped.push({ start: site.start, reason: result.reason });
    else edits.push(...result.edits);
  }
  if (edits.length === 0) return { text, skipped };
  let current = applyEdits(text, edits);
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = simplifyOnce(parse(fileName, current), values);
    if (!next) break;
    current = applyEdits(current, next);
  }
  return { text: values.withoutMarkers(withoutNewlyUnused(fileName, current, countUses(original))), skipped };
}

/** The imports, constants and functions a change left unused removed, until none is left (each removal can orphan more). */
export function withoutNewlyUnused(fileName: string, text: string, usesBefore: Map<string, number>): string {
  let current = text;
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = removeNewlyUnused(parse(fileName, current), usesBefore);
    if (next.length === 0) break;
    current = applyEdits(current, next);
  }
  return current;
}
