import { PATTERN_CALLS } from '../catalog';
import type { FileFlagFacts } from './model';

/** Python, Go, Ruby and Java flag calls by pattern; a file counts only for SDKs it imports. */
export function detectByPattern(text: string): FileFlagFacts {
  const references: FileFlagFacts['references'] = [];
  for (const pattern of PATTERN_CALLS) {
    if (!pattern.imports.test(text)) continue;
    pattern.regex.lastIndex = 0;
    for (const match of text.matchAll(pattern.regex)) {
      const key = match[1];
      const start = match.index + match[0].lastIndexOf(key);
      references.push({ provider: pattern.provider, kind: 'evaluation', start, end: start + key.length, key });
    }
  }
  return { references, exports: new Map() };
}
