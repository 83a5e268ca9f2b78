/**
 * Mailbox requests (Điều 7.2, 8.3): an agency administrator files, for its own agency, a request
 * to create, change, delete or restore a mailbox, with its legal basis (number, date, issuer and
 * the scanned document, kept as a blob); the operator takes it in review and approves or rejects
 * it; every decision produces a numbered reply letter sent to the agency's mailbox.
 *
 * Invariants:
 * - Roles on every call: 'request.file' (agency administrator for its own agency; the operator,
 *   who registers paper requests), 'request.decide' (operator), 'request.read' (operator, auditor,
 *   agency administrator for its own agency). A request about a mailbox belongs to the agency of
 *   that mailbox; a new agency (no administrator yet) is filed by the operator.
 * - The deadline is fixed at receipt: 5 working days (3 for a restore), deadlines.ts.
 * - A decision is one transaction: the state change, the directory change (execute.ts, approvals
 *   only), the letter with the next number of the year (gap-free: numbers are taken under a lock
 *   inside the transaction, so a failed decision consumes none), the activation link's hash and
 *   the audit events. After the commit the letter and the link are mailed; a crash in between is
 *   repaired by `sweep` (letters not marked delivered are delivered again, idempotently).
 * - Every change writes an audit event in its transaction.
 */
import { uuidv7 } from '../../util/ids.ts';
import type { Clock } from '../../util/clock.ts';
import { conflict, invalid, notFound } from '../../util/errors.ts';
import {
  appendAudit,
  putAndReference,
  type BlobStore,
  type DataStore,
  type Db,
  type RequestState,
} from '../../store/index.ts';
import { authorise, can, type Caller, type Directory } from '../../directory/index.ts';
import { agencyIdOf, findOrgByCode, findOrgById } from '../../directory/context.ts';
import { isCivilDate } from '../calendar/index.ts';
import type { CalendarService } from '../calendar-service.ts';
import { vnDate } from '../lifecycle-dates.ts';
import type { NoticeService } from '../notices.ts';
import type { ActivationService, IssuedActivation } from './activation.ts';
import { checkBasisFile } from './basis-file.ts';
import { assertNoOpenRequest, checkFiling } from './filing.ts';
import { activationRecipients, letterRecipients } from './recipients.ts';
import { sweepRequests, type SweepReport } from './request-sweep.ts';
import { deadlineFor } from './deadlines.ts';
import { executeApproval } from './execute.ts';
import { describe, parseDetails } from './kinds.ts';
import { buildLetter, letterHtml, type LetterContent } from './letter.ts';
import { letterPdf } from './letter-pdf.ts';
import { composeLetterMail } from './letter-mail.ts';
import { nextRequestState, REQUEST_STATES, type RequestEvent } from './state.ts';
import { detailsOf, requestView, type LetterRow, type RequestRow, type RequestView } from './views.ts';

export interface RequestSettings {
  domain: string;
  from: string;
  fromName: string;
  letterNumberSuffix: string;
  issuerParent: string;
  issuerName: string;
  signerTitle: string;
  signerName?: string | undefined;
  maxBasisBytes: number;
}

export interface RequestDeps {
  store: DataStore;
  blobs: BlobStore;
  directory: Directory;
  notices: NoticeService;
  calendar: CalendarService;
  activations: ActivationService;
  clock: Clock;
  settings: RequestSettings;
}

export interface FileRequestInput {
  /** The agency's code; omitted only for a new agency (create-agency). */
  agency?: string;
  kind: string;
  details: unknown;
  basis: { number: string; date: string; issuer: string };
  file: { content: Buffer; type?: string; filename?: string };
}

export interface RequestFilter {
  agency?: string;
  state?: string;
  overdue?: boolean;
  limit?: number;
}

export type { SweepReport };

const LETTER_LOCK = 'request_letters.number';
const REF_LOCK = 'requests.ref';

function cleanField(v: unknown, name: { key: string; vi: string; en: string }, max: number): string {
  const t = typeof v === 'string' ? v.normalize('NFC').replace(/\s+/gu, ' ').trim() : '';
  if (t === '' || t.length > max || /\p{Cc}/u.test(t))
    throw invalid(
      'request.bad-basis',
      `${name.vi} của văn bản căn cứ là bắt buộc (tối đa ${max} ký tự).`,
      `The legal basis's ${name.en} is required (at most ${max} characters).`,
      { field: name.key },
    );
  return t;
}

export class RequestService {
  constructor(private readonly deps: RequestDeps) {}

