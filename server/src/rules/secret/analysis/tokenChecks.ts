/**
 * Structure that providers document inside their tokens, checked offline: a checksum (GitHub, npm,
 * Grafana), a Bech32 encoding (age), an encoded header (JWT, Sentry, Grafana Cloud, 1Password).
 * A value of the right shape that fails its check is not that provider's token: a made-up example,
 * a truncated copy, a string that only looks alike.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib and Go's crc32.ChecksumIEEE) of an ASCII string. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(value: number, width: number): string {
  let out = '';
  for (let n = value; n > 0; n = Math.floor(n / 62)) out = BASE62[n % 62] + out;
  return out.padStart(width, '0');
}

/**
 * GitHub's token format (`ghp_` and friends, 2021) and npm's (`npm_`, the same design): 30 random
 * base62 characters, then the CRC-32 of those 30 in base62, zero-padded to 6.
 */
export function hasBase62Checksum(token: string): boolean {
  const body = token.slice(token.indexOf('_') + 1);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/** Grafana service-account tokens: `glsa_<32>_<8 hex>`, the hex the CRC-32 of `glsa_<32>` in little-endian byte order. */
export function hasGrafanaChecksum(token: string): boolean {
  const cut = token.lastIndexOf('_');
  const crc = crc32(token.slice(0, cut));
  const littleEndian = [crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return littleEndian === token.slice(cut + 1).toLowerCase();
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** A Bech32 string (BIP 173) whose checksum holds, case-insensitively: age secret keys are Bech32 with the `age-secret-key-` prefix. */
export function isBech32(value: string): boolean {
  const lower = value.toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || lower.length - separator < 7) return false;
  const values: number[] = [];
  for (const ch of lower.slice(separator + 1)) {
    const v = BECH32.indexOf(ch);
    if (v < 0) return false;
    values.push(v);
  }
  const hrp = lower.slice(0, separator);
  const expanded = [...[...hrp].map((ch) => ch.charCodeAt(0) >> 5), 0, ...[...hrp].map((ch) => ch.charCodeAt(0) & 31)];
  return bech32Polymod([...expanded, ...values]) === 1;
}

/** BIP 173's checksum function over 5-bit values (the expanded prefix, then the data). */
export function bech32Polymod(values: number[]): number {
  const generators = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= generators[i];
  }
  return chk >>> 0;
}

/** Standard or URL-safe base64, padded or not, decoded as bytes; null when it is not base64. */
export function base64Bytes(value: string): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(value) || value.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** The JSON object a base64 segment encodes (a JWT header, a Sentry or Grafana Cloud token's payload), or null. */
export function base64Json(value: string): Record<string, unknown> | null {
  const bytes = base64Bytes(value);
  if (!bytes) return null;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
