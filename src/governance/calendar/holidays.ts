/**
 * Statutory public holidays of Vietnam for a year, computed (the default proposal).
 *
 * Purpose: propose the days off of a year before the government's yearly announcement is entered
 * as data (working-days.ts). The operator's data always wins; this is only the fallback.
 *
 * Rules (Labour Code 2019, Art. 112.1 and Art. 111.3):
 * - Tết Dương lịch: 1/1.
 * - Tết Nguyên đán: 5 days. Default proposal here: the last day of the ending lunar year (29 or 30
 *   tháng Chạp) and mùng 1 to mùng 4 of the new year. The real window is announced every year
 *   (e.g. 2026: 16/2–20/2 = 29 Chạp … mùng 4, which matches; 2025 chose 28 Chạp … mùng 3).
 * - Giỗ Tổ Hùng Vương: 10/3 lunar.
 * - Ngày Chiến thắng: 30/4. Ngày Quốc tế Lao động: 1/5.
 * - Quốc khánh: 2/9 plus one adjacent day, fixed each year. Default proposal: 1/9, except 3/9 when
 *   2/9 falls on a Monday or a Thursday, so that the two days touch a weekend (as decided in
 *   2021–2026: 2021 Thu → 3/9, 2022 Fri → 1/9, 2023 Sat → 1/9, 2024 Mon → 3/9, 2025 Tue → 1/9,
 *   2026 Wed → 1/9).
 * - Optional: Ngày Văn hóa Việt Nam 24/11, only when `cultureDay: true` (decided in 2026 pending its
 *   legal basis; it must stay an operator switch, not an always-on rule).
 * - A holiday on Saturday or Sunday gives a compensatory day off (nghỉ bù) on the next working day,
 *   i.e. the next Monday–Friday that is neither a holiday nor already a compensatory day; holidays
 *   are handled in date order.
 *
 * Invariants: pure; the result is sorted by date, one entry per date (two holidays on one date
 * are merged); every date is in `year`.
 *
 * References: Bộ luật Lao động 2019 (45/2019/QH14) Điều 111, 112; Nghị định 145/2020/NĐ-CP;
 * Quyết định 188/1999/QĐ-TTg (state agencies work Monday–Friday).
 */

import type { Bilingual } from '../../util/errors.ts';
import { invalid } from '../../util/errors.ts';
import { addDays, civilDate, dayOfWeek } from './civil-date.ts';
import type { CivilDate } from './civil-date.ts';
import { MAX_SUPPORTED_YEAR, MIN_SUPPORTED_YEAR, lunarToSolar } from './lunar.ts';

export interface Holiday {
  readonly date: CivilDate;
  readonly kind: 'holiday' | 'compensatory';
  readonly name: Bilingual;
}

export interface HolidayOptions {
  /** Whether 24/11 (Ngày Văn hóa Việt Nam) is a day off. No default: the caller must decide. */
  readonly cultureDay: boolean;
}

export const HOLIDAY_NAMES = {
  newYear: { vi: 'Tết Dương lịch', en: "New Year's Day" },
  tet: { vi: 'Tết Nguyên đán', en: 'Lunar New Year (Tết)' },
  hungKings: { vi: 'Giỗ Tổ Hùng Vương', en: "Hùng Kings' Commemoration Day" },
  reunification: {
    vi: 'Ngày Chiến thắng 30/4 (Ngày Giải phóng miền Nam, thống nhất đất nước)',
    en: 'Reunification Day (30 April: liberation of the South and national reunification)',
  },
  labour: { vi: 'Ngày Quốc tế Lao động', en: 'International Labour Day' },
  nationalDay: { vi: 'Quốc khánh', en: 'National Day' },
  nationalDayAdjacent: {
    vi: 'Quốc khánh (ngày nghỉ liền kề 2/9)',
    en: 'National Day (day off adjacent to 2 September)',
  },
  cultureDay: { vi: 'Ngày Văn hóa Việt Nam', en: 'Vietnam Culture Day' },
} as const satisfies Record<string, Bilingual>;

