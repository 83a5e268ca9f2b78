/**
 * Classified-document incidents (Điều 10.4, 11.3): a recipient finds that a message it received
 * contains state-secret content.
 *
 * - `report`: the holder of the mailbox (or a delegate of an agency mailbox, Điều 10.1 and 10.4)
 *   reports a message of that mailbox (folder + UID). One
 *   transaction: the numbered incident ("SC-MAT-2026-0001") with the message reference (blob id =
 *   SHA-256 of the bytes, Message-ID, sender, mailbox/folder/UID), one blob reference held by the
 *   incident (the reported bytes survive even if the holder expunges them before containment),
 *   the first event of the chain of custody, the notices in the register, the audit event. After
 *   the commit: the notices are mailed to the head of the agency where it was found (agency
 *   mailbox and agency administrators) and the operators, and to the sending agency (its agency
 *   mailbox when the sender is local; the sender's address through the outbound queue when it is
 *   remote and a queue is attached, otherwise the timeline records that it was not sent).
 * - `contain` (operator): one transaction removes every message row, in every account, that holds
 *   the same bytes or carries the same Message-ID, with EXPUNGE's semantics (tombstones, MODSEQ,
 *   used bytes; mailbox/messages.ts `removeMessageRows`); each copy becomes a quarantine row that
 *   takes over the row's blob reference, so garbage collection never deletes the evidence. The
 *   'expunge' events are published after the commit: open IMAP sessions see EXPUNGE/VANISHED.
 *   Running it again quarantines copies delivered since, and changes nothing when there are none.
 * - `assess`, `close` (operator): the state machine in state.ts, each with an event and an audit.
 * - `grantContent` (operator): lets one security auditor read one incident's quarantined message.
 * - `show`/`list`: operator and auditor everything; an agency administrator its agency's
 *   incidents. Metadata only. `content`: the raw bytes for the operator or a granted auditor;
 *   every read is an event of the chain and an audit event, written before the bytes are given.
 */
import type { Clock } from '../../util/clock.ts';
import { conflict, forbidden, invalid, notFound } from '../../util/errors.ts';
import { uuidv7 } from '../../util/ids.ts';
import {
  acquireBlob,
  appendAudit,
  type BlobStore,
  type DataStore,
  type Db,
  type Tx,
} from '../../store/index.ts';
import {
  authorise,
  can,
  delegationFor,
  resolveAccount,
  type Caller,
  type Directory,
} from '../../directory/index.ts';
import { agencyIdOf, findOrgByCode, findOrgById, requireAccount } from '../../directory/context.ts';
import type { Envelope } from '../../mail/index.ts';
import { findFolder, removeMessageRows, type ChangeFeed } from '../../mailbox/index.ts';
import { vnDate } from '../lifecycle-dates.ts';
import type { NoticeService, NoticeText } from '../notices.ts';
import { appendIncidentEvent, lockIncident, sha256OfBlob, type EventRow } from './custody.ts';
import { INCIDENT_STATES, nextIncidentState, type IncidentState } from './state.ts';
import { reportedText, senderText, type IncidentFacts } from './texts.ts';
import {
  incidentDetail,
  incidentView,
  type IncidentDetail,
  type IncidentRow,
  type IncidentView,
} from './views.ts';

/** The outbound queue's port (src/queue OutboundQueue fits), for notifying a remote sender. */
export interface IncidentOutbound {
  enqueue(message: {
    content: Buffer;
    mailFrom: string;
    recipients: string[];
    submittedBy: string | null;
  }): Promise<{ id: string }>;
}

export interface IncidentDeps {
  store: DataStore;
  blobs: BlobStore;
  directory: Directory;
  notices: NoticeService;
  feed: ChangeFeed;
  clock: Clock;
}

export interface ReportInput {
  /** A mailbox the caller uses by delegation (Điều 10.1); default: its own. */
  mailbox?: string;
  folder: string;
  uid: number;
  note?: string;
}

export interface IncidentFilter {
  agency?: string;
  state?: string;
  limit?: number;
}

const NUMBER_LOCK = 'incidents.number';
const KIND = 'state-secret';

