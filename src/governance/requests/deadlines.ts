/**
 * Deadlines of requests in working days (Điều 7.2.b: answer "trong thời hạn 05 ngày làm việc kể
 * từ khi nhận được"; Điều 8.3.b: a restore "sau 03 ngày làm việc kể từ khi nhận được"), counted
 * with the operator's working-day calendar in Asia/Ho_Chi_Minh. Pure functions.
 *
 * - The day of receipt is not counted (Civil Code 2015, Điều 147.1: a period starts the day after
 *   the event); the deadline is the n-th working day after it and runs to the end of that day. A
 *   request received on a Saturday, a holiday or in the evening is counted the same way.
 * - The operator is reminded on the working day before the deadline.
 * - Days left: the working days from today (excluded) to the deadline (included): 0 on the
 *   deadline itself. Past the deadline it is negative (minus the working days since it), and the
 *   request is overdue.
 */
import type { CivilDate, WorkingDayCalendar } from '../calendar/index.ts';
import { vnDate } from '../lifecycle-dates.ts';
import { isOpen, type RequestState } from './state.ts';

export const ANSWER_WORKING_DAYS = 5; // Điều 7.2.b
export const RESTORE_WORKING_DAYS = 3; // Điều 8.3.b

export function workingDaysFor(kind: string): number {
  return kind === 'restore' ? RESTORE_WORKING_DAYS : ANSWER_WORKING_DAYS;
}

export interface Deadline {
  receivedOn: CivilDate;
  deadline: CivilDate;
  remindOn: CivilDate;
  workingDays: number;
}

export function deadlineFor(cal: WorkingDayCalendar, kind: string, receivedAt: Date): Deadline {
  const receivedOn = vnDate(receivedAt);
  const workingDays = workingDaysFor(kind);
  const deadline = cal.addWorkingDays(receivedOn, workingDays);
  return { receivedOn, deadline, remindOn: cal.addWorkingDays(deadline, -1), workingDays };
}

export interface Progress {
  /** Working days left for an open request (negative when overdue); null once decided or withdrawn. */
  daysLeft: number | null;
  overdue: boolean;
  /** For a decided request: whether the decision came after the deadline. */
  decidedLate: boolean | null;
}

export function progressOf(
  cal: WorkingDayCalendar,
  r: { state: RequestState; deadline: string; decidedAt: Date | null },
  now: Date,
): Progress {
  const today = vnDate(now);
  if (isOpen(r.state)) {
    const daysLeft = cal.workingDaysBetween(today, r.deadline);
    return { daysLeft, overdue: today > r.deadline, decidedLate: null };
  }
  return {
    daysLeft: null,
    overdue: false,
    decidedLate: r.decidedAt ? vnDate(r.decidedAt) > r.deadline : null,
  };
}
