import type { SourceDocument } from '../../engine/document';
import type { Report } from '../../engine/types';
import type { SecretFact } from './analysis/scan';

/** How a secret is named in every output: kind, shown prefix, length, fingerprint; never the value. */
export function describeSecret(fact: SecretFact): string {
  const prefix = fact.shownPrefix ? `${fact.shownPrefix}…, ` : '';
  return `${prefix}${fact.length} ${fact.length === 1 ? 'character' : 'characters'}, fingerprint ${fact.fingerprint}`;
}

export function secretReport(doc: SourceDocument, fact: SecretFact, ruleId: string, message: string, fixes?: Report['fixes']): Report {
  return {
    message,
    range: doc.rangeOf(fact.start, fact.end),
    fingerprint: `${ruleId}:${fact.fingerprint}`,
    ...(fact.severity ? { severity: fact.severity } : {}),
    ...(fixes && fixes.length ? { fixes } : {}),
  };
}
