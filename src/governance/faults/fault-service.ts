/**
 * The faults register (Điều 10.5, 11.4): a user reports a fault in the use of its mailbox to its
 * agency's IT contact (the agency administrator, "cán bộ đầu mối phụ trách công nghệ thông tin"),
 * who acknowledges it, resolves it or escalates it to the operator (Sở KH&CN), who resolves the
 * escalated ones; a resolved fault is closed by its reporter (or the IT contact, the operator).
 * The transitions are the pure function of fault-state.ts; this service finds the caller's
 * standing, writes the new state, the timeline step and the audit event in one transaction, and
 * then sends a short mail: to the IT contacts when a fault is reported (to the operators when the
 * agency has none), to the operators when it is escalated, to the reporter when it is resolved.
 * Those mails are best effort (the fault is registered whatever happens to them) and are not
 * numbered notices: the notice register is for the operator's official notices.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Clock } from '../../util/clock.ts';
import { conflict, forbidden, invalid, notFound } from '../../util/errors.ts';
import { uuidv7 } from '../../util/ids.ts';
import { appendAudit, type DataStore, type Tx } from '../../store/index.ts';
import { authorise, can, type Caller } from '../../directory/index.ts';
import { agencyIdOf, findOrgByCode, findOrgById } from '../../directory/context.ts';
import { vnDate } from '../lifecycle-dates.ts';
import type { NoticeService } from '../notices.ts';
import {
  FAULT_STATE_TEXT,
  FAULT_STATES,
  faultTransition,
  type FaultAction,
  type FaultStanding,
  type FaultState,
} from './fault-state.ts';

const NUMBER_LOCK = 'faults.number';
export const MAX_SUBJECT = 200;
export const MAX_DESCRIPTION = 5000;
export const MAX_NOTE = 2000;

export interface FaultEventView {
  at: string;
  actor: string;
  actorLabel: string | null;
  action: 'report' | FaultAction;
  from: FaultState | null;
  to: FaultState;
  note: string | null;
}

export interface FaultView {
  id: string;
  number: string;
  state: FaultState;
  stateText: { vi: string; en: string };
  /** Who is to act: the agency's IT contact, or the operator. */
  level: 'agency' | 'operator';
  subject: string;
  description: string;
  reporter: { id: string; label: string | null };
  agency: { code: string; name: string } | null;
  assignee: { id: string; label: string | null } | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  timeline?: FaultEventView[];
  /** How many people the mail about this step reached (report, escalate, resolve). */
  notified?: number;
}

export interface FaultListQuery {
  agency?: string;
  state?: FaultState;
  limit?: number;
}

export interface FaultSettings {
  domain: string;
  from: string;
  fromName: string;
}

function text(v: unknown, max: number, field: { vi: string; en: string }, required: boolean): string | null {
  const t = typeof v === 'string' ? v.normalize('NFC').trim() : '';
  if (t === '') {
    if (required)
      throw invalid('fault.field-required', `Cần nhập ${field.vi}.`, `The ${field.en} is required.`);
    return null;
  }
  if (
    t.length > max ||
    [...t].some((c) => (c < ' ' && c !== '\t' && c !== '\n' && c !== '\r') || c === '\u007f')
  )
    throw invalid(
      'fault.bad-text',
      `${field.vi[0]!.toUpperCase()}${field.vi.slice(1)} quá dài (tối đa ${max} ký tự) hoặc có ký tự điều khiển.`,
      `The ${field.en} is too long (max ${max}) or has control characters.`,
    );
  return t;
}

