/**
 * Header blocks of RFC 5322 messages and MIME entities: split, unfold, look up, decode.
 *
 * Purpose
 * - `findHeaderEnd` finds where a header block ends (the blank line, RFC 5322 §2.1) inside a byte range.
 * - `parseHeaderBlock` splits a header block into fields without copying more than it must: each
 *   field keeps its raw byte range (`start`..`end`, folding and line endings included) and its
 *   unfolded value bytes (RFC 5322 §2.2.3: a line break followed by WSP is removed).
 * - `headerText` turns value bytes into text: ASCII as is, valid UTF-8 as UTF-8 (RFC 6532), anything
 *   else through a legacy fallback charset (default windows-1258, the common Vietnamese one).
 * - `decodeHeaderWords` decodes RFC 2047 encoded words (libmime), drops control characters that
 *   could spoof a display (MIME-04) and normalises to NFC (decomposed Vietnamese becomes composed).
 * - `parseContentType` / `parseContentDisposition` read RFC 2045 §5.1 / RFC 2183 values with their
 *   parameters, RFC 2231 continuations and charsets decoded by libmime (RFC 2231 §3, §4).
 *
 * Invariants
 * - Never throws on any input; malformed lines (no colon, bad name, stray continuation) are skipped.
 * - Linear in the size of the block. Only the first `maxBytes` of a block are split into fields (MIME-02:
 *   a consistent truncation; a field cut by the limit is dropped whole), the blank line is still found.
 * - Bare LF is accepted wherever CRLF is (RFC 5322 §2.3 says CRLF; real mail is not always so).
 * - Lookups are case-insensitive (RFC 5322 §1.2.2); the first occurrence wins for single-valued fields.
 */
import { isUtf8 } from 'node:buffer';
import libmime from 'libmime';
import { decode as decodeCharset } from 'libmime/lib/charset.js';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

/** Default limit of bytes of one header block that are split into fields. */
export const DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;
/** Structured fields (Content-Type, Content-Disposition) longer than this are cut before parsing. */
export const MAX_STRUCTURED_FIELD_CHARS = 64 * 1024;
/** Parameters kept per Content-Type / Content-Disposition. */
export const MAX_PARAMS = 256;
/** The legacy charset assumed for 8-bit header text that is not valid UTF-8. */
export const DEFAULT_FALLBACK_CHARSET = 'windows-1258';

export interface HeaderField {
  /** The field name as written (ASCII), without trailing whitespace before the colon. */
  readonly name: string;
  /** Lower-case name, for lookups. */
  readonly key: string;
  /** Offset of the field's first byte within the buffer. */
  readonly start: number;
  /** Offset just past the field's last line ending (or the block end). */
  readonly end: number;
  /** Unfolded value bytes after the colon, leading and trailing WSP removed, CR and LF removed. */
  readonly value: Buffer;
}

export interface HeaderBlock {
  /** Offset of the first header byte. */
  readonly start: number;
  /** Offset of the first body byte: just past the blank line, or the range end when there is none. */
  readonly bodyStart: number;
  readonly fields: readonly HeaderField[];
  /** True when the block was longer than the parse limit and later fields were ignored. */
  readonly truncated: boolean;
}

/**
 * Finds the end of the header block that starts at `start`, looking no further than `end`.
 * Returns the offset just past the blank line (RFC 5322 §2.1), or `end` when there is no blank
 * line: a header-only entity (RFC 9051 §7.5.2: "a message that has no body and no blank line").
 */
export function findHeaderEnd(buf: Buffer, start: number, end: number): number {
  if (start >= end) return end;
  if (buf[start] === LF) return start + 1;
  if (buf[start] === CR && start + 1 < end && buf[start + 1] === LF) return start + 2;
  const view = buf.subarray(0, end);
  let pos = start;
  for (;;) {
    const lf = view.indexOf(LF, pos);
    if (lf < 0) return end;
    const next = lf + 1;
    if (next >= end) return end;
    if (view[next] === LF) return next + 1;
    if (view[next] === CR && next + 1 < end && view[next + 1] === LF) return next + 2;
    pos = next;
  }
}

function isFieldNameByte(b: number): boolean {
  return b >= 33 && b <= 126 && b !== COLON;
}

