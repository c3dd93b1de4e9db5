import type { Rule } from '../../engine/rule';
import { secretFileKind } from './analysis/fileKinds';
import { secretFindings, secretReports } from './findings';
import { describeSecret } from './report';

/** Well-known credential formats (GitHub, GitLab, Slack, Stripe, AWS, Google, Azure, npm, OpenAI, Anthropic, JWT...) anywhere in these files, decoded base64 included. */
export const knownTokenRule: Rule = {
  id: 'secret/known-token',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'A well-known token or API key format (GitHub, AWS, Slack, Stripe, Google, npm, OpenAI, JWT...) in a manifest, CI or .env file.',
  appliesTo: (relPath, text) => secretFileKind(relPath, text) !== null,
  async check(doc, ctx) {
    const found = await secretFindings(doc, ctx);
    return secretReports(doc, ctx, found, 'token', this.id, (fact) => ({ message: `${fact.kind} in ${fact.where} (${describeSecret(fact)}). Revoke it now, then load its replacement from a secret store.` }));
  },
};
