/**
 * FETCH and UID FETCH (RFC 9051 §6.4.5, RFC 3501 §6.4.5 RFC822 items, RFC 3516 BINARY):
 * FLAGS, UID, INTERNALDATE, RFC822.SIZE, MODSEQ, ENVELOPE and BODY/BODYSTRUCTURE (ready-made from
 * the MIME index stored at ingest), BODY[section]<partial>, BODY.PEEK, RFC822(.HEADER/.TEXT),
 * BINARY[part]<partial>, BINARY.SIZE; PREVIEW (RFC 8970) from the preview stored at ingest (NIL
 * when there is none; LAZY gets the same, it is never expensive), SAVEDATE (RFC 8514) in +0700 like
 * INTERNALDATE's zone of day, EMAILID/THREADID (RFC 8474; THREADID is NIL).
 *
 * - Rows are read 100 at a time; message bytes are streamed from the blob with backpressure,
 *   never loaded whole (decoded BINARY parts and HEADER.FIELDS read only their part's range).
 * - The literal length announced is what is sent; if the blob ends early the connection is
 *   closed (IMAP-05), since nothing in-band can repair a broken literal.
 * - BODY[…] without PEEK sets \Seen (not in EXAMINE) and the FLAGS are sent with the data.
 * - A message another session expunged (not yet announced here) is left out and the command ends
 *   NO [EXPUNGEISSUED]: never another message's data (IMAP-10). No EXPUNGE responses follow FETCH.
 * - CONDSTORE (RFC 7162 §3.1.4): MODSEQ and CHANGEDSINCE enable CONDSTORE; CHANGEDSINCE keeps
 *   only messages whose modseq is above it (one indexed query) and implies MODSEQ. With CONDSTORE
 *   on, a FETCH that sets \Seen also sends UID and MODSEQ (§3.1). UID FETCH … (CHANGEDSINCE n
 *   VANISHED) first sends `* VANISHED (EARLIER) uids` of the set's UIDs expunged after n
 *   (§3.2.6); VANISHED without ENABLE QRESYNC is BAD.
 */
import {
  atom,
  compressNumbers,
  formatDateTime,
  list,
  nstr,
  serializeValue,
  MAX_SEQ_NUMBER,
  type FetchAttribute,
  type FetchCommand,
  type Section,
} from '../../../protocol/imap/index.ts';
import { body, bodyStructure, renderEnvelope, type MessageIndex } from '../../../mail/index.ts';
import { storeFlags } from '../../../mailbox/index.ts';
import { ok, type SessionContext } from '../context.ts';
import { ConnectionClosed, errors } from '../errors.ts';
import {
  applyPartial,
  resolveBinary,
  resolveSection,
  sectionSize,
  type SectionData,
} from '../fetch-sections.ts';
import { defineHandler } from '../handler.ts';
import type { SelectedMailbox } from '../selected.ts';
import { SELECTED } from '../state.ts';
import { changedSince, modseqNumber, uidIntervals, vanishedSince } from '../condstore.ts';
import { emailId } from '../object-id.ts';
import { denseUidRange } from '../uid-range.ts';

const BATCH = 500;
/** Literals up to this size are read from the blob in one piece; larger ones are streamed. */
const SMALL_READ = 256 * 1024;
const enc = new TextEncoder();
const dec = new TextDecoder();
/** Asia/Ho_Chi_Minh (UTC+7, no daylight saving) for SAVEDATE. */
const ZONE_MINUTES = 7 * 60;

interface Row {
  uid: number;
  blob_id: string;
  size: number;
  internal_date: number;
  saved_at: number;
  modseq: number;
  flags: string;
  index_json: string | null;
  envelope_json: string | null;
  preview: string | null;
}

function sectionName(s: Section): string {
  const parts = s.part.join('.');
  if (!s.text) return parts;
  const t = s.text;
  const head = parts ? `${parts}.${t.kind}` : t.kind;
  return 'fields' in t ? `${head} (${t.fields.join(' ')})` : head;
}

const needsIndex = (a: FetchAttribute): boolean =>
  a.type !== 'FLAGS' &&
  a.type !== 'UID' &&
  a.type !== 'INTERNALDATE' &&
  a.type !== 'RFC822.SIZE' &&
  a.type !== 'MODSEQ' &&
  a.type !== 'RFC822' &&
  a.type !== 'SAVEDATE' &&
  a.type !== 'EMAILID' &&
  a.type !== 'THREADID';

