/**
 * IMAP responses: status responses with response codes, untagged data, continuation requests,
 * and the serializer of IMAP values (RFC 9051 §4, §7, §9).
 *
 * Safety rules of the serializer:
 *   - a string is sent quoted only when that is exact: at most 1024 octets, no CR, LF or NUL, and
 *     7-bit unless the session allows UTF-8 (UTF8=ACCEPT / IMAP4rev2); otherwise as a literal
 *     `{n}` (never `{n+}` from a server, RFC 7888 §4);
 *   - `"` and `\` are escaped in quoted strings;
 *   - an atom with a character that would end it early is sent as a string instead;
 *   - status text never contains CR, LF or NUL, and is folded to ASCII (Vietnamese diacritics
 *     removed) unless UTF-8 is allowed; NIL as data is the atom, never the string "NIL";
 *   - NUL can only travel in literal8 (`~{n}`, RFC 3516); elsewhere NUL octets become 0x80.
 * Large literals stay separate chunks (`untaggedData` returns chunks) so message bodies are not
 * copied into one buffer.
 */
import type { ImapProtocolError } from './errors.ts';
import { encodeBase64 } from './base64.ts';
import { encodeMailboxName } from './mutf7.ts';
import { formatSequenceSet, type SequenceSet } from './sequence.ts';

export interface WriteOptions {
  /** UTF-8 allowed in quoted strings and text (UTF8=ACCEPT enabled, or IMAP4rev2). */
  readonly utf8?: boolean;
}

export type ImapValue =
  | { readonly type: 'atom'; readonly value: string }
  | { readonly type: 'number'; readonly value: number | bigint }
  /** Quoted when safe, else a literal. */
  | { readonly type: 'string'; readonly value: string | Uint8Array }
  /** An atom when it is one (and not NIL), else a string: mailbox names, charsets. */
  | { readonly type: 'astring'; readonly value: string }
  | { readonly type: 'literal'; readonly value: string | Uint8Array; readonly binary: boolean }
  | { readonly type: 'nil' }
  | { readonly type: 'list'; readonly items: readonly ImapValue[] }
  /** Text that is already valid IMAP (a cached BODYSTRUCTURE or ENVELOPE); written as is. */
  | { readonly type: 'raw'; readonly value: string | Uint8Array }
  | { readonly type: 'sequence-set'; readonly value: SequenceSet };

// ---- value constructors ------------------------------------------------------------------------

export const NIL: ImapValue = Object.freeze({ type: 'nil' });
export const atom = (value: string): ImapValue => ({ type: 'atom', value });
export const num = (value: number | bigint): ImapValue => ({ type: 'number', value });
export const str = (value: string | Uint8Array): ImapValue => ({ type: 'string', value });
export const nstr = (value: string | Uint8Array | null | undefined): ImapValue =>
  value === null || value === undefined ? NIL : { type: 'string', value };
export const astr = (value: string): ImapValue => ({ type: 'astring', value });
export const literal = (value: string | Uint8Array): ImapValue => ({ type: 'literal', value, binary: false });
export const literal8 = (value: Uint8Array): ImapValue => ({ type: 'literal', value, binary: true });
export const list = (items: readonly ImapValue[]): ImapValue => ({ type: 'list', items });
export const raw = (value: string | Uint8Array): ImapValue => ({ type: 'raw', value });
export const seqSet = (value: SequenceSet): ImapValue => ({ type: 'sequence-set', value });
/** A mailbox name, in modified UTF-7 or UTF-8 as the session allows, as an astring. */
export const mailboxValue = (name: string, options: WriteOptions = {}): ImapValue =>
  astr(encodeMailboxName(name, { utf8: options.utf8 ?? false }));

// ---- the byte sink -----------------------------------------------------------------------------

const encoder = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const QUOTED_MAX = 1024;
const CRLF = '\r\n';

class Sink {
  private readonly chunks: Uint8Array[] = [];
  private pending = '';

  text(s: string): void {
    this.pending += s;
  }

  bytes(b: Uint8Array): void {
    this.flush();
    this.chunks.push(b);
  }

