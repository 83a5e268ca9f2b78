/**
 * The MIME structure indexer: one pass at ingest turns a raw message into a tree of parts with byte
 * offsets, from which IMAP serves FETCH BODY[section]<partial>, BODYSTRUCTURE and ENVELOPE, and the
 * SMTP server checks the decoded attachment size. The result is plain JSON-safe data, stored as is.
 *
 * Offsets (all within `raw`; `headerStart <= bodyStart <= end`)
 * - header = raw[headerStart, bodyStart), including the blank line (RFC 9051 §6.4.5 HEADER / MIME);
 *   when there is no blank line the whole entity is header and bodyStart = end.
 * - body = raw[bodyStart, end); `size` = end - bodyStart (octets in transfer encoding).
 * - Multipart bodies (RFC 2046 §5.1.1, scanned by multipart.ts): a delimiter is `--boundary` at the start of a line (or of the
 *   body), then either `--` (close delimiter, rest of line ignored) or only WSP up to the line end.
 *   `--boundary1` is not a delimiter of `boundary`. The line break before a delimiter belongs to it, so
 *   a part ends before that CRLF (or LF). Preamble and epilogue belong to no child. A missing close
 *   delimiter is tolerated: the last part runs to the end of the multipart body. Boundaries are
 *   searched only inside the enclosing part's range, so an inner part never crosses an outer delimiter.
 *
 * Part numbers (RFC 9051 §6.4.5, as Dovecot's imap_msgpart_find walks them)
 * - The children of a multipart numbered P are P.1, P.2 … (1, 2 … at the top level).
 * - A message entity (the top-level message, or the message inside a message/rfc822 or
 *   message/global part numbered P) that is not multipart is addressed as its own part 1: the top
 *   level non-multipart message has part number "1", an encapsulated one "P.1". A multipart entity
 *   has the number of what contains it ("" at top level, P inside part P): its children are P.1 …
 * - `findPart(index, "2.1.3")` resolves a section number to the part whose body BODY[2.1.3] returns.
 *
 * Text: header-derived strings (envelope, params, id, description) are JS strings. Raw 8-bit header
 * text is kept as UTF-8 (RFC 6532); 8-bit text that is not valid UTF-8 is converted from the legacy
 * fallback charset (the part's charset parameter, else windows-1258), so the stored index is always
 * valid Unicode and ENVELOPE/BODYSTRUCTURE never send invalid UTF-8. Encoded words stay encoded.
 * `bareLf`: sizes are octets of `raw`; when it is true the ingest should index `normalizeCrlf(raw)`
 * and store that, so that what IMAP sends (CRLF) has the sizes announced here.
 *
 * Defaults (RFC 2045 §5.2, §6.1; RFC 2046 §5.1.5): no or invalid Content-Type is text/plain with
 * charset US-ASCII (message/rfc822 inside multipart/digest); no Content-Transfer-Encoding is 7bit.
 * The first Content-Type field wins when there are several (one deterministic reading, MIME-03).
 *
 * Limits (defaults like Dovecot's message-parser.h; MIME-01, MIME-02) — never crash, never exponential:
 * - `maxDepth` (100): a multipart or message/* part at this nesting depth is not expanded.
 * - `maxParts` (10000): total parts, counting message entities. When reached inside a multipart,
 *   its last created child runs to the end of that multipart body (the rest is opaque content).
 * - `maxHeaderBytes` (1 MiB) per header block is split into fields (see header.ts); the blank line is
 *   still found, so offsets stay exact.
 * - A composite part that is not expanded (limit, multipart without boundary or without any delimiter,
 *   message/* in base64 or quoted-printable) becomes a leaf: multipart → text/plain, message/* →
 *   application/octet-stream, with the declared type kept in `declaredType`.
 * - The walk is iterative (explicit stack), so nesting cannot overflow the JS stack. Work is
 *   O(size × depth) in the worst case (each level searches its own range once), O(size) typically.
 *
 * Attachments (`attachmentsDecodedBytes`, for the 50 MB SMTP limit): a part counts when its
 * Content-Disposition is `attachment` (then its subtree is not visited again, so a forwarded
 * message/rfc822 attachment counts once), or when it is a leaf, not text/*, and has a filename
 * (Content-Disposition filename or Content-Type name; this catches inline images and files that
 * declare no disposition). Its decoded size is counted (base64 exactly, quoted-printable decoded,
 * identity encodings as is, unknown encodings as their encoded size).
 */
