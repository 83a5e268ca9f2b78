/**
 * How the lifecycle periods are counted (Điều 7.3, 8.2.a, 5.1), as pure functions of civil dates
 * in Asia/Ho_Chi_Minh (UTC+7). The regulation says "03 tháng", "06 tháng", "03 ngày"; it does
 * not say how to count them, so we follow the Civil Code 2015 (Bộ luật Dân sự), Điều 147–148:
 *
 * - A period starts on the day after the event (the last access): the day of the event is not
 *   counted (Điều 147.1).
 * - A period of months ends on the same day of the last month; when that month has no such day
 *   (31 January + 3 months), it ends on the last day of that month (30 April) (Điều 148.1, 148.2
 *   rule for months). It ends at 24:00 of its last day.
 * - So the rule applies from the next day, at 00:00 UTC+7: last access 2026-01-31 → three months
 *   end on 2026-04-30 → suspended on 2026-05-01; last access 2026-01-15 → suspended 2026-04-16.
 * - "3 days after the notice is issued" (Điều 7.3): three whole calendar days after the day of the
 *   notice: notice on 2026-08-01 → days 02, 03, 04 → deleted on 2026-08-05.
 * - An exemption (the agency stated a reason, Điều 7.3 and 8.2.a "mà không thông báo lý do")
 *   pauses the clock: each exempt day inside the period lengthens it by one day.
 */
import {
  addDays,
  civilDate,
  civilDateInZone,
  civilDateParts,
  daysInMonth,
  type CivilDate,
} from './calendar/index.ts';

export const VN_OFFSET_MS = 7 * 3_600_000;

/** The civil date in Quảng Trị at an instant. */
export function vnDate(at: Date | number): CivilDate {
  return civilDateInZone(new Date(at));
}

/** 00:00 of a civil date in Quảng Trị, as epoch milliseconds. */
export function vnMidnight(date: CivilDate | string): number {
  return Date.parse(`${date}T00:00:00Z`) - VN_OFFSET_MS;
}

/** The same day `months` later, or the last day of that month when it has no such day. */
export function addMonthsClamped(date: CivilDate | string, months: number): CivilDate {
  const p = civilDateParts(date);
  const index = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return civilDate(year, month, Math.min(p.day, daysInMonth(year, month)));
}

export interface ExemptSpan {
  from: string; // inclusive civil date
  until: string; // inclusive civil date
}

/** How many days of [first, last] (civil dates, inclusive) fall in one of the spans. */
export function exemptDaysBetween(first: string, last: string, spans: readonly ExemptSpan[]): number {
  if (last < first) return 0;
  const days = new Set<string>();
  for (const s of spans) {
    let d = s.from < first ? first : s.from;
    const end = s.until > last ? last : s.until;
    while (d <= end) {
      days.add(d);
      d = addDays(d, 1);
    }
  }
  return days.size;
}

/**
 * The first day on which `months` calendar months without access have passed since `start`
 * (the day of the last access), each exempt day inside the period lengthening it by a day.
 */
export function dayAfterMonths(
  start: CivilDate | string,
  months: number,
  spans: readonly ExemptSpan[],
): CivilDate {
  const first = addDays(start, 1);
  const base = addMonthsClamped(start, months);
  let end = base;
  for (let i = 0; i < 1000; i++) {
    const next = addDays(base, exemptDaysBetween(first, end, spans));
    if (next === end) break;
    end = next;
  }
  return addDays(end, 1);
}

/** True when `day` lies in one of the spans. */
export function isExempt(day: string, spans: readonly ExemptSpan[]): boolean {
  return spans.some((s) => s.from <= day && day <= s.until);
}