  private flush(): void {
    if (this.pending) {
      this.chunks.push(encoder.encode(this.pending));
      this.pending = '';
    }
  }

  toChunks(): Uint8Array[] {
    this.flush();
    return this.chunks;
  }
}

export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

const isSafeAtomChar = (c: number): boolean =>
  c > 0x20 && c < 0x7f && c !== 0x28 && c !== 0x29 && c !== 0x7b && c !== 0x22;

function isAtom(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isSafeAtomChar(s.charCodeAt(i))) return false;
  return true;
}

/** Atoms that are also strict ASTRING-CHARs (no \ % * [ quirks): used for astrings. */
function isPlainAtom(s: string): boolean {
  if (!isAtom(s) || s.toUpperCase() === 'NIL') return false;
  for (let i = 0; i < s.length; i++) if ('\\%*'.includes(s[i]!)) return false;
  return true;
}

function canQuote(bytes: Uint8Array, utf8: boolean): boolean {
  if (bytes.length > QUOTED_MAX) return false;
  let high = false;
  for (const b of bytes) {
    if (b === 0 || b === 0x0d || b === 0x0a) return false;
    if (b >= 0x80) high = true;
  }
  if (!high) return true;
  if (!utf8) return false;
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function writeLiteral(sink: Sink, bytes: Uint8Array, binary: boolean): void {
  let data = bytes;
  if (!binary && bytes.includes(0)) data = bytes.map((b) => (b === 0 ? 0x80 : b));
  sink.text(`${binary ? '~' : ''}{${data.length}}${CRLF}`);
  sink.bytes(data);
}

function writeString(sink: Sink, value: string | Uint8Array, utf8: boolean): void {
  const bytes = typeof value === 'string' ? encoder.encode(value) : value;
  if (!canQuote(bytes, utf8)) {
    writeLiteral(sink, bytes, false);
    return;
  }
  const s = typeof value === 'string' ? value : utf8Strict.decode(bytes);
  sink.text(`"${s.replace(/[\\"]/g, (m) => `\\${m}`)}"`);
}

function writeNumber(sink: Sink, value: number | bigint): void {
  if (typeof value === 'bigint' ? value < 0n : !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`not an IMAP number: ${String(value)}`);
  }
  sink.text(String(value));
}

/** Write values separated by SP, iteratively (no recursion on nested lists). */
function writeValues(sink: Sink, values: readonly ImapValue[], utf8: boolean): void {
  const stack: { items: readonly ImapValue[]; i: number }[] = [{ items: values, i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.items.length) {
      stack.pop();
      if (stack.length > 0) sink.text(')');
      continue;
    }
    if (top.i > 0) sink.text(' ');
    const v = top.items[top.i++]!;
    switch (v.type) {
      case 'atom':
        if (isAtom(v.value)) sink.text(v.value);
        else writeString(sink, v.value, utf8);
        break;
      case 'astring':
        if (isPlainAtom(v.value)) sink.text(v.value);
        else writeString(sink, v.value, utf8);
        break;
      case 'number':
        writeNumber(sink, v.value);
        break;
      case 'string':
        writeString(sink, v.value, utf8);
        break;
      case 'literal':
        writeLiteral(sink, typeof v.value === 'string' ? encoder.encode(v.value) : v.value, v.binary);
        break;
      case 'nil':
        sink.text('NIL');
        break;
      case 'raw':
        if (typeof v.value === 'string') sink.text(v.value);
        else sink.bytes(v.value);
        break;
      case 'sequence-set':
        sink.text(formatSequenceSet(v.value));
        break;
      case 'list':
        sink.text('(');
        stack.push({ items: v.items, i: 0 });
        break;
    }
  }
}

/** Serialize values separated by SP (no CRLF) into one buffer. */
export function serializeValues(values: readonly ImapValue[], options: WriteOptions = {}): Uint8Array {
  const sink = new Sink();
  writeValues(sink, values, options.utf8 ?? false);
  return concatChunks(sink.toChunks());
}

export function serializeValue(value: ImapValue, options: WriteOptions = {}): Uint8Array {
  return serializeValues([value], options);
}

