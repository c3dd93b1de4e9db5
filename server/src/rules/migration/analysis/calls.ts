/**
 * Calls in Ruby, Python and JavaScript/TypeScript source, read well enough to map migration DSLs
 * (and ORM models) onto operations: the callee, its arguments (positional and keyword), and the
 * block it opens. A lexer first blanks comments and string contents (same length, quotes kept), so
 * a commented-out call is no call and a bracket inside a string is no bracket; brackets are then
 * matched in one pass, and every later step jumps over them. Everything here is linear in the text.
 */
export type Language = 'ruby' | 'python' | 'js';

export interface StringSpan {
  /** The literal, quotes included. */
  start: number;
  end: number;
  /** Its contents. */
  contentStart: number;
  contentEnd: number;
  /** `#{…}`, `${…}`, an f-string: the contents are not the value. */
  interpolated: boolean;
}

export interface Arg {
  /** `unique: true`, `unique=True`: the keyword; positional arguments have none. */
  key?: string;
  /** The value's text (after the keyword), trimmed. */
  start: number;
  end: number;
  text: string;
}

export interface Call {
  name: string;
  /** From the callee's first character to the closing bracket (or the end of a Ruby statement). */
  start: number;
  end: number;
  args: Arg[];
  /** A Ruby `do … end` or `{ … }` block after the arguments. */
  block?: { start: number; end: number; param?: string };
}

export class Source {
  /** The text with comments and string contents blanked. */
  readonly code: string;
  readonly strings: StringSpan[];
  private readonly match: Int32Array;
  /**
   * Where the Ruby statement running through each position ends (-1: not known yet). Every
   * position a scan passes at its own level ends where the scan does, so each is scanned once:
   * many calls on one long line cost one pass, not one pass each.
   */
  private statementEnds?: Int32Array;
  private readonly lineStarts: number[];
  /** For each Ruby `do`, the `end` that closes its block. */
  private readonly rubyBlockEnds: Map<number, number>;

