/**
 * PEM (and PGP) private-key blocks wherever they sit: YAML block scalars (indented), JSON strings
 * (escaped `\n`), quoted or concatenated lines, decoded base64. A key is identified by its base64
 * payload, so the same key raw in one file and base64-encoded in another fingerprints alike.
 */
const BEGIN = /-----BEGIN ((?:[A-Z0-9]+ ){0,4})PRIVATE KEY( BLOCK)?-----/g;
/** How far to look for the END marker; real keys are a few KB, so a missing END stays cheap. */
const MAX_BLOCK_CHARS = 64 * 1024;
/** A body shorter than any real key (the smallest EC keys have ~160 base64 chars) is an example. */
const MIN_KEY_BODY_CHARS = 64;

export interface PrivateKeyBlock {
  /** Offsets of the BEGIN marker. */
  start: number;
  markerEnd: number;
  kind: string;
  /** The key's base64 payload. */
  base64: string;
  encrypted: boolean;
}

export function privateKeyBlocks(text: string): PrivateKeyBlock[] {
  const blocks: PrivateKeyBlock[] = [];
  const begins = [...text.matchAll(BEGIN)];
  // One search for END markers across all blocks, and no body reaching past the next BEGIN, so a
  // line of BEGIN markers without END costs one pass, not one scan of the rest per marker.
  let endMarker = -1;
  let noMoreEnds = false;
  for (const [i, match] of begins.entries()) {
    const bodyStart = match.index + match[0].length;
    if (!noMoreEnds && endMarker < bodyStart) {
      endMarker = text.indexOf('-----END ', bodyStart);
      noMoreEnds = endMarker < 0;
    }
    const limit = Math.min(begins[i + 1]?.index ?? text.length, bodyStart + MAX_BLOCK_CHARS);
    const bodyEnd = endMarker >= 0 && endMarker <= limit ? endMarker : limit;
    const body = keyMaterial(text.slice(bodyStart, bodyEnd));
    if (body.base64.length < MIN_KEY_BODY_CHARS || body.elided) continue;
    const kind = keyKind(match[1].trim(), match[2] !== undefined);
    blocks.push({ start: match.index, markerEnd: bodyStart, kind, base64: body.base64, encrypted: kind === 'encrypted PKCS#8' || body.encryptedHeader });
  }
  return blocks;
}

function keyKind(label: string, pgp: boolean): string {
  if (pgp) return 'PGP';
  if (label === '') return 'PKCS#8';
  if (label === 'ENCRYPTED') return 'encrypted PKCS#8';
  return label;
}

/**
 * The base64 payload of a PEM body. Header lines such as `Proc-Type:` are not key material, and
 * the payload stops at the first line that is neither, so prose after a lone BEGIN marker is
 * never mistaken for a key.
 */
function keyMaterial(raw: string): { base64: string; elided: boolean; encryptedHeader: boolean } {
  const lines = raw.replace(/\\[nr]/g, '\n').split(/\r?\n/);
  let base64 = '';
  let encryptedHeader = false;
  let elided = false;
  for (const line of lines) {
    const content = stripQuoting(line);
    if (content === '') continue;
    if (/^[A-Za-z-]+:\s/.test(content)) {
      if (content.includes('ENCRYPTED')) encryptedHeader = true;
      continue;
    }
    if (/^(?:\.\.\.|…)$|\.\.\.$/.test(content)) elided = true;
    else if (!/^[A-Za-z0-9+/=]+$/.test(content)) break;
    base64 += content.replace(/[^A-Za-z0-9+/=]/g, '');
  }
  return { base64, elided, encryptedHeader };
}

const QUOTING = new Set([' ', '\t', '"', "'", '`', '+', ',', ';']);

/** Drops indentation, quotes and concatenation around a line (a loop, not a regex: no backtracking on long lines). */
function stripQuoting(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && QUOTING.has(line[start])) start++;
  while (end > start && QUOTING.has(line[end - 1])) end--;
  return line.slice(start, end);
}

/** `-----BEGIN` base64-encoded at the start of a value: a PEM block someone encoded. */
export const ENCODED_PEM_MARKER = 'LS0tLS1CRUdJTi';
