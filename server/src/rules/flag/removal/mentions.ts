import type * as TS from 'typescript';
import { parseSource, typescript } from '../detect/typescriptModule';

const CODE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/**
 * Where a removed flag is still named for a reader: comments in code (a `// TODO: remove with
 * new-checkout`, a JSDoc on the code that went) and lines of other text files (docs, configs).
 * They are listed for review, never edited: whether a sentence still holds is for a person.
 * Offsets of each mention's start.
 */
export function mentionsOf(relPath: string, text: string, names: RegExp): number[] {
  if (!CODE.test(relPath)) return lineStarts(text).filter((start, i, all) => names.test(text.slice(start, all[i + 1] ?? text.length)));
  const ts = typescript();
  const source = parseSource(relPath, text);
  const seen = new Set<number>();
  const found: number[] = [];
  const note = (ranges: TS.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      if (names.test(text.slice(range.pos, range.end))) found.push(range.pos);
    }
  };
  const visit = (node: TS.Node): void => {
    // `{/* … */}` in JSX: a comment with no node after it.
    if (ts.isJsxExpression(node) && !node.expression && names.test(node.getText(source))) found.push(node.getStart(source));
    note(ts.getLeadingCommentRanges(text, node.pos));
    note(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(source);
  note(ts.getLeadingCommentRanges(text, source.endOfFileToken.pos));
  return found.sort((a, b) => a - b);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
