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