/** The name of the compensatory day off for a holiday. */
export function compensatoryName(holiday: Bilingual): Bilingual {
  return { vi: `Nghỉ bù ${holiday.vi}`, en: `Compensatory day off for ${holiday.en}` };
}

function isWeekend(date: CivilDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

/** The adjacent day off of Quốc khánh proposed by default for `year` (see the rules above). */
export function nationalDayAdjacent(year: number): CivilDate {
  const dow = dayOfWeek(civilDate(year, 9, 2));
  return dow === 1 || dow === 4 ? civilDate(year, 9, 3) : civilDate(year, 9, 1);
}

/** The five Tết days proposed by default: the last day of lunar year `year − 1`, mùng 1 … mùng 4. */
export function defaultTetWindow(year: number): CivilDate[] {
  const first = lunarToSolar({ year, month: 1, day: 1, leap: false });
  return [-1, 0, 1, 2, 3].map((i) => addDays(first, i));
}

/**
 * The statutory holidays of `year` with their compensatory days, sorted by date. The Tết window
 * and the 2/9 adjacent day are the default proposals documented above.
 */
export function statutoryHolidays(year: number, options: HolidayOptions): Holiday[] {
  if (!Number.isInteger(year) || year < MIN_SUPPORTED_YEAR || year > MAX_SUPPORTED_YEAR) {
    throw invalid(
      'calendar.out-of-range',
      `Năm ${year} nằm ngoài phạm vi hỗ trợ (${MIN_SUPPORTED_YEAR}–${MAX_SUPPORTED_YEAR}).`,
      `Year ${year} is outside the supported range (${MIN_SUPPORTED_YEAR}–${MAX_SUPPORTED_YEAR}).`,
      { year },
    );
  }
  if (typeof options?.cultureDay !== 'boolean') {
    throw invalid(
      'calendar.bad-argument',
      'Cần chỉ rõ có nghỉ Ngày Văn hóa Việt Nam (24/11) hay không.',
      'Say whether Vietnam Culture Day (24 November) is a day off (cultureDay: true or false).',
    );
  }
  const days: { date: CivilDate; name: Bilingual }[] = [
    { date: civilDate(year, 1, 1), name: HOLIDAY_NAMES.newYear },
    ...defaultTetWindow(year).map((date) => ({ date, name: HOLIDAY_NAMES.tet })),
    { date: lunarToSolar({ year, month: 3, day: 10, leap: false }), name: HOLIDAY_NAMES.hungKings },
    { date: civilDate(year, 4, 30), name: HOLIDAY_NAMES.reunification },
    { date: civilDate(year, 5, 1), name: HOLIDAY_NAMES.labour },
    { date: nationalDayAdjacent(year), name: HOLIDAY_NAMES.nationalDayAdjacent },
    { date: civilDate(year, 9, 2), name: HOLIDAY_NAMES.nationalDay },
  ];
  if (options.cultureDay) days.push({ date: civilDate(year, 11, 24), name: HOLIDAY_NAMES.cultureDay });
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // Two holidays on one date (Giỗ Tổ fell on 30/4 in 1947; the Labour Code does not provide for it)
  // give one day off, named after both.
  const holidays: Holiday[] = [];
  for (const d of days) {
    const i = holidays.findIndex((h) => h.date === d.date);
    const same = holidays[i];
    if (same) {
      const name = { vi: `${same.name.vi}; ${d.name.vi}`, en: `${same.name.en}; ${d.name.en}` };
      holidays[i] = { ...same, name };
    } else {
      holidays.push({ date: d.date, kind: 'holiday', name: d.name });
    }
  }

  const taken = new Set<string>(holidays.map((h) => h.date));
  const result: Holiday[] = [...holidays];
  for (const h of holidays) {
    if (!isWeekend(h.date)) continue;
    let day = addDays(h.date, 1);
    while (isWeekend(day) || taken.has(day)) day = addDays(day, 1);
    taken.add(day);
    result.push({ date: day, kind: 'compensatory', name: compensatoryName(h.name) });
  }
  return result.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