import {
  DEFAULT_FALLBACK_CHARSET,
  DEFAULT_MAX_HEADER_BYTES,
  HeaderIndex,
  decodeHeaderWords,
  headerText,
  paramValue,
  parseContentDisposition,
  parseContentType,
  parseHeaderBlock,
  sanitizeText,
} from './header.ts';
import type { MimeParam } from './header.ts';
import { DEFAULT_MAX_ADDRESSES, parseAddressList } from './address-list.ts';
import type { ParsedAddress } from './address-list.ts';
import { countLf, hasBareLf, scanMultipart } from './multipart.ts';
import { decodedLength } from './transfer-encoding.ts';

export interface IndexOptions {
  /** Deepest nesting of multipart and message/* parts that is expanded. Default 100. */
  readonly maxDepth?: number;
  /** Most parts in the tree, message entities included. Default 10000. */
  readonly maxParts?: number;
  /** Bytes of one header block split into fields. Default 1 MiB. */
  readonly maxHeaderBytes?: number;
  /** Addresses kept per address field. Default 10000. */
  readonly maxAddresses?: number;
  /** Charset for 8-bit header bytes that are not UTF-8. Default windows-1258. */
  readonly fallbackCharset?: string;
}

export const DEFAULT_MAX_DEPTH = 100;
export const DEFAULT_MAX_PARTS = 10_000;
const MAX_BOUNDARY_LENGTH = 998; // RFC 2046 says 70; longer ones exist (MIME-03), a line is the bound

/**
 * The ENVELOPE fields of a message entity (RFC 9051 §7.5.2): raw header text, unfolded and trimmed,
 * RFC 2047 words kept; null when the field is absent. Address lists as parsed by address-list.ts.
 */
export interface Envelope {
  readonly date: string | null;
  readonly subject: string | null;
  readonly from: readonly ParsedAddress[] | null;
  readonly sender: readonly ParsedAddress[] | null;
  readonly replyTo: readonly ParsedAddress[] | null;
  readonly to: readonly ParsedAddress[] | null;
  readonly cc: readonly ParsedAddress[] | null;
  readonly bcc: readonly ParsedAddress[] | null;
  readonly inReplyTo: string | null;
  readonly messageId: string | null;
}

export interface Disposition {
  /** Lower-case disposition type ("inline", "attachment"). */
  readonly type: string;
  readonly params: readonly MimeParam[];
}

export interface MimePart {
  /** IMAP section part number (see the module doc); "" for a multipart top-level message. */
  readonly partNumber: string;
  readonly headerStart: number;
  readonly bodyStart: number;
  readonly end: number;
  /** Effective lower-case media type and subtype. */
  readonly type: string;
  readonly subtype: string;
  readonly params: readonly MimeParam[];
  /** "type/subtype" as declared when the part was not expanded and its type changed, else null. */
  readonly declaredType: string | null;
  readonly id: string | null;
  readonly description: string | null;
  /** Lower-case Content-Transfer-Encoding token, "7bit" by default. */
  readonly encoding: string;
  /** Body size in octets, in its transfer encoding. */
  readonly size: number;
  /** LF count of the body for text/* and message/* parts (Dovecot's count), else null. */
  readonly lines: number | null;
  readonly disposition: Disposition | null;
  readonly language: readonly string[] | null;
  readonly location: string | null;
  readonly md5: string | null;
  /** Decoded, sanitized file name (Content-Disposition filename, else Content-Type name). */
  readonly filename: string | null;
  /** Decoded body size; null for expanded multiparts and unknown transfer encodings. */
  readonly decodedSize: number | null;
  /** Present on message entities: the top-level message and each encapsulated message. */
  readonly envelope: Envelope | null;
  /** Multipart: its body parts. message/rfc822 or message/global: the encapsulated message. */
  readonly children: readonly MimePart[];
}