  get settings(): RequestSettings {
    return this.deps.settings;
  }

  // ─── Filing ────────────────────────────────────────────────────────────────────────────────

  async file(caller: Caller, input: FileRequestInput): Promise<RequestView> {
    const { store, blobs, clock, calendar, settings } = this.deps;
    const db = store.db;
    const parsed = parseDetails(input.kind, input.details);
    const basis = {
      number: cleanField(input.basis?.number, { key: 'number', vi: 'Số', en: 'number' }, 100),
      date: cleanField(input.basis?.date, { key: 'date', vi: 'Ngày', en: 'date' }, 10),
      issuer: cleanField(input.basis?.issuer, { key: 'issuer', vi: 'Cơ quan ban hành', en: 'issuer' }, 300),
    };
    const now = clock.now();
    if (!isCivilDate(basis.date) || basis.date > vnDate(now))
      throw invalid(
        'request.bad-basis-date',
        `Ngày của văn bản căn cứ "${basis.date}" không hợp lệ (YYYY-MM-DD, không sau hôm nay).`,
        `The legal basis's date "${basis.date}" is not valid (YYYY-MM-DD, not after today).`,
      );

    let agency: { id: string; code: string; abbrev: string; name: string } | null = null;
    if (parsed.kind === 'create-agency') {
      authorise(caller, 'request.file', {}); // no agency yet: the operator files it
    } else {
      if (!input.agency)
        throw invalid(
          'request.agency-required',
          'Cần nêu cơ quan, đơn vị gửi đề nghị (--agency).',
          'The agency filing the request is required (--agency).',
        );
      const org = await findOrgByCode(db, input.agency);
      if (org.kind !== 'agency')
        throw invalid(
          'request.not-an-agency',
          `"${org.code}" không phải là cơ quan, đơn vị; đề nghị do cơ quan, đơn vị gửi.`,
          `"${org.code}" is not an agency; requests are filed by an agency.`,
        );
      authorise(caller, 'request.file', { agencyId: org.id });
      agency = org;
    }
    const target = await checkFiling(db, this.deps.directory.ctx.settings, parsed, agency);
    const file = checkBasisFile(input.file.content, input.file, settings.maxBasisBytes);
    const d = deadlineFor(await calendar.calendar(), parsed.kind, now);

    const id = await putAndReference(store, blobs, clock, input.file.content, async (tx, blob) => {
      await tx.lock(REF_LOCK);
      if (target) await assertNoOpenRequest(tx.db, target.id);
      const year = Number(vnDate(now).slice(0, 4));
      const last = await tx.db
        .selectFrom('requests')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('year', '=', year)
        .executeTakeFirst();
      const seq = Number(last?.seq ?? 0) + 1;
      const ref = `YC-${year}-${String(seq).padStart(4, '0')}`;
      const rid = uuidv7(now.getTime());
      await tx.db
        .insertInto('requests')
        .values({
          id: rid,
          year,
          seq,
          ref,
          agency_id: agency?.id ?? null,
          kind: parsed.kind,
          target_account_id: target?.id ?? null,
          payload: JSON.stringify(parsed.details),
          basis_number: basis.number,
          basis_date: basis.date,
          basis_issuer: basis.issuer,
          basis_blob_id: blob.id,
          basis_type: file.type,
          basis_size: blob.size,
          basis_filename: file.filename,
          state: 'filed',
          filed_by: caller.actor.id,
          filed_by_label: caller.actor.label ?? null,
          received_at: now.getTime(),
          deadline: d.deadline,
          remind_on: d.remindOn,
          reviewed_by: null,
          reviewed_at: null,
          decided_by: null,
          decided_by_label: null,
          decided_at: null,
          decision_reason: null,
          result: null,
          reminder_notice_id: null,
          reminder_done_at: null,
          overdue_notice_id: null,
          overdue_done_at: null,
          updated_at: now.getTime(),
        })
        .execute();
      await appendAudit(
        tx,
        caller.actor,
        {
          action: 'request.file',
          targetType: 'request',
          targetId: rid,
          details: {
            ref,
            kind: parsed.kind,
            agency: agency?.code ?? null,
            target: target?.address ?? null,
            basis: `${basis.number} ${basis.date} ${basis.issuer}`,
            blob: blob.id,
            type: file.type,
            size: blob.size,
            deadline: d.deadline,
          },
        },
        now,
      );
      return rid;
    });
    return this.show(caller, id);
  }

  // ─── Reading ───────────────────────────────────────────────────────────────────────────────

