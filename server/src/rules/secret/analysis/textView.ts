/**
 * Text the scanners read, and where its characters sit in the file. A file is its own view; a
 * value inside it (a YAML scalar, a `.env` value, a file embedded in a ConfigMap) is a view whose
 * offsets map back through its parent, so a finding inside an embedded block points at its exact
 * line. Decoded text (base64) has no such map: every offset in it points at the encoded value.
 */
export interface View {
  readonly text: string;
  /** File offsets of `text[start, end)`. */
  locate(start: number, end: number): [number, number];
  /** False for decoded text: a finding in it points at the whole encoded value. */
  readonly exact: boolean;
}

export function fileView(text: string): View {
  return { text, locate: (start, end) => [start, end], exact: true };
}

/** A view of `parent.text[start, end)` whose text is the same characters. */
export function sliceView(parent: View, start: number, end: number): View {
  return { text: parent.text.slice(start, end), locate: (s, e) => parent.locate(start + s, start + e), exact: parent.exact };
}

/** After this many lines of a value not found in its source, the rest point at the whole value. */
const MAX_MISSES = 8;

/**
 * The view of a value read from `parent.text[start, end)` (its source, with quotes, block
 * indicators, indentation or escapes): each line of the value is found in the source, in order,
 * so block scalars and quoted strings map line by line. What cannot be found (folded lines, escaped
 * characters) points at the whole source.
 */
export function valueView(parent: View, start: number, end: number, value: string): View {
  const source = parent.text.slice(start, end);
  if (source === value) return sliceView(parent, start, end);
  let lines: { start: number; end: number; at: number }[] | undefined;
  const align = () => {
    lines = [];
    let cursor = 0;
    let misses = 0;
    let lineStart = 0;
    for (const line of value.split('\n')) {
      let at = -1;
      if (misses < MAX_MISSES && line !== '') {
        at = source.indexOf(line, cursor);
        if (at >= 0) cursor = at + line.length;
        else misses++;
      }
      lines.push({ start: lineStart, end: lineStart + line.length, at });
      lineStart += line.length + 1;
    }
    return lines;
  };
  const whole: [number, number] = [start, end];
  return {
    text: value,
    exact: parent.exact,
    locate(s, e) {
      // The whole value is its whole source: quotes and block indicators included.
      if (s === 0 && e === value.length) return parent.locate(...whole);
      const line = (lines ?? align()).find((candidate) => candidate.start <= s && s <= candidate.end);
      if (line && line.at >= 0 && e <= line.end) return parent.locate(start + line.at + (s - line.start), start + line.at + (e - line.start));
      const piece = value.slice(s, e);
      const at = piece ? source.indexOf(piece) : -1;
      return at >= 0 ? parent.locate(start + at, start + at + piece.length) : parent.locate(...whole);
    },
  };
}

/** Decoded text of the value at `parent.text[start, end)`: every finding in it points at that value. */
export function decodedView(parent: View, start: number, end: number, decoded: string): View {
  const whole = parent.locate(start, end);
  return { text: decoded, locate: () => whole, exact: false };
}
