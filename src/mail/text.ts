/**
 * Plain text of an indexed message, for search and for the preview (RFC 8970 PREVIEW).
 *
 * Purpose: `extractText(raw, index)` gives decoded subject and addresses, the body text, the
 * attachment file names and a preview of at most 256 characters (RFC 8970 §3: "MUST NOT exceed 256").
 *
 * Rules
 * - Which parts: the inline text/plain and text/html parts in document order; in multipart/alternative
 *   (RFC 2046 §5.1.4) the text/plain alternative is preferred, then text/html, then a nested multipart.
 *   Parts with Content-Disposition: attachment are skipped; inline message/rfc822 bodies (forwards)
 *   are included.
 * - Decoding: transfer encoding per transfer-encoding.ts; charset by libmime/iconv-lite (windows-1258,
 *   VISCII, TCVN, ISO-2022-JP …; unknown or refused charsets such as UTF-7 decode as UTF-8 with U+FFFD,
 *   MIME-05); no or US-ASCII charset with 8-bit bytes: UTF-8 when valid, else the fallback charset.
 *   format=flowed (RFC 3676) is unwrapped. Output is NFC (windows-1258 and decomposed Vietnamese
 *   input compose to the precomposed forms), CRLF becomes LF, control characters are removed.
 * - HTML: scripts, styles, head, templates and comments are dropped, tags removed (block tags become
 *   line breaks), character references decoded. A linear scanner, not regular expressions with
 *   backtracking, so hostile HTML cannot make it quadratic.
 * - Bounded: at most `maxTextChars` characters of text (default 1 Mi), and per part at most 8 bytes
 *   of raw body per wanted character are decoded; `truncated` says when the bound cut the text.
 */
import { isUtf8 } from 'node:buffer';
import libmime from 'libmime';
import { decode as decodeCharset } from 'libmime/lib/charset.js';
import { formatAddressList } from './address-list.ts';
import { DEFAULT_FALLBACK_CHARSET, decodeHeaderWords, paramValue } from './header.ts';
import { listParts } from './structure.ts';
import type { MessageIndex, MimePart } from './structure.ts';
import { decodeBody } from './transfer-encoding.ts';

export interface ExtractOptions {
  /** Most characters of body text kept. Default 1,048,576. */
  readonly maxTextChars?: number;
  /** Charset for undeclared 8-bit text that is not UTF-8. Default windows-1258. */
  readonly fallbackCharset?: string;
}

export interface ExtractedText {
  readonly subject: string;
  /** Decoded mailboxes as `Name <local@host>`, joined with ", ". */
  readonly from: string;
  readonly to: string;
  readonly cc: string;
  readonly text: string;
  /** Decoded file names of every part that has one, in document order. */
  readonly attachmentNames: readonly string[];
  /** At most 256 characters, whitespace collapsed, quoted lines left out (RFC 8970). */
  readonly preview: string;
  readonly truncated: boolean;
}

export const DEFAULT_MAX_TEXT_CHARS = 1024 * 1024;
export const PREVIEW_MAX_CHARS = 256;
const MAX_ATTACHMENT_NAMES = 1000;

const PLAIN_ASCII = /^(us-ascii|ascii|ansi_x3\.4-1968)$/i;
const UTF8 = /^utf-?8$/i;