  private async find(db: Db, idOrRef: string): Promise<RequestRow> {
    const key = idOrRef.trim();
    const row = await db
      .selectFrom('requests')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', key), eb('ref', '=', key.toUpperCase())]))
      .executeTakeFirst();
    if (!row)
      throw notFound('request.not-found', `Không tìm thấy đề nghị "${idOrRef}".`, `No request "${idOrRef}".`);
    return row;
  }

  /** @internal (request-sweep.ts) */
  async views(rows: RequestRow[]): Promise<RequestView[]> {
    if (rows.length === 0) return [];
    const db = this.deps.store.db;
    const cal = await this.deps.calendar.calendar();
    const now = this.deps.clock.now();
    const agencyIds = [...new Set(rows.map((r) => r.agency_id).filter((x): x is string => x !== null))];
    const orgs = agencyIds.length
      ? await db
          .selectFrom('organisations')
          .select(['id', 'code', 'name'])
          .where('id', 'in', agencyIds)
          .execute()
      : [];
    const targetIds = [
      ...new Set(rows.map((r) => r.target_account_id).filter((x): x is string => x !== null)),
    ];
    const targets = targetIds.length
      ? await db
          .selectFrom('accounts')
          .select(['id', 'local_part', 'domain'])
          .where('id', 'in', targetIds)
          .execute()
      : [];
    const letters = await db
      .selectFrom('request_letters')
      .selectAll()
      .where(
        'request_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) => {
      const org = orgs.find((o) => o.id === r.agency_id);
      const t = targets.find((a) => a.id === r.target_account_id);
      const result = r.result ? (JSON.parse(r.result) as { address?: string }) : null;
      return requestView(r, {
        agency: org ? { code: org.code, name: org.name } : null,
        target: t ? `${t.local_part}@${t.domain}` : (result?.address ?? null),
        letter: letters.find((l) => l.request_id === r.id) ?? null,
        cal,
        now,
      });
    });
  }

  async show(caller: Caller, idOrRef: string): Promise<RequestView> {
    const row = await this.find(this.deps.store.db, idOrRef);
    authorise(caller, 'request.read', { agencyId: row.agency_id });
    return (await this.views([row]))[0]!;
  }

  async list(caller: Caller, filter: RequestFilter = {}): Promise<RequestView[]> {
    const db = this.deps.store.db;
    let q = db.selectFrom('requests').selectAll();
    if (filter.agency) {
      const org = await findOrgByCode(db, filter.agency);
      authorise(caller, 'request.read', { agencyId: agencyIdOf(org) });
      q = q.where('agency_id', '=', agencyIdOf(org));
    }
    if (filter.state !== undefined) {
      if (!(REQUEST_STATES as readonly string[]).includes(filter.state))
        throw invalid(
          'request.bad-state',
          `Trạng thái "${filter.state}" không hợp lệ; chọn: ${REQUEST_STATES.join(', ')}.`,
          `State "${filter.state}" is not valid; use: ${REQUEST_STATES.join(', ')}.`,
        );
      q = q.where('state', '=', filter.state as RequestState);
    }
    if (filter.overdue)
      q = q
        .where('state', 'in', ['filed', 'in-review'])
        .where('deadline', '<', vnDate(this.deps.clock.now()));
    const rows = await q
      .orderBy('received_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(filter.limit ?? 500)
      .execute();
    const visible = rows.filter((r) => can(caller.principal, 'request.read', { agencyId: r.agency_id }));
    return this.views(visible);
  }

  /** The scanned legal-basis document. */
  async basisFile(
    caller: Caller,
    idOrRef: string,
  ): Promise<{ content: Buffer; type: string; filename: string | null }> {
    const row = await this.find(this.deps.store.db, idOrRef);
    authorise(caller, 'request.read', { agencyId: row.agency_id });
    return {
      content: await this.deps.blobs.read(row.basis_blob_id),
      type: row.basis_type,
      filename: row.basis_filename,
    };
  }

  private async letterRow(caller: Caller, idOrRef: string): Promise<LetterRow> {
    const db = this.deps.store.db;
    const row = await this.find(db, idOrRef);
    authorise(caller, 'request.read', { agencyId: row.agency_id });
    const letter = await db
      .selectFrom('request_letters')
      .selectAll()
      .where('request_id', '=', row.id)
      .executeTakeFirst();
    if (!letter)
      throw notFound(
        'request.no-letter',
        `Đề nghị ${row.ref} chưa có văn bản trả lời (chưa được quyết định).`,
        `Request ${row.ref} has no reply letter yet (not decided).`,
      );
    return letter;
  }

  async letter(
    caller: Caller,
    idOrRef: string,
  ): Promise<{ number: string; content: LetterContent; html: string }> {
    const l = await this.letterRow(caller, idOrRef);
    const content = JSON.parse(l.content) as LetterContent;
    return { number: l.number, content, html: letterHtml(content) };
  }

  async letterPdf(caller: Caller, idOrRef: string): Promise<{ number: string; pdf: Buffer }> {
    const l = await this.letterRow(caller, idOrRef);
    return { number: l.number, pdf: await letterPdf(JSON.parse(l.content) as LetterContent) };
  }

  // ─── Transitions ───────────────────────────────────────────────────────────────────────────

  async review(caller: Caller, idOrRef: string): Promise<RequestView> {
    return this.simpleTransition(caller, idOrRef, 'review');
  }

  async withdraw(caller: Caller, idOrRef: string, reason?: string): Promise<RequestView> {
    return this.simpleTransition(caller, idOrRef, 'withdraw', reason);
  }

  private async simpleTransition(
    caller: Caller,
    idOrRef: string,
    event: 'review' | 'withdraw',
    reason?: string,
  ): Promise<RequestView> {
    const { store, clock } = this.deps;
    const id = await store.write(async (tx) => {
      const r = await this.find(tx.db, idOrRef);
      authorise(caller, event === 'review' ? 'request.decide' : 'request.file', { agencyId: r.agency_id });
      const to = nextRequestState(r.state, event);
      const now = clock.now();
      const why = reason?.normalize('NFC').trim().slice(0, 2000) || null;
      await tx.db
        .updateTable('requests')
        .set({
          state: to,
          ...(event === 'review'
            ? { reviewed_by: caller.actor.label ?? caller.actor.id, reviewed_at: now.getTime() }
            : {
                decided_by: caller.actor.id,
                decided_by_label: caller.actor.label ?? null,
                decided_at: now.getTime(),
                decision_reason: why,
              }),
          updated_at: now.getTime(),
        })
        .where('id', '=', r.id)
        .where('state', '=', r.state)
        .execute();
      await appendAudit(
        tx,
        caller.actor,
        {
          action: `request.${event}`,
          targetType: 'request',
          targetId: r.id,
          reason: why,
          details: { ref: r.ref, from: r.state, to },
        },
        now,
      );
      return r.id;
    });
    return this.show(caller, id);
  }

  async approve(caller: Caller, idOrRef: string): Promise<RequestView> {
    return this.decide(caller, idOrRef, 'approve');
  }

  async reject(caller: Caller, idOrRef: string, reason: string): Promise<RequestView> {
    const why = typeof reason === 'string' ? reason.normalize('NFC').trim() : '';
    if (why === '' || why.length > 2000)
      throw invalid(
        'request.reason-required',
        'Từ chối phải nêu lý do (tối đa 2000 ký tự); lý do được ghi trong văn bản trả lời.',
        'A rejection needs a reason (at most 2000 characters); it is written in the reply letter.',
      );
    return this.decide(caller, idOrRef, 'reject', why);
  }

  private async decide(
    caller: Caller,
    idOrRef: string,
    event: Extract<RequestEvent, 'approve' | 'reject'>,
    reason?: string,
  ): Promise<RequestView> {
    const { store, clock, directory, activations, settings } = this.deps;
    // Checked before the transaction too, so a refused caller never waits for the letter lock.
    const pre = await this.find(store.db, idOrRef);
    authorise(caller, 'request.decide', { agencyId: pre.agency_id });
    const decider = await this.deciderName(caller);
    const out = await store.write(async (tx) => {
      await tx.lock(LETTER_LOCK);
      const r = await this.find(tx.db, idOrRef);
      const to = nextRequestState(r.state, event);
      const now = clock.now();
      const request = detailsOf(r);
      const agency = r.agency_id ? await findOrgById(tx.db, r.agency_id) : null;
      const basisText = `Đề nghị ${r.ref}; văn bản số ${r.basis_number} ngày ${r.basis_date} của ${r.basis_issuer}`;
      const execution =
        event === 'approve'
          ? await executeApproval(directory, tx, caller, {
              request,
              agencyCode: agency?.code ?? null,
              basis: basisText,
            })
          : null;
      const recipients = await letterRecipients(tx, directory.ctx.settings, r, request);
      let activation: IssuedActivation | null = null;
      if (execution?.activate)
        activation = await activations.issue(tx, {
          accountId: execution.activate.accountId,
          requestId: r.id,
          recipients: await activationRecipients(
            tx,
            directory.ctx.settings,
            r,
            request,
            execution.activate.accountId,
          ),
          actor: caller.actor,
        });
      // The letter's number: the next of the year, under the lock taken first.
      const year = Number(vnDate(now).slice(0, 4));
      const last = await tx.db
        .selectFrom('request_letters')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('year', '=', year)
        .executeTakeFirst();
      const seq = Number(last?.seq ?? 0) + 1;
      const number = `${seq}/${settings.letterNumberSuffix}`;
      const content = buildLetter(settings, {
        number,
        at: now,
        requestRef: r.ref,
        receivedAt: new Date(Number(r.received_at)),
        agencyName: agency?.name ?? (request.kind === 'create-agency' ? request.details.name : ''),
        what: describe(request),
        basis: { number: r.basis_number, date: r.basis_date, issuer: r.basis_issuer },
        decision: event === 'approve' ? 'approved' : 'rejected',
        ...(execution ? { done: execution.done, activation: !!execution.activate } : {}),
        ...(reason ? { reason } : {}),
        deciderName: decider,
      });
      const letterId = uuidv7(now.getTime());
      const letter: LetterRow = {
        id: letterId,
        request_id: r.id,
        year,
        seq,
        number,
        decision: event === 'approve' ? 'approved' : 'rejected',
        content: JSON.stringify(content),
        recipients: JSON.stringify(recipients),
        message_id: `<letter.${letterId}@${settings.domain}>`,
        created_at: now.getTime(),
        delivered_at: null,
      };
      await tx.db.insertInto('request_letters').values(letter).execute();
      const changed = await tx.db
        .updateTable('requests')
        .set({
          state: to,
          decided_by: caller.actor.id,
          decided_by_label: caller.actor.label ?? null,
          decided_at: now.getTime(),
          decision_reason: reason ?? null,
          result: execution ? JSON.stringify(execution.result) : null,
          ...(execution?.result.accountId && r.target_account_id === null
            ? { target_account_id: execution.result.accountId as string }
            : {}),
          updated_at: now.getTime(),
        })
        .where('id', '=', r.id)
        .where('state', '=', r.state)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) !== 1)
        throw conflict(
          'request.changed',
          'Đề nghị vừa được xử lý bởi người khác.',
          'Someone else just decided it.',
        );
      await appendAudit(
        tx,
        caller.actor,
        {
          action: `request.${event}`,
          targetType: 'request',
          targetId: r.id,
          reason: reason ?? null,
          details: {
            ref: r.ref,
            from: r.state,
            to,
            letter: number,
            ...(execution ? { result: execution.result } : {}),
            deadline: r.deadline,
            late: vnDate(now) > r.deadline,
          },
        },
        now,
      );
      return { id: r.id, letter, content, activation };
    });
    await this.deliverLetter(out.letter, out.content);
    if (out.activation) await activations.deliver(out.activation);
    return this.show(caller, out.id);
  }

  private async deciderName(caller: Caller): Promise<string> {
    const row = await this.deps.store.db
      .selectFrom('accounts')
      .select('display_name')
      .where('id', '=', caller.principal.accountId)
      .executeTakeFirst();
    return row?.display_name ?? caller.actor.label ?? caller.actor.id;
  }

  /** @internal (request-sweep.ts): mails a letter, idempotently, and marks it delivered. */
  async deliverLetter(letter: LetterRow, content: LetterContent): Promise<void> {
    const { notices, settings, store, clock } = this.deps;
    const r = await store.db
      .selectFrom('requests')
      .select('ref')
      .where('id', '=', letter.request_id)
      .executeTakeFirstOrThrow();
    await notices.deliverMessage(letter.message_id, JSON.parse(letter.recipients) as string[], (to) =>
      composeLetterMail(settings, { letter, content, ref: r.ref, to }),
    );
    await store.write(async (tx) => {
      await tx.db
        .updateTable('request_letters')
        .set({ delivered_at: clock.now().getTime() })
        .where('id', '=', letter.id)
        .execute();
    });
  }

  // ─── The daily sweep: reminders, overdue alerts, deliveries a crash left undone ───────────

  /** Run daily with the lifecycle job (and by `congthu request sweep`); see request-sweep.ts. */
  async sweep(caller: Caller): Promise<SweepReport> {
    authorise(caller, 'request.decide', {});
    return sweepRequests(this.deps, this, caller);
  }
}