const setsSeen = (a: FetchAttribute): boolean =>
  ((a.type === 'BODY[]' || a.type === 'BINARY[]') && !a.peek) ||
  a.type === 'RFC822' ||
  a.type === 'RFC822.TEXT';

/** What a FETCH needs from `message_meta`: nothing, the envelope alone, or the whole MIME index. */
type MetaNeed = 'none' | 'envelope' | 'index';

function metaNeed(attrs: readonly FetchAttribute[]): MetaNeed {
  let need: MetaNeed = 'none';
  for (const a of attrs) {
    if (!needsIndex(a)) continue;
    if (a.type !== 'ENVELOPE' && a.type !== 'PREVIEW') return 'index';
    need = 'envelope';
  }
  return need;
}

async function loadRows(
  ctx: SessionContext,
  view: SelectedMailbox,
  uids: number[],
  need: MetaNeed,
): Promise<Map<number, Row>> {
  let q = ctx.deps.store.db
    .selectFrom('messages')
    .where('messages.folder_id', '=', view.folder.id)
    .select([
      'messages.uid',
      'messages.blob_id',
      'messages.size',
      'messages.internal_date',
      'messages.saved_at',
      'messages.modseq',
      'messages.flags',
    ]);
  const range = denseUidRange(uids);
  q = range
    ? q.where('messages.uid', '>=', range[0]).where('messages.uid', '<=', range[1])
    : q.where('messages.uid', 'in', uids);
  const rows =
    need === 'none'
      ? (await q.execute()).map((r) => ({ ...r, index_json: null, envelope_json: null, preview: null }))
      : need === 'envelope'
        ? (
            await q
              .leftJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
              .select(['message_meta.envelope_json', 'message_meta.preview'])
              .execute()
          ).map((r) => ({ ...r, index_json: null }))
        : (
            await q
              .leftJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
              .select(['message_meta.index_json', 'message_meta.preview'])
              .execute()
          ).map((r) => ({ ...r, envelope_json: null }));
  const out = new Map<number, Row>();
  for (const r of rows)
    out.set(Number(r.uid), {
      uid: Number(r.uid),
      blob_id: r.blob_id,
      size: Number(r.size),
      internal_date: Number(r.internal_date),
      saved_at: Number(r.saved_at),
      modseq: Number(r.modseq),
      flags: r.flags,
      index_json: r.index_json ?? null,
      envelope_json: r.envelope_json ?? null,
      preview: r.preview ?? null,
    });
  return out;
}

/** Write one section's data as a literal (or NIL), streaming blob ranges. */
async function writeData(ctx: SessionContext, blobId: string, d: SectionData): Promise<void> {
  if (d.kind === 'nil') return ctx.send(enc.encode('NIL'));
  const size = sectionSize(d);
  if (d.kind === 'bytes') {
    const nul = d.data.includes(0);
    const data = nul && !d.binary ? d.data.map((b) => (b === 0 ? 0x80 : b)) : d.data;
    await ctx.send(enc.encode(`${nul && d.binary ? '~' : ''}{${size}}\r\n`));
    return ctx.send(data);
  }
  await ctx.send(enc.encode(`${d.binary ? '~' : ''}{${size}}\r\n`));
  if (size === 0) return;
  let sent = 0;
  try {
    if (size <= SMALL_READ) {
      // One open/read/close for the common small message, instead of a stream.
      let c = await ctx.deps.blobs.readRange(blobId, d.start, d.start + size);
      if (!d.binary && c.includes(0)) c = Buffer.from(c.map((b) => (b === 0 ? 0x80 : b)));
      await ctx.send(c);
      sent = c.length;
    } else {
      const stream = await ctx.deps.blobs.get(blobId, { start: d.start, end: d.end });
      for await (const chunk of stream) {
        let c = chunk as Buffer;
        if (c.length > size - sent) c = c.subarray(0, size - sent);
        if (!d.binary && c.includes(0)) c = Buffer.from(c.map((b) => (b === 0 ? 0x80 : b)));
        await ctx.send(c);
        sent += c.length;
      }
    }
  } catch (e) {
    if (e instanceof ConnectionClosed) throw e;
    ctx.log.error({ err: e, blobId }, 'imap: blob read failed inside a literal; closing');
  }
  if (sent !== size) {
    ctx.close();
    throw new ConnectionClosed('literal broken off');
  }
}