type FaultRow = {
  id: string;
  number: string;
  reporter_id: string;
  reporter_label: string | null;
  agency_id: string | null;
  subject: string;
  description: string;
  state: string;
  level: string;
  assignee_id: string | null;
  assignee_label: string | null;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  closed_at: number | null;
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export class FaultService {
  constructor(
    private readonly store: DataStore,
    private readonly notices: NoticeService,
    private readonly clock: Clock,
    private readonly settings: FaultSettings,
  ) {}

  /** A signed-in person reports a fault to its agency's IT contact. */
  async report(caller: Caller, input: { subject: string; description: string }): Promise<FaultView> {
    const subject = text(input.subject, MAX_SUBJECT, { vi: 'tiêu đề', en: 'subject' }, true)!;
    const description = text(input.description, MAX_DESCRIPTION, { vi: 'mô tả', en: 'description' }, true)!;
    const db = this.store.db;
    const reporter = await db
      .selectFrom('accounts')
      .select(['id', 'org_id', 'local_part', 'domain', 'state'])
      .where('id', '=', caller.principal.accountId)
      .executeTakeFirst();
    if (!reporter || reporter.state !== 'active')
      throw invalid(
        'fault.reporter-account',
        'Sự cố do người dùng báo từ hộp thư của mình.',
        'A fault is reported by a user from its own mailbox.',
      );
    const agencyId = agencyIdOf(await findOrgById(db, reporter.org_id));
    authorise(caller, 'fault.report', { agencyId, accountId: reporter.id });
    const contacts = agencyId === null ? [] : await this.itContacts(agencyId);
    const now = this.clock.now();
    const id = uuidv7(now.getTime());
    const row = await this.store.write(async (tx) => {
      await tx.lock(NUMBER_LOCK);
      const year = Number(vnDate(now).slice(0, 4));
      const last = await tx.db
        .selectFrom('faults')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('year', '=', year)
        .executeTakeFirst();
      const seq = Number(last?.seq ?? 0) + 1;
      const r: FaultRow & { year: number; seq: number } = {
        id,
        year,
        seq,
        number: `SC-${year}-${String(seq).padStart(4, '0')}`,
        reporter_id: reporter.id,
        reporter_label: caller.actor.label ?? `${reporter.local_part}@${reporter.domain}`,
        agency_id: agencyId,
        subject,
        description,
        state: 'reported',
        level: contacts.length > 0 ? 'agency' : 'operator',
        assignee_id: null,
        assignee_label: null,
        created_at: now.getTime(),
        updated_at: now.getTime(),
        resolved_at: null,
        closed_at: null,
      };
      await tx.db.insertInto('faults').values(r).execute();
      await this.step(tx, caller, r, 'report', null, 'reported', null, now);
      return r;
    });
    const notified = await this.mail(
      row,
      'report',
      contacts.length > 0 ? contacts : await this.operators(),
      null,
    );
    return { ...(await this.view(row, true)), notified };
  }

  async list(caller: Caller, q: FaultListQuery = {}): Promise<FaultView[]> {
    const db = this.store.db;
    const p = caller.principal;
    let agencyId: string | null = null;
    if (q.agency !== undefined && q.agency.trim() !== '') agencyId = (await findOrgByCode(db, q.agency)).id;
    if (q.state !== undefined && !FAULT_STATES.includes(q.state))
      throw invalid(
        'fault.bad-state',
        `Trạng thái không hợp lệ: "${String(q.state)}".`,
        `Invalid state: "${String(q.state)}".`,
      );
    const all = can(p, 'fault.read', {});
    if (agencyId !== null && !all) authorise(caller, 'fault.read', { agencyId });
    const own = p.role === 'agency-admin' && p.adminAgencyId !== null ? p.adminAgencyId : null;
    const rows = await db
      .selectFrom('faults')
      .selectAll()
      .$if(!all, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('reporter_id', '=', p.accountId),
            ...(own !== null && can(p, 'fault.read', { agencyId: own }) ? [eb('agency_id', '=', own)] : []),
          ]),
        ),
      )
      .$if(agencyId !== null, (qb) => qb.where('agency_id', '=', agencyId))
      .$if(q.state !== undefined, (qb) => qb.where('state', '=', q.state!))
      .orderBy('year', 'desc')
      .orderBy('seq', 'desc')
      .limit(Math.min(Math.max(q.limit ?? 200, 1), 1000))
      .execute();
    return Promise.all(rows.map((r) => this.view(r, false)));
  }

  /** One fault with its timeline, by number ("SC-2026-0001") or id. */
  async get(caller: Caller, key: string): Promise<FaultView> {
    const row = await this.find(key);
    authorise(caller, 'fault.read', { agencyId: row.agency_id, accountId: row.reporter_id });
    return this.view(row, true);
  }

  async act(
    caller: Caller,
    key: string,
    action: FaultAction,
    input: { note?: string } = {},
  ): Promise<FaultView> {
    const note = text(input.note, MAX_NOTE, { vi: 'ghi chú', en: 'note' }, false);
    const first = await this.find(key);
    const now = this.clock.now();
    const row = await this.store.write(async (tx) => {
      await tx.lock(`fault:${first.id}`);
      const current = await tx.db
        .selectFrom('faults')
        .selectAll()
        .where('id', '=', first.id)
        .executeTakeFirstOrThrow();
      const standing = this.standing(caller, current);
      const from = current.state as FaultState;
      const t = faultTransition(from, action, standing);
      if (!t.ok && t.reason === 'state')
        throw conflict(
          'fault.bad-state',
          `Không thể ${ACTION_TEXT[action].vi} sự cố ở trạng thái "${FAULT_STATE_TEXT[from].vi}".`,
          `Cannot ${ACTION_TEXT[action].en} a fault that is ${FAULT_STATE_TEXT[from].en}.`,
          { state: from, action },
        );
      if (!t.ok)
        throw forbidden(
          'fault.not-allowed',
          `Bạn không được ${ACTION_TEXT[action].vi} sự cố này${from === 'escalated' ? ' (đã chuyển Sở Khoa học và Công nghệ)' : ''}.`,
          `You may not ${ACTION_TEXT[action].en} this fault${from === 'escalated' ? ' (escalated to the operator)' : ''}.`,
          { state: from, action },
        );
      const at = now.getTime();
      const takes = action === 'acknowledge' || (action === 'resolve' && standing !== 'reporter');
      const next: FaultRow = {
        ...current,
        state: t.to,
        level: action === 'escalate' ? 'operator' : current.level,
        assignee_id: action === 'escalate' ? null : takes ? caller.actor.id : current.assignee_id,
        assignee_label:
          action === 'escalate' ? null : takes ? (caller.actor.label ?? null) : current.assignee_label,
        updated_at: at,
        resolved_at: t.to === 'resolved' ? at : current.resolved_at,
        closed_at: t.to === 'closed' ? at : current.closed_at,
      };
      await tx.db
        .updateTable('faults')
        .set({
          state: next.state,
          level: next.level,
          assignee_id: next.assignee_id,
          assignee_label: next.assignee_label,
          updated_at: next.updated_at,
          resolved_at: next.resolved_at,
          closed_at: next.closed_at,
        })
        .where('id', '=', current.id)
        .execute();
      await this.step(tx, caller, next, action, from, t.to, note, now);
      return next;
    });
    let notified: number | undefined;
    if (action === 'escalate') notified = await this.mail(row, action, await this.operators(), note);
    if (action === 'resolve') notified = await this.mail(row, action, [row.reporter_id], note);
    return { ...(await this.view(row, true)), ...(notified !== undefined ? { notified } : {}) };
  }

  private standing(caller: Caller, row: FaultRow): FaultStanding {
    const p = caller.principal;
    const target = { agencyId: row.agency_id, accountId: row.reporter_id };
    if (can(p, 'fault.handle', target)) return p.role === 'operator' ? 'operator' : 'it-contact';
    if (row.reporter_id === p.accountId) return 'reporter';
    authorise(caller, 'fault.handle', target); // throws: neither handler nor reporter
    return 'reporter';
  }

  private async find(key: string): Promise<FaultRow> {
    const k = key.trim();
    const row = await this.store.db
      .selectFrom('faults')
      .selectAll()
      .where((eb) => eb.or([eb('number', '=', k.toUpperCase()), eb('id', '=', k)]))
      .executeTakeFirst();
    if (!row) throw notFound('fault.not-found', `Không tìm thấy sự cố "${key}".`, `No fault "${key}".`);
    return row;
  }

  private async step(
    tx: Tx,
    caller: Caller,
    row: FaultRow,
    action: 'report' | FaultAction,
    from: FaultState | null,
    to: FaultState,
    note: string | null,
    now: Date,
  ): Promise<void> {
    const last = await tx.db
      .selectFrom('fault_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('fault_id', '=', row.id)
      .executeTakeFirst();
    await tx.db
      .insertInto('fault_events')
      .values({
        id: uuidv7(now.getTime()),
        fault_id: row.id,
        seq: Number(last?.seq ?? 0) + 1,
        at: now.getTime(),
        actor: caller.actor.id,
        actor_label: caller.actor.label ?? null,
        action,
        from_state: from,
        to_state: to,
        note,
      })
      .execute();
    await appendAudit(
      tx,
      caller.actor,
      {
        action: `fault.${action}`,
        targetType: 'fault',
        targetId: row.id,
        reason: note ?? (action === 'report' ? row.subject : null),
        details: { number: row.number, from, to, level: row.level },
      },
      now,
    );
  }

  private async itContacts(agencyId: string): Promise<string[]> {
    const rows = await this.store.db
      .selectFrom('accounts')
      .select('id')
      .where('role', '=', 'agency-admin')
      .where('admin_org_id', '=', agencyId)
      .where('state', '=', 'active')
      .execute();
    return rows.map((r) => r.id);
  }

  private async operators(): Promise<string[]> {
    const rows = await this.store.db
      .selectFrom('accounts')
      .select('id')
      .where('role', '=', 'operator')
      .where('state', '=', 'active')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Best effort: the fault is registered whether or not the mail goes out. */
  private async mail(
    row: FaultRow,
    action: 'report' | 'escalate' | 'resolve',
    recipients: string[],
    note: string | null,
  ): Promise<number> {
    if (recipients.length === 0) return 0;
    const s = this.settings;
    const head = {
      report: { vi: 'Báo sự cố', en: 'Fault reported' },
      escalate: {
        vi: 'Đề nghị Sở Khoa học và Công nghệ khắc phục sự cố',
        en: 'Fault escalated to the operator',
      },
      resolve: { vi: 'Sự cố đã được khắc phục', en: 'Fault resolved' },
    }[action];
    const body = [
      `${head.vi}: ${row.number}`,
      `Tiêu đề: ${row.subject}`,
      `Người báo: ${row.reporter_label ?? row.reporter_id}`,
      '',
      row.description,
      ...(note ? ['', `Ghi chú: ${note}`] : []),
      '',
      'Căn cứ Điều 10.5, 11.4 Quy chế sử dụng Hệ thống thư điện tử công vụ.',
      '',
      '----------------------------------------------------------------------',
      `${head.en}: ${row.number}`,
      `Subject: ${row.subject}`,
      `Reported by: ${row.reporter_label ?? row.reporter_id}`,
      ...(note ? [`Note: ${note}`] : []),
    ].join('\r\n');
    const messageId = `<fault.${row.id}.${action}.${row.updated_at}@${s.domain}>`;
    try {
      return await this.notices.deliverMessage(messageId, recipients, (to) =>
        new MailComposer({
          from: { name: s.fromName, address: s.from },
          to,
          subject: `[${row.number}] ${head.vi} / ${head.en}: ${row.subject}`,
          text: body,
          textEncoding: 'quoted-printable',
          messageId,
          date: new Date(Number(row.updated_at)),
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Congthu-Fault': row.number },
        })
          .compile()
          .build(),
      );
    } catch {
      return 0;
    }
  }

  private async view(row: FaultRow, withTimeline: boolean): Promise<FaultView> {
    const db = this.store.db;
    const org = row.agency_id
      ? await db
          .selectFrom('organisations')
          .select(['code', 'name'])
          .where('id', '=', row.agency_id)
          .executeTakeFirst()
      : undefined;
    const state = row.state as FaultState;
    const v: FaultView = {
      id: row.id,
      number: row.number,
      state,
      stateText: FAULT_STATE_TEXT[state],
      level: row.level as FaultView['level'],
      subject: row.subject,
      description: row.description,
      reporter: { id: row.reporter_id, label: row.reporter_label },
      agency: org ? { code: org.code, name: org.name } : null,
      assignee: row.assignee_id ? { id: row.assignee_id, label: row.assignee_label } : null,
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      resolvedAt: iso(row.resolved_at),
      closedAt: iso(row.closed_at),
    };
    if (withTimeline) {
      const events = await db
        .selectFrom('fault_events')
        .selectAll()
        .where('fault_id', '=', row.id)
        .orderBy('seq')
        .execute();
      v.timeline = events.map((e) => ({
        at: iso(e.at)!,
        actor: e.actor,
        actorLabel: e.actor_label,
        action: e.action as FaultEventView['action'],
        from: e.from_state as FaultState | null,
        to: e.to_state as FaultState,
        note: e.note,
      }));
    }
    return v;
  }
}

const ACTION_TEXT: Record<FaultAction, { vi: string; en: string }> = {
  acknowledge: { vi: 'tiếp nhận', en: 'acknowledge' },
  escalate: { vi: 'chuyển Sở Khoa học và Công nghệ', en: 'escalate' },
  resolve: { vi: 'đánh dấu đã khắc phục', en: 'resolve' },
  close: { vi: 'đóng', en: 'close' },
};