/** Decodes body bytes in a declared charset (see the module doc for the fallbacks). */
export function decodeTextBytes(bytes: Buffer, charset: string | undefined, fallback: string): string {
  const cs = (charset ?? '').trim();
  if (cs === '' || PLAIN_ASCII.test(cs))
    return isUtf8(bytes) ? bytes.toString('utf8') : decodeCharset(bytes, fallback);
  if (UTF8.test(cs)) return bytes.toString('utf8');
  return decodeCharset(bytes, cs);
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function cleanText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(CONTROLS, '')
    .replace(/\u00a0/g, ' ')
    .normalize('NFC');
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  shy: '',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  deg: '°',
  euro: '€',
  times: '×',
  divide: '÷',
  ordm: 'º',
  ordf: 'ª',
  Dstrok: 'Đ',
  dstrok: 'đ',
  ETH: 'Đ',
  eth: 'đ',
  zwnj: '',
  zwj: '',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
};
// HTML 4 Latin-1 letters (À..ÿ), which cover the Vietnamese base letters with one mark.
const LATIN1_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['Agrave', 'À'],
  ['Aacute', 'Á'],
  ['Acirc', 'Â'],
  ['Atilde', 'Ã'],
  ['Egrave', 'È'],
  ['Eacute', 'É'],
  ['Ecirc', 'Ê'],
  ['Igrave', 'Ì'],
  ['Iacute', 'Í'],
  ['Ograve', 'Ò'],
  ['Oacute', 'Ó'],
  ['Ocirc', 'Ô'],
  ['Otilde', 'Õ'],
  ['Ugrave', 'Ù'],
  ['Uacute', 'Ú'],
  ['Yacute', 'Ý'],
  ['Auml', 'Ä'],
  ['Ouml', 'Ö'],
  ['Uuml', 'Ü'],
  ['Ccedil', 'Ç'],
  ['Ntilde', 'Ñ'],
  ['Aring', 'Å'],
  ['AElig', 'Æ'],
  ['Oslash', 'Ø'],
  ['Euml', 'Ë'],
  ['Iuml', 'Ï'],
  ['Icirc', 'Î'],
  ['Ucirc', 'Û'],
  ['szlig', 'ß'],
];
for (const [name, ch] of LATIN1_NAMES) {
  ENTITIES[name] = ch;
  if (name !== 'szlig') ENTITIES[name.toLowerCase()] = ch.toLowerCase();
}

const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));?/g;

/** Decodes HTML character references (numeric, and the common named ones). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (m: string, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return ENTITIES[name] ?? m;
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(cp);
  });
}

const SKIP_CONTENT = new Set(['script', 'style', 'head', 'template', 'xml', 'title']);
const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'ul',
  'ol',
  'blockquote',
  'pre',
  'hr',
  'section',
  'article',
  'header',
  'footer',
  'dd',
  'dt',
  'dl',
  'address',
  'center',
  'body',
]);
const CLOSERS = new Map([...SKIP_CONTENT].map((t) => [t, new RegExp(`</${t}[\\s>/]`, 'gi')]));

/** End of a tag that starts at `lt` (the index of its '>'), honouring quoted attribute values. */
function tagEnd(html: string, lt: number): number {
  let i = lt + 1;
  while (i < html.length) {
    const c = html[i];
    if (c === '>') return i;
    if (c === '"' || c === "'") {
      const q = html.indexOf(c, i + 1);
      if (q < 0) return html.indexOf('>', lt + 1); // unterminated quote: first '>' wins
      i = q + 1;
    } else i++;
  }
  return -1;
}

