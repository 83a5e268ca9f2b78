/**
 * Civil (calendar) dates without a time of day or a time zone.
 *
 * Purpose: every working-day rule (deadlines, holidays, the lunar calendar) speaks in whole days of
 * the proleptic Gregorian calendar. A `CivilDate` is the ISO 8601 string 'YYYY-MM-DD', branded so
 * that only validated strings carry the type; strings are cheap to compare, to store and to send.
 *
 * Invariants:
 * - A `CivilDate` value always has exactly the form 'YYYY-MM-DD' with year 0001–9999, month 01–12
 *   and a day that exists in that month (leap years per the Gregorian rule).
 * - Lexicographic order of two `CivilDate` strings equals chronological order.
 * - Nothing here reads the host's time zone: conversions from an instant take an explicit UTC offset
 *   (Vietnam: UTC+7 all year, no daylight saving time since 1975) and use only UTC arithmetic.
 *
 * References:
 * - ISO 8601 calendar dates; the proleptic Gregorian calendar.
 * - Julian Day Number: Fliegel & Van Flandern, "A machine algorithm for processing calendar dates",
 *   CACM 11 (1968) 657; Meeus, "Astronomical Algorithms" (2nd ed., 1998), ch. 7.
 */

import { invalid } from '../../util/errors.ts';

declare const civilDateBrand: unique symbol;

/** An ISO 'YYYY-MM-DD' date that has been validated (see `parseCivilDate`). */
export type CivilDate = string & { readonly [civilDateBrand]: true };

