/**
 * The requests' daily sweep (Điều 7.2.b, 8.3.b), run with the lifecycle job: a numbered notice to
 * the operators on the working day before a request's deadline and another once it is overdue
 * (each once: the notice's id is recorded on the request in the same transaction), and every
 * delivery a crash left undone: reminder notices, reply letters, activation links.
 */
import { uuidv7 } from '../../util/ids.ts';
import { appendAudit, type DataStore } from '../../store/index.ts';
import type { Clock } from '../../util/clock.ts';
import type { NoticeService } from '../notices.ts';
import type { ActivationService } from './activation.ts';
import type { Caller } from '../../directory/index.ts';
import { vnDate } from '../lifecycle-dates.ts';
import type { LetterContent } from './letter.ts';
import { operators } from './recipients.ts';
import { reminderText } from './reminder-text.ts';
import { isOpen } from './state.ts';
import type { LetterRow, RequestRow, RequestView } from './views.ts';

export interface SweepReport {
  reminders: string[];
  overdue: string[];
  lettersDelivered: number;
  activationsResent: number;
}

export interface SweepDeps {
  store: DataStore;
  clock: Clock;
  notices: NoticeService;
  activations: ActivationService;
}

/** What the sweep needs from the request service. */
export interface SweepHost {
  views(rows: RequestRow[]): Promise<RequestView[]>;
  deliverLetter(letter: LetterRow, content: LetterContent): Promise<void>;
}

export async function sweepRequests(deps: SweepDeps, host: SweepHost, caller: Caller): Promise<SweepReport> {
  const { store, clock, notices } = deps;
  const now = clock.now();
  const today = vnDate(now);
  const report: SweepReport = { reminders: [], overdue: [], lettersDelivered: 0, activationsResent: 0 };
  const open = await store.db
    .selectFrom('requests')
    .selectAll()
    .where('state', 'in', ['filed', 'in-review'])
    .orderBy('deadline')
    .execute();
  for (const r of open) {
    const late = r.deadline < today;
    const kind: 'reminder' | 'overdue' | null =
      late && r.overdue_notice_id === null
        ? 'overdue'
        : !late && r.remind_on <= today && r.reminder_notice_id === null
          ? 'reminder'
          : null;
    if (!kind) continue;
    const [view] = await host.views([r]);
    const text = reminderText(kind, view!);
    const notice = await store.write(async (tx) => {
      await tx.lock(`request:${r.id}`); // two sweeps at once send one reminder
      const fresh = await tx.db
        .selectFrom('requests')
        .selectAll()
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      if (!isOpen(fresh.state)) return null;
      if ((kind === 'reminder' ? fresh.reminder_notice_id : fresh.overdue_notice_id) !== null) return null;
      const n = await notices.register(tx, {
        id: uuidv7(now.getTime()),
        kind: `request-${kind}`,
        accountId: r.target_account_id,
        recipients: await operators(tx.db),
        text,
        actor: caller.actor,
        at: now,
      });
      await tx.db
        .updateTable('requests')
        .set(kind === 'reminder' ? { reminder_notice_id: n.id } : { overdue_notice_id: n.id })
        .where('id', '=', r.id)
        .execute();
      await appendAudit(
        tx,
        caller.actor,
        {
          action: `request.${kind === 'reminder' ? 'remind' : 'overdue'}`,
          targetType: 'request',
          targetId: r.id,
          details: { ref: r.ref, deadline: r.deadline, notice: n.number, daysLeft: view!.daysLeft },
        },
        now,
      );
      return n;
    });
    if (!notice) continue;
    await notices.deliver(notice, text);
    await store.write(async (tx) => {
      await tx.db
        .updateTable('requests')
        .set(kind === 'reminder' ? { reminder_done_at: now.getTime() } : { overdue_done_at: now.getTime() })
        .where('id', '=', r.id)
        .execute();
    });
    (kind === 'reminder' ? report.reminders : report.overdue).push(r.ref);
  }
  // Notices registered by a run that crashed before delivering them.
  const pendingNotices = await store.db
    .selectFrom('requests')
    .innerJoin('notices', (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([
            eb('notices.id', '=', eb.ref('requests.reminder_notice_id')),
            eb('requests.reminder_done_at', 'is', null),
          ]),
          eb.and([
            eb('notices.id', '=', eb.ref('requests.overdue_notice_id')),
            eb('requests.overdue_done_at', 'is', null),
          ]),
        ]),
      ),
    )
    .selectAll('requests')
    .select(['notices.id as notice_id', 'notices.kind as notice_kind'])
    .execute();
  for (const p of pendingNotices) {
    const kind = p.notice_kind === 'request-reminder' ? 'reminder' : 'overdue';
    const [view] = await host.views([p]);
    const n = await store.db
      .selectFrom('notices')
      .selectAll()
      .where('id', '=', p.notice_id)
      .executeTakeFirstOrThrow();
    await notices.deliver(
      {
        id: n.id,
        number: n.number,
        messageId: n.message_id,
        recipients: JSON.parse(n.recipients) as string[],
        createdAt: new Date(Number(n.created_at)),
      },
      reminderText(kind, view!),
    );
    await store.write(async (tx) => {
      await tx.db
        .updateTable('requests')
        .set(kind === 'reminder' ? { reminder_done_at: now.getTime() } : { overdue_done_at: now.getTime() })
        .where('id', '=', p.id)
        .execute();
    });
  }
  const letters = await store.db
    .selectFrom('request_letters')
    .selectAll()
    .where('delivered_at', 'is', null)
    .execute();
  for (const l of letters) {
    await host.deliverLetter(l, JSON.parse(l.content) as LetterContent);
    report.lettersDelivered++;
  }
  report.activationsResent = await deps.activations.resendPending();
  return report;
}