/** Removes CR and LF (unfolding) and trims WSP at both ends. Copies only when it must. */
function unfoldValue(buf: Buffer, from: number, to: number): Buffer {
  let s = from;
  let e = to;
  while (e > s && (buf[e - 1] === LF || buf[e - 1] === CR || buf[e - 1] === SP || buf[e - 1] === HT)) e--;
  while (s < e && (buf[s] === SP || buf[s] === HT)) s++;
  const slice = buf.subarray(s, e);
  if (slice.indexOf(LF) < 0 && slice.indexOf(CR) < 0) return slice;
  const out = Buffer.allocUnsafe(slice.length);
  let n = 0;
  for (let i = 0; i < slice.length; i++) {
    const b = slice[i] as number;
    if (b !== CR && b !== LF) out[n++] = b;
  }
  return out.subarray(0, n);
}

/**
 * Splits the header block in `buf[start, end)` into fields. `end` bounds the search for the blank
 * line (a MIME part ends at its boundary even when its header never ended).
 */
export function parseHeaderBlock(
  buf: Buffer,
  start = 0,
  end = buf.length,
  options: { maxBytes?: number } = {},
): HeaderBlock {
  const bodyStart = findHeaderEnd(buf, start, end);
  const limit = Math.min(bodyStart, start + (options.maxBytes ?? DEFAULT_MAX_HEADER_BYTES));
  const view = buf.subarray(0, bodyStart);
  const fields: HeaderField[] = [];
  let truncated = false;
  let cur: { name: string; start: number; valueStart: number; end: number } | null = null;
  const finish = (): void => {
    if (cur === null) return;
    fields.push({
      name: cur.name,
      key: cur.name.toLowerCase(),
      start: cur.start,
      end: cur.end,
      value: unfoldValue(buf, cur.valueStart, cur.end),
    });
    cur = null;
  };
  let pos = start;
  while (pos < bodyStart) {
    const lf = view.indexOf(LF, pos);
    const lineEnd = lf < 0 ? bodyStart : lf + 1;
    if (lineEnd > limit) {
      truncated = true; // lineEnd <= bodyStart, so the limit, not the block, ended here
      if (buf[pos] === SP || buf[pos] === HT) cur = null; // a field cut by the limit is dropped whole
      break;
    }
    let contentEnd = lineEnd;
    if (contentEnd > pos && buf[contentEnd - 1] === LF) contentEnd--;
    if (contentEnd > pos && buf[contentEnd - 1] === CR) contentEnd--;
    if (contentEnd === pos) break; // the blank line
    const first = buf[pos] as number;
    if (first === SP || first === HT) {
      if (cur !== null) cur.end = lineEnd; // RFC 5322 §2.2.3 continuation line
    } else {
      finish();
      const colon = buf.subarray(0, contentEnd).indexOf(COLON, pos);
      if (colon > pos) {
        let nameEnd = colon;
        while (nameEnd > pos && (buf[nameEnd - 1] === SP || buf[nameEnd - 1] === HT)) nameEnd--;
        let ok = nameEnd > pos;
        for (let i = pos; ok && i < nameEnd; i++) ok = isFieldNameByte(buf[i] as number);
        if (ok)
          cur = {
            name: buf.toString('latin1', pos, nameEnd),
            start: pos,
            valueStart: colon + 1,
            end: lineEnd,
          };
      }
    }
    pos = lineEnd;
  }
  finish();
  return { start, bodyStart, fields, truncated };
}

/** Index of a field list by lower-case name, built once per block. */
export class HeaderIndex {
  private readonly byKey = new Map<string, HeaderField[]>();

  constructor(readonly fields: readonly HeaderField[]) {
    for (const f of fields) {
      const list = this.byKey.get(f.key);
      if (list) list.push(f);
      else this.byKey.set(f.key, [f]);
    }
  }

  /** The first field with this name (case-insensitive), or undefined. */
  get(name: string): HeaderField | undefined {
    return this.byKey.get(name.toLowerCase())?.[0];
  }

  /** Every field with this name, in order. */
  getAll(name: string): readonly HeaderField[] {
    return this.byKey.get(name.toLowerCase()) ?? [];
  }
}

/** The first field named `name` (case-insensitive). */
export function getField(fields: readonly HeaderField[], name: string): HeaderField | undefined {
  const key = name.toLowerCase();
  return fields.find((f) => f.key === key);
}

/** Every field named `name` (case-insensitive), in order. */
export function getFields(fields: readonly HeaderField[], name: string): HeaderField[] {
  const key = name.toLowerCase();
  return fields.filter((f) => f.key === key);
}

