/**
 * Mailbox names on the wire: modified UTF-7 (RFC 3501 §5.1.3, RFC 9051 Appendix A.1) for
 * IMAP4rev1 sessions, UTF-8 once UTF8=ACCEPT is enabled (RFC 6855 §3) or under IMAP4rev2.
 *
 * Modified UTF-7, as the RFC states it:
 *   - printable US-ASCII 0x20–0x7E except "&" stands for itself; "&" is written "&-";
 *   - everything else is UTF-16BE in modified BASE64 ("," instead of "/", no "=" padding),
 *     between "&" and "-";
 *   - modified BASE64 MUST NOT encode a printable US-ASCII character;
 *   - there is no implicit shift back, and null shifts ("-&" starting another BASE64 run) are
 *     not permitted; a name ends in US-ASCII.
 *
 * Decoding is strict: every violation is an error, never decoded leniently
 * (reliability-security.md IMAP-07). So `encode(decode(x)) === x` for every valid `x`: a name has
 * exactly one wire form, and two different wire forms never name the same mailbox.
 */
import { invalid } from '../../util/errors.ts';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

const isDirect = (c: number): boolean => c >= 0x20 && c <= 0x7e;

/** Encode a Unicode mailbox name in modified UTF-7. Lone surrogates become U+FFFD. */
export function encodeMutf7(name: string): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const c = name.charCodeAt(i);
    if (c === 0x26) {
      out += '&-';
      i++;
      continue;
    }
    if (isDirect(c)) {
      out += name[i];
      i++;
      continue;
    }
    // A run of characters that must be shifted, as UTF-16 code units.
    const units: number[] = [];
    while (i < name.length) {
      const u = name.charCodeAt(i);
      if (isDirect(u)) break;
      if (u >= 0xd800 && u <= 0xdbff) {
        const lo = name.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          units.push(u, lo);
          i += 2;
          continue;
        }
        units.push(0xfffd);
      } else if (u >= 0xdc00 && u <= 0xdfff) {
        units.push(0xfffd);
      } else {
        units.push(u);
      }
      i++;
    }
    out += '&' + base64Units(units) + '-';
  }
  return out;
}

function base64Units(units: readonly number[]): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const u of units) {
    acc = (acc << 16) | u;
    bits += 16;
    while (bits >= 6) {
      bits -= 6;
      out += B64[(acc >>> bits) & 0x3f];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B64[(acc << (6 - bits)) & 0x3f];
  return out;
}

export type Mutf7Result =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: string };

/** Decode a modified UTF-7 name strictly; never throws. */
export function decodeMutf7Result(wire: string): Mutf7Result {
  let out = '';
  let i = 0;
  let afterRun = false;
  while (i < wire.length) {
    const c = wire.charCodeAt(i);
    if (!isDirect(c)) return { ok: false, error: 'character outside printable US-ASCII' };
    if (c !== 0x26) {
      out += wire[i];
      i++;
      afterRun = false;
      continue;
    }
    const end = wire.indexOf('-', i + 1);
    if (end < 0) return { ok: false, error: 'unterminated "&" shift' };
    if (end === i + 1) {
      out += '&';
      i = end + 1;
      afterRun = false;
      continue;
    }
    if (afterRun) return { ok: false, error: 'null shift: two adjacent BASE64 runs' };
    const run = decodeRun(wire, i + 1, end);
    if (typeof run !== 'string') return { ok: false, error: run.error };
    out += run;
    i = end + 1;
    afterRun = true;
  }
  return { ok: true, value: out };
}

function decodeRun(wire: string, from: number, to: number): string | { error: string } {
  let acc = 0;
  let bits = 0;
  let out = '';
  let pendingHigh = 0;
  for (let k = from; k < to; k++) {
    const code = wire.charCodeAt(k);
    const v = code < 128 ? B64_VALUE[code]! : -1;
    if (v < 0) return { error: `invalid character in modified BASE64: ${JSON.stringify(wire[k])}` };
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 16) {
      bits -= 16;
      const unit = (acc >>> bits) & 0xffff;
      acc &= (1 << bits) - 1;
      if (pendingHigh) {
        if (unit < 0xdc00 || unit > 0xdfff) return { error: 'high surrogate without low surrogate' };
        out += String.fromCharCode(pendingHigh, unit);
        pendingHigh = 0;
      } else if (unit >= 0xd800 && unit <= 0xdbff) {
        pendingHigh = unit;
      } else if (unit >= 0xdc00 && unit <= 0xdfff) {
        return { error: 'low surrogate without high surrogate' };
      } else if (isDirect(unit)) {
        return { error: 'printable US-ASCII encoded in BASE64' };
      } else {
        out += String.fromCharCode(unit);
      }
    }
  }
  if (pendingHigh) return { error: 'high surrogate at end of BASE64 run' };
  if (bits >= 6) return { error: 'BASE64 run is not a whole number of UTF-16 units' };
  if (acc !== 0) return { error: 'non-zero padding bits in BASE64 run' };
  return out;
}

/** Decode strictly; throws a CongthuError (`imap.mutf7`) on an invalid name. */
export function decodeMutf7(wire: string): string {
  const r = decodeMutf7Result(wire);
  if (!r.ok) {
    throw invalid(
      'imap.mutf7',
      'Tên hộp thư không đúng mã UTF-7 cải biên',
      `Invalid modified UTF-7 mailbox name: ${r.error}`,
    );
  }
  return r.value;
}

export function isValidMutf7(wire: string): boolean {
  return decodeMutf7Result(wire).ok;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * Decode a mailbox name as the client sent it (bytes of an astring):
 *   utf8 = true  → the bytes must be valid UTF-8 (RFC 6855 §3); "&" has no special meaning;
 *   utf8 = false → the bytes must be 7-bit and valid modified UTF-7.
 * "INBOX" in any case becomes "INBOX" (RFC 9051 §5.1: INBOX is case-insensitive).
 */
export function decodeMailboxName(raw: Uint8Array, options: { readonly utf8: boolean }): Mutf7Result {
  let text: string;
  if (options.utf8) {
    try {
      text = utf8Strict.decode(raw);
    } catch {
      return { ok: false, error: 'mailbox name is not valid UTF-8' };
    }
  } else {
    for (const b of raw) {
      if (b >= 0x80) return { ok: false, error: 'mailbox name contains 8-bit data' };
    }
    const r = decodeMutf7Result(latin1(raw));
    if (!r.ok) return { ok: false, error: `invalid modified UTF-7: ${r.error}` };
    text = r.value;
  }
  return { ok: true, value: text.toUpperCase() === 'INBOX' ? 'INBOX' : text };
}

/** The wire text of a mailbox name for a response (to be written as an astring). */
export function encodeMailboxName(name: string, options: { readonly utf8: boolean }): string {
  if (name.toUpperCase() === 'INBOX') return 'INBOX';
  return options.utf8 ? name : encodeMutf7(name);
}

/** Bytes → string, one char per byte (for 7-bit data). */
export function latin1(bytes: Uint8Array): string {
  if (bytes.length > 64) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

export function utf8Bytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}