/** The parts of a civil date: month 1–12, day 1–31. */
export interface CivilDateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Day of the week: 0 = Sunday (Chủ nhật), 1 = Monday (Thứ Hai) … 6 = Saturday (Thứ Bảy). */
export type DayOfWeek = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
/** JDN of 1970-01-01, the Unix epoch. */
const UNIX_EPOCH_JDN = 2_440_588;
const MIN_JDN = 1_721_426; // 0001-01-01
const MAX_JDN = 5_373_484; // 9999-12-31

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function badDate(text: string, en: string): never {
  throw invalid(
    'calendar.bad-date',
    `Ngày không hợp lệ: «${text}» (cần dạng NNNN-TT-NN, ví dụ 2026-01-10).`,
    `Invalid date: "${text}" (${en}; expected YYYY-MM-DD, e.g. 2026-01-10).`,
    { input: text },
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Builds a date from its parts; throws `calendar.bad-date` if the date does not exist. */
export function civilDate(year: number, month: number, day: number): CivilDate {
  const shown = `${year}-${month}-${day}`;
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) {
    badDate(shown, 'parts must be integers');
  }
  if (year < 1 || year > 9999) badDate(shown, 'year out of range 1–9999');
  if (month < 1 || month > 12) badDate(shown, 'month must be 1–12');
  if (day < 1 || day > daysInMonth(year, month)) badDate(shown, 'no such day in that month');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` as CivilDate;
}

/**
 * Strictly parses 'YYYY-MM-DD' (no time, no spaces, no other separators, the day must exist).
 * Throws a `CongthuError` with code `calendar.bad-date` otherwise.
 */
export function parseCivilDate(text: string): CivilDate {
  if (typeof text !== 'string') badDate(String(text), 'not a string');
  const m = ISO_DATE.exec(text);
  if (!m) badDate(text, 'wrong format');
  return civilDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** True when `value` is a string in the exact 'YYYY-MM-DD' form of an existing date. */
export function isCivilDate(value: unknown): value is CivilDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Splits a date into numbers. The argument is re-validated, so a plain string is accepted too. */
export function civilDateParts(date: CivilDate | string): CivilDateParts {
  const d = parseCivilDate(date);
  return { year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)), day: Number(d.slice(8, 10)) };
}

/**
 * Formats a date: 'iso' gives 'YYYY-MM-DD' (the value itself); 'vi' gives the Vietnamese
 * administrative form 'DD/MM/YYYY' (e.g. 10/01/2026).
 */
export function formatCivilDate(date: CivilDate | string, style: 'iso' | 'vi' = 'iso'): string {
  const { year, month, day } = civilDateParts(date);
  if (style === 'vi') return `${pad(day, 2)}/${pad(month, 2)}/${pad(year, 4)}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Julian Day Number (the integer day count starting at noon, 4713 BC Jan 1 Julian) of a date. */
export function civilDateToJdn(date: CivilDate | string): number {
  const { year, month, day } = civilDateParts(date);
  return jdnFromParts(year, month, day);
}

/** JDN from already-valid parts (no validation; internal fast path). */
export function jdnFromParts(year: number, month: number, day: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return (
    day +
    Math.floor((153 * m + 2) / 5) +
    365 * y +
    Math.floor(y / 4) -
    Math.floor(y / 100) +
    Math.floor(y / 400) -
    32045
  );
}

/** Parts of the Gregorian date with the given Julian Day Number (no validation; internal). */
export function partsFromJdn(jdn: number): CivilDateParts {
  const a = jdn + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    day: e - Math.floor((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * Math.floor(m / 10),
    year: 100 * b + d - 4800 + Math.floor(m / 10),
  };
}

/** The date with the given Julian Day Number; throws `calendar.bad-date` outside years 1–9999. */
export function civilDateFromJdn(jdn: number): CivilDate {
  if (!Number.isInteger(jdn) || jdn < MIN_JDN || jdn > MAX_JDN) {
    throw invalid(
      'calendar.bad-date',
      `Số ngày Julius ngoài phạm vi: ${jdn}.`,
      `Julian Day Number out of range: ${jdn}.`,
      { jdn },
    );
  }
  const { year, month, day } = partsFromJdn(jdn);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` as CivilDate;
}

/** `date` moved by `days` (which may be negative). */
export function addDays(date: CivilDate | string, days: number): CivilDate {
  if (!Number.isInteger(days)) {
    throw invalid(
      'calendar.bad-argument',
      `Số ngày phải là số nguyên: ${days}.`,
      `The number of days must be an integer: ${days}.`,
    );
  }
  return civilDateFromJdn(civilDateToJdn(date) + days);
}

/** Days from `a` to `b` (positive when b is later). */
export function daysBetween(a: CivilDate | string, b: CivilDate | string): number {
  return civilDateToJdn(b) - civilDateToJdn(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: CivilDate | string): DayOfWeek {
  return ((civilDateToJdn(date) + 1) % 7) as DayOfWeek;
}

/** −1, 0 or 1 as `a` is before, equal to or after `b`. */
export function compareCivilDates(a: CivilDate | string, b: CivilDate | string): -1 | 0 | 1 {
  const x = parseCivilDate(a);
  const y = parseCivilDate(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The civil date at `instant` in a zone `offsetMinutes` east of UTC. The default, 420, is
 * Asia/Ho_Chi_Minh (UTC+7, no daylight saving time). Independent of the host's time zone.
 */
export function civilDateInZone(instant: Date, offsetMinutes = 420): CivilDate {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms) || !Number.isFinite(offsetMinutes) || Math.abs(offsetMinutes) > 18 * 60) {
    throw invalid(
      'calendar.bad-instant',
      'Thời điểm hoặc độ lệch múi giờ không hợp lệ.',
      'Invalid instant or time-zone offset.',
      { offsetMinutes },
    );
  }
  const days = Math.floor((ms + offsetMinutes * 60_000) / MS_PER_DAY);
  return civilDateFromJdn(UNIX_EPOCH_JDN + days);
}

const WEEKDAY_NAMES: readonly { readonly vi: string; readonly en: string }[] = [
  { vi: 'Chủ nhật', en: 'Sunday' },
  { vi: 'Thứ Hai', en: 'Monday' },
  { vi: 'Thứ Ba', en: 'Tuesday' },
  { vi: 'Thứ Tư', en: 'Wednesday' },
  { vi: 'Thứ Năm', en: 'Thursday' },
  { vi: 'Thứ Sáu', en: 'Friday' },
  { vi: 'Thứ Bảy', en: 'Saturday' },
];

/** The weekday's name in Vietnamese and English (e.g. { vi: 'Thứ Bảy', en: 'Saturday' }). */
export function weekdayName(dow: DayOfWeek): { readonly vi: string; readonly en: string } {
  return WEEKDAY_NAMES[dow] ?? { vi: '?', en: '?' };
}
