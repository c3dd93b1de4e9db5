import type { Position, Range } from './types';

/**
 * One file's text as the rules see it, with position arithmetic. Offsets are UTF-16 code units
 * (JavaScript string indices), which is what LSP positions count; parsers that report UTF-8 byte
 * offsets convert through `offsetOfUtf8Byte`.
 */
export class SourceDocument {
  private lineStartsCache: number[] | undefined;
  private readonly parsed = new Map<string, unknown>();

  constructor(
    /** Workspace-relative path, forward slashes. */
    readonly relPath: string,
    readonly text: string,
    /** LSP language id when the editor knows it; otherwise guessed from the extension by rules. */
    readonly languageId?: string,
  ) {}

  get lineStarts(): number[] {
    if (!this.lineStartsCache) {
      const starts = [0];
      const text = this.text;
      for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        // \r\n counts once; a lone \r is a line break too, as in LSP.
        if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
      this.lineStartsCache = starts;
    }
    return this.lineStartsCache;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - starts[low] };
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts;
    if (position.line >= starts.length) return this.text.length;
    const lineStart = starts[Math.max(0, position.line)];
    return Math.min(lineStart + Math.max(0, position.character), this.lineEnd(position.line));
  }

  rangeOf(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  /** Offset just past the line's content, before its line break. */
  lineEnd(line: number): number {
    const starts = this.lineStarts;
    if (line + 1 >= starts.length) return this.text.length;
    let end = starts[line + 1];
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  /** Every line without its break, split once: rules asking per finding share it. */
  get lines(): readonly string[] {
    return this.parse('lines', () => Array.from({ length: this.lineCount }, (_, i) => this.lineText(i)));
  }

  /** The line break the file uses, so inserted lines match it (CRLF files stay CRLF). */
  get eol(): string {
    const firstBreak = this.text.indexOf('\n');
    return firstBreak > 0 && this.text.charCodeAt(firstBreak - 1) === 13 ? '\r\n' : '\n';
  }

  /** Converts a UTF-8 byte offset into this text (as WASM parsers report them) to a UTF-16 offset. */
  offsetOfUtf8Byte(byteOffset: number): number {
    let bytes = 0;
    let i = 0;
    const text = this.text;
    while (i < text.length && bytes < byteOffset) {
      const code = text.codePointAt(i)!;
      bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      i += code >= 0x10000 ? 2 : 1;
    }
    return i;
  }

  /** Memoises a parse of this exact text, so several rules share one parse. */
  parse<T>(key: string, parser: (text: string) => T): T {
    if (!this.parsed.has(key)) this.parsed.set(key, parser(this.text));
    return this.parsed.get(key) as T;
  }
}

/** Text as read from disk, made to match what an editor holds: no BOM. */
export function decodeFileText(bytes: Uint8Array): string {
  // TextDecoder drops a leading BOM (ignoreBOM defaults to false) and maps invalid UTF-8 to U+FFFD,
  // as VS Code does when it opens such a file.
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
