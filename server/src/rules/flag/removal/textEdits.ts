/** A replacement of `[start, end)` in a text; the removal passes produce lists of these. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (any order); an edit overlapping one already applied is dropped. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let result = text;
  let floor = Infinity;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    if (edit.end > floor) continue;
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    floor = edit.start;
  }
  return result;
}

export function lineStart(text: string, offset: number): number {
  return Math.max(text.lastIndexOf('\n', offset - 1) + 1, 0);
}

/** The whitespace before the first character of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** True when only spaces and tabs stand between the line's start and `offset`. */
export function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/**
 * Removes `[start, end)`; when the span has its lines to itself, the whole lines go with it, line
 * breaks included, and of the blank lines around it only one stays, none right after an opening
 * bracket or before a closing one.
 */
export function removal(text: string, start: number, end: number): TextEdit {
  const before = lineStart(text, start);
  const after = /^[ \t]*(\r?\n|$)/.exec(text.slice(end, end + 4096));
  if (!startsLine(text, start) || !after) return { start, end, text: '' };
  const lineEnd = end + after[0].length;
  const above = text.slice(lineStart(text, before - 1), before);
  const opens = before > 0 && /[{([]\s*$/.test(above);
  const blankAbove = before === 0 || /^[ \t]*\r?\n$/.test(above);
  const blankBelow = /^[ \t]*\r?\n/.exec(text.slice(lineEnd, lineEnd + 4096));
  if (blankBelow && (blankAbove || opens)) return { start: before, end: lineEnd + blankBelow[0].length, text: '' };
  if (blankAbove && before > 0 && /^[ \t]*[})\]]/.test(text.slice(lineEnd, lineEnd + 4096))) return { start: lineStart(text, before - 1), end: lineEnd, text: '' };
  return { start: before, end: lineEnd, text: '' };
}
