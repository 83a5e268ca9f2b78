/**
 * Checking frequency (Điều 12) as a pure computation over recorded accesses.
 *
 * What counts as a check: an access event of kind 'inbox' (IMAP SELECT/EXAMINE of INBOX by the
 * owner or by a delegate, whose event names the delegated mailbox; web inbox views when they are
 * recorded the same way) or a POP3 sign-in (kind 'login', protocol 'pop3': POP3 only ever opens
 * the inbox). Sign-ins by IMAP, SMTP or the web alone are not checks: nothing was looked at.
 *
 * The rules, per mailbox and working day (the working-day calendar drops weekends and holidays
 * and adds the Saturdays worked):
 * - agency and sub-unit mailboxes (Điều 12.1: "ít nhất 02 lần/ngày làm việc, vào đầu buổi sáng,
 *   đầu buổi chiều"): a morning check (an access in the morning window, default 07:00–11:30) and an
 *   afternoon check (default 13:30–17:00). Windows are [from, to): an access at 11:30 is late.
 * - personal mailboxes (Điều 12.2: "ít nhất 02 lần/ngày làm việc", no time named): two checks a
 *   day at any time, two accesses counting as two checks only when `personalMinGapMinutes` apart
 *   (one session's repeated SELECTs are one look).
 * Days counted: from the day after the mailbox was created; not from the day it was suspended or
 * deleted (the current state only: an earlier suspension that was lifted is not reconstructed);
 * not on the days of an inactivity exemption (leave, secondment: lifecycle exemptions). A check is
 * required only once its window has ended (`now`): today's afternoon is not missed at 10:00.
 * Times are local to Asia/Ho_Chi_Minh (UTC+7).
 */
import { addDays, compareCivilDates, type CivilDate } from '../calendar/index.ts';
import { vnDate, VN_OFFSET_MS, vnMidnight } from '../lifecycle-dates.ts';

export interface CheckWindow {
  from: string; // "HH:MM", inclusive
  to: string; // "HH:MM", exclusive
}

export interface CheckingSettings {
  morning: CheckWindow;
  afternoon: CheckWindow;
  requiredRate: number;
  personalMinGapMinutes: number;
}

export type CheckingRule = 'windows' | 'twice-daily';
export type CheckName = 'morning' | 'afternoon' | 'first' | 'second';

export interface CheckedMailbox {
  id: string;
  address: string;
  kind: 'agency' | 'sub-unit' | 'personal';
  displayName: string;
  orgCode: string;
  /** First day counted (inclusive). */
  countFrom: string;
  /** Last day counted (inclusive), or null. */
  countUntil: string | null;
  exemptions: ReadonlyArray<{ from: string; until: string }>;
}

export interface CheckAccess {
  mailboxId: string;
  at: number; // epoch ms
}

export interface MissedDay {
  date: string;
  missed: CheckName[];
}

export interface MailboxCompliance {
  address: string;
  kind: CheckedMailbox['kind'];
  displayName: string;
  org: string;
  rule: CheckingRule;
  daysCounted: number;
  required: number;
  met: number;
  /** met / required, rounded to 4 decimals; null when nothing was required. */
  rate: number | null;
  belowRequirement: boolean;
  missedDays: MissedDay[];
}

export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Local minutes since midnight (UTC+7) of an instant. */
export function localMinutes(at: number): number {
  const ms = (((at + VN_OFFSET_MS) % 86_400_000) + 86_400_000) % 86_400_000;
  return Math.floor(ms / 60_000);
}

export function ruleOf(kind: CheckedMailbox['kind']): CheckingRule {
  return kind === 'personal' ? 'twice-daily' : 'windows';
}

function exempt(m: CheckedMailbox, day: string): boolean {
  return m.exemptions.some((e) => e.from <= day && day <= e.until);
}

/** How many checks of a personal mailbox a day's accesses make (0, 1 or 2). */
export function personalChecks(minutes: readonly number[], minGap: number): number {
  if (minutes.length === 0) return 0;
  const sorted = [...minutes].sort((a, b) => a - b);
  return sorted[sorted.length - 1]! - sorted[0]! >= minGap ? 2 : 1;
}

/**
 * Compliance of each mailbox over `workingDays` (the working days of the period, ascending), from
 * the accesses of the period (any order; other mailboxes' accesses are ignored).
 */