export interface MessageIndex {
  readonly version: 1;
  /** raw.length: RFC822.SIZE when raw is what is served. */
  readonly size: number;
  readonly root: MimePart;
  readonly partCount: number;
  /** True when a depth, part-count or header-size limit shaped the result (MIME-01, MIME-02). */
  readonly limited: boolean;
  /** True when some line ends in a bare LF (IMAP must send CRLF; normalise before indexing). */
  readonly bareLf: boolean;
  readonly attachmentsDecodedBytes: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Part = Mutable<Omit<MimePart, 'children'>> & { children: Part[] };

interface Ctx {
  readonly raw: Buffer;
  readonly maxDepth: number;
  readonly maxParts: number;
  readonly maxHeaderBytes: number;
  readonly maxAddresses: number;
  readonly fallback: string;
  count: number;
  limited: boolean;
}

const IDENTITY = new Set(['7bit', '8bit', 'binary']);
const PLAIN_CHARSETS = /^(us-ascii|ascii|utf-?8)$/i;

function firstToken(s: string): string {
  const m = /^[^\s;(]+/.exec(s.trim());
  return m ? m[0].toLowerCase() : '';
}

function stripComments(s: string): string {
  let out = '';
  let depth = 0;
  for (const c of s) {
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

function nonEmpty(s: string | null): string | null {
  if (s === null) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

/** Parses the header of the entity at raw[hs, end) and fills everything but the children. */
function describe(ctx: Ctx, hs: number, end: number, inDigest: boolean, isEntity: boolean): Part {
  const hb = parseHeaderBlock(ctx.raw, hs, end, { maxBytes: ctx.maxHeaderBytes });
  if (hb.truncated) ctx.limited = true;
  const h = new HeaderIndex(hb.fields);
  let fallback = ctx.fallback;
  const text = (name: string): string | null => {
    const f = h.get(name);
    return f === undefined ? null : headerText(f.value, fallback);
  };

  const ctText = text('content-type');
  const ct = ctText === null ? null : parseContentType(ctText);
  let type: string;
  let subtype: string;
  let params: readonly MimeParam[];
  if (ct !== null) {
    ({ type, subtype, params } = ct);
  } else if (inDigest) {
    [type, subtype, params] = ['message', 'rfc822', []];
  } else {
    [type, subtype, params] = ['text', 'plain', [{ name: 'charset', value: 'US-ASCII', extended: false }]];
  }
  const charset = paramValue(params, 'charset');
  if (charset !== undefined && charset !== '' && !PLAIN_CHARSETS.test(charset)) fallback = charset;

  const cteText = text('content-transfer-encoding');
  const encoding = (cteText === null ? '' : firstToken(cteText)) || '7bit';
  const cdText = text('content-disposition');
  const disposition = cdText === null ? null : parseContentDisposition(cdText);
  const langText = text('content-language');
  const language =
    langText === null
      ? null
      : stripComments(langText)
          .split(',')
          .map((l) => l.trim())
          .filter((l) => l !== '');
  const locText = text('content-location');

  const nameParam =
    disposition?.params.find((p) => p.name === 'filename') ?? params.find((p) => p.name === 'name');
  let filename: string | null = null;
  if (nameParam !== undefined) {
    filename = nonEmpty(
      nameParam.extended ? sanitizeText(nameParam.value) : decodeHeaderWords(nameParam.value),
    );
  }

  let envelope: Envelope | null = null;
  if (isEntity) {
    const addresses = (name: string): ParsedAddress[] | null => {
      const v = text(name);
      return v === null ? null : parseAddressList(v, { maxAddresses: ctx.maxAddresses });
    };
    envelope = {
      date: text('date'),
      subject: text('subject'),
      from: addresses('from'),
      sender: addresses('sender'),
      replyTo: addresses('reply-to'),
      to: addresses('to'),
      cc: addresses('cc'),
      bcc: addresses('bcc'),
      inReplyTo: text('in-reply-to'),
      messageId: text('message-id'),
    };
  }

  return {
    partNumber: '',
    headerStart: hs,
    bodyStart: hb.bodyStart,
    end,
    type,
    subtype,
    params,
    declaredType: null,
    id: nonEmpty(text('content-id')),
    description: nonEmpty(text('content-description')),
    encoding,
    size: end - hb.bodyStart,
    lines: null,
    disposition,
    language: language === null || language.length === 0 ? null : language,
    location: locText === null ? null : nonEmpty(locText.replace(/\s+/g, '')),
    md5: nonEmpty(text('content-md5')),
    filename,
    decodedSize: null,
    envelope,
    children: [],
  };
}

function makeOpaque(p: Part): void {
  p.declaredType = `${p.type}/${p.subtype}`;
  if (p.type === 'multipart') [p.type, p.subtype] = ['text', 'plain'];
  else [p.type, p.subtype] = ['application', 'octet-stream'];
}

interface Work {
  readonly part: Part;
  readonly depth: number;
  /** For message entities: the number of what contains them ("" at top level); else null. */
  readonly entityBase: string | null;
}

/** Expands one part: creates its children (numbered, described) or finishes it as a leaf. */
function expand(ctx: Ctx, w: Work, stack: Work[]): void {
  const p = w.part;
  let children: Part[] = [];
  if (p.type === 'multipart') {
    const boundary = paramValue(p.params, 'boundary') ?? '';
    if (w.depth >= ctx.maxDepth || ctx.count >= ctx.maxParts) ctx.limited = true;
    else if (boundary !== '' && boundary.length <= MAX_BOUNDARY_LENGTH) {
      const { ranges, capped } = scanMultipart(
        ctx.raw,
        Buffer.from(boundary, 'utf8'),
        p.bodyStart,
        p.end,
        ctx.maxParts - ctx.count,
      );
      if (capped) ctx.limited = true;
      const digest = p.subtype === 'digest';
      children = ranges.map(([s, e]) => describe(ctx, s, e, digest, false));
      ctx.count += children.length;
    }
    if (children.length === 0) makeOpaque(p);
  } else if (p.type === 'message' && (p.subtype === 'rfc822' || p.subtype === 'global')) {
    if (!IDENTITY.has(p.encoding)) makeOpaque(p);
    else if (w.depth >= ctx.maxDepth || ctx.count >= ctx.maxParts) {
      ctx.limited = true;
      makeOpaque(p);
    } else {
      children = [describe(ctx, p.bodyStart, p.end, false, true)];
      ctx.count += 1;
    }
  }

  const isMultipart = p.type === 'multipart';
  if (w.entityBase !== null) {
    p.partNumber = isMultipart ? w.entityBase : w.entityBase === '' ? '1' : `${w.entityBase}.1`;
  }
  if (!isMultipart) {
    p.decodedSize = decodedLength(ctx.raw.subarray(p.bodyStart, p.end), p.encoding);
    if (p.type === 'text' || p.type === 'message') p.lines = countLf(ctx.raw, p.bodyStart, p.end);
  }
  p.children = children;
  const prefix = p.partNumber === '' ? '' : `${p.partNumber}.`;
  for (let i = children.length - 1; i >= 0; i--) {
    const c = children[i] as Part;
    if (isMultipart) {
      c.partNumber = `${prefix}${i + 1}`;
      stack.push({ part: c, depth: w.depth + 1, entityBase: null });
    } else {
      stack.push({ part: c, depth: w.depth + 1, entityBase: p.partNumber });
    }
  }
}

/** Whether a part counts toward `attachmentsDecodedBytes` (rule in the module doc). */
export function isAttachment(p: MimePart): boolean {
  if (p.type === 'multipart') return false;
  if (p.disposition?.type === 'attachment') return true;
  if (p.children.length > 0) return false;
  return p.filename !== null && p.type !== 'text';
}

function attachmentBytes(root: MimePart): number {
  let sum = 0;
  const stack: MimePart[] = [root];
  for (let p = stack.pop(); p !== undefined; p = stack.pop()) {
    if (isAttachment(p)) sum += p.decodedSize ?? p.size;
    else for (const c of p.children) stack.push(c);
  }
  return sum;
}

/** Indexes a raw RFC 5322 message. Never throws on message content. */
export function indexMessage(raw: Buffer, options: IndexOptions = {}): MessageIndex {
  const ctx: Ctx = {
    raw,
    maxDepth: Math.max(0, options.maxDepth ?? DEFAULT_MAX_DEPTH),
    maxParts: Math.max(1, options.maxParts ?? DEFAULT_MAX_PARTS),
    maxHeaderBytes: options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
    maxAddresses: options.maxAddresses ?? DEFAULT_MAX_ADDRESSES,
    fallback: options.fallbackCharset ?? DEFAULT_FALLBACK_CHARSET,
    count: 1,
    limited: false,
  };
  const root = describe(ctx, 0, raw.length, false, true);
  const stack: Work[] = [{ part: root, depth: 0, entityBase: '' }];
  for (let w = stack.pop(); w !== undefined; w = stack.pop()) expand(ctx, w, stack);
  return {
    version: 1,
    size: raw.length,
    root,
    partCount: ctx.count,
    limited: ctx.limited,
    bareLf: hasBareLf(raw),
    attachmentsDecodedBytes: attachmentBytes(root),
  };
}

function hasMessage(p: MimePart): boolean {
  return p.type === 'message' && p.children.length === 1;
}

/**
 * The part that BODY[section] addresses (RFC 9051 §6.4.5), for a section number such as "2.1.3";
 * undefined when there is none. "" is not a part number (BODY[] is the whole message).
 */
export function findPart(index: MessageIndex, section: string): MimePart | undefined {
  if (!/^[1-9][0-9]{0,8}(\.[1-9][0-9]{0,8})*$/.test(section)) return undefined;
  const nums = section.split('.').map(Number);
  let part: MimePart | undefined = index.root;
  for (let i = 0; i < nums.length && part !== undefined; i++) {
    const num = nums[i] as number;
    if (part.type === 'multipart') part = part.children[num - 1];
    else if (num !== 1) part = undefined;
    else if (i + 1 < nums.length && !hasMessage(part)) part = undefined;
    if (part !== undefined && hasMessage(part) && i + 1 < nums.length) {
      part = part.children[0]; // continue inside the encapsulated message
    }
  }
  return part;
}

/** Every part in document order (pre-order), without recursion. */
export function listParts(index: MessageIndex): MimePart[] {
  const out: MimePart[] = [];
  const stack: MimePart[] = [index.root];
  for (let p = stack.pop(); p !== undefined; p = stack.pop()) {
    out.push(p);
    for (let i = p.children.length - 1; i >= 0; i--) stack.push(p.children[i] as MimePart);
  }
  return out;
}
