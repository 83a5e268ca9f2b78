/**
 * What BODY[section]<partial> and BINARY[part]<partial> address, from the MIME index stored at
 * ingest (part byte offsets; src/mail structure.ts), without loading the message (RFC 9051 §6.4.5,
 * RFC 3516 §4.2; IMAP-05):
 *   []            the whole message                      → a byte range of the blob
 *   [HEADER]      the top header, blank line included     → a byte range
 *   [TEXT]        the top body                           → a byte range
 *   [n…]          the body of part n…                    → a byte range
 *   [n….MIME]     the MIME header of part n…             → a byte range
 *   [n….HEADER|TEXT|HEADER.FIELDS] of a message/rfc822 part: the encapsulated message's
 *   [… HEADER.FIELDS (…)] / .NOT                          → the header range read and filtered
 *   a part that does not exist                           → NIL
 * Partial `<o.l>`: a start past the end gives "" (never negative, never beyond the range).
 */
import {
  decodeBody,
  findPart,
  parseHeaderBlock,
  type MessageIndex,
  type MimePart,
} from '../../mail/index.ts';
import type { BlobStore } from '../../store/index.ts';
import type { FetchPartial, Section } from '../../protocol/imap/index.ts';
import { errors } from './errors.ts';

export type SectionData =
  | { kind: 'range'; start: number; end: number; binary: boolean }
  | { kind: 'bytes'; data: Buffer; binary: boolean }
  | { kind: 'nil' };

/** Read [start, end) of a blob into memory (headers, parts to decode; bounded by the message size). */
export async function readRange(blobs: BlobStore, id: string, start: number, end: number): Promise<Buffer> {
  if (end <= start) return Buffer.alloc(0);
  const stream = await blobs.get(id, { start, end });
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

function part(index: MessageIndex, nums: readonly number[]): MimePart | undefined {
  return nums.length === 0 ? index.root : findPart(index, nums.join('.'));
}

/** The message entity a HEADER/TEXT section of `nums` refers to. */
function entity(index: MessageIndex, nums: readonly number[]): MimePart | undefined {
  if (nums.length === 0) return index.root;
  const p = part(index, nums);
  if (!p) return undefined;
  if (p.type === 'message' && p.children[0]) return p.children[0];
  return undefined;
}

function headerFields(raw: Buffer, names: readonly string[], not: boolean): Buffer {
  const want = new Set(names.map((n) => n.toLowerCase()));
  const block = parseHeaderBlock(raw, 0, raw.length);
  const out: Buffer[] = [];
  for (const f of block.fields) if (want.has(f.key) !== not) out.push(raw.subarray(f.start, f.end));
  out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

export async function resolveSection(
  blobs: BlobStore,
  blobId: string,
  index: MessageIndex,
  section: Section,
): Promise<SectionData> {
  const text = section.text;
  if (!text) {
    if (section.part.length === 0) return { kind: 'range', start: 0, end: index.size, binary: false };
    const p = part(index, section.part);
    return p ? { kind: 'range', start: p.bodyStart, end: p.end, binary: false } : { kind: 'nil' };
  }
  if (text.kind === 'MIME') {
    const p = part(index, section.part);
    return p ? { kind: 'range', start: p.headerStart, end: p.bodyStart, binary: false } : { kind: 'nil' };
  }
  const e = entity(index, section.part);
  if (!e) return { kind: 'nil' };
  switch (text.kind) {
    case 'HEADER':
      return { kind: 'range', start: e.headerStart, end: e.bodyStart, binary: false };
    case 'TEXT':
      return { kind: 'range', start: e.bodyStart, end: e.end, binary: false };
    case 'HEADER.FIELDS':
    case 'HEADER.FIELDS.NOT': {
      const raw = await readRange(blobs, blobId, e.headerStart, e.bodyStart);
      return {
        kind: 'bytes',
        data: headerFields(raw, text.fields, text.kind === 'HEADER.FIELDS.NOT'),
        binary: false,
      };
    }
  }
}

/** BINARY[part] (RFC 3516): the part's body with its transfer encoding removed. */
export async function resolveBinary(
  blobs: BlobStore,
  blobId: string,
  index: MessageIndex,
  nums: readonly number[],
): Promise<SectionData> {
  if (nums.length === 0) return { kind: 'range', start: 0, end: index.size, binary: true };
  const p = part(index, nums);
  if (!p) return { kind: 'nil' };
  if (p.type === 'multipart' || p.type === 'message' || ['7bit', '8bit', 'binary'].includes(p.encoding))
    return { kind: 'range', start: p.bodyStart, end: p.end, binary: true };
  const body = await readRange(blobs, blobId, p.bodyStart, p.end);
  const decoded = decodeBody(body, p.encoding);
  if (!decoded) throw errors.unknownCte();
  return { kind: 'bytes', data: decoded, binary: true };
}

/** Size of the data a section names. */
export function sectionSize(d: SectionData): number {
  return d.kind === 'range' ? d.end - d.start : d.kind === 'bytes' ? d.data.length : 0;
}

/** Apply `<offset.length>`: clamp into the data; a start past the end is empty. */
export function applyPartial(d: SectionData, p: FetchPartial | undefined): SectionData {
  if (!p || d.kind === 'nil') return d;
  if (d.kind === 'range') {
    const start = Math.min(d.start + p.offset, d.end);
    const end = Math.min(start + p.length, d.end);
    return { ...d, start, end };
  }
  const start = Math.min(p.offset, d.data.length);
  return { ...d, data: d.data.subarray(start, Math.min(start + p.length, d.data.length)) };
}
