import { namesAround } from '../tokenContext';

/**
 * A credential format, written from the provider's documentation of its tokens. Every regex is
 * anchored on a literal prefix or a word boundary and repeats only bounded character classes, so it
 * stays linear on any line (test/robustness/regexCases.ts proves it); a cheap keyword test, case
 * insensitive, runs before it.
 */
export interface TokenPattern {
  kind: string;
  /** A prefix that names the kind and may be shown (e.g. `ghp_`); never more of the value. */
  shownPrefix: (value: string) => string;
  keywords: string[];
  regex: RegExp;
  /** Capture group holding the secret when the match includes a label around it. */
  group?: number;
  /** Identifiers that are half a credential, and test-mode keys, are reported one level lower. */
  severity?: 'warning';
  /** Structure the provider documents (a checksum, an encoded header): a match without it is not this token. */
  verify?: (value: string) => boolean;
  /**
   * Where the value must sit to be this token: formats without a prefix of their own are known by
   * the names around them (a Datadog API key is 32 hex digits under a Datadog name), and public
   * identifiers are quiet where they are public by design (a Firebase web API key).
   */
  where?: (context: TokenContext) => boolean;
}

export interface TokenContext {
  text: string;
  value: string;
  start: number;
  end: number;
  /** The key on the value's line, its env entry's `name`, and the keys of the blocks it is in. */
  names(): string[];
}

export function tokenContext(text: string, value: string, start: number, end: number): TokenContext {
  let names: string[] | undefined;
  return { text, value, start, end, names: () => (names ??= namesAround(text, start)) };
}

/** The first of `prefixes` the value starts with: what a prefixed format shows of a value. */
export const startsWith = (...prefixes: string[]) => (value: string) => prefixes.find((prefix) => value.startsWith(prefix)) ?? '';

export const nothingShown = () => '';

/** The label a value follows (`AccountKey=`), shown as what names the kind. */
export const label = (text: string) => () => text;

/**
 * Each pattern matches one of the names around the value: `named(/datadog/i, /api.?key/i)` holds for
 * `DD_DATADOG_API_KEY=` on the line and for `apiKey:` under `datadog:`.
 */
export const named = (...patterns: RegExp[]) => (context: TokenContext) => patterns.every((pattern) => context.names().some((name) => pattern.test(name)));

/** `pattern` occurs within `distance` characters before or after the value. */
export function near(pattern: RegExp, distance: number) {
  return (context: TokenContext) => pattern.test(context.text.slice(Math.max(0, context.start - distance), context.end + distance));
}

/** A value with upper- and lower-case letters and digits: random, not a word, a hash or a number. */
export function mixedCase(value: string): boolean {
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
}