/** Text of an HTML document: linear scan (see the module doc). */
export function htmlToText(html: string): string {
  const out: string[] = [];
  const text = (s: string): void => {
    if (s !== '') out.push(decodeEntities(s.replace(/[ \t\r\n\f]+/g, ' ')));
  };
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    const next = html[lt + 1] ?? '';
    if (!/[A-Za-z/!?]/.test(next)) {
      text(html.slice(i, lt + 1)); // a literal "<"
      i = lt + 1;
      continue;
    }
    text(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const e = html.indexOf('-->', lt + 4);
      i = e < 0 ? html.length : e + 3;
      continue;
    }
    const gt = tagEnd(html, lt);
    if (gt < 0) break; // a tag that never ends: drop the rest
    const m = /^<\/?([A-Za-z][A-Za-z0-9:-]*)/.exec(html.slice(lt, Math.min(gt + 1, lt + 64)));
    const name = m?.[1]?.toLowerCase() ?? '';
    const closing = html[lt + 1] === '/';
    i = gt + 1;
    if (BLOCK.has(name)) out.push('\n');
    else if (name === 'td' || name === 'th') out.push(' ');
    const closer = CLOSERS.get(name);
    if (closer !== undefined && !closing && html[gt - 1] !== '/') {
      closer.lastIndex = i;
      const c = closer.exec(html);
      if (c === null) break;
      const e = html.indexOf('>', c.index);
      i = e < 0 ? html.length : e + 1;
    }
  }
  return out
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** RFC 8970 preview: quoted lines left out, whitespace collapsed, at most 256 characters. */
export function makePreview(text: string): string {
  const lines: string[] = [];
  let len = 0;
  for (const line of text.split('\n', 4096)) {
    if (line.trimStart().startsWith('>')) continue;
    lines.push(line);
    len += line.length;
    if (len > PREVIEW_MAX_CHARS * 4) break;
  }
  const flat = lines.join(' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat.slice(0, PREVIEW_MAX_CHARS * 2));
  return chars.length <= PREVIEW_MAX_CHARS
    ? chars.join('')
    : chars.slice(0, PREVIEW_MAX_CHARS).join('').trimEnd();
}

function isBodyText(p: MimePart): boolean {
  return (
    p.type === 'text' &&
    (p.subtype === 'plain' || p.subtype === 'html') &&
    p.disposition?.type !== 'attachment'
  );
}

/** The alternative to read in a multipart/alternative. */
function chooseAlternative(children: readonly MimePart[]): MimePart | undefined {
  return (
    children.find((c) => c.type === 'text' && c.subtype === 'plain' && isBodyText(c)) ??
    children.find((c) => c.type === 'text' && c.subtype === 'html' && isBodyText(c)) ??
    children.find((c) => c.type === 'multipart' || c.type === 'message') ??
    children[children.length - 1]
  );
}

/** The decoded text of one text/plain or text/html part, reading at most `maxRaw` raw bytes. */
function partText(raw: Buffer, p: MimePart, maxRaw: number, fallback: string): string {
  const body = raw.subarray(p.bodyStart, Math.min(p.end, p.bodyStart + maxRaw));
  const bytes = decodeBody(body, p.encoding) ?? body;
  let s = decodeTextBytes(bytes, paramValue(p.params, 'charset'), fallback);
  if (p.subtype === 'html') return htmlToText(s);
  if (paramValue(p.params, 'format')?.toLowerCase() === 'flowed') {
    s = libmime.decodeFlowed(s, paramValue(p.params, 'delsp')?.toLowerCase() === 'yes');
  }
  return s;
}

/** Decoded text of a message for search and preview. Never throws on message content. */
export function extractText(raw: Buffer, index: MessageIndex, options: ExtractOptions = {}): ExtractedText {
  const max = options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const fallback = options.fallbackCharset ?? DEFAULT_FALLBACK_CHARSET;
  const env = index.root.envelope;
  const pieces: string[] = [];
  let total = 0;
  let truncated = false;
  const stack: MimePart[] = [index.root];
  for (let p = stack.pop(); p !== undefined; p = stack.pop()) {
    if (total >= max) {
      truncated = true;
      break;
    }
    if (p.type === 'multipart') {
      if (p.subtype === 'alternative') {
        const alt = chooseAlternative(p.children);
        if (alt !== undefined) stack.push(alt);
      } else for (let i = p.children.length - 1; i >= 0; i--) stack.push(p.children[i] as MimePart);
    } else if (p.type === 'message' && p.children[0] !== undefined) {
      if (p.disposition?.type !== 'attachment') stack.push(p.children[0]);
    } else if (isBodyText(p)) {
      const want = max - total;
      let s: string;
      try {
        s = cleanText(partText(raw, p, want * 8 + 16, fallback)).trim();
      } catch {
        s = ''; // a decoder failure costs this part's text, never the ingest
      }
      if (s.length > want) {
        s = s.slice(0, want);
        truncated = true;
      }
      if (s !== '') {
        pieces.push(s);
        total += s.length + 2;
      }
    }
  }
  const attachmentNames = listParts(index)
    .map((p) => p.filename)
    .filter((n): n is string => n !== null)
    .slice(0, MAX_ATTACHMENT_NAMES);
  const text = pieces.join('\n\n');
  return {
    subject: decodeHeaderWords(env?.subject ?? ''),
    from: formatAddressList(env?.from ?? []),
    to: formatAddressList(env?.to ?? []),
    cc: formatAddressList(env?.cc ?? []),
    text,
    attachmentNames,
    preview: makePreview(text),
    truncated,
  };
}
