import type { Rule } from '../../engine/rule';
import { secretFileKind } from './analysis/fileKinds';
import { secretFacts } from './analysis/scan';
import { describeSecret, secretReport } from './report';

/** Well-known credential formats (GitHub, GitLab, Slack, Stripe, AWS, Google, Azure, npm, OpenAI, Anthropic, JWT...) anywhere in these files. */
export const knownTokenRule: Rule = {
  id: 'secret/known-token',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'A well-known token or API key format (GitHub, AWS, Slack, Stripe, Google, npm, OpenAI, JWT...) in a manifest, CI or .env file.',
  appliesTo: (relPath, text) => secretFileKind(relPath, text) !== null,
  check(doc) {
    return secretFacts(doc)
      .filter((fact) => fact.category === 'token')
      .map((fact) => secretReport(doc, fact, this.id, `${fact.kind} in plain text (${describeSecret(fact)}). Revoke it now, then load its replacement from a secret store.`));
  },
};