// ---- status text -------------------------------------------------------------------------------

/** Fold text to printable ASCII: Vietnamese diacritics removed (đ → d), anything else → "?". */
export function toAsciiText(text: string): string {
  return text
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
}

/** One line of resp-text: no controls; ASCII unless UTF-8 is allowed; never empty. */
export function sanitizeText(text: string, utf8 = false): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\x00-\x1f\x7f]+/g, ' ');
  const t = utf8 ? oneLine.replace(/[\u2028\u2029]/g, ' ') : toAsciiText(oneLine);
  return t.length > 0 ? t : 'Done';
}

// ---- response codes ----------------------------------------------------------------------------

/** Response codes without arguments: RFC 9051 §7.1, RFC 5530, RFC 4315, RFC 7162, RFC 4469/7888, RFC 4978, RFC 6154. */
export const SIMPLE_RESPONSE_CODES = [
  'ALERT',
  'ALREADYEXISTS',
  'AUTHENTICATIONFAILED',
  'AUTHORIZATIONFAILED',
  'CANNOT',
  'CLIENTBUG',
  'CLOSED',
  'COMPRESSIONACTIVE',
  'CONTACTADMIN',
  'CORRUPTION',
  'EXPIRED',
  'EXPUNGEISSUED',
  'HASCHILDREN',
  'INUSE',
  'LIMIT',
  'NOMODSEQ',
  'NONEXISTENT',
  'NOPERM',
  'NOTSAVED',
  'OVERQUOTA',
  'PARSE',
  'PRIVACYREQUIRED',
  'READ-ONLY',
  'READ-WRITE',
  'SERVERBUG',
  'TOOBIG',
  'TRYCREATE',
  'UIDNOTSTICKY',
  'UNAVAILABLE',
  'UNKNOWN-CTE',
  'USEATTR',
] as const;
export type SimpleResponseCode = (typeof SIMPLE_RESPONSE_CODES)[number];

export type ResponseCode =
  | { readonly code: SimpleResponseCode }
  | { readonly code: 'BADCHARSET'; readonly charsets?: readonly string[] }
  | { readonly code: 'CAPABILITY'; readonly capabilities: readonly string[] }
  | { readonly code: 'PERMANENTFLAGS'; readonly flags: readonly string[] }
  | { readonly code: 'UIDNEXT' | 'UIDVALIDITY' | 'UNSEEN'; readonly value: number }
  | { readonly code: 'HIGHESTMODSEQ'; readonly value: number | bigint }
  /** RFC 4315 §3: the UIDs of the appended messages (a set for MULTIAPPEND). */
  | { readonly code: 'APPENDUID'; readonly uidValidity: number; readonly uids: SequenceSet | string }
  /** RFC 4315 §3: source and destination UID sets, element by element. */
  | {
      readonly code: 'COPYUID';
      readonly uidValidity: number;
      readonly source: SequenceSet | string;
      readonly destination: SequenceSet | string;
    }
  /** RFC 7162 §3.1.3: messages not stored because of UNCHANGEDSINCE. */
  | { readonly code: 'MODIFIED'; readonly set: SequenceSet | string }
  /** RFC 8474 §4.1: `MAILBOXID (objectid)`, objectid = 1*255(ALPHA / DIGIT / "_" / "-"). */
  | { readonly code: 'MAILBOXID'; readonly id: string };

const setText = (s: SequenceSet | string): string => {
  const text = typeof s === 'string' ? s : formatSequenceSet(s);
  if (!/^[0-9:,*$]+$/.test(text)) throw new RangeError(`not a sequence set: ${text}`);
  return text;
};

/** RFC 8474 §7: objectid = 1*255(ALPHA / DIGIT / "_" / "-"). */
export function objectId(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(id)) throw new RangeError(`not an objectid: ${id}`);
  return id;
}

