import { createHash } from 'node:crypto';

/**
 * A short, one-way label for a value, so two findings of the same secret can be matched without
 * either showing it. Eight hex digits of SHA-256 reveal nothing usable about a high-entropy secret.
 */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}