function cleanText(v: unknown, field: string, max: number, required: boolean): string | null {
  const t = typeof v === 'string' ? v.normalize('NFC').trim() : '';
  if (t === '' && !required) return null;
  if (t === '' || t.length > max || /[\p{Cc}]/u.test(t.replace(/[\r\n\t]/g, '')))
    throw invalid(
      `incident.bad-${field}`,
      required
        ? `Nội dung "${field}" là bắt buộc (tối đa ${max} ký tự).`
        : `Nội dung "${field}" không hợp lệ (tối đa ${max} ký tự).`,
      required
        ? `"${field}" is required (at most ${max} characters).`
        : `"${field}" is not valid (at most ${max} characters).`,
      { field },
    );
  return t;
}

function senderOf(envelopeJson: string | null | undefined): string | null {
  if (!envelopeJson) return null;
  const env = JSON.parse(envelopeJson) as Envelope | null;
  const a = env?.from?.find((x) => x.kind === 'mailbox' && x.mailbox && x.host);
  return a ? `${a.mailbox}@${a.host}`.toLowerCase() : null;
}

export class IncidentService {
  private outbound: IncidentOutbound | null = null;

  constructor(private readonly deps: IncidentDeps) {}

  /** Attach the outbound queue (the server and the CLI do): remote senders are then notified. */
  useOutbound(outbound: IncidentOutbound | null): void {
    this.outbound = outbound;
  }

  // ─── Report ──────────────────────────────────────────────────────────────────────────────────

