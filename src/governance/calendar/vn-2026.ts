/**
 * The 2026 calendar of Vietnamese state agencies, as announced (preloaded operator data).
 *
 * Purpose: the first year of Congthu's operation; also the test fixture of working-day arithmetic.
 * Source (REQUIREMENTS.md, "Working days"): off 1/1–4/1 with Saturday 10/1 worked; off 14/2–22/2;
 * off 25/4–27/4; off 30/4–3/5; off 29/8–2/9 with Saturday 22/8 worked. Vietnam Culture Day
 * (24/11/2026, a Tuesday) was decided pending its legal basis: it is included only when asked.
 *
 * Invariants: weekend days inside an announced window are listed too (reason "within … break") so
 * that `explain()` can name the break; every date is in 2026 and appears at most once.
 *
 * References: REQUIREMENTS.md; Bộ luật Lao động 2019 Điều 112; the 2026 holiday announcements
 * for civil servants (Tết window 14/2–22/2 = 27 tháng Chạp năm Ất Tỵ … mùng 6 Tết Bính Ngọ).
 */

import type { Bilingual } from '../../util/errors.ts';
import { parseCivilDate } from './civil-date.ts';
import { HOLIDAY_NAMES, compensatoryName } from './holidays.ts';
import type { CalendarEntry, CalendarYearData } from './working-days.ts';

function entry(date: string, reason: Bilingual): CalendarEntry {
  return { date: parseCivilDate(date), reason };
}

function within(vi: string, en: string): Bilingual {
  return { vi: `Trong đợt nghỉ ${vi}`, en: `Within the ${en} break` };
}

const NEW_YEAR_BREAK = within('Tết Dương lịch', "New Year's Day");
const TET_BREAK = within('Tết Nguyên đán', 'Lunar New Year (Tết)');
const HUNG_KINGS_BREAK = within('Giỗ Tổ Hùng Vương', "Hùng Kings' Commemoration Day");
const MAY_BREAK = within('30/4 và 1/5', '30 April and 1 May');
const NATIONAL_DAY_BREAK = within('Quốc khánh', 'National Day');

const DAYS_OFF: readonly CalendarEntry[] = [
  entry('2026-01-01', HOLIDAY_NAMES.newYear),
  entry('2026-01-02', {
    vi: 'Nghỉ hoán đổi (làm bù vào Thứ Bảy 10/01/2026)',
    en: 'Swapped day off (made up on Saturday 10 January 2026)',
  }),
  entry('2026-01-03', NEW_YEAR_BREAK),
  entry('2026-01-04', NEW_YEAR_BREAK),
  entry('2026-02-14', TET_BREAK),
  entry('2026-02-15', TET_BREAK),
  entry('2026-02-16', HOLIDAY_NAMES.tet),
  entry('2026-02-17', HOLIDAY_NAMES.tet),
  entry('2026-02-18', HOLIDAY_NAMES.tet),
  entry('2026-02-19', HOLIDAY_NAMES.tet),
  entry('2026-02-20', HOLIDAY_NAMES.tet),
  entry('2026-02-21', TET_BREAK),
  entry('2026-02-22', TET_BREAK),
  entry('2026-04-25', HUNG_KINGS_BREAK),
  entry('2026-04-26', HOLIDAY_NAMES.hungKings),
  entry('2026-04-27', compensatoryName(HOLIDAY_NAMES.hungKings)),
  entry('2026-04-30', HOLIDAY_NAMES.reunification),
  entry('2026-05-01', HOLIDAY_NAMES.labour),
  entry('2026-05-02', MAY_BREAK),
  entry('2026-05-03', MAY_BREAK),
  entry('2026-08-29', NATIONAL_DAY_BREAK),
  entry('2026-08-30', NATIONAL_DAY_BREAK),
  entry('2026-08-31', {
    vi: 'Nghỉ hoán đổi (làm bù vào Thứ Bảy 22/08/2026)',
    en: 'Swapped day off (made up on Saturday 22 August 2026)',
  }),
  entry('2026-09-01', HOLIDAY_NAMES.nationalDayAdjacent),
  entry('2026-09-02', HOLIDAY_NAMES.nationalDay),
];

const EXTRA_WORKING_DAYS: readonly CalendarEntry[] = [
  entry('2026-01-10', {
    vi: 'Làm việc bù cho ngày nghỉ 02/01/2026',
    en: 'Working day in exchange for the day off on 2 January 2026',
  }),
  entry('2026-08-22', {
    vi: 'Làm việc bù cho ngày nghỉ 31/08/2026',
    en: 'Working day in exchange for the day off on 31 August 2026',
  }),
];

/** 2026 for state agencies, without Vietnam Culture Day. */
export const VN_2026_STATE_AGENCIES: CalendarYearData = {
  year: 2026,
  daysOff: DAYS_OFF,
  extraWorkingDays: EXTRA_WORKING_DAYS,
};

/** 2026 for state agencies; with `cultureDay: true` also 24/11/2026 (Ngày Văn hóa Việt Nam). */
export function vn2026StateAgencies(options: { readonly cultureDay: boolean }): CalendarYearData {
  if (!options.cultureDay) return VN_2026_STATE_AGENCIES;
  return {
    ...VN_2026_STATE_AGENCIES,
    daysOff: [...DAYS_OFF, entry('2026-11-24', HOLIDAY_NAMES.cultureDay)],
  };
}
