import { SourceDocument } from './document';
import type { TextEdit } from './types';

/** Applies LSP-style edits as an editor does: all against the original text, inserts at one place in order. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const doc = new SourceDocument('', text);
  const ordered = edits.map((edit, index) => ({ edit, index, start: doc.offsetAt(edit.range.start), end: doc.offsetAt(edit.range.end) }));
  ordered.sort((a, b) => b.start - a.start || b.index - a.index);
  let result = text;
  for (const { edit, start, end } of ordered) result = result.slice(0, start) + edit.newText + result.slice(end);
  return result;
}
