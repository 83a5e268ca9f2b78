/**
 * Working days of state agencies, from operator-edited data with a computed fallback.
 *
 * Purpose: every deadline of the regulation counts working days. Agencies work Monday–Friday
 * (Decision 188/1999/QĐ-TTg); the government announces every year the exact holidays and swaps
 * (a weekday off repaid by working a Saturday), so the calendar is data: per year, days off and
 * extra working days. Years without data fall back to the computed statutory holidays.
 *
 * Rules for a date:
 * 1. in the year's `extraWorkingDays` → working (e.g. Saturday 10/1/2026);
 * 2. else in the year's `daysOff` → not working (weekend days inside a holiday window may be listed
 *    too, to explain them);
 * 3. else Saturday or Sunday → not working; else working.
 *
 * Counting conventions (chosen so that the two functions are inverse to each other):
 * - `addWorkingDays(d, n)`, n ≥ 1: the n-th working day after d (d itself never counts);
 *   n = 0: d if d is a working day, else the next working day; n ≤ −1: the |n|-th working day
 *   before d.
 * - `workingDaysBetween(a, b)`: the working days "stepped on" walking from a to b, a excluded and
 *   b included: for b ≥ a the count of working days in (a, b]; for b < a minus the count in [b, a).
 *   Hence workingDaysBetween(a, addWorkingDays(a, n)) = n for every n ≠ 0.
 *
 * Invariants: pure; a date is never both a day off and an extra working day (checked on
 * construction, with `calendar.bad-data`); every entry's date lies in its year.
 *
 * References: Quyết định 188/1999/QĐ-TTg; Bộ luật Lao động 2019 Điều 111–112; the 2026 schedule
 * for state agencies as given in REQUIREMENTS.md ("Working days").
 */

import type { Bilingual } from '../../util/errors.ts';
import { invalid } from '../../util/errors.ts';
import {
  civilDateFromJdn,
  civilDateToJdn,
  dayOfWeek,
  parseCivilDate,
  partsFromJdn,
  weekdayName,
} from './civil-date.ts';
import type { CivilDate } from './civil-date.ts';
import { statutoryHolidays } from './holidays.ts';
import type { HolidayOptions } from './holidays.ts';

export interface CalendarEntry {
  readonly date: CivilDate;
  readonly reason: Bilingual;
}

/** One year of the operator-edited calendar. */
export interface CalendarYearData {
  readonly year: number;
  readonly daysOff: readonly CalendarEntry[];
  readonly extraWorkingDays: readonly CalendarEntry[];
}

/** The calendar data, by year. Years that are missing use the computed default. */
export type CalendarData = readonly CalendarYearData[];

export interface WorkingDayExplanation {
  readonly working: boolean;
  readonly reasons: readonly Bilingual[];
}

export interface WorkingDayCalendarOptions {
  /** For years without data: whether the computed default includes 24/11 (default false). */
  readonly cultureDay?: boolean;
}

/** Days searched before concluding that there is no working day at all (guards bad data). */
const MAX_GAP_DAYS = 370;

interface YearIndex {
  readonly source: 'data' | 'computed';
  readonly data: CalendarYearData;
  readonly off: ReadonlyMap<number, readonly Bilingual[]>;
  readonly extra: ReadonlyMap<number, readonly Bilingual[]>;
}

function badData(vi: string, en: string, details: Record<string, unknown>): never {
  throw invalid('calendar.bad-data', vi, en, details);
}

function checkReason(reason: unknown, date: string): Bilingual {
  const r = reason as Partial<Bilingual> | undefined;
  if (!r || typeof r.vi !== 'string' || typeof r.en !== 'string' || !r.vi.trim() || !r.en.trim()) {
    badData(
      `Ngày ${date}: thiếu lý do (tiếng Việt và tiếng Anh).`,
      `Date ${date}: the reason (Vietnamese and English) is missing.`,
      { date },
    );
  }
  return { vi: r.vi, en: r.en };
}

function indexEntries(year: number, entries: readonly CalendarEntry[]): Map<number, Bilingual[]> {
  const map = new Map<number, Bilingual[]>();
  for (const e of entries) {
    const date = parseCivilDate(e.date);
    const jdn = civilDateToJdn(date);
    if (partsFromJdn(jdn).year !== year) {
      badData(
        `Ngày ${date} không thuộc năm ${year} của lịch.`,
        `Date ${date} does not belong to calendar year ${year}.`,
        { year, date },
      );
    }
    const list = map.get(jdn) ?? [];
    list.push(checkReason(e.reason, date));
    map.set(jdn, list);
  }
  return map;
}

function indexYear(data: CalendarYearData, source: 'data' | 'computed'): YearIndex {
  if (!Number.isInteger(data.year)) {
    badData('Năm của lịch không hợp lệ.', 'Invalid calendar year.', { year: data.year });
  }
  const off = indexEntries(data.year, data.daysOff ?? []);
  const extra = indexEntries(data.year, data.extraWorkingDays ?? []);
  for (const jdn of extra.keys()) {
    if (off.has(jdn)) {
      const date = civilDateFromJdn(jdn);
      badData(
        `Ngày ${date} vừa là ngày nghỉ vừa là ngày làm việc bù.`,
        `Date ${date} is both a day off and an extra working day.`,
        { date },
      );
    }
  }
  return { source, data, off, extra };
}

