/**
 * Identifiers and secrets. Ids are random, URL-safe and sortable by creation time where that helps
 * (UUIDv7-like: 48-bit millisecond time + random). Secrets come from the CSPRNG only.
 */
import { randomBytes, randomUUID, timingSafeEqual, createHash } from 'node:crypto';

/** Time-ordered UUID (RFC 9562 §5.7, version 7). */
export function uuidv7(nowMs: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(nowMs, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export { randomUUID };

/** A URL-safe random token of `bytes` bytes of entropy (activation links, sessions). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A one-time password that satisfies the password rule of Điều 9.2.b (upper, lower, digit, special)
 * and avoids look-alike characters (0/O, 1/l/I) so that it can be read aloud or copied from paper.
 */
export function oneTimePassword(length = 14): string {
  const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const lower = 'abcdefghijkmnopqrstuvwxyz';
  const digits = '23456789';
  const special = '!@#%$*&';
  const all = upper + lower + digits;
  const pick = (set: string): string => set[randomBytes(4).readUInt32BE(0) % set.length]!;
  const chars = [pick(upper), pick(lower), pick(digits), pick(special)];
  while (chars.length < length) chars.push(pick(all));
  // Fisher-Yates with CSPRNG.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomBytes(4).readUInt32BE(0) % (i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Constant-time comparison of two strings (tokens, secrets). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