  constructor(readonly text: string, readonly language: Language) {
    const lexed = lex(text, language);
    this.code = lexed.code;
    this.strings = lexed.strings;
    this.match = matchBrackets(this.code);
    this.rubyBlockEnds = language === 'ruby' ? matchRubyBlocks(this.code) : new Map();
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** The matching bracket of the one at `index`, or -1. */
  closing(index: number): number {
    return this.match[index];
  }

  /** The string literal starting at `index`, if one does. */
  stringAt(index: number): StringSpan | undefined {
    let low = 0;
    let high = this.strings.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const span = this.strings[mid];
      if (span.start === index) return span;
      if (span.start < index) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  /** Whether `index` lies inside a string literal or a comment (blanked in `code`). */
  isBlanked(index: number): boolean {
    return this.code[index] !== this.text[index];
  }

  /**
   * Every call of a callee that `names` matches (a global pattern of the callee's full text, e.g.
   * /\b(?:add_index|op\.create_index)\b/g), in code, with its arguments.
   */
  calls(names: RegExp): Call[] {
    const found: { index: number; name: string }[] = [];
    names.lastIndex = 0;
    for (let m = names.exec(this.code); m; m = names.exec(this.code)) {
      // A method of something longer (`self.add_index`, `foo.op.create_index`) is not this callee,
      // unless the pattern named the receiver itself.
      const before = this.code[m.index - 1];
      if (before !== '.' || m[0].includes('.')) found.push({ index: m.index, name: m[0] });
    }
    // A Ruby call without brackets takes its arguments no further than the next call of the same
    // kind (migrations never pass one to another), so calls sharing a long line are each read once.
    return found.flatMap(({ index, name }, k) => this.callAt(index, name, found[k + 1]?.index) ?? []);
  }

  /**
   * The call whose callee `name` starts at `start`, or null when no arguments follow. `limit`: where
   * the arguments of a Ruby call without brackets end at the latest.
   */
  callAt(start: number, name: string, limit = this.code.length): Call | null {
    let i = start + name.length;
    const code = this.code;
    while (code[i] === ' ' || code[i] === '\t') i++;
    let args: Arg[];
    let end: number;
    if (code[i] === '(') {
      const close = this.match[i];
      if (close < 0) return null;
      args = this.splitArgs(i + 1, close);
      end = close + 1;
    } else if (this.language === 'ruby' && i > start + name.length && /[:'"\w[%@<-]/.test(code[i] ?? '')) {
      end = Math.min(this.rubyStatementEnd(i), limit);
      while (end > i && /\s/.test(code[end - 1])) end--;
      args = this.splitArgs(i, end);
    } else if (this.language === 'ruby') {
      args = [];
      end = start + name.length;
    } else {
      return null;
    }
    const call: Call = { name, start, end, args };
    if (this.language === 'ruby') {
      const block = this.rubyBlockAfter(end);
      if (block) call.block = block;
    }
    return call;
  }

  /** Arguments between `from` and `to` (exclusive), split at top-level commas. */
  splitArgs(from: number, to: number): Arg[] {
    const args: Arg[] = [];
    let start = from;
    for (let i = from; i <= to; i++) {
      if (i < to && this.match[i] > i && this.match[i] < to) {
        i = this.match[i];
        continue;
      }
      if (i === to || this.code[i] === ',') {
        const arg = this.arg(start, i);
        if (arg) args.push(arg);
        start = i + 1;
      }
    }
    return args;
  }

  private arg(from: number, to: number): Arg | null {
    while (from < to && /\s/.test(this.code[from])) from++;
    while (to > from && /\s/.test(this.code[to - 1])) to--;
    if (from >= to) return null;
    const code = this.code.slice(from, to);
    const keyword =
      this.language === 'python' ? /^(\w+)\s*=(?!=)\s*/.exec(code)
      : this.language === 'ruby' ? /^(?:(\w+):(?!:)\s*|:(\w+)\s*=>\s*|(['"])(\w+)\3\s*=>\s*)/.exec(code)
      : null;
    if (keyword) {
      const key = keyword[1] ?? keyword[2] ?? keyword[4];
      const start = from + keyword[0].length;
      return { key, start, end: to, text: this.text.slice(start, to) };
    }
    return { start: from, end: to, text: this.text.slice(from, to) };
  }

  /**
   * Where a Ruby statement that starts at `from` ends: the first line break outside brackets whose
   * line does not continue (a trailing comma, backslash or operator), or a block or a modifier
   * (`do`, `{`, `if`, `unless`). Remembered for every position walked (`statementEnds`).
   */
  private rubyStatementEnd(from: number): number {
    const code = this.code;
    const known = (this.statementEnds ??= new Int32Array(code.length + 1).fill(-1));
    // The stretches of this scan's own level (bracketed arguments are jumped over).
    const visited: [number, number][] = [];
    let segment = from;
    let i = from;
    let end = code.length;
    while (i < code.length) {
      if (known[i] >= 0) {
        end = known[i];
        break;
      }
      const ch = code[i];
      if ((ch === '(' || ch === '[' || (ch === '{' && !this.isRubyBlockBrace(i))) && this.match[i] > i) {
        visited.push([segment, i + 1]);
        i = segment = this.match[i] + 1;
        continue;
      }
      if (ch === '{' || ((ch === ')' || ch === ']' || ch === '}') && this.match[i] < from)) {
        end = i;
        break;
      }
      if (ch === '\n') {
        const line = code.slice(lineStartBefore(code, i), i).trimEnd();
        if (!/(,|\\|=>|\|\||&&|[+\-*/(]|\b(?:and|or))$/.test(line)) {
          end = i;
          break;
        }
        i++;
        continue;
      }
      if ((ch === 'd' || ch === 'i' || ch === 'u') && /\s/.test(code[i - 1] ?? '')) {
        const word = /^(?:do|if|unless)\b/.exec(code.slice(i, i + 7));
        if (word) {
          end = i;
          break;
        }
      }
      i++;
    }
    visited.push([segment, i]);
    for (const [start, stop] of visited) known.fill(end, start, stop);
    while (end > from && /\s/.test(code[end - 1])) end--;
    return end;
  }

  /** A `{` that opens a block (`{ |t| … }` after a call), not a hash literal argument. */
  private isRubyBlockBrace(index: number): boolean {
    return /^\{\s*\|/.test(this.code.slice(index, index + 40));
  }

  /** A `do |x| … end` or `{ |x| … }` block starting after `from` on the same line. */
  private rubyBlockAfter(from: number): Call['block'] | undefined {
    const code = this.code;
    const head = /^[ \t]*(?:(do)\b|(\{))[ \t]*(?:\|\s*(\w+)[^|]*\|)?/.exec(code.slice(from, from + 200));
    if (!head) return undefined;
    const param = head[3];
    if (head[2]) {
      const open = from + head[0].indexOf('{');
      const close = this.match[open];
      return close > open ? { start: open + 1, end: close, ...(param ? { param } : {}) } : undefined;
    }
    const bodyStart = from + head[0].length;
    const end = this.rubyBlockEnds.get(from + head[0].indexOf('do')) ?? -1;
    return end < 0 ? undefined : { start: bodyStart, end, ...(param ? { param } : {}) };
  }

  /** The lines after the one holding `offset` that are indented deeper than it (a Python block). */
  pythonBlockAfter(offset: number): { start: number; end: number } {
    const code = this.code;
    const lineStart = lineStartBefore(code, offset);
    const indent = /^[ \t]*/.exec(code.slice(lineStart, lineStart + 200))![0].length;
    let lineEnd = code.indexOf('\n', offset);
    if (lineEnd < 0) return { start: code.length, end: code.length };
    const start = lineEnd + 1;
    let end = start;
    for (let at = start; at < code.length; ) {
      const next = code.indexOf('\n', at);
      const stop = next < 0 ? code.length : next;
      const line = code.slice(at, stop);
      if (/\S/.test(line)) {
        if (/^[ \t]*/.exec(line)![0].length <= indent) break;
        end = stop;
      }
      at = stop + 1;
    }
    lineEnd = end;
    return { start, end: lineEnd };
  }

  /** 0-based line and character of an offset (from the line starts: no scan back along a long line). */
  positionOf(offset: number): { line: number; character: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - this.lineStarts[low] };
  }
}

function lineStartBefore(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

/**
 * For each Ruby `do`, the `end` closing its block, in one pass with a stack of the keywords that
 * open something `end` closes (`if` and the like only where a statement starts: a trailing `if`
 * is a modifier and closes nothing).
 */
function matchRubyBlocks(code: string): Map<number, number> {
  const ends = new Map<number, number>();
  const opener = /(?:^|[=;(]|\bthen\b)[ \t]*(?:if|unless|while|until|case|begin|def|class|module)\b|\bdo\b|\bend\b/gm;
  const stack: number[] = [];
  for (const m of code.matchAll(opener)) {
    if (m[0] === 'end') {
      const open = stack.pop();
      if (open !== undefined && open >= 0 && code.startsWith('do', open)) ends.set(open, m.index);
    } else {
      stack.push(m[0] === 'do' ? m.index : -1);
    }
  }
  return ends;
}

/**
 * For each bracket of `code`, the index of its match (or -1), with one stack: unbalanced text costs
 * no rescans. A closer with no opener of its kind ends nothing; one that has one closes it, and the
 * openers left unclosed inside stay unmatched, so one stray bracket blinds only itself.
 */
function matchBrackets(code: string): Int32Array {
  const match = new Int32Array(code.length + 1).fill(-1);
  const stack: number[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  // How many of each opener the stack holds: a closer with none open is stray, found without a search.
  const open: Record<string, number> = { '(': 0, '[': 0, '{': 0 };
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '(' || ch === '[' || ch === '{') {
      stack.push(i);
      open[ch]++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      const opener = pairs[ch];
      if (open[opener] === 0) continue;
      // Openers left unclosed inside this pair (a call cut short by a broken string) stay unmatched,
      // so the brackets around them still pair up. Each opener is popped once: linear.
      let top = stack.pop()!;
      open[code[top]]--;
      while (code[top] !== opener) {
        top = stack.pop()!;
        open[code[top]]--;
      }
      match[top] = i;
      match[i] = top;
    }
  }
  return match;
}

/** Comments and string contents blanked with spaces (line breaks kept), and the string spans. */
export function lex(text: string, language: Language): { code: string; strings: StringSpan[] } {
  const strings: StringSpan[] = [];
  // The blanked stretches, in order (every one starts at or after the scan): the code is built from them at the end.
  const blanked: [number, number][] = [];
  const blank = (from: number, to: number) => {
    if (to > from) blanked.push([from, to]);
  };
  const n = text.length;
  let i = 0;
  let lineStart = true;
  // Heredocs whose bodies start on the next line: [tag, squiggly/dash] in order of appearance.
  const heredocs: { tag: string; span: StringSpan }[] = [];
  while (i < n) {
    const ch = text[i];
    if (ch === '\n') {
      i++;
      lineStart = true;
      if (heredocs.length) i = readHeredocs(i);
      continue;
    }
    const atLineStart = lineStart;
    if (ch !== ' ' && ch !== '\t') lineStart = false;
    // Comments.
    if ((ch === '#' && language !== 'js') || (ch === '/' && language === 'js' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (ch === '/' && language === 'js' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const stop = close < 0 ? n : close + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (language === 'ruby' && atLineStart && text.startsWith('=begin', i)) {
      const close = text.indexOf('\n=end', i);
      const stop = close < 0 ? n : close + 5;
      blank(i, stop);
      i = stop;
      continue;
    }
    // Strings.
    if (language === 'python' && (ch === '"' || ch === "'" || (STRING_PREFIX.has(ch) && isQuote(text[i + 1]) && !/\w/.test(text[i - 1] ?? '')) || (STRING_PREFIX.has(ch) && ch !== 'u' && ch !== 'U' && STRING_PREFIX.has(text[i + 1]) && text[i + 1] !== 'u' && text[i + 1] !== 'U' && isQuote(text[i + 2]) && !/\w/.test(text[i - 1] ?? '')))) {
      let q = i;
      while (text[q] !== '"' && text[q] !== "'") q++;
      const quote = text[q];
      const triple = text[q + 1] === quote && text[q + 2] === quote;
      const delimiter = triple ? quote.repeat(3) : quote;
      const contentStart = q + delimiter.length;
      const close = findClose(text, contentStart, delimiter, !triple);
      const contentEnd = close < 0 ? unclosedEnd(text, contentStart, !triple) : close;
      const end = close < 0 ? contentEnd : close + delimiter.length;
      strings.push({ start: i, end, contentStart, contentEnd, interpolated: /[fF]/.test(text.slice(i, q)) });
      blank(contentStart, contentEnd);
      i = end;
      continue;
    }
    if (ch === '"' || ch === "'" || (ch === '`' && language === 'js')) {
      const close = findClose(text, i + 1, ch, ch !== '`');
      const contentEnd = close < 0 ? unclosedEnd(text, i + 1, ch !== '`') : close;
      const end = close < 0 ? contentEnd : close + 1;
      const content = text.slice(i + 1, contentEnd);
      strings.push({ start: i, end, contentStart: i + 1, contentEnd, interpolated: (ch === '`' && content.includes('${')) || (ch === '"' && language === 'ruby' && content.includes('#{')) });
      blank(i + 1, contentEnd);
      i = end;
      continue;
    }
    if (language === 'ruby' && ch === '%' && /^%[qQ]?[(\[{<|!]/.test(text.slice(i, i + 3))) {
      const open = text[i + 1] === 'q' || text[i + 1] === 'Q' ? i + 2 : i + 1;
      const closer = ({ '(': ')', '[': ']', '{': '}', '<': '>' } as Record<string, string>)[text[open]] ?? text[open];
      const close = findPercentClose(text, open + 1, text[open], closer);
      const contentEnd = close < 0 ? n : close;
      const end = close < 0 ? n : close + 1;
      strings.push({ start: i, end, contentStart: open + 1, contentEnd, interpolated: text[i + 1] !== 'q' && text.slice(open + 1, contentEnd).includes('#{') });
      blank(open + 1, contentEnd);
      i = end;
      continue;
    }
    if (language === 'ruby' && ch === '<' && text[i + 1] === '<') {
      const heredoc = /^<<([~-]?)(['"]?)([A-Z_a-z]\w*)\2/.exec(text.slice(i, i + 80));
      if (heredoc && !/\w/.test(text[i - 1] ?? '') ) {
        const span: StringSpan = { start: i, end: i + heredoc[0].length, contentStart: -1, contentEnd: -1, interpolated: heredoc[2] !== "'" };
        strings.push(span);
        heredocs.push({ tag: heredoc[3], span });
        i += heredoc[0].length;
        continue;
      }
    }
    if (language === 'ruby' && ch === ':' && (text[i + 1] === '"' || text[i + 1] === "'") && text[i - 1] !== ':') {
      // A quoted symbol: the string that follows is read by the string branch above.
      i++;
      continue;
    }
    if (language === 'js' && ch === '/' && isRegexStart(text, i)) {
      const end = regexEnd(text, i + 1);
      if (end > 0) {
        blank(i + 1, end);
        i = end + 1;
        continue;
      }
    }
    i++;
  }
  strings.sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let copied = 0;
  for (const [from, to] of blanked) {
    const start = Math.max(from, copied);
    if (to <= start) continue;
    parts.push(text.slice(copied, start), text.slice(start, to).replace(/[^\r\n]/g, ' '));
    copied = to;
  }
  parts.push(text.slice(copied));
  return { code: parts.join(''), strings };

  /** Heredoc bodies pending from the line that ended before `from`: each runs to its tag's line. */
  function readHeredocs(from: number): number {
    let at = from;
    for (const { tag, span } of heredocs.splice(0)) {
      span.contentStart = at;
      let end = -1;
      for (let line = at; line < n; ) {
        const next = text.indexOf('\n', line);
        const stop = next < 0 ? n : next;
        if (text.slice(line, stop).trim() === tag) {
          end = line;
          at = next < 0 ? n : next + 1;
          break;
        }
        line = stop + 1;
      }
      if (end < 0) {
        span.contentEnd = n;
        blank(span.contentStart, n);
        return n;
      }
      span.contentEnd = end;
      blank(span.contentStart, end);
    }
    return at;
  }
}

/** Python's string prefixes (`r''`, `b''`, `f''`, `u''`, and pairs such as `rb''` without `u`). */
const STRING_PREFIX = new Set('rRbBuUfF');

function isQuote(ch: string | undefined): boolean {
  return ch === '"' || ch === "'";
}

/** Where an unclosed string ends: a one-line string at its line's end (as the language's parser recovers), others at the end of the text. */
function unclosedEnd(text: string, from: number, singleLine: boolean): number {
  const lineEnd = singleLine ? text.indexOf('\n', from) : -1;
  return lineEnd < 0 ? text.length : lineEnd;
}

/** The index of the closing delimiter, skipping escapes; a single-line string ends at a line break. */
function findClose(text: string, from: number, delimiter: string, singleLine: boolean): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (singleLine && ch === '\n') return -1;
    if (text.startsWith(delimiter, i)) return i;
  }
  return -1;
}

function findPercentClose(text: string, from: number, opener: string, closer: string): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === closer && --depth === 0) return i;
    if (ch === opener && opener !== closer) depth++;
  }
  return -1;
}

/** A `/` that starts a regular expression literal: after an operator, a bracket or a keyword. */
function isRegexStart(text: string, index: number): boolean {
  if (text[index + 1] === '/' || text[index + 1] === '*') return false;
  let k = index - 1;
  while (k >= 0 && (text[k] === ' ' || text[k] === '\t')) k--;
  if (k < 0) return true;
  const prev = text[k];
  if (/[(,=:[!&|?{};+\-*%<>~^]/.test(prev)) return true;
  return /\b(?:return|typeof|case|do|else|in|of)$/.test(text.slice(Math.max(0, k - 6), k + 1));
}

/** The `/` closing a regular expression literal on the same line, or -1. */
function regexEnd(text: string, from: number): number {
  let inClass = false;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') return -1;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    else if (ch === '/' && !inClass) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Values of arguments.

/**
 * The name an argument holds: a string literal without interpolation, a Ruby symbol, Alembic's
 * `op.f('name')`, a Python/JS identifier constant is not a name (null).
 */
export function nameOf(source: Source, arg: Arg | undefined): string | undefined {
  if (!arg) return undefined;
  let { start, end } = arg;
  let text = source.text.slice(start, end);
  const wrapped = /^(?:op\.f|sa\.text|text|quoted_name)\(\s*/.exec(text);
  if (wrapped && text.endsWith(')')) {
    start += wrapped[0].length;
    end -= 1;
    while (end > start && /\s/.test(source.text[end - 1])) end--;
    text = source.text.slice(start, end);
  }
  const symbol = /^:(\w+[?!]?)$/.exec(text);
  if (symbol) return symbol[1];
  if (text.startsWith(':') && source.stringAt(start + 1)) start++;
  const span = source.stringAt(start);
  if (span && span.end === end && !span.interpolated) return source.text.slice(span.contentStart, span.contentEnd);
  return undefined;
}

/** The names of a list argument (`[:a, :b]`, `%i[a b]`, `['a', 'b']`), or a single name as a list. */
export function namesOf(source: Source, arg: Arg | undefined): string[] | undefined {
  if (!arg) return undefined;
  const single = nameOf(source, arg);
  if (single !== undefined) return [single];
  const words = /^%[iIwW][([{<]([\w\s]*)[)\]}>]$/.exec(arg.text);
  if (words) return words[1].split(/\s+/).filter(Boolean);
  if (source.code[arg.start] === '[' || source.code[arg.start] === '(') {
    const close = source.closing(arg.start);
    if (close !== arg.end - 1) return undefined;
    const items = source.splitArgs(arg.start + 1, close);
    const names = items.map((item) => nameOf(source, item));
    return names.every((n): n is string => n !== undefined) ? names : undefined;
  }
  return undefined;
}

export function keyword(call: Call | { args: Arg[] }, key: string): Arg | undefined {
  return call.args.find((a) => a.key === key);
}

export function positional(call: Call | { args: Arg[] }): Arg[] {
  return call.args.filter((a) => a.key === undefined);
}

/** `true`/`True`, `false`/`False`, or undefined. */
export function boolOf(arg: Arg | undefined): boolean | undefined {
  if (!arg) return undefined;
  if (/^(?:true|True)$/.test(arg.text)) return true;
  if (/^(?:false|False)$/.test(arg.text)) return false;
  return undefined;
}

/** An argument that is itself a call (`models.CharField(max_length=10)`, `new TableIndex({…})`). */
export function callOf(source: Source, arg: Arg | undefined): Call | null {
  if (!arg) return null;
  const head = /^(?:new\s+)?([\w.]+)\s*\(/.exec(arg.text);
  if (!head) return null;
  const nameStart = arg.start + head[0].indexOf(head[1]);
  const call = source.callAt(nameStart, head[1]);
  return call && call.end === arg.end ? call : null;
}

/** The entries of a JavaScript object literal argument (`{ unique: true, fields: ['a'] }`), keyed by property name. */
export function objectOf(source: Source, arg: Arg | undefined): Map<string, Arg> | undefined {
  if (!arg || source.code[arg.start] !== '{' || source.closing(arg.start) !== arg.end - 1) return undefined;
  const entries = new Map<string, Arg>();
  for (const item of source.splitArgs(arg.start + 1, arg.end - 1)) {
    const property = /^(?:(\w+)|(['"])([^'"]*)\2)\s*:\s*/.exec(item.text);
    if (property) {
      const start = item.start + property[0].length;
      entries.set(property[1] ?? property[3], { key: property[1] ?? property[3], start, end: item.end, text: source.text.slice(start, item.end) });
    } else if (/^\w+$/.test(item.text)) {
      // Shorthand `{ transaction }`.
      entries.set(item.text, { key: item.text, ...item });
    }
  }
  return entries;
}

/** A JavaScript function argument: `(t) => { … }`, `t => …`, `function (t) { … }`: its first parameter and body. */
export function functionOf(arg: Arg | undefined): { param?: string; start: number; end: number } | undefined {
  if (!arg) return undefined;
  const head = /^(?:async\s+)?(?:function\s*\w*\s*\(\s*(\w+)?[^)]*\)\s*|\(\s*(\w+)?[^)]*\)\s*=>\s*|(\w+)\s*=>\s*)/.exec(arg.text);
  if (!head) return undefined;
  return { param: head[1] ?? head[2] ?? head[3], start: arg.start + head[0].length, end: arg.end };
}