  async report(caller: Caller, input: ReportInput): Promise<IncidentView> {
    const { store, directory, clock, notices } = this.deps;
    const db = store.db;
    const own = await db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', caller.principal.accountId)
      .executeTakeFirst();
    if (!own)
      throw invalid(
        'incident.no-mailbox',
        'Chỉ người có hộp thư mới báo cáo được thư trong hộp thư của mình.',
        'Only a mailbox holder can report a message of its own mailbox.',
      );
    authorise(caller, 'incident.report', {
      accountId: own.id,
      agencyId: agencyIdOf(await findOrgById(db, own.org_id)),
    });
    // Điều 10.4: a message of an agency mailbox is reported by whoever uses it by delegation.
    let account = own;
    if (input.mailbox !== undefined) {
      const box = await requireAccount(db, directory.ctx.settings, input.mailbox);
      if (box.id !== own.id) {
        const d = await delegationFor(db, own.id, box.id);
        if (!d || !d.rights.includes('r'))
          throw forbidden(
            'incident.not-your-mailbox',
            `Bạn không được ủy quyền sử dụng hộp thư ${box.local_part}@${box.domain}.`,
            `You are not a delegate of the mailbox ${box.local_part}@${box.domain}.`,
          );
        account = box;
      }
    }
    const agency = agencyIdOf(await findOrgById(db, account.org_id));
    const note = cleanText(input.note, 'note', 2000, false);
    const folder = await findFolder(db, account.id, input.folder);
    const msg = folder
      ? await db
          .selectFrom('messages')
          .select(['blob_id', 'size', 'uid'])
          .where('folder_id', '=', folder.id)
          .where('uid', '=', input.uid)
          .executeTakeFirst()
      : undefined;
    if (!folder || !msg)
      throw notFound(
        'incident.message-not-found',
        `Không có thư UID ${input.uid} trong thư mục "${input.folder}" của hộp thư.`,
        `No message with UID ${input.uid} in the folder "${input.folder}" of the mailbox.`,
      );
    const meta = await db
      .selectFrom('message_meta')
      .select(['message_id', 'envelope_json', 'sent_at'])
      .where('blob_id', '=', msg.blob_id)
      .executeTakeFirst();
    const messageId = meta?.message_id ?? null;
    const sender = senderOf(meta?.envelope_json);
    const agencyOrg = agency ? await findOrgById(db, agency) : null;
    const address = `${account.local_part}@${account.domain}`;
    const reporter = caller.actor.label ?? `${own.local_part}@${own.domain}`;
    const heads = await this.headsAndOperators(db, agency);
    const senderTarget = await this.senderTarget(db, sender);
    const now = clock.now();
    const id = uuidv7(now.getTime());
    const out = await store.write(async (tx) => {
      await tx.lock(NUMBER_LOCK);
      // One open incident per message and agency (checked under the lock: two reporters race).
      const open = await tx.db
        .selectFrom('incidents')
        .select('number')
        .where('blob_id', '=', msg.blob_id)
        .where('state', '<>', 'closed')
        .where((eb) => (agency === null ? eb('agency_id', 'is', null) : eb('agency_id', '=', agency)))
        .executeTakeFirst();
      if (open)
        throw conflict(
          'incident.already-reported',
          `Thư này đã được báo cáo trong sự cố ${open.number}.`,
          `This message was already reported as incident ${open.number}.`,
          { number: open.number },
        );
      const year = Number(vnDate(now).slice(0, 4));
      const last = await tx.db
        .selectFrom('incidents')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('year', '=', year)
        .executeTakeFirst();
      const seq = Number(last?.seq ?? 0) + 1;
      const number = `SC-MAT-${year}-${String(seq).padStart(4, '0')}`;
      // The incident holds the reported bytes until the evidence is released.
      await acquireBlob(tx, this.deps.blobs, msg.blob_id, Number(msg.size), now);
      await tx.db
        .insertInto('incidents')
        .values({
          id,
          year,
          seq,
          number,
          kind: KIND,
          state: 'reported',
          agency_id: agency,
          reporter_id: caller.actor.id,
          reporter_label: reporter,
          mailbox_id: account.id,
          mailbox_address: address,
          folder_name: folder.name,
          uid: Number(msg.uid),
          uid_validity: Number(folder.uid_validity),
          blob_id: msg.blob_id,
          size: Number(msg.size),
          message_id: messageId,
          sender,
          note,
          assessment: null,
          reported_at: now.getTime(),
          contained_at: null,
          assessed_at: null,
          closed_at: null,
          updated_at: now.getTime(),
        })
        .execute();
      const facts: IncidentFacts = {
        number,
        reporter,
        mailbox: address,
        agencyName: agencyOrg?.name ?? null,
        messageId,
        sender,
        sentOn: meta?.sent_at
          ? vnDate(new Date(Number(meta.sent_at)))
              .split('-')
              .reverse()
              .join('/')
          : null,
      };
      const toHeads = reportedText(facts);
      const headNotice = await notices.register(tx, {
        id: `${id}.heads`,
        kind: 'incident-reported',
        accountId: account.id,
        recipients: heads,
        text: toHeads,
        actor: caller.actor,
        at: now,
      });
      const toSender = senderText(facts);
      const senderNotice =
        senderTarget.kind === 'none'
          ? null
          : await notices.register(tx, {
              id: `${id}.sender`,
              kind: 'incident-sender',
              accountId: account.id,
              recipients: senderTarget.kind === 'local' ? [senderTarget.accountId] : [],
              text: toSender,
              actor: caller.actor,
              at: now,
            });
      await appendIncidentEvent(
        tx,
        id,
        caller.actor,
        'reported',
        {
          mailbox: address,
          folder: folder.name,
          uid: Number(msg.uid),
          uidValidity: Number(folder.uid_validity),
          sha256: msg.blob_id,
          size: Number(msg.size),
          messageId,
          sender,
          notices: [headNotice.number, ...(senderNotice ? [senderNotice.number] : [])],
          senderNotified:
            senderTarget.kind === 'local'
              ? senderTarget.address
              : senderTarget.kind === 'remote'
                ? senderTarget.address
                : null,
        },
        now,
      );
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'incident.report',
          targetType: 'incident',
          targetId: id,
          reason: note,
          details: { number, mailbox: address, sha256: msg.blob_id, messageId, sender },
        },
        now,
      );
      return { number, headNotice, toHeads, senderNotice, toSender };
    });
    await notices.deliver(out.headNotice, out.toHeads);
    if (out.senderNotice) {
      if (senderTarget.kind === 'local') await notices.deliver(out.senderNotice, out.toSender);
      else if (senderTarget.kind === 'remote') await this.notifyRemote(caller, id, out, senderTarget.address);
    }
    return incidentView(
      await this.find(db, id),
      agencyOrg ? { code: agencyOrg.code, name: agencyOrg.name } : null,
    );
  }

  /** The agency mailbox and administrators of `agencyId`, and every active operator. */
  private async headsAndOperators(db: Db, agencyId: string | null): Promise<string[]> {
    const rows = await db
      .selectFrom('accounts')
      .select('id')
      .where('state', '<>', 'deleted')
      .where((eb) =>
        eb.or([
          eb.and([eb('role', '=', 'operator'), eb('state', '=', 'active')]),
          ...(agencyId
            ? [
                eb.and([eb('kind', '=', 'agency'), eb('org_id', '=', agencyId)]),
                eb.and([eb('role', '=', 'agency-admin'), eb('admin_org_id', '=', agencyId)]),
              ]
            : []),
        ]),
      )
      .execute();
    return rows.map((r) => r.id);
  }

  /** Where the sending agency is told: its agency mailbox (local), the sender's address (remote). */
  private async senderTarget(
    db: Db,
    sender: string | null,
  ): Promise<
    | { kind: 'local'; accountId: string; address: string }
    | { kind: 'remote'; address: string }
    | { kind: 'none' }
  > {
    if (!sender) return { kind: 'none' };
    const settings = this.deps.directory.ctx.settings;
    const row = await resolveAccount(db, settings, sender);
    if (!row || row.state === 'deleted') {
      const domain = sender.slice(sender.lastIndexOf('@') + 1);
      return settings.localDomains.includes(domain) ? { kind: 'none' } : { kind: 'remote', address: sender };
    }
    const agencyId = agencyIdOf(await findOrgById(db, row.org_id));
    const agencyBox = agencyId
      ? await db
          .selectFrom('accounts')
          .select(['id', 'local_part', 'domain'])
          .where('kind', '=', 'agency')
          .where('org_id', '=', agencyId)
          .where('state', '<>', 'deleted')
          .executeTakeFirst()
      : undefined;
    const to = agencyBox ?? row;
    return { kind: 'local', accountId: to.id, address: `${to.local_part}@${to.domain}` };
  }

  private async notifyRemote(
    caller: Caller,
    incidentId: string,
    out: { senderNotice: Awaited<ReturnType<NoticeService['register']>> | null; toSender: NoticeText },
    address: string,
  ): Promise<void> {
    const { store, clock, notices } = this.deps;
    let queued: string | null = null;
    let error: string | null = null;
    if (this.outbound && out.senderNotice) {
      try {
        const content = await notices.compose(out.senderNotice, out.toSender, [address]);
        queued = (
          await this.outbound.enqueue({
            content,
            mailFrom: notices.settings.from,
            recipients: [address],
            submittedBy: null,
          })
        ).id;
      } catch (e) {
        error = e instanceof Error ? e.message.slice(0, 300) : String(e);
      }
    }
    await store.write(async (tx) => {
      await lockIncident(tx, incidentId);
      await appendIncidentEvent(
        tx,
        incidentId,
        caller.actor,
        queued ? 'sender-notice-queued' : 'sender-notice-not-sent',
        {
          to: address,
          notice: out.senderNotice?.number ?? null,
          ...(queued ? { queueId: queued } : { reason: error ?? 'no outbound queue in this process' }),
        },
        clock.now(),
      );
    });
  }

  // ─── Reading ───────────────────────────────────────────────────────────────────────────────

  private async find(db: Db, key: string): Promise<IncidentRow> {
    const k = key.trim();
    const row = await db
      .selectFrom('incidents')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', k), eb('number', '=', k.toUpperCase())]))
      .executeTakeFirst();
    if (!row) throw notFound('incident.not-found', `Không tìm thấy sự cố "${key}".`, `No incident "${key}".`);
    return row;
  }

  private async agencyOf(db: Db, agencyId: string | null): Promise<{ code: string; name: string } | null> {
    if (!agencyId) return null;
    const o = await findOrgById(db, agencyId);
    return { code: o.code, name: o.name };
  }

  async show(caller: Caller, key: string): Promise<IncidentDetail> {
    const db = this.deps.store.db;
    const r = await this.find(db, key);
    authorise(caller, 'incident.read', { agencyId: r.agency_id });
    const events = (await db
      .selectFrom('incident_events')
      .selectAll()
      .where('incident_id', '=', r.id)
      .orderBy('seq')
      .execute()) as EventRow[];
    const quarantine = await db
      .selectFrom('incident_quarantine')
      .selectAll()
      .where('incident_id', '=', r.id)
      .orderBy('quarantined_at')
      .orderBy('address')
      .orderBy('uid')
      .execute();
    const grants = await db
      .selectFrom('incident_content_grants')
      .innerJoin('accounts', 'accounts.id', 'incident_content_grants.auditor_id')
      .selectAll('incident_content_grants')
      .select(['accounts.local_part', 'accounts.domain'])
      .where('incident_id', '=', r.id)
      .execute();
    return incidentDetail(
      incidentView(r, await this.agencyOf(db, r.agency_id)),
      events,
      quarantine,
      grants.map((g) => ({ ...g, auditor: `${g.local_part}@${g.domain}` })),
    );
  }

  async list(caller: Caller, filter: IncidentFilter = {}): Promise<IncidentView[]> {
    const db = this.deps.store.db;
    let q = db.selectFrom('incidents').selectAll();
    if (filter.agency) {
      const org = await findOrgByCode(db, filter.agency);
      authorise(caller, 'incident.read', { agencyId: agencyIdOf(org) });
      q = q.where('agency_id', '=', agencyIdOf(org));
    }
    if (filter.state !== undefined) {
      if (!(INCIDENT_STATES as readonly string[]).includes(filter.state))
        throw invalid(
          'incident.bad-state',
          `Trạng thái "${filter.state}" không hợp lệ; chọn: ${INCIDENT_STATES.join(', ')}.`,
          `State "${filter.state}" is not valid; use: ${INCIDENT_STATES.join(', ')}.`,
        );
      q = q.where('state', '=', filter.state as IncidentState);
    }
    const rows = await q
      .orderBy('reported_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(filter.limit ?? 500)
      .execute();
    const visible = rows.filter((r) => can(caller.principal, 'incident.read', { agencyId: r.agency_id }));
    const out: IncidentView[] = [];
    for (const r of visible) out.push(incidentView(r, await this.agencyOf(db, r.agency_id)));
    return out;
  }

  // ─── Containment ───────────────────────────────────────────────────────────────────────────

  /** Every local copy: the same bytes, or the same Message-ID with other bytes. */
  private async copies(db: Db, r: IncidentRow) {
    const blobIds = new Set([r.blob_id]);
    if (r.message_id) {
      const same = await db
        .selectFrom('message_meta')
        .select('blob_id')
        .where('message_id', '=', r.message_id)
        .execute();
      for (const s of same) blobIds.add(s.blob_id);
    }
    return db
      .selectFrom('messages')
      .innerJoin('folders', 'folders.id', 'messages.folder_id')
      .innerJoin('accounts', 'accounts.id', 'folders.account_id')
      .select([
        'messages.id',
        'messages.folder_id',
        'messages.uid',
        'messages.blob_id',
        'messages.size',
        'messages.flags',
        'messages.internal_date',
        'messages.saved_at',
        'messages.source',
        'folders.account_id',
        'folders.name as folder_name',
        'folders.uid_validity',
        'accounts.local_part',
        'accounts.domain',
      ])
      .where('messages.blob_id', 'in', [...blobIds])
      .orderBy('accounts.local_part')
      .orderBy('messages.id')
      .execute();
  }

  async contain(caller: Caller, key: string): Promise<IncidentDetail> {
    const { store, blobs, clock, feed } = this.deps;
    const pre = await this.find(store.db, key);
    authorise(caller, 'incident.contain', { agencyId: pre.agency_id });
    nextIncidentState(pre.state, 'contain');
    // Hash the bytes before the transaction (reading files under the write lock would hold it);
    // a copy with other bytes that arrives in between is hashed inside.
    const hashes = new Map<string, string>();
    for (const c of await this.copies(store.db, pre))
      if (!hashes.has(c.blob_id)) hashes.set(c.blob_id, await sha256OfBlob(blobs, c.blob_id));
    await store.write(async (tx) => {
      await lockIncident(tx, pre.id);
      const r = await this.find(tx.db, pre.id);
      const to = nextIncidentState(r.state, 'contain');
      const rows = await this.copies(tx.db, r);
      // Idempotent: a second sweep that finds nothing changes nothing.
      if (rows.length === 0 && r.state !== 'reported') return;
      const now = clock.now();
      for (const c of rows)
        if (!hashes.has(c.blob_id)) hashes.set(c.blob_id, await sha256OfBlob(blobs, c.blob_id));
      const metaIds = await this.messageIdsOf(
        tx,
        rows.map((c) => c.blob_id),
      );
      const events = await removeMessageRows(
        tx,
        rows.map((c) => ({
          id: Number(c.id),
          folderId: c.folder_id,
          accountId: c.account_id,
          uid: Number(c.uid),
          blobId: c.blob_id,
          size: Number(c.size),
        })),
        now,
        { keepBlobReferences: true },
      );
      for (const e of events) tx.onCommit(() => feed.publish(e));
      for (const c of rows)
        await tx.db
          .insertInto('incident_quarantine')
          .values({
            id: uuidv7(now.getTime()),
            incident_id: r.id,
            blob_id: c.blob_id,
            sha256: hashes.get(c.blob_id)!,
            size: Number(c.size),
            message_id: metaIds.get(c.blob_id) ?? null,
            account_id: c.account_id,
            address: `${c.local_part}@${c.domain}`,
            folder_name: c.folder_name,
            uid: Number(c.uid),
            uid_validity: Number(c.uid_validity),
            flags: c.flags,
            internal_date: Number(c.internal_date),
            saved_at: Number(c.saved_at),
            source: c.source,
            quarantined_at: now.getTime(),
            quarantined_by: caller.actor.id,
          })
          .execute();
      const perBlob = new Map<string, { sha256: string; size: number; copies: number; intact: boolean }>();
      for (const c of rows) {
        const h = hashes.get(c.blob_id)!;
        const b = perBlob.get(c.blob_id) ?? {
          sha256: h,
          size: Number(c.size),
          copies: 0,
          intact: h === c.blob_id,
        };
        b.copies++;
        perBlob.set(c.blob_id, b);
      }
      const copies = {
        copies: rows.length,
        mailboxes: [...new Set(rows.map((c) => `${c.local_part}@${c.domain}`))],
        blobs: [...perBlob.values()],
      };
      await tx.db
        .updateTable('incidents')
        .set({ state: to, contained_at: r.contained_at ?? now.getTime(), updated_at: now.getTime() })
        .where('id', '=', r.id)
        .execute();
      await appendIncidentEvent(tx, r.id, caller.actor, 'contained', { from: r.state, to, ...copies }, now);
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'incident.contain',
          targetType: 'incident',
          targetId: r.id,
          details: { number: r.number, from: r.state, to, ...copies },
        },
        now,
      );
    });
    return this.show(caller, pre.id);
  }

  private async messageIdsOf(tx: Tx, blobIds: string[]): Promise<Map<string, string | null>> {
    const ids = [...new Set(blobIds)];
    if (ids.length === 0) return new Map();
    const rows = await tx.db
      .selectFrom('message_meta')
      .select(['blob_id', 'message_id'])
      .where('blob_id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.blob_id, r.message_id]));
  }

  // ─── Assessment, closing, content ──────────────────────────────────────────────────────────

  async assess(caller: Caller, key: string, assessment: string): Promise<IncidentDetail> {
    const text = cleanText(assessment, 'assessment', 10_000, true)!;
    return this.transition(caller, key, 'assess', text);
  }

  async close(caller: Caller, key: string, note?: string): Promise<IncidentDetail> {
    return this.transition(caller, key, 'close', cleanText(note, 'note', 2000, false));
  }

  private async transition(
    caller: Caller,
    key: string,
    event: 'assess' | 'close',
    text: string | null,
  ): Promise<IncidentDetail> {
    const { store, clock } = this.deps;
    const pre = await this.find(store.db, key);
    authorise(caller, 'incident.manage', { agencyId: pre.agency_id });
    await store.write(async (tx) => {
      await lockIncident(tx, pre.id);
      const r = await this.find(tx.db, pre.id);
      const to = nextIncidentState(r.state, event);
      const now = clock.now();
      await tx.db
        .updateTable('incidents')
        .set({
          state: to,
          ...(event === 'assess'
            ? { assessment: text, assessed_at: now.getTime() }
            : { closed_at: now.getTime() }),
          updated_at: now.getTime(),
        })
        .where('id', '=', r.id)
        .execute();
      await appendIncidentEvent(
        tx,
        r.id,
        caller.actor,
        event === 'assess' ? 'assessed' : 'closed',
        {
          from: r.state,
          to,
          ...(text ? { text } : {}),
        },
        now,
      );
      await appendAudit(
        tx,
        caller.actor,
        {
          action: `incident.${event}`,
          targetType: 'incident',
          targetId: r.id,
          reason: text,
          details: { number: r.number, from: r.state, to },
        },
        now,
      );
    });
    return this.show(caller, pre.id);
  }

  /** The operator lets one security auditor read this incident's quarantined content. */
  async grantContent(caller: Caller, key: string, auditorAddress: string): Promise<IncidentDetail> {
    const { store, clock, directory } = this.deps;
    const pre = await this.find(store.db, key);
    authorise(caller, 'incident.manage', { agencyId: pre.agency_id });
    const auditor = await requireAccount(store.db, directory.ctx.settings, auditorAddress);
    if (auditor.role !== 'auditor' || auditor.state !== 'active')
      throw invalid(
        'incident.not-an-auditor',
        `${auditor.local_part}@${auditor.domain} không phải là tài khoản kiểm tra an ninh đang hoạt động.`,
        `${auditor.local_part}@${auditor.domain} is not an active security-auditor account.`,
      );
    await store.write(async (tx) => {
      await lockIncident(tx, pre.id);
      const have = await tx.db
        .selectFrom('incident_content_grants')
        .select('auditor_id')
        .where('incident_id', '=', pre.id)
        .where('auditor_id', '=', auditor.id)
        .executeTakeFirst();
      if (have) return;
      const now = clock.now();
      await tx.db
        .insertInto('incident_content_grants')
        .values({
          incident_id: pre.id,
          auditor_id: auditor.id,
          granted_by: caller.actor.id,
          granted_by_label: caller.actor.label ?? null,
          granted_at: now.getTime(),
        })
        .execute();
      const to = `${auditor.local_part}@${auditor.domain}`;
      await appendIncidentEvent(tx, pre.id, caller.actor, 'content-granted', { auditor: to }, now);
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'incident.grant-content',
          targetType: 'incident',
          targetId: pre.id,
          details: { number: pre.number, auditor: to },
        },
        now,
      );
    });
    return this.show(caller, pre.id);
  }

  /**
   * The raw bytes of the reported message (or of another quarantined copy by its SHA-256): the
   * operator, or an auditor the operator granted. The read is recorded before the bytes are given.
   */
  async content(
    caller: Caller,
    key: string,
    sha256?: string,
  ): Promise<{ number: string; sha256: string; content: Buffer }> {
    const { store, blobs, clock } = this.deps;
    const r = await this.find(store.db, key);
    const granted = !!(await store.db
      .selectFrom('incident_content_grants')
      .select('auditor_id')
      .where('incident_id', '=', r.id)
      .where('auditor_id', '=', caller.principal.accountId)
      .executeTakeFirst());
    authorise(caller, 'incident.read-content', { agencyId: r.agency_id, granted });
    const blobId = sha256 ?? r.blob_id;
    if (blobId !== r.blob_id) {
      const held = await store.db
        .selectFrom('incident_quarantine')
        .select('id')
        .where('incident_id', '=', r.id)
        .where('blob_id', '=', blobId)
        .executeTakeFirst();
      if (!held)
        throw notFound(
          'incident.no-such-evidence',
          `Sự cố ${r.number} không lưu thư có SHA-256 ${blobId}.`,
          `Incident ${r.number} holds no message with SHA-256 ${blobId}.`,
        );
    }
    const content = await blobs.read(blobId);
    await store.write(async (tx) => {
      await lockIncident(tx, r.id);
      const now = clock.now();
      await appendIncidentEvent(
        tx,
        r.id,
        caller.actor,
        'content-read',
        { sha256: blobId, bytes: content.length },
        now,
      );
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'incident.content-read',
          targetType: 'incident',
          targetId: r.id,
          details: { number: r.number, sha256: blobId, bytes: content.length },
        },
        now,
      );
    });
    return { number: r.number, sha256: blobId, content };
  }
}
