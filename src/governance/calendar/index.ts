/**
 * Public surface of the working-day calendar: civil dates, the Vietnamese lunar calendar,
 * statutory holidays and the operator-edited working-day calendar.
 *
 * Invariants: everything here is pure (no I/O, no clock, no host time zone).
 * References: see each module's doc block; REQUIREMENTS.md "Working days".
 * (`lunar-reference.ts` is a test oracle and is deliberately not exported.)
 */

export {
  addDays,
  civilDate,
  civilDateFromJdn,
  civilDateInZone,
  civilDateParts,
  civilDateToJdn,
  compareCivilDates,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  formatCivilDate,
  isCivilDate,
  isLeapYear,
  parseCivilDate,
  weekdayName,
} from './civil-date.ts';
export type { CivilDate, CivilDateParts, DayOfWeek } from './civil-date.ts';

export {
  MAX_SUPPORTED_YEAR,
  MIN_SUPPORTED_YEAR,
  VIETNAM_TIME_ZONE_HOURS,
  findLunarMonth,
  leapMonthOf,
  lunarToSolar,
  lunarYearMonths,
  solarToLunar,
} from './lunar.ts';
export type { LunarDate, LunarMonth } from './lunar.ts';

export {
  HOLIDAY_NAMES,
  compensatoryName,
  defaultTetWindow,
  nationalDayAdjacent,
  statutoryHolidays,
} from './holidays.ts';
export type { Holiday, HolidayOptions } from './holidays.ts';

export { WorkingDayCalendar, defaultCalendarYear } from './working-days.ts';
export type {
  CalendarData,
  CalendarEntry,
  CalendarYearData,
  WorkingDayCalendarOptions,
  WorkingDayExplanation,
} from './working-days.ts';

export { VN_2026_STATE_AGENCIES, vn2026StateAgencies } from './vn-2026.ts';
