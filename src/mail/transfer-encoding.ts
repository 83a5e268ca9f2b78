/**
 * Content-Transfer-Encoding (RFC 2045 §6): decoded sizes and decoding of part bodies.
 *
 * Purpose: the attachment limit (decoded bytes), IMAP BINARY / BINARY.SIZE (RFC 3516, RFC 9051
 * §7.5.2: "BINARY.SIZE … MUST match the size of … BINARY") and text extraction need one decoding,
 * defined once here so that a size computed at ingest equals what is decoded later.
 *
 * Semantics (documented tolerant decoding, MIME-06)
 * - base64: exactly Node's `Buffer.from(text, 'base64')`: characters outside the base64 alphabets
 *   (standard and URL-safe) are skipped, decoding stops at the first `=`; n alphabet characters give
 *   floor(6n/8) bytes. `base64DecodedLength` counts this without allocating (a 50 MB part costs one
 *   pass over its bytes, no decoded copy).
 * - quoted-printable (RFC 2045 §6.7): `=XX` (either hex case) is a byte; `=` followed by optional
 *   WSP and a line break (or the end) is a soft break; any other `=` stays literally; WSP before a
 *   hard line break or the end is dropped (§6.7 rule 3); line breaks are kept as written.
 * - 7bit, 8bit, binary: identity. Anything else (x-uuencode, garbage): unknown, `null`.
 */

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const EQ = 0x3d;

/** 1 for every byte of the standard or URL-safe base64 alphabet (what Node decodes). */
const B64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_')
  B64[c.charCodeAt(0)] = 1;

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

export type TransferEncoding = '7bit' | '8bit' | 'binary' | 'base64' | 'quoted-printable';

/** The known encoding named by a Content-Transfer-Encoding value, or null. */
export function knownEncoding(encoding: string): TransferEncoding | null {
  switch (encoding.toLowerCase()) {
    case '7bit':
    case '8bit':
    case 'binary':
    case 'base64':
    case 'quoted-printable':
      return encoding.toLowerCase() as TransferEncoding;
    default:
      return null;
  }
}

/** Decoded length of base64 text in `buf[start, end)`, equal to Node's decoder, without decoding. */
export function base64DecodedLength(buf: Uint8Array, start = 0, end = buf.length): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b === EQ) break;
    n += B64[b] as number;
  }
  return Math.floor((n * 6) / 8);
}

/**
 * Decodes quoted-printable `src` into `out` (which must be at least `src.length` long), or only
 * counts when `out` is null. Returns the decoded length.
 */
function qpDecode(src: Uint8Array, out: Uint8Array | null): number {
  let n = 0;
  let pendingWs = 0; // WSP seen but not yet written: dropped if a line break follows
  let pendingFrom = 0;
  const flushWs = (): void => {
    if (out !== null) for (let k = 0; k < pendingWs; k++) out[n + k] = src[pendingFrom + k] as number;
    n += pendingWs;
    pendingWs = 0;
  };
  const len = src.length;
  let i = 0;
  while (i < len) {
    const b = src[i] as number;
    if (b === SP || b === HT) {
      if (pendingWs === 0) pendingFrom = i;
      else if (pendingFrom + pendingWs !== i) {
        flushWs();
        pendingFrom = i;
      }
      pendingWs++;
      i++;
      continue;
    }
    if (b === CR || b === LF) {
      pendingWs = 0; // transport padding before a hard break
      if (out !== null) out[n] = b;
      n++;
      i++;
      continue;
    }
    flushWs();
    if (b === EQ) {
      const h = i + 1 < len ? (HEX[src[i + 1] as number] as number) : -1;
      const l = i + 2 < len ? (HEX[src[i + 2] as number] as number) : -1;
      if (h >= 0 && l >= 0) {
        if (out !== null) out[n] = (h << 4) | l;
        n++;
        i += 3;
        continue;
      }
      // Soft line break: "=" WSP* (CRLF | LF | end)
      let k = i + 1;
      while (k < len && (src[k] === SP || src[k] === HT)) k++;
      if (k >= len) {
        i = len;
        continue;
      }
      if (src[k] === LF) {
        i = k + 1;
        continue;
      }
      if (src[k] === CR && k + 1 < len && src[k + 1] === LF) {
        i = k + 2;
        continue;
      }
      if (src[k] === CR && k + 1 >= len) {
        i = len;
        continue;
      }
    }
    if (out !== null) out[n] = b; // a literal "=" that starts nothing valid, or any other byte
    n++;
    i++;
  }
  return n; // pending WSP at the end is dropped like WSP before a line break
}

/** Decoded length of quoted-printable text, without allocating the decoded bytes. */
export function quotedPrintableDecodedLength(src: Uint8Array): number {
  return qpDecode(src, null);
}

/** Decodes quoted-printable text (tolerant, see the module doc). */
export function decodeQuotedPrintable(src: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(src.length);
  const n = qpDecode(src, out);
  return out.subarray(0, n);
}

/** Decodes base64 text exactly as Node does (the decoder every size here is defined by). */
export function decodeBase64(src: Buffer): Buffer {
  return Buffer.from(src.toString('latin1'), 'base64');
}

/** The decoded size of a body in `encoding`, or null when the encoding is unknown. */
export function decodedLength(body: Buffer, encoding: string): number | null {
  switch (knownEncoding(encoding)) {
    case 'base64':
      return base64DecodedLength(body);
    case 'quoted-printable':
      return quotedPrintableDecodedLength(body);
    case null:
      return null;
    default:
      return body.length;
  }
}

/** Decodes a body in `encoding`; null when the encoding is unknown (IMAP NO [UNKNOWN-CTE]). */
export function decodeBody(body: Buffer, encoding: string): Buffer | null {
  switch (knownEncoding(encoding)) {
    case 'base64':
      return decodeBase64(body);
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case null:
      return null;
    default:
      return body;
  }
}
