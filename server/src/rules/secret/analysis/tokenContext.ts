/**
 * The names a value sits under, read from the text around it: the key on its line (`apiKey:`,
 * `DD_API_KEY=`, `--datadog-api-key=`), the `name:` of its env-list entry when the key is `value`,
 * and the keys of the lines above that open the blocks it is in (`datadog:` over `apiKey:`). Formats
 * without a prefix of their own (a Datadog key is 32 hex digits) are recognised by these names, as a
 * reader would. At most WINDOW characters before the value are read, and of each line only its
 * start, so a huge line or many values on one line cost no more than that each.
 */
const WINDOW = 4096;
const MAX_PARENTS = 6;
/** Of a line above, only this much of its start is read: indentation and a key. */
const LINE_HEAD = 200;
/** Of the value's own line, the words this far before it are its names. */
const LINE_TAIL = 160;

const KEY_ON_LINE = /^[ \t]*(?:-[ \t]+)?["']?([A-Za-z0-9_.$@/-]{1,128})["']?[ \t]*(?:=|:(?=\s|$))/;
const NAME_ENTRY = /^[ \t]*(?:-[ \t]+)?["']?name["']?[ \t]*:[ \t]*["']?([A-Za-z0-9_.-]{1,128})/;
const INLINE_NAME = /name["']?[ \t]*:[ \t]*["']?([A-Za-z0-9_.-]{1,128})/;

export function namesAround(text: string, start: number): string[] {
  const limit = Math.max(0, start - WINDOW);
  const lineStart = startOfLine(text, start, limit);
  const current = text.slice(Math.max(lineStart, start - LINE_TAIL), start);
  const names: string[] = current.match(/[A-Za-z][A-Za-z0-9_.-]{0,127}/g) ?? [];
  const indent = lineStart > limit || limit === 0 ? indentation(text.slice(lineStart, Math.min(start, lineStart + LINE_HEAD))) : 0;

  const above: string[] = [];
  for (let end = lineStart - 1; end > limit; ) {
    const from = startOfLine(text, end, limit);
    if (from === limit && limit > 0) break;
    above.push(text.slice(from, Math.min(end, from + LINE_HEAD)));
    end = from - 1;
  }

  if (names.at(-1)?.toLowerCase() === 'value') {
    // An env or parameter list entry: its `name:` is on this line (flow style) or one of the lines above it.
    const inline = INLINE_NAME.exec(current);
    const entry = inline ?? above.slice(0, 3).map((line) => NAME_ENTRY.exec(line)).find(Boolean);
    if (entry) names.push(entry[1]);
  }

  let depth = indent;
  let parents = 0;
  for (const line of above) {
    if (parents >= MAX_PARENTS || depth === 0) break;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const lineIndent = indentation(line);
    if (lineIndent >= depth) continue;
    const key = KEY_ON_LINE.exec(line);
    if (key) {
      names.push(key[1]);
      parents++;
    }
    depth = lineIndent;
  }
  return names;
}

/** Where the line holding `offset - 1` starts, looking back no further than `limit`. */
function startOfLine(text: string, offset: number, limit: number): number {
  let i = offset;
  while (i > limit) {
    const ch = text.charCodeAt(i - 1);
    if (ch === 10 || ch === 13) return i;
    i--;
  }
  return limit;
}

function indentation(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t' || line[i] === '-')) i++;
  return i;
}
