import type { AddedLines } from '../workspace/contracts';
import type { Range } from './types';

/**
 * The files whose findings are reported, each with its 1-based lines (undefined: all of them); a
 * file not listed reports nothing.
 */
export type ReportedLines = ReadonlyMap<string, ReadonlySet<number> | undefined>;

const NONE: ReadonlySet<number> = new Set();

/** What `check --changed-lines` reports: every line of a file the branch added, the added lines of one it changed. */
export function reportedLinesOf(added: ReadonlyMap<string, AddedLines>): ReportedLines {
  return new Map([...added].map(([file, change]) => [file, change.isNew ? undefined : new Set(change.lines)]));
}

/** The lines of a file whose findings are reported; undefined: all of them (with no `reported`, every file's). */
export function linesReported(reported: ReportedLines | undefined, relPath: string): ReadonlySet<number> | undefined {
  if (!reported) return undefined;
  return reported.has(relPath) ? reported.get(relPath) : NONE;
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