async function writeMessage(
  ctx: SessionContext,
  seq: number,
  row: Row,
  attrs: readonly FetchAttribute[],
  extra: { uid: boolean; flags: boolean; modseq: boolean },
): Promise<string | null> {
  const o = { utf8: ctx.utf8 };
  let index: MessageIndex | null = null;
  const idx = (): MessageIndex => (index ??= JSON.parse(row.index_json ?? 'null') as MessageIndex);
  const flagsText = (): string => `FLAGS (${row.flags})`;
  const items: Array<string | (() => Promise<void>)> = [];
  let wroteUid = false;
  let wroteFlags = false;
  let wroteModseq = false;
  for (const a of attrs) {
    switch (a.type) {
      case 'UID':
        if (!wroteUid) items.push(`UID ${row.uid}`);
        wroteUid = true;
        break;
      case 'FLAGS':
        if (!wroteFlags) items.push(flagsText());
        wroteFlags = true;
        break;
      case 'INTERNALDATE':
        items.push(`INTERNALDATE "${formatDateTime(row.internal_date, 0)}"`);
        break;
      case 'RFC822.SIZE':
        items.push(`RFC822.SIZE ${row.size}`);
        break;
      case 'MODSEQ':
        if (!wroteModseq) items.push(`MODSEQ (${row.modseq})`);
        wroteModseq = true;
        break;
      case 'ENVELOPE': {
        const envelope =
          row.envelope_json !== null
            ? (JSON.parse(row.envelope_json) as MessageIndex['root']['envelope'])
            : idx().root.envelope;
        items.push(`ENVELOPE ${renderEnvelope(envelope, o)}`);
        break;
      }
      case 'BODYSTRUCTURE':
        items.push(`BODYSTRUCTURE ${bodyStructure(idx(), o)}`);
        break;
      case 'BODY':
        items.push(`BODY ${body(idx(), o)}`);
        break;
      case 'RFC822':
        items.push('RFC822 ', async () =>
          writeData(ctx, row.blob_id, { kind: 'range', start: 0, end: row.size, binary: false }),
        );
        break;
      case 'RFC822.HEADER':
      case 'RFC822.TEXT': {
        const section: Section = { part: [], text: { kind: a.type === 'RFC822.HEADER' ? 'HEADER' : 'TEXT' } };
        const d = await resolveSection(ctx.deps.blobs, row.blob_id, idx(), section);
        items.push(`${a.type} `, async () => writeData(ctx, row.blob_id, d));
        break;
      }
      case 'BODY[]': {
        const d = applyPartial(
          await resolveSection(ctx.deps.blobs, row.blob_id, idx(), a.section),
          a.partial,
        );
        const origin = a.partial ? `<${a.partial.offset}>` : '';
        items.push(`BODY[${sectionName(a.section)}]${origin} `, async () => writeData(ctx, row.blob_id, d));
        break;
      }
      case 'BINARY[]': {
        const d = applyPartial(await resolveBinary(ctx.deps.blobs, row.blob_id, idx(), a.part), a.partial);
        const origin = a.partial ? `<${a.partial.offset}>` : '';
        items.push(`BINARY[${a.part.join('.')}]${origin} `, async () => writeData(ctx, row.blob_id, d));
        break;
      }
      case 'PREVIEW':
        // RFC 8970 §3: a string (UTF-8 only with UTF8=ACCEPT enabled, else a literal) or NIL.
        items.push(`PREVIEW ${dec.decode(serializeValue(nstr(row.preview || null), o))}`);
        break;
      case 'SAVEDATE':
        items.push(`SAVEDATE "${formatDateTime(row.saved_at, ZONE_MINUTES)}"`);
        break;
      case 'EMAILID':
        items.push(`EMAILID (${emailId(row.blob_id)})`);
        break;
      case 'THREADID':
        items.push('THREADID NIL');
        break;
      case 'BINARY.SIZE[]': {
        const d = await resolveBinary(ctx.deps.blobs, row.blob_id, idx(), a.part);
        items.push(`BINARY.SIZE[${a.part.join('.')}] ${sectionSize(d)}`);
        break;
      }
    }
  }
  if (extra.uid && !wroteUid) items.push(`UID ${row.uid}`);
  if (extra.flags && !wroteFlags) items.push(flagsText());
  if (extra.modseq && !wroteModseq) items.push(`MODSEQ (${row.modseq})`);
  if (items.every((it) => typeof it === 'string')) return `* ${seq} FETCH (${items.join(' ')})\r\n`;
  let line = `* ${seq} FETCH (`;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (typeof it === 'string') {
      line += it;
      const next = items[i + 1];
      if (i + 1 < items.length && typeof next === 'string') line += ' ';
    } else {
      await ctx.send(enc.encode(line));
      line = '';
      await it();
      if (i + 1 < items.length) line += ' ';
    }
  }
  await ctx.send(enc.encode(`${line})\r\n`));
  return null;
}

