import { evaluationEdit, type FlagSite } from './evaluations';
import { parseSource as parse } from '../detect/typescriptModule';
import { withoutMarkers } from './markers';
import { simplifyOnce } from './simplify';
import { applyEdits, type TextEdit } from './textEdits';
import { countUses, removeNewlyUnused } from './unused';

export type Keep = 'enabled' | 'disabled';

export interface SourceRemoval {
  text: string;
  /** Evaluations left in place, with why, for a person to finish. */
  skipped: { start: number; reason: string }[];
}

/** Enough for any real file; a bound so that a simplification bug cannot loop forever. */
const MAX_STEPS = 1000;

/**
 * A flag removed from one TS/JS file: each evaluation becomes the value the flag keeps, the code
 * around it is simplified step by step, and what that leaves unused is removed.
 */
export function removeFlagFromSource(fileName: string, text: string, sites: FlagSite[], options: { keep: Keep; providers: string[]; homeGrown: string[] }): SourceRemoval {
  const original = parse(fileName, text);
  const skipped: SourceRemoval['skipped'] = [];
  const edits: TextEdit[] = [];
  for (const site of sites) {
    const result = evaluationEdit(original, site, options.providers, options.homeGrown, options.keep === 'enabled');
    if ('reason' in result) skipped.push({ start: site.start, reason: result.reason });
    else edits.push(...result.edits);
  }
  if (edits.length === 0) return { text, skipped };
  let current = applyEdits(text, edits);
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = simplifyOnce(parse(fileName, current));
    if (!next) break;
    current = applyEdits(current, next);
  }
  const usesBefore = countUses(original);
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = removeNewlyUnused(parse(fileName, current), usesBefore);
    if (next.length === 0) break;
    current = applyEdits(current, next);
  }
  return { text: withoutMarkers(current), skipped };
}
