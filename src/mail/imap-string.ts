/**
 * IMAP string atoms for ready-to-send FETCH data (RFC 9051 §4.3, RFC 3501 §4.3).
 *
 * Rules
 * - NIL for absent values (RFC 9051 §4.5).
 * - A quoted string when it is safe: no CR or LF, at most `MAX_QUOTED_BYTES` octets, and 7-bit, or
 *   UTF-8 when the client enabled UTF8=ACCEPT (RFC 9051 §6.3.1, RFC 6855 §3: QUOTED-CHAR adds UTF8-2/3/4).
 *   `"` and `\` are escaped with `\` (quoted-specials).
 * - Otherwise a synchronising literal `{n}\r\n` followed by the octets; n counts UTF-8 octets, so the
 *   returned JS string must be written to the socket as UTF-8.
 * - NUL cannot be sent in a string or a literal (RFC 9051 §4.3: CHAR8 excludes %x00): it is removed.
 *   Lone surrogates become U+FFFD, so the byte count always matches what the UTF-8 encoder writes.
 */

/** Longest value sent as a quoted string; longer ones go as literals. */
export const MAX_QUOTED_BYTES = 1024;

export interface ImapStringOptions {
  /** The client enabled UTF8=ACCEPT (RFC 9051 / RFC 6855): raw UTF-8 allowed in quoted strings. */
  readonly utf8: boolean;
}

const NEEDS_LITERAL_7BIT = /[\r\n\u0080-\uffff]/;
const NEEDS_LITERAL_UTF8 = /[\r\n]/;
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `"value"`, `{n}\r\nvalue` or NIL. */
export function imapString(value: string | null | undefined, options: ImapStringOptions): string {
  if (value === null || value === undefined) return 'NIL';
  const s = value.replace(NUL, '').replace(LONE_SURROGATE, '\ufffd');
  const bytes = Buffer.byteLength(s, 'utf8');
  const unsafe = (options.utf8 ? NEEDS_LITERAL_UTF8 : NEEDS_LITERAL_7BIT).test(s);
  if (!unsafe && bytes <= MAX_QUOTED_BYTES) return `"${s.replace(/["\\]/g, '\\$&')}"`;
  return `{${bytes}}\r\n${s}`;
}

/** An IMAP string of an upper-cased token (media type, subtype, encoding, parameter name). */
export function imapUpper(value: string, options: ImapStringOptions): string {
  return imapString(value.toUpperCase(), options);
}
