import { AI_FORMATS } from './formats/ai';
import { CHAT_FORMATS } from './formats/chat';
import { CLOUD_FORMATS } from './formats/cloud';
import { OBSERVABILITY_FORMATS } from './formats/observability';
import { tokenContext, type TokenPattern } from './formats/pattern';
import { PAYMENT_FORMATS } from './formats/payment';
import { PLATFORM_FORMATS } from './formats/platforms';
import { REGISTRY_FORMATS } from './formats/registries';
import { VCS_FORMATS } from './formats/vcs';

export type { TokenPattern } from './formats/pattern';

/**
 * Well-known credential formats, written here from each provider's documentation of its tokens
 * rather than taken from a detector library: secretlint 13 (and its recommended preset) requires
 * Node 22, the extension must run on Node 20, and gitleaks is Go. A format is checked the way its
 * provider documents it (GitHub's and npm's CRC-32, Grafana's, age's Bech32, a JWT's header),
 * documentation values are recognised as such, and public identifiers are quiet where they are
 * public by design (docs/rules/secret/known-token.md lists every format and decision).
 */
export const TOKEN_PATTERNS: TokenPattern[] = [
  ...CLOUD_FORMATS,
  ...VCS_FORMATS,
  ...REGISTRY_FORMATS,
  ...CHAT_FORMATS,
  ...PAYMENT_FORMATS,
  ...OBSERVABILITY_FORMATS,
  ...AI_FORMATS,
  ...PLATFORM_FORMATS,
];

const LOWER_KEYWORDS = new Map(TOKEN_PATTERNS.map((pattern) => [pattern, pattern.keywords.map((keyword) => keyword.toLowerCase())]));
/** Every keyword once, longest first: what the scan below tries at each place. */
const ALL_KEYWORDS = [...new Set([...LOWER_KEYWORDS.values()].flat())].sort((a, b) => b.length - a.length);
/**
 * Each keyword's occurrence at a place of the text, one scan for all of them (a lookahead, so the
 * scan tries every place, overlapping occurrences included); a place reports its longest keyword,
 * which stands for the keywords inside it too (`WITHIN`). Over the 4,000 messages of a saleor
 * check, a sixth of the time the 211 `includes` of each text took.
 */
const KEYWORD_AT = new RegExp(`(?=(${ALL_KEYWORDS.map((keyword) => keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}))`, 'g');
const WITHIN = new Map(ALL_KEYWORDS.map((keyword) => [keyword, ALL_KEYWORDS.filter((other) => keyword.includes(other))]));

/** The keywords the lowercased text holds. */
export function keywordsIn(lower: string): Set<string> {
  const present = new Set<string>();
  KEYWORD_AT.lastIndex = 0;
  for (let match = KEYWORD_AT.exec(lower); match; match = KEYWORD_AT.exec(lower)) {
    for (const keyword of WITHIN.get(match[1])!) present.add(keyword);
    KEYWORD_AT.lastIndex = match.index + 1;
  }
  return present;
}

export interface TokenMatch {
  pattern: TokenPattern;
  start: number;
  end: number;
  value: string;
}

/**
 * Every well-known token in the text, each once: where two formats match overlapping text (a
 * Google API key inside a Google Chat webhook URL) the longer match names it.
 */
export function findTokens(text: string): TokenMatch[] {
  const present = keywordsIn(text.toLowerCase());
  if (present.size === 0) return [];
  const matches: TokenMatch[] = [];
  for (const pattern of TOKEN_PATTERNS) {
    if (!LOWER_KEYWORDS.get(pattern)!.some((keyword) => present.has(keyword))) continue;
    pattern.regex.lastIndex = 0;
    for (const match of text.matchAll(pattern.regex)) {
      const value = pattern.group ? match[pattern.group] : match[0];
      const start = match.index + (pattern.group ? match[0].lastIndexOf(value) : 0);
      const end = start + value.length;
      if (isDocumentationValue(value, pattern) || (pattern.verify && !pattern.verify(value))) continue;
      if (pattern.where && !pattern.where(tokenContext(text, value, start, end))) continue;
      matches.push({ pattern, start, end, value });
    }
  }
  return withoutOverlaps(matches);
}

function withoutOverlaps(matches: TokenMatch[]): TokenMatch[] {
  if (matches.length < 2) return matches;
  const byPosition = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: TokenMatch[] = [];
  for (const match of byPosition) {
    const previous = kept.at(-1);
    if (previous && match.start < previous.end) {
      if (match.end - match.start > previous.end - previous.start) kept[kept.length - 1] = match;
      continue;
    }
    kept.push(match);
  }
  return kept;
}

/**
 * Values the providers publish in their documentation, and their emulators' well-known keys.
 * Anyone can read them, so they protect nothing and reporting them only teaches people to ignore
 * the rule.
 */
const DOCUMENTED_VALUES = new Set([
  // Azurite and the Azure Storage Emulator: the account key of `devstoreaccount1`.
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  // Stripe's API reference, in every code sample of its test mode.
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  'sk_test_BQokikJOvBiI2HlWgH4olfQ2',
]);

const PLACEHOLDER_WORDS = /example|sample|dummy|placeholder|redacted|changeme|notreal|fake|foobar|yourtoken|yourkey|insert/i;

/**
 * Documentation and placeholder tokens: AWS's `…EXAMPLE` keys, published documentation values,
 * and bodies that a random generator does not produce: a few distinct characters (`ghp_xxxx…`), a
 * run of one character or an alphabet run (`012345678`, `abcdefgh`), a placeholder word.
 */
function isDocumentationValue(value: string, pattern: TokenPattern): boolean {
  if (DOCUMENTED_VALUES.has(value) || /EXAMPLE/.test(value)) return true;
  const prefix = pattern.shownPrefix(value);
  const body = value.startsWith(prefix) ? value.slice(prefix.length) : value;
  if (body.length >= 16 && new Set(body).size < 6) return true;
  return PLACEHOLDER_WORDS.test(body) || /(.)\1{5}/.test(body) || hasAlphabetRun(body, 8);
}

const ALPHABETS = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];

function hasAlphabetRun(body: string, length: number): boolean {
  let run = 1;
  for (let i = 1; i < body.length; i++) {
    const ascending = body.charCodeAt(i) === body.charCodeAt(i - 1) + 1 && ALPHABETS.some((alphabet) => alphabet.includes(body[i]) && alphabet.includes(body[i - 1]));
    run = ascending ? run + 1 : 1;
    if (run >= length) return true;
  }
  return false;
}