/** Proposes a year's calendar data from the statutory holidays (holidays.ts). */
export function defaultCalendarYear(year: number, options: HolidayOptions): CalendarYearData {
  return {
    year,
    daysOff: statutoryHolidays(year, options).map((h) => ({ date: h.date, reason: h.name })),
    extraWorkingDays: [],
  };
}

function checkCount(n: number): void {
  if (!Number.isSafeInteger(n)) {
    throw invalid(
      'calendar.bad-argument',
      `Số ngày làm việc phải là số nguyên: ${n}.`,
      `The number of working days must be an integer: ${n}.`,
    );
  }
}

export class WorkingDayCalendar {
  private readonly years = new Map<number, YearIndex>();
  private readonly cultureDay: boolean;

  constructor(data: CalendarData, options: WorkingDayCalendarOptions = {}) {
    this.cultureDay = options.cultureDay ?? false;
    for (const y of data) {
      if (this.years.has(y.year)) {
        badData(`Năm ${y.year} có hai bộ dữ liệu lịch.`, `Year ${y.year} is given twice.`, { year: y.year });
      }
      this.years.set(y.year, indexYear(y, 'data'));
    }
  }

  private yearIndex(year: number): YearIndex {
    let index = this.years.get(year);
    if (!index) {
      index = indexYear(defaultCalendarYear(year, { cultureDay: this.cultureDay }), 'computed');
      this.years.set(year, index);
    }
    return index;
  }

  private isWorkingJdn(jdn: number): boolean {
    const index = this.yearIndex(partsFromJdn(jdn).year);
    if (index.extra.has(jdn)) return true;
    if (index.off.has(jdn)) return false;
    const dow = (jdn + 1) % 7;
    return dow !== 0 && dow !== 6;
  }

  /** Whether `date` is a working day. */
  isWorkingDay(date: CivilDate | string): boolean {
    return this.isWorkingJdn(civilDateToJdn(date));
  }

  /** Whether `date` is a working day, and why. */
  explain(date: CivilDate | string): WorkingDayExplanation {
    const jdn = civilDateToJdn(date);
    const index = this.yearIndex(partsFromJdn(jdn).year);
    const dow = dayOfWeek(civilDateFromJdn(jdn));
    const day = weekdayName(dow);
    const weekend = dow === 0 || dow === 6;
    const extra = index.extra.get(jdn);
    if (extra) {
      const worked = { vi: `Làm việc vào ${day.vi}`, en: `Working ${day.en}` };
      return { working: true, reasons: weekend ? [worked, ...extra] : extra };
    }
    const off = index.off.get(jdn);
    const weekendReason = { vi: `Nghỉ cuối tuần (${day.vi})`, en: `Weekend (${day.en})` };
    if (off) return { working: false, reasons: weekend ? [weekendReason, ...off] : off };
    if (weekend) return { working: false, reasons: [weekendReason] };
    return { working: true, reasons: [{ vi: `Ngày làm việc (${day.vi})`, en: `Working day (${day.en})` }] };
  }

  /** See the module doc: n-th working day after (n > 0) or before (n < 0) `date`. */
  addWorkingDays(date: CivilDate | string, n: number): CivilDate {
    checkCount(n);
    let jdn = civilDateToJdn(date);
    const step = n < 0 ? -1 : 1;
    let remaining = n === 0 ? 1 : Math.abs(n);
    if (n === 0) jdn -= 1; // "the first working day from date on, date included"
    let gap = 0;
    while (remaining > 0) {
      jdn += step;
      if (this.isWorkingJdn(jdn)) {
        remaining--;
        gap = 0;
      } else if (++gap > MAX_GAP_DAYS) {
        throw invalid(
          'calendar.no-working-days',
          'Lịch không có ngày làm việc nào trong hơn một năm liên tiếp.',
          'The calendar has no working day for more than a year in a row.',
          { from: parseCivilDate(date), n },
        );
      }
    }
    return civilDateFromJdn(jdn);
  }

  /** See the module doc: working days in (a, b], or minus those in [b, a) when b < a. */
  workingDaysBetween(a: CivilDate | string, b: CivilDate | string): number {
    const ja = civilDateToJdn(a);
    const jb = civilDateToJdn(b);
    let count = 0;
    if (jb >= ja) {
      for (let j = ja + 1; j <= jb; j++) if (this.isWorkingJdn(j)) count++;
      return count;
    }
    for (let j = jb; j < ja; j++) if (this.isWorkingJdn(j)) count++;
    return -count;
  }

  /** The days off of `year` in date order, with their reasons (the data, or the computed default). */
  daysOffOfYear(year: number): CalendarEntry[] {
    return this.entriesOf(year, 'off');
  }

  /** The extra working days (worked Saturdays) of `year` in date order. */
  extraWorkingDaysOfYear(year: number): CalendarEntry[] {
    return this.entriesOf(year, 'extra');
  }

  /** Whether `year` comes from the operator's data or from the computed default. */
  sourceOfYear(year: number): 'data' | 'computed' {
    return this.yearIndex(year).source;
  }

  private entriesOf(year: number, which: 'off' | 'extra'): CalendarEntry[] {
    const map = this.yearIndex(year)[which];
    return [...map.keys()]
      .sort((x, y) => x - y)
      .flatMap((jdn) => (map.get(jdn) ?? []).map((reason) => ({ date: civilDateFromJdn(jdn), reason })));
  }
}
