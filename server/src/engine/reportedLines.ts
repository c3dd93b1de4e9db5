import type { AddedLines } from '../workspace/contracts';
import type { Range } from './types';

/** The 1-based lines of a file whose findings are reported; undefined: every line. */
export type ReportedLines = (relPath: string) => ReadonlySet<number> | undefined;

/**
 * What `check --changed-lines` reports, by file: every line of a file the branch added, the added
 * lines of one it changed, nothing of one it did not add lines to.
 */
export function reportedLinesOf(added: ReadonlyMap<string, AddedLines>): ReportedLines {
  const sets = new Map<string, ReadonlySet<number>>();
  return (relPath) => {
    const change = added.get(relPath);
    if (change?.isNew) return undefined;
    let lines = sets.get(relPath);
    if (!lines) sets.set(relPath, (lines = new Set(change?.lines ?? [])));
    return lines;
  };
}

/** Whether a range (0-based, as findings have it) touches one of the lines; undefined lines: all of them. */
export function touchesLines(range: Range, lines: ReadonlySet<number> | undefined): boolean {
  if (!lines) return true;
  const first = range.start.line + 1;
  // An end at the start of a line ends on the line before it.
  const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1;
  for (let line = first; line <= last; line++) if (lines.has(line)) return true;
  return false;
}
