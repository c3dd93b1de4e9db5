import { createHash } from 'node:crypto';
import type { Finding } from '../../engine/types';

/**
 * Identity of a finding that does not change when lines move. It hashes the rule's own fingerprint
 * when it has one (secret rules fingerprint the secret one-way), else the message: never the line's
 * text, which may hold a secret.
 */
export function findingFingerprint(finding: Finding): string {
  return createHash('sha256').update(`${finding.ruleId}\0${finding.file}\0${finding.fingerprint ?? finding.message}`).digest('hex').slice(0, 32);
}
