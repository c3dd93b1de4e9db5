import type { AddedLines } from '../workspace/contracts';
import type { Range } from './types';

/** 1-based lines of a file: a set, or the ranges a commit's patch added. */
export interface Lines {
  has(line: number): boolean;
}

/**
 * The files whose findings are reported, each with its lines (undefined: all of them); a file not
 * listed reports nothing.
 */
export type ReportedLines = ReadonlyMap<string, Lines | undefined>;

const NONE: Lines = new Set<number>();

/** Lines given as [first, count] ranges (a patch's hunks), without a set of every line. */
export function linesInRanges(ranges: readonly (readonly [number, number])[]): Lines {
  return { has: (line) => ranges.some(([first, count]) => line >= first && line < first + count) };
}

/** What `check --changed-lines` reports: every line of a file the branch added, the added lines of one it changed. */
export function reportedLinesOf(added: ReadonlyMap<string, AddedLines>): ReportedLines {
  return new Map([...added].map(([file, change]) => [file, change.isNew ? undefined : new Set(change.lines)]));
}

/** The lines of a file whose findings are reported; undefined: all of them (with no `reported`, every file's). */
export function linesReported(reported: ReportedLines | undefined, relPath: string): Lines | undefined {
  if (!reported) return undefined;
  return reported.has(relPath) ? reported.get(relPath) : NONE;
}

/** Whether a range (0-based, as findings have it) touches one of the lines; undefined lines: all of them. */
export function touchesLines(range: Range, lines: Lines | undefined): boolean {
  if (!lines) return true;
  const first = range.start.line + 1;
  // An end at the start of a line ends on the line before it.
  const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1;
  for (let line = first; line <= last; line++) if (lines.has(line)) return true;
  return false;
}
