import { fingerprint } from '../../engine/fingerprint';
import type { SecretFact } from './analysis/facts';
import { findTokens } from './analysis/tokens';

/** How a secret is named in every output: kind, shown prefix, length, fingerprint; never the value. */
export function describeSecret(fact: Pick<SecretFact, 'shownPrefix' | 'length' | 'fingerprint'>): string {
  const prefix = fact.shownPrefix ? `${fact.shownPrefix}…, ` : '';
  return `${prefix}${fact.length} ${fact.length === 1 ? 'character' : 'characters'}, fingerprint ${fact.fingerprint}`;
}

/**
 * Text DeployRisk shows that came from the workspace (a message quoting a YAML key or a flag key,
 * an inventory entry), with every well-known token in it named as a secret value is: kind, shown
 * prefix, length and fingerprint. The token formats are the ones secret/known-token reports.
 */
export function redactTokens(text: string): string {
  const known = redactedTexts.get(text);
  if (known !== undefined) return known;
  const shown = redactedText(text);
  if (text.length <= REMEMBERED_LENGTH) {
    redactedTexts.set(text, shown);
    if (redactedTexts.size > REMEMBERED_TEXTS) redactedTexts.delete(redactedTexts.keys().next().value!);
  }
  return shown;
}

/**
 * Redactions already made, by text: every keystroke in a migration shows its few hundred messages
 * (and fix titles) again, nearly all the same as the keystroke before, and looking each for tokens
 * took about a tenth of the keystroke. Bounded, first in first out (moving each hit to the back
 * cost more than the lookup: the messages are the same from one keystroke to the next).
 */
const redactedTexts = new Map<string, string>();
const REMEMBERED_TEXTS = 4096;
const REMEMBERED_LENGTH = 4096;

function redactedText(text: string): string {
  const tokens = findTokens(text).sort((a, b) => a.start - b.start);
  if (tokens.length === 0) return text;
  let shown = '';
  let at = 0;
  for (const token of tokens) {
    // Two formats can match one span (a JWT inside a longer token): the first one names it.
    if (token.start < at) continue;
    const described = describeSecret({ shownPrefix: token.pattern.shownPrefix(token.value), length: token.value.length, fingerprint: fingerprint(token.value) });
    shown += `${text.slice(at, token.start)}[${token.pattern.kind}: ${described}]`;
    at = token.end;
  }
  return shown + text.slice(at);
}
