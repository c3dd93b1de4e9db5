/**
 * PostgreSQL's lexical rules (src/backend/parser/scan.l) in JavaScript: the tokens of a SQL text,
 * comments included, with UTF-16 offsets, as libpg-query's `scanSync` gives them. Written here
 * because the scanner of the WASM build answers in JSON (each token with its type and keyword
 * names) and that costs three to five times the parse of the same text: a third of checking 2,000
 * migrations, and most of a keystroke in a 500-statement one. No JavaScript library follows
 * PostgreSQL's rules (nested comments, dollar quotes, string continuation across lines, the
 * operator rules); a differential test holds this one to `scanSync` (`test/unit/sqlLexer.test.ts`).
 *
 * Throws where PostgreSQL's scanner fails (an unterminated string, identifier, comment or dollar
 * quote; trailing junk after a number; a zero-length quoted identifier).
 */
export interface SqlToken {
  start: number;
  end: number;
}

export class SqlLexError extends Error {}

const OP_CHARS = new Set([...'~!@#^&|`?+-*/%<>=']);
/** Characters whose presence keeps a trailing `+` or `-` in an operator (`@-` stays, `+-` splits). */
const KEEPS_SIGN = new Set([...'~!@#^&|`?%']);

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
// PostgreSQL's horizontal space is space, tab and form feed (not the vertical tab).
const isHorizontalSpace = (c: number) => c === 32 || c === 9 || c === 12;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isIdentCont = (c: number) => isIdentStart(c) || isDigit(c) || c === 36;
const isDollarCont = (c: number) => isIdentStart(c) || isDigit(c);

export function lexSql(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const n = text.length;
  const at = (i: number) => (i < n ? text.charCodeAt(i) : -1);
  let run: OperatorRun | undefined;
  let i = 0;
  while (i < n) {
    const c = at(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === 45 && at(i + 1) === 45) i = lineCommentEnd(text, i);
    else if (c === 47 && at(i + 1) === 42) i = blockCommentEnd(text, i);
    else if (c === 39) i = stringEnd(text, i + 1, false);
    else if ((c === 69 || c === 101) && at(i + 1) === 39) i = stringEnd(text, i + 2, true);
    else if ((c === 66 || c === 98 || c === 88 || c === 120) && at(i + 1) === 39) i = stringEnd(text, i + 2, false);
    // N'…' is the keyword NATIONAL and a string: two tokens.
    else if ((c === 78 || c === 110) && at(i + 1) === 39) i++;
    else if ((c === 85 || c === 117) && at(i + 1) === 38 && at(i + 2) === 39) i = stringEnd(text, i + 3, false);
    else if ((c === 85 || c === 117) && at(i + 1) === 38 && at(i + 2) === 34) i = quotedIdentifierEnd(text, i + 3);
    else if (c === 34) i = quotedIdentifierEnd(text, i + 1);
    else if (c === 36) i = dollarEnd(text, i);
    else if (isIdentStart(c)) {
      i++;
      while (isIdentCont(at(i))) i++;
    } else if (isDigit(c) || (c === 46 && isDigit(at(i + 1)))) i = numberEnd(text, i);
    else if (c === 58 && (at(i + 1) === 58 || at(i + 1) === 61)) i += 2;
    else if (c === 46 && at(i + 1) === 46) i += 2;
    else if (OP_CHARS.has(text[i])) {
      if (!run || i >= run.limit) run = operatorRun(text, i);
      i = operatorEnd(text, i, run);
    }
    // Self characters that are no operator characters (`,` `(` `.` `;` `:`…) and anything else: one character.
    else i++;
    tokens.push({ start, end: i });
  }
  return tokens;
}

function lineCommentEnd(text: string, from: number): number {
  let i = from + 2;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function blockCommentEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length - 1; i++) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i++;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  throw new SqlLexError('unterminated /* comment');
}

/**
 * The end of a quoted string whose content starts at `from`: `''` is a quote, and so is `\'` in
 * an E string. Strings separated only by whitespace holding a line break are one (`'a'` ⏎ `'b'`).
 */
function stringEnd(text: string, from: number, backslashes: boolean): number {
  let i = from;
  for (;;) {
    if (i >= text.length) throw new SqlLexError('unterminated quoted string');
    const ch = text[i];
    if (backslashes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch !== "'") {
      i++;
      continue;
    }
    if (text[i + 1] === "'") {
      i += 2;
      continue;
    }
    const continued = continuation(text, i + 1);
    if (continued < 0) return i + 1;
    i = continued + 1;
  }
}

/** Where the string continues (the offset of its next opening quote), or -1: only whitespace holding a line break may come between (no comment). */
function continuation(text: string, from: number): number {
  let i = from;
  let newline = false;
  for (;;) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    if (c === 10 || c === 13) newline = true;
    else if (!(newline ? isSpace(c) : isHorizontalSpace(c))) return newline && c === 39 ? i : -1;
    i++;
  }
}

function quotedIdentifierEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close < 0) throw new SqlLexError('unterminated quoted identifier');
    if (text[close + 1] === '"') {
      i = close + 2;
      continue;
    }
    if (close === from) throw new SqlLexError('zero-length delimited identifier');
    return close + 1;
  }
}

/** `$1`, `$$…$$`, `$tag$…$tag$`, or a lone `$`. */
function dollarEnd(text: string, from: number): number {
  let i = from + 1;
  if (isDigit(text.charCodeAt(i))) {
    while (isDigit(text.charCodeAt(i))) i++;
    return i;
  }
  if (isIdentStart(text.charCodeAt(i))) {
    while (isDollarCont(text.charCodeAt(i))) i++;
  }
  if (text[i] !== '$') return from + 1;
  const delimiter = text.slice(from, i + 1);
  const close = text.indexOf(delimiter, i + 1);
  if (close < 0) throw new SqlLexError('unterminated dollar-quoted string');
  return close + delimiter.length;
}

function numberEnd(text: string, from: number): number {
  const at = (i: number) => (i < text.length ? text.charCodeAt(i) : -1);
  const digits = (i: number, accepts: (c: number) => boolean): number => {
    if (!accepts(at(i))) return i;
    i++;
    while (accepts(at(i)) || (at(i) === 95 && accepts(at(i + 1)))) i += at(i) === 95 ? 2 : 1;
    return i;
  };
  let i = from;
  const radix = at(i) === 48 ? String.fromCharCode(at(i + 1)).toLowerCase() : '';
  const radixDigit = radix === 'x' ? (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) : radix === 'o' ? (c: number) => c >= 48 && c <= 55 : radix === 'b' ? (c: number) => c === 48 || c === 49 : undefined;
  if (radixDigit) {
    // `0x` and its digits (an underscore may come first); without digits the `x` is trailing junk.
    const first = at(i + 2) === 95 ? i + 3 : i + 2;
    const end = digits(first, radixDigit);
    if (end === first) throw new SqlLexError('trailing junk after numeric literal');
    i = end;
  } else {
    i = digits(i, isDigit);
    // `1..10`: the integer, then `..`.
    if (at(i) === 46 && at(i + 1) !== 46) i = digits(i + 1, isDigit);
    if (at(i) === 69 || at(i) === 101) {
      const sign = at(i + 1) === 43 || at(i + 1) === 45 ? 1 : 0;
      if (isDigit(at(i + 1 + sign))) i = digits(i + 1 + sign, isDigit);
      else throw new SqlLexError('trailing junk after numeric literal');
    }
  }
  if (isIdentStart(at(i))) throw new SqlLexError('trailing junk after numeric literal');
  return i;
}

/**
 * A run of operator characters, read once: where it ends, where a comment cuts it (`--`, `/*`
 * inside it), where its trailing signs start, and where its sign-keeping characters are. Every
 * operator the run is split into is taken from it; reading the rest of the run again for each
 * (as flex does) made a line of 50,000 `+` take minutes.
 */
interface OperatorRun {
  start: number;
  /** The run's end, or the start of the comment that cuts it. */
  limit: number;
  /** Where the `+`/`-` characters ending the run (up to the limit) start. */
  signsFrom: number;
  /** Offsets of `~!@#^&|\`?%` in the run, ascending, and the next one to look at. */
  keeps: number[];
  next: number;
}

function operatorRun(text: string, from: number): OperatorRun {
  let end = from;
  const keeps: number[] = [];
  while (end < text.length && OP_CHARS.has(text[end])) {
    // A comment start inside the run ends it (the lexer reads comments before operators, so none starts the run).
    if (end > from && ((text[end - 1] === '-' && text[end] === '-') || (text[end - 1] === '/' && text[end] === '*'))) {
      end--;
      break;
    }
    if (KEEPS_SIGN.has(text[end])) keeps.push(end);
    end++;
  }
  let signsFrom = end;
  while (signsFrom > from && (text[signsFrom - 1] === '+' || text[signsFrom - 1] === '-')) signsFrom--;
  return { start: from, limit: end, signsFrom, keeps, next: 0 };
}

/**
 * The end of the operator starting at `from` in its run: up to the run's limit, less its trailing
 * signs unless a sign-keeping character comes before them (`@-` stays, `+-` splits), one character
 * at least.
 */
function operatorEnd(text: string, from: number, run: OperatorRun): number {
  const end = run.limit;
  if (end - from <= 1 || (text[end - 1] !== '+' && text[end - 1] !== '-')) return Math.max(end, from + 1);
  while (run.next < run.keeps.length && run.keeps[run.next] < from) run.next++;
  if (run.next < run.keeps.length && run.keeps[run.next] <= end - 2) return end;
  return Math.max(run.signsFrom, from + 1);
}
