/**
 * Strict base64 for SASL exchanges (RFC 9051 §6.2.2, §9):
 *   base64          = *(4base64-char) [base64-terminal]
 *   base64-char     = ALPHA / DIGIT / "+" / "/"
 *   base64-terminal = (2base64-char "==") / (3base64-char "=")
 * No whitespace, padding required, and the unused bits of the last group must be zero, so that
 * every byte string has exactly one accepted encoding.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** Decode `bytes` (ASCII base64) or return null when it is not strictly valid. */
export function decodeBase64Strict(bytes: Uint8Array): Uint8Array | null {
  const n = bytes.length;
  if (n % 4 !== 0) return null;
  let pad = 0;
  if (n > 0 && bytes[n - 1] === 0x3d) pad = bytes[n - 2] === 0x3d ? 2 : 1;
  for (let i = 0; i < n - pad; i++) {
    const c = bytes[i]!;
    if (c >= 128 || VALUE[c]! < 0) return null;
  }
  if (pad > 0) {
    const last = VALUE[bytes[n - pad - 1]!]!;
    if (pad === 2 && (last & 0x0f) !== 0) return null;
    if (pad === 1 && (last & 0x03) !== 0) return null;
  }
  const buf = Buffer.from(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1'),
    'base64',
  );
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

export function encodeBase64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.length).toString('base64');
}