/** The text between the brackets. */
export function formatResponseCode(rc: ResponseCode, options: WriteOptions = {}): string {
  const values = (vs: readonly ImapValue[]): string => new TextDecoder().decode(serializeValues(vs, options));
  switch (rc.code) {
    case 'BADCHARSET':
      return rc.charsets && rc.charsets.length > 0
        ? `BADCHARSET ${values([list(rc.charsets.map(astr))])}`
        : 'BADCHARSET';
    case 'CAPABILITY':
      return values([atom('CAPABILITY'), ...rc.capabilities.map(atom)]);
    case 'PERMANENTFLAGS':
      return `PERMANENTFLAGS ${values([list(rc.flags.map(atom))])}`;
    case 'UIDNEXT':
    case 'UIDVALIDITY':
    case 'UNSEEN':
    case 'HIGHESTMODSEQ':
      return `${rc.code} ${values([num(rc.value)])}`;
    case 'APPENDUID':
      return `APPENDUID ${values([num(rc.uidValidity)])} ${setText(rc.uids)}`;
    case 'COPYUID':
      return `COPYUID ${values([num(rc.uidValidity)])} ${setText(rc.source)} ${setText(rc.destination)}`;
    case 'MODIFIED':
      return `MODIFIED ${setText(rc.set)}`;
    case 'MAILBOXID':
      return `MAILBOXID (${objectId(rc.id)})`;
    default:
      return rc.code;
  }
}

// ---- responses ---------------------------------------------------------------------------------

export type TaggedStatus = 'OK' | 'NO' | 'BAD';
export type UntaggedStatus = 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH';

export interface StatusOptions extends WriteOptions {
  readonly code?: ResponseCode;
}

const TAG_RE = /^[\x21\x23\x24\x26\x27\x2c-\x5b\x5d-\x7a\x7c-\x7e]+$/;

function statusLine(prefix: string, status: string, text: string, options: StatusOptions): Uint8Array {
  const code = options.code ? `[${formatResponseCode(options.code, options)}] ` : '';
  return encoder.encode(`${prefix} ${status} ${code}${sanitizeText(text, options.utf8 ?? false)}${CRLF}`);
}

/** `tag OK|NO|BAD [CODE] text` — a tag that is not a valid tag is written as `*`. */
export function taggedResponse(
  tag: string,
  status: TaggedStatus,
  text: string,
  options: StatusOptions = {},
): Uint8Array {
  return statusLine(TAG_RE.test(tag) && !tag.includes('+') ? tag : '*', status, text, options);
}

/** `* OK|NO|BAD|BYE|PREAUTH [CODE] text` */
export function untaggedStatus(
  status: UntaggedStatus,
  text: string,
  options: StatusOptions = {},
): Uint8Array {
  return statusLine('*', status, text, options);
}

/** `* value value …` as chunks (literals are kept as separate, uncopied chunks). */
export function untaggedData(values: readonly ImapValue[], options: WriteOptions = {}): Uint8Array[] {
  const sink = new Sink();
  sink.text('* ');
  writeValues(sink, values, options.utf8 ?? false);
  sink.text(CRLF);
  return sink.toChunks();
}

/** `+ text` — a continuation request (RFC 9051 §7.5), e.g. before a synchronising literal. */
export function continuation(text = 'Ready', options: WriteOptions = {}): Uint8Array {
  return encoder.encode(`+ ${sanitizeText(text, options.utf8 ?? false)}${CRLF}`);
}

/** `+ base64` — a SASL challenge (RFC 9051 §6.2.2); an empty challenge is `+ ` alone. */
export function continuationBase64(data: Uint8Array): Uint8Array {
  return encoder.encode(`+ ${encodeBase64(data)}${CRLF}`);
}

/** The answer to a parser error: `tag BAD [CODE] text`, `* BAD …` without a tag, or `* BYE …`. */
export function errorResponse(error: ImapProtocolError, options: WriteOptions = {}): Uint8Array {
  const code: StatusOptions = error.responseCode
    ? { ...options, code: { code: error.responseCode } }
    : options;
  if (error.status === 'BYE') return untaggedStatus('BYE', error.text.en, code);
  if (error.tag === null) return untaggedStatus(error.status, error.text.en, code);
  return taggedResponse(error.tag, error.status, error.text.en, code);
}