export function computeCompliance(input: {
  mailboxes: readonly CheckedMailbox[];
  workingDays: readonly string[];
  accesses: readonly CheckAccess[];
  settings: CheckingSettings;
  now: Date;
}): MailboxCompliance[] {
  const { settings } = input;
  const byMailbox = new Map<string, Map<string, number[]>>();
  for (const a of input.accesses) {
    let days = byMailbox.get(a.mailboxId);
    if (!days) byMailbox.set(a.mailboxId, (days = new Map()));
    const day = vnDate(a.at);
    const list = days.get(day);
    if (list) list.push(localMinutes(a.at));
    else days.set(day, [localMinutes(a.at)]);
  }
  const now = input.now.getTime();
  const mFrom = minutesOf(settings.morning.from);
  const mTo = minutesOf(settings.morning.to);
  const aFrom = minutesOf(settings.afternoon.from);
  const aTo = minutesOf(settings.afternoon.to);
  const ended = (day: string, endMinutes: number): boolean => vnMidnight(day) + endMinutes * 60_000 <= now;

  return input.mailboxes.map((m) => {
    const rule = ruleOf(m.kind);
    const days = byMailbox.get(m.id) ?? new Map<string, number[]>();
    let required = 0;
    let met = 0;
    let counted = 0;
    const missedDays: MissedDay[] = [];
    for (const day of input.workingDays) {
      if (day < m.countFrom) continue;
      if (m.countUntil !== null && day > m.countUntil) continue;
      if (exempt(m, day)) continue;
      const minutes = days.get(day) ?? [];
      const missed: CheckName[] = [];
      let dayRequired = 0;
      if (rule === 'windows') {
        for (const [name, from, to] of [
          ['morning', mFrom, mTo],
          ['afternoon', aFrom, aTo],
        ] as const) {
          if (!ended(day, to)) continue;
          dayRequired++;
          if (minutes.some((t) => t >= from && t < to)) met++;
          else missed.push(name);
        }
      } else if (ended(day, 24 * 60)) {
        dayRequired = 2;
        const n = personalChecks(minutes, settings.personalMinGapMinutes);
        met += n;
        if (n < 1) missed.push('first');
        if (n < 2) missed.push('second');
      }
      if (dayRequired === 0) continue;
      counted++;
      required += dayRequired;
      if (missed.length > 0) missedDays.push({ date: day, missed });
    }
    const rate = required === 0 ? null : Math.round((met / required) * 10_000) / 10_000;
    return {
      address: m.address,
      kind: m.kind,
      displayName: m.displayName,
      org: m.orgCode,
      rule,
      daysCounted: counted,
      required,
      met,
      rate,
      belowRequirement: rate !== null && rate < settings.requiredRate,
      missedDays,
    };
  });
}

/** The days from `from` to `to` inclusive (civil dates), for a calendar to filter. */
export function daysOfPeriod(from: CivilDate, to: CivilDate): CivilDate[] {
  const out: CivilDate[] = [];
  for (let d = from; compareCivilDates(d, to) <= 0; d = addDays(d, 1)) out.push(d);
  return out;
}

const CHECK_LABEL: Record<CheckName, string> = {
  morning: 'sáng/morning',
  afternoon: 'chiều/afternoon',
  first: 'lần 1/first',
  second: 'lần 2/second',
};

export function missedText(days: readonly MissedDay[]): string {
  return days.map((d) => `${d.date} ${d.missed.map((c) => CHECK_LABEL[c]).join('+')}`).join('; ');
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  ['address', 'Hộp thư / Mailbox'],
  ['kind', 'Loại / Kind'],
  ['displayName', 'Tên / Name'],
  ['org', 'Đơn vị / Organisation'],
  ['rule', 'Quy tắc / Rule'],
  ['daysCounted', 'Số ngày / Days'],
  ['required', 'Số lần phải kiểm tra / Checks required'],
  ['met', 'Số lần đã kiểm tra / Checks met'],
  ['rate', 'Tỷ lệ / Rate'],
  ['belowRequirement', 'Dưới yêu cầu / Below requirement'],
  ['missedDays', 'Ngày thiếu / Days missed'],
] as const;

/** CSV with a header row, CRLF line ends, UTF-8 with a BOM (so Excel shows Vietnamese). */
export function complianceCsv(rows: readonly MailboxCompliance[]): string {
  const lines = [CSV_COLUMNS.map(([, h]) => csvCell(h)).join(',')];
  for (const r of rows)
    lines.push(
      CSV_COLUMNS.map(([k]) =>
        csvCell(
          k === 'missedDays'
            ? missedText(r.missedDays)
            : k === 'belowRequirement'
              ? r.belowRequirement
                ? 'x'
                : ''
              : r[k],
        ),
      ).join(','),
    );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