export const fetch = defineHandler<FetchCommand>({
  name: 'FETCH',
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(ctx, cmd) {
    const state = ctx.state;
    if (state.kind !== 'selected') throw errors.wrongState();
    const view = state.mailbox;
    if (cmd.vanished && !ctx.qresync) throw errors.qresyncNotEnabled();
    if (cmd.changedSince !== undefined || cmd.attributes.some((a) => a.type === 'MODSEQ'))
      ctx.enable('CONDSTORE');
    let targets = view.resolve(cmd.set, cmd.uid);
    if (cmd.changedSince !== undefined) {
      const since = modseqNumber(cmd.changedSince);
      if (cmd.vanished) {
        // `*` reaches every UID above, so expunges of the highest messages are reported too.
        const within = uidIntervals(cmd.set, MAX_SEQ_NUMBER) ?? [];
        const gone = await vanishedSince(ctx.deps.store, view.folder.id, since, within);
        if (gone.length > 0)
          await ctx.untagged([atom('VANISHED'), list([atom('EARLIER')]), atom(compressNumbers(gone))]);
      }
      const changed = await changedSince(ctx.deps.store, view.folder.id, since);
      targets = targets.filter(([, uid]) => changed.has(uid));
    }
    const need = metaNeed(cmd.attributes);
    const withLiterals = cmd.attributes.some(
      (a) =>
        a.type === 'RFC822' ||
        a.type === 'RFC822.HEADER' ||
        a.type === 'RFC822.TEXT' ||
        a.type === 'BODY[]' ||
        a.type === 'BINARY[]',
    );
    // RFC 4314 §4: the implicit \Seen of FETCH needs the right "s" (a delegate with it keeps it).
    const wantsSeen = !view.readOnly && view.rights.includes('s') && cmd.attributes.some(setsSeen);
    let missing = false;
    for (let i = 0; i < targets.length; i += BATCH) {
      const batch = targets.slice(i, i + BATCH);
      const rows = await loadRows(
        ctx,
        view,
        batch.map(([, u]) => u),
        need,
      );
      const seenNow = new Set<number>();
      let gathered = '';
      if (wantsSeen) {
        const unseen = [...rows.values()]
          .filter((r) => !r.flags.split(' ').includes('\\Seen'))
          .map((r) => r.uid);
        if (unseen.length > 0) {
          const r = await storeFlags(ctx.deps, view.folder, unseen, 'add', ['\\Seen']);
          view.noteOwnModseqs(r.changed.map((c) => c.modseq));
          for (const c of r.changed) {
            const row = rows.get(c.uid);
            if (row) {
              row.flags = c.flags.join(' ');
              row.modseq = c.modseq;
            }
            seenNow.add(c.uid);
          }
        }
      }
      for (const [seq, uid] of batch) {
        const row = rows.get(uid);
        if (!row) {
          missing = true;
          continue;
        }
        const seen = seenNow.has(uid);
        if (gathered !== '' && withLiterals) {
          await ctx.send(enc.encode(gathered));
          gathered = '';
        }
        const line = await writeMessage(ctx, seq, row, cmd.attributes, {
          uid: cmd.uid || (seen && ctx.condstore),
          flags: seen,
          modseq: cmd.changedSince !== undefined || (seen && ctx.condstore),
        });
        // Responses without literals are gathered and sent once per batch; one with a literal
        // was written (streamed) by writeMessage, after what was gathered before it.
        if (line !== null) gathered += line;
      }
      if (gathered !== '') await ctx.send(enc.encode(gathered));
    }
    if (missing) throw errors.expungeIssued();
    return ok(cmd.uid ? 'UID FETCH completed' : 'FETCH completed');
  },
});
