import type { PatternLanguage } from '../catalog';

/**
 * The text with its comments (and Python's triple-quoted strings: docstrings) replaced by spaces,
 * line breaks kept, so offsets and lines stay those of the file: a usage example in a comment or
 * a docstring is documentation, not a flag evaluation. One pass, strings tracked so a `#` or `//`
 * inside one is text.
 */
export function blankComments(text: string, language: PatternLanguage): string {
  // The text between comments is copied in slices: a character array of a 1 MB file costs more than the walk.
  const out: string[] = [];
  let copied = 0;
  const blank = (from: number, to: number) => {
    out.push(text.slice(copied, from), text.slice(from, to).replace(/[^\r\n]/g, ' '));
    copied = to;
  };
  const lineComment = language === 'python' || language === 'ruby' ? '#' : language === 'template' ? '' : '//';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (language === 'python' && (c === '"' || c === "'") && text.startsWith(c + c + c, i)) {
      const close = text.indexOf(text.slice(i, i + 3), i + 3);
      const end = close < 0 ? text.length : close + 3;
      blank(i, end);
      i = end;
    } else if (language !== 'template' && (c === '"' || c === "'" || (c === '`' && language === 'go'))) {
      // Template text is prose (`don't`): only its comment markers count there.
      i = stringEnd(text, i, c);
    } else if (lineComment && c === lineComment[0] && text.startsWith(lineComment, i)) {
      const end = lineEnd(text, i);
      blank(i, end);
      i = end;
    } else if ((language === 'go' || language === 'java') && c === '/' && text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      blank(i, end);
      i = end;
    } else if (language === 'ruby' && c === '=' && text.startsWith('=begin', i) && (i === 0 || text[i - 1] === '\n')) {
      const close = text.indexOf('\n=end', i);
      const end = close < 0 ? text.length : lineEnd(text, close + 1);
      blank(i, end);
      i = end;
    } else if (language === 'template' && (c === '{' || c === '<') && (text.startsWith('{#', i) || text.startsWith('<!--', i))) {
      const closer = text.startsWith('{#', i) ? '#}' : '-->';
      const close = text.indexOf(closer, i + 2);
      const end = close < 0 ? text.length : close + closer.length;
      blank(i, end);
      i = end;
    } else i++;
  }
  out.push(text.slice(copied));
  return out.join('');
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** Past the string opened at `start`: an escape skips a character; a line break ends an unclosed one (Go's raw strings may span lines). */
function stringEnd(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quote !== '`') i++;
    else if (c === quote) return i + 1;
    else if (c === '\n' && quote !== '`') return i;
  }
  return text.length;
}
