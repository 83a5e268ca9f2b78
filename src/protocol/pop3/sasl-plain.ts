/**
 * SASL for POP3 (RFC 5034): strict base64 and the PLAIN mechanism (RFC 4616).
 *
 *   message = [authzid] NUL authcid NUL passwd      (RFC 4616 §2)
 *
 * Base64 must be canonical: no whitespace, padding present, unused bits zero (so one byte string
 * has one encoding). The three fields are UTF-8. authcid and passwd must not be empty. An authzid
 * is accepted only when it is empty or names the authcid itself (compared without regard to case):
 * Congthu has no proxy sign-in, so acting as someone else is refused (catalogue AUTH-05).
 * A client cancels an exchange with "*" (RFC 5034 §4); that is recognised by `isSaslCancel`.
 */

export type SaslPlainResult =
  | { ok: true; authcid: string; password: string }
  | { ok: false; reason: 'bad-base64' | 'malformed' | 'authzid-mismatch' };

/** Longest SASL response line we accept: a 1024-octet password and names, base64-encoded. */
export const MAX_SASL_LINE_OCTETS = 2048;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** Decode strict base64, or null when `text` is not canonical base64. */
export function decodeBase64Strict(text: string): Buffer | null {
  const n = text.length;
  if (n % 4 !== 0) return null;
  let pad = 0;
  if (n > 0 && text.charCodeAt(n - 1) === 0x3d) pad = text.charCodeAt(n - 2) === 0x3d ? 2 : 1;
  for (let i = 0; i < n - pad; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || VALUE[c]! < 0) return null;
  }
  if (pad > 0) {
    const last = VALUE[text.charCodeAt(n - pad - 1)]!;
    if (pad === 2 && (last & 0x0f) !== 0) return null;
    if (pad === 1 && (last & 0x03) !== 0) return null;
  }
  return Buffer.from(text, 'base64');
}

export function isSaslCancel(line: string): boolean {
  return line === '*';
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeSaslPlain(base64: string): SaslPlainResult {
  const raw = decodeBase64Strict(base64);
  if (raw === null) return { ok: false, reason: 'bad-base64' };
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const fields = text.split('\u0000');
  if (fields.length !== 3) return { ok: false, reason: 'malformed' };
  const [authzid, authcid, password] = fields as [string, string, string];
  if (authcid === '' || password === '') return { ok: false, reason: 'malformed' };
  if (authzid !== '' && authzid.normalize('NFC').toLowerCase() !== authcid.normalize('NFC').toLowerCase())
    return { ok: false, reason: 'authzid-mismatch' };
  return { ok: true, authcid, password };
}

/** The client's side of PLAIN, for tests and tools. */
export function encodeSaslPlain(authcid: string, password: string, authzid = ''): string {
  return Buffer.from(`${authzid}\u0000${authcid}\u0000${password}`, 'utf8').toString('base64');
}