function isAscii(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) return false;
  return true;
}

/**
 * Header bytes as text, RFC 2047 words left encoded: ASCII and valid UTF-8 (RFC 6532) as they are,
 * other 8-bit bytes decoded from `fallbackCharset` (a legacy client that wrote raw windows-1258).
 */
export function headerText(bytes: Buffer, fallbackCharset: string = DEFAULT_FALLBACK_CHARSET): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (isUtf8(bytes)) return bytes.toString('utf8');
  return decodeCharset(bytes, fallbackCharset);
}

// C0 and C1 controls except TAB/CR/LF, and the bidirectional overrides and isolates that let a
// name display as something else (RFC 2047 §5 spoofing, "invoice\u202Efdp.exe").
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /[\r\n\t]+/g;

/** Text fit for display, logs and indexing: no control characters, no line breaks, NFC. */
export function sanitizeText(s: string): string {
  return s.replace(LINE_BREAKS, ' ').replace(UNSAFE_CHARS, '').normalize('NFC');
}

/** Decodes RFC 2047 encoded words (RFC 2047 §6) in header text, then sanitizes it. */
export function decodeHeaderWords(text: string): string {
  let decoded: string;
  try {
    decoded = text.includes('=?') ? libmime.decodeWords(text) : text;
  } catch {
    decoded = text;
  }
  return sanitizeText(decoded);
}

/** Header bytes as decoded display text: charset fallback, RFC 2047 words, sanitized. */
export function decodeHeaderValue(bytes: Buffer, fallbackCharset?: string): string {
  return decodeHeaderWords(headerText(bytes, fallbackCharset));
}

export interface MimeParam {
  /** Lower-case parameter name, without RFC 2231 `*` or section suffixes. */
  readonly name: string;
  /** The value: as written (quotes removed), or decoded to Unicode when `extended`. */
  readonly value: string;
  /** True when the value came from RFC 2231 sections or an extended (`*=charset''…`) form. */
  readonly extended: boolean;
}

export interface ParsedValue {
  /** Lower-case value before the parameters ("text/plain", "attachment"). */
  readonly value: string;
  readonly params: readonly MimeParam[];
}

// RFC 2045 §5.1 token: any CHAR except SPACE, CTLs and tspecials.
const TOKEN = /^[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+$/;

/** Parses `value; a=b; c*=utf-8''…` with libmime (comments stripped, RFC 2231 decoded). */
export function parseStructuredValue(text: string): ParsedValue {
  const input = text.length > MAX_STRUCTURED_FIELD_CHARS ? text.slice(0, MAX_STRUCTURED_FIELD_CHARS) : text;
  try {
    const parsed = libmime.parseHeaderValue(input, { stripComments: true });
    const decoded = new Set(parsed.decodedParams ?? []);
    const params: MimeParam[] = [];
    for (const [name, value] of Object.entries(parsed.params)) {
      if (params.length >= MAX_PARAMS) break;
      if (name === '' || typeof value !== 'string') continue;
      params.push({ name: name.toLowerCase(), value, extended: decoded.has(name) });
    }
    return { value: parsed.value.trim().toLowerCase(), params };
  } catch {
    return { value: '', params: [] };
  }
}

export interface ContentType {
  readonly type: string;
  readonly subtype: string;
  readonly params: readonly MimeParam[];
}

/**
 * Parses a Content-Type value (RFC 2045 §5.1). Returns null when the media type is not
 * `token/token`; the caller then applies the default (RFC 2045 §5.2).
 */
export function parseContentType(text: string): ContentType | null {
  const { value, params } = parseStructuredValue(text);
  const slash = value.indexOf('/');
  if (slash <= 0) return null;
  const type = value.slice(0, slash).trim();
  const subtype = value.slice(slash + 1).trim();
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return null;
  return { type, subtype, params };
}

export interface ContentDisposition {
  readonly type: string;
  readonly params: readonly MimeParam[];
}

/** Parses a Content-Disposition value (RFC 2183 §2). Null when the disposition type is not a token. */
export function parseContentDisposition(text: string): ContentDisposition | null {
  const { value, params } = parseStructuredValue(text);
  if (!TOKEN.test(value)) return null;
  return { type: value, params };
}

/** The value of parameter `name` (lower-case), or undefined. */
export function paramValue(params: readonly MimeParam[], name: string): string | undefined {
  return params.find((p) => p.name === name)?.value;
}
