import { fingerprint } from '../../engine/fingerprint';
import type { Rule } from '../../engine/rule';
import type { Report } from '../../engine/types';
import type { SecretFact } from './analysis/facts';
import { secretContext, secretFileKind } from './analysis/fileKinds';
import { ENCODED_PEM_MARKER, privateKeyBlocks } from './analysis/pem';
import { secretFindings, secretReports } from './findings';
import { describeSecret } from './report';

/**
 * A PEM (or PGP) private-key block in any text file, and base64-encoded ones in the files the
 * secret rules read (a `tls.key` in Secret `data`, `keyBase64:` in Helm values): in a repository
 * every clone, fork and CI log has it, so it must be rotated and loaded from a secret store
 * instead. The report names the key type, its length and a fingerprint, never any of its
 * characters. Keys in test code are test fixtures, reported apart (secret.testAndDevelopment).
 */
export const privateKeyRule: Rule = {
  id: 'secret/private-key',
  area: 'secret',
  defaultSeverity: 'error',
  description: 'A PEM private-key block committed in a text file, as it is or base64-encoded.',
  appliesTo: (relPath, text) => text.includes('PRIVATE KEY') || (text.includes(ENCODED_PEM_MARKER) && secretFileKind(relPath, text) !== null),
  async check(doc, ctx) {
    const kind = secretFileKind(doc.relPath, doc.text);
    const found = kind ? await secretFindings(doc, ctx) : { facts: [], index: undefined, occurrences: undefined };
    // Blocks in the text itself, in any file: facts of their own, reported like the decoded ones.
    const context = secretContext(doc.relPath, doc.text, kind);
    const blocks: SecretFact[] = privateKeyBlocks(doc.text).map((block) => ({
      category: 'private-key',
      start: block.start,
      end: block.markerEnd,
      where: '',
      kind: block.encrypted ? `${block.kind} (encrypted)` : block.kind,
      shownPrefix: '',
      length: block.base64.length,
      fingerprint: fingerprint(block.base64),
      fileKind: kind ?? 'other-config',
      context,
    }));
    const all = { ...found, facts: [...blocks, ...found.facts] };
    return secretReports(doc, ctx, all, 'private-key', this.id, (fact): { message: string } => ({
      message: fact.where
        ? `Private key committed base64-encoded in ${fact.where} (${fact.kind} key, ${describeSecret(fact)}): base64 is encoding, not encryption. Remove it, rotate it, and load it from a secret store at run time.`
        : `Private key committed in plain text (${fact.kind.replace(' (encrypted)', '')} key, ${fact.length} characters, fingerprint ${fact.fingerprint})${fact.kind.endsWith('(encrypted)') ? ', encrypted, but its passphrase is then its only protection' : ''}. Remove it, rotate it, and load it from a secret store at run time.`,
    })) satisfies Report[];
  },
};
