/**
 * POP3 response writers: status lines, multi-line responses and SASL continuations, as bytes.
 *
 *   +OK text CRLF                              RFC 1939 §3
 *   -ERR [CODE] text CRLF                      RFC 2449 §8 (RESP-CODES), RFC 3206 (SYS/TEMP, SYS/PERM, AUTH)
 *   +OK text CRLF *(stuffed-line CRLF) "." CRLF multi-line, RFC 1939 §3
 *   "+ " base64 CRLF                           SASL continuation, RFC 5034 §4
 *
 * A status line is at most 512 octets including CRLF (RFC 2449 §4); longer text is cut at a
 * character boundary. CR, LF and other control characters in the text become spaces, so nothing a
 * caller passes can inject a line.
 */
import { dotStuffLine } from './dot-stuff.ts';

/** Response codes of RFC 2449 §8.1 and RFC 3206 §4–5. */
export type Pop3RespCode = 'IN-USE' | 'LOGIN-DELAY' | 'SYS/TEMP' | 'SYS/PERM' | 'AUTH';

/** RFC 2449 §4: a response line is at most 512 octets including CRLF. */
export const MAX_RESPONSE_OCTETS = 512;

const CRLF = '\r\n';
const TERMINATOR = Buffer.from('.\r\n', 'latin1');

/** Text made safe for one response line of at most `budget` octets. */
export function sanitiseText(text: string, budget: number): string {
  // eslint-disable-next-line no-control-regex
  let t = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  if (Buffer.byteLength(t) <= budget) return t;
  let used = 0;
  let cut = 0;
  for (const ch of t) {
    const n = Buffer.byteLength(ch);
    if (used + n > budget) break;
    used += n;
    cut += ch.length;
  }
  t = t.slice(0, cut);
  return t;
}

function statusLine(prefix: string, text: string): Buffer {
  const budget = MAX_RESPONSE_OCTETS - Buffer.byteLength(prefix) - 2;
  const body = text === '' ? prefix : `${prefix} ${sanitiseText(text, budget - 1)}`;
  return Buffer.from(body + CRLF, 'utf8');
}

export function okLine(text = ''): Buffer {
  return statusLine('+OK', text);
}

export function errLine(text: string, code: Pop3RespCode | null = null): Buffer {
  return statusLine(code === null ? '-ERR' : `-ERR [${code}]`, text);
}

/** A SASL server challenge (RFC 5034 §4); empty for PLAIN. */
export function continuationLine(base64 = ''): Buffer {
  return Buffer.from(`+ ${base64}${CRLF}`, 'latin1');
}

/**
 * A whole multi-line response held in memory: for short lists only (CAPA, LIST, UIDL of one
 * message number per line). Message bodies go through `DotStuffer` instead.
 */
export function multiLine(first: string, lines: Iterable<string>): Buffer {
  return Buffer.concat([okLine(first), stuffedLines(lines), TERMINATOR]);
}

/** Lines of a multi-line response, each made safe, stuffed and ended by CRLF (no terminator). */
export function stuffedLines(lines: Iterable<string>): Buffer {
  let text = '';
  for (const l of lines) text += dotStuffLine(sanitiseText(l, 1000)) + CRLF;
  return Buffer.from(text, 'utf8');
}

/** The ".CRLF" that ends a multi-line response. */
export function terminatorLine(): Buffer {
  return Buffer.from(TERMINATOR);
}
