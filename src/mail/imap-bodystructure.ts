/**
 * IMAP BODY and BODYSTRUCTURE (RFC 9051 §7.5.2, RFC 3501 §7.4.2) as ready-to-send text.
 *
 * Layout
 * - multipart: `(body1body2… "SUBTYPE"` then, for BODYSTRUCTURE only, ` params disposition language
 *   location` and `)`. Bodies are concatenated without spaces (RFC 9051 §9 `1*body SP media-subtype`).
 * - single part: `("TYPE" "SUBTYPE" params id description "ENCODING" size` then for message/rfc822
 *   and message/global ` envelope body lines`, for text/* ` lines`, then for BODYSTRUCTURE only
 *   ` md5 disposition language location`, and `)`. BODYSTRUCTURE always sends every extension field
 *   (NIL when absent), as Dovecot does; BODY never sends them.
 *
 * Choices (documented; the RFC leaves them open)
 * - Case: type, subtype, encoding, parameter names and the disposition type are upper-cased, as in
 *   the RFC examples (`"TEXT" "PLAIN" ("CHARSET" "US-ASCII")`) and Cyrus; they are case-insensitive
 *   (RFC 2045 §5.1). Parameter values, ids, descriptions, languages and locations are sent as written.
 * - RFC 2231 parameters (RFC 9051 §7.5.2 "Servers SHOULD decode parameter-value continuations and
 *   parameter-value character sets"): continuations are joined. A value that came from an extended
 *   (charset) form and is plain printable ASCII is sent as `"NAME" "value"`; any other such value is
 *   sent, converted to UTF-8, as `"NAME*" "utf-8''<percent-encoded>"` (RFC 2231 §4 ext-value), which is
 *   what clients (and Dovecot) read for starred names, is 7-bit, and is the same with and without UTF8=ACCEPT.
 * - Ordinary parameter values and Content-Description keep RFC 2047 encoded words; 8-bit text goes
 *   quoted with UTF8=ACCEPT, as a literal without it (imap-string.ts).
 * - Parts the indexer did not expand (limits) appear with their effective type (structure.ts).
 * - Rendering is iterative, so any depth the indexer produced renders without recursion.
 */
import type { MimeParam } from './header.ts';
import { renderEnvelope } from './imap-envelope.ts';
import { imapString, imapUpper } from './imap-string.ts';
import type { ImapStringOptions } from './imap-string.ts';
import type { MessageIndex, MimePart } from './structure.ts';

export interface BodyStructureOptions extends ImapStringOptions {
  /** true: BODYSTRUCTURE (with extension data); false: BODY. */
  readonly extensible: boolean;
}

// RFC 2231 §7 attribute-char: any CHAR except SPACE, CTLs, "*", "'", "%" and tspecials.
const ATTR_CHAR = new Uint8Array(128);
for (const c of '!#$&+-.^_`|~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') {
  ATTR_CHAR[c.charCodeAt(0)] = 1;
}

function percentEncode(value: string): string {
  let out = '';
  for (const b of Buffer.from(value, 'utf8')) {
    out +=
      b < 128 && ATTR_CHAR[b] === 1
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function renderParams(params: readonly MimeParam[], o: ImapStringOptions): string {
  if (params.length === 0) return 'NIL';
  const pairs: string[] = [];
  for (const p of params) {
    if (p.extended && !PRINTABLE_ASCII.test(p.value)) {
      pairs.push(`${imapUpper(`${p.name}*`, o)} ${imapString(`utf-8''${percentEncode(p.value)}`, o)}`);
    } else {
      pairs.push(`${imapUpper(p.name, o)} ${imapString(p.value, o)}`);
    }
  }
  return `(${pairs.join(' ')})`;
}

function renderDisposition(part: MimePart, o: ImapStringOptions): string {
  const d = part.disposition;
  if (d === null) return 'NIL';
  return `(${imapUpper(d.type, o)} ${renderParams(d.params, o)})`;
}

function renderLanguage(part: MimePart, o: ImapStringOptions): string {
  const l = part.language;
  if (l === null || l.length === 0) return 'NIL';
  if (l.length === 1) return imapString(l[0], o);
  return `(${l.map((x) => imapString(x, o)).join(' ')})`;
}

/** Renders one part given the already rendered bodies of its children. */
function renderNode(part: MimePart, kids: readonly string[], o: BodyStructureOptions): string {
  if (part.type === 'multipart' && kids.length > 0) {
    let s = `(${kids.join('')} ${imapUpper(part.subtype, o)}`;
    if (o.extensible) {
      s += ` ${renderParams(part.params, o)} ${renderDisposition(part, o)} ${renderLanguage(part, o)} ${imapString(
        part.location,
        o,
      )}`;
    }
    return `${s})`;
  }
  let s =
    `(${imapUpper(part.type, o)} ${imapUpper(part.subtype, o)} ${renderParams(part.params, o)}` +
    ` ${imapString(part.id, o)} ${imapString(part.description, o)} ${imapUpper(part.encoding, o)} ${part.size}`;
  const child = part.children[0];
  if (part.type === 'message' && child !== undefined && kids[0] !== undefined) {
    s += ` ${renderEnvelope(child.envelope, o)} ${kids[0]} ${part.lines ?? 0}`;
  } else if (part.type === 'text') {
    s += ` ${part.lines ?? 0}`;
  }
  if (o.extensible) {
    s += ` ${imapString(part.md5, o)} ${renderDisposition(part, o)} ${renderLanguage(part, o)} ${imapString(
      part.location,
      o,
    )}`;
  }
  return `${s})`;
}

interface Frame {
  readonly part: MimePart;
  readonly kids: string[];
  next: number;
}

/** BODY or BODYSTRUCTURE of `part` (usually `index.root`) and everything below it. */
export function renderBodyStructure(part: MimePart, options: BodyStructureOptions): string {
  const stack: Frame[] = [{ part, kids: [], next: 0 }];
  for (;;) {
    const f = stack[stack.length - 1] as Frame;
    const child = f.part.children[f.next];
    if (child !== undefined) {
      f.next++;
      stack.push({ part: child, kids: [], next: 0 });
      continue;
    }
    const s = renderNode(f.part, f.kids, options);
    stack.pop();
    const parent = stack[stack.length - 1];
    if (parent === undefined) return s;
    parent.kids.push(s);
  }
}

/** FETCH BODYSTRUCTURE of a whole message. */
export function bodyStructure(index: MessageIndex, options: ImapStringOptions): string {
  return renderBodyStructure(index.root, { ...options, extensible: true });
}

/** FETCH BODY (no extension data) of a whole message. */
export function body(index: MessageIndex, options: ImapStringOptions): string {
  return renderBodyStructure(index.root, { ...options, extensible: false });
}
