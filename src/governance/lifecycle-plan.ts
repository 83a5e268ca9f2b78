/**
 * Which lifecycle action is due for one mailbox on one day: a pure function of the account, its
 * exemptions and the actions already taken (Điều 5.1, 7.3, 8.2.a). Counting rules: see
 * lifecycle-dates.ts.
 *
 * - Personal mailbox, active: a warning to the user and its agency 14 days before the suspension
 *   day; suspension (reason 'inactivity', Điều 8.2.a) once 3 calendar months have passed since
 *   the last access (or the creation, for a mailbox never used).
 * - Personal mailbox suspended for inactivity: at 6 months a numbered written notice to the
 *   agency (Điều 7.3); 3 whole days after the day of that notice, deletion (soft).
 * - Agency and sub-unit mailboxes: the warning, then at 3 months a report to the agency and the
 *   operator; never suspended or deleted automatically. Suspending or deleting an agency's
 *   official mailbox cuts the agency off from the documents sent to it; the operator decides
 *   that, on a request (item 2), not a timer.
 * - A day inside an exemption produces no inactivity action (the clock is paused).
 * - Passwords (Điều 5.1): reminders on the days 14, 7 and 1 before the expiry date, each once per
 *   password; a missed day sends only the reminder of the window the date is in.
 * The cycle key identifies a counted period: the last-access instant for inactivity, the
 * password-change instant for reminders. A new sign-in (or a new password) starts a new cycle.
 */
import { addDays, type CivilDate } from './calendar/index.ts';
import { DAY_MS } from '../util/clock.ts';
import { dayAfterMonths, isExempt, vnDate, vnMidnight, type ExemptSpan } from './lifecycle-dates.ts';
import type { LifecycleKind, NoticeFacts } from './lifecycle-texts.ts';

export interface PlanAccount {
  id: string;
  kind: 'agency' | 'sub-unit' | 'personal';
  address: string;
  state: 'active' | 'suspended' | 'deleted';
  stateReason: string | null;
  lastAccessAt: number | null;
  createdAt: number;
  passwordChangedAt: number | null;
  passwordMustChange: boolean;
}

export interface TakenAction {
  kind: string;
  cycleKey: number;
  done: boolean;
  noticeAt: number | null;
  noticeNumber: string | null;
}

export interface PlannedAction {
  kind: LifecycleKind;
  cycleKey: number;
  dueAt: number;
  facts: NoticeFacts;
}

const REMINDERS: ReadonlyArray<[LifecycleKind, number, number]> = [
  ['password-reminder-14', 14, 7],
  ['password-reminder-7', 7, 1],
  ['password-reminder-1', 1, 0],
];

export function planFor(
  a: PlanAccount,
  today: CivilDate,
  spans: readonly ExemptSpan[],
  taken: readonly TakenAction[],
  passwordMaxAgeDays: number,
): PlannedAction[] {
  const out: PlannedAction[] = [];
  if (a.state === 'deleted') return out;
  const ref = a.lastAccessAt ?? a.createdAt;
  const since = vnDate(ref);
  const at = (kind: LifecycleKind, day: string, on?: string, extra: Partial<NoticeFacts> = {}): void => {
    out.push({
      kind,
      cycleKey: ref,
      dueAt: vnMidnight(day),
      facts: { address: a.address, since, ...(on ? { on } : {}), ...extra },
    });
  };
  if (!isExempt(today, spans)) {
    const suspendDay = dayAfterMonths(since, 3, spans);
    const warnDay = addDays(suspendDay, -14);
    if (a.state === 'active') {
      if (today >= suspendDay) at(a.kind === 'personal' ? 'suspend-inactive' : 'report-inactive', suspendDay);
      else if (today >= warnDay) at('warn-inactive', warnDay, suspendDay);
    } else if (a.kind === 'personal' && a.stateReason === 'inactivity') {
      const noticeDay = dayAfterMonths(since, 6, spans);
      const notice = taken.find((t) => t.kind === 'notice-deletion' && t.cycleKey === ref);
      if (!notice && today >= noticeDay) at('notice-deletion', noticeDay, addDays(today, 4));
      if (notice?.done && notice.noticeAt !== null) {
        const deleteDay = addDays(vnDate(notice.noticeAt), 4);
        if (today >= deleteDay)
          at(
            'delete-inactive',
            deleteDay,
            deleteDay,
            notice.noticeNumber ? { noticeNumber: notice.noticeNumber } : {},
          );
      }
    }
  }
  if (a.state === 'active' && !a.passwordMustChange && a.passwordChangedAt !== null) {
    const expiry = vnDate(a.passwordChangedAt + passwordMaxAgeDays * DAY_MS);
    for (const [kind, k, next] of REMINDERS) {
      const from = addDays(expiry, -k);
      if (today >= from && today < addDays(expiry, -next))
        out.push({
          kind,
          cycleKey: a.passwordChangedAt,
          dueAt: vnMidnight(from),
          facts: { address: a.address, since: vnDate(a.passwordChangedAt), on: expiry },
        });
    }
  }
  return out;
}
