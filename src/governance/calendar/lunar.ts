/**
 * The Vietnamese lunisolar calendar (Âm lịch), computed from astronomical rules.
 *
 * Purpose: Tết Nguyên đán and Giỗ Tổ Hùng Vương are statutory holidays fixed in the lunar calendar,
 * so working-day deadlines need lunar ↔ solar conversion. Written from the published rules, not
 * from existing code (widely copied lunar code is licensed for non-commercial use only).
 *
 * The rules (as described by Hồ Ngọc Đức for the Vietnamese calendar, after the Chinese rules):
 * 1. A lunar month begins on the local civil day that contains a true new moon (conjunction).
 * 2. Month 11 is the month containing the winter solstice (sun's apparent longitude 270°).
 * 3. If 13 new moons begin between two consecutive month 11s (a "leap year" of 13 months), the
 *    first month after month 11 that contains no major solar term (trung khí: apparent longitude a
 *    multiple of 30°) is the leap month; it repeats the number of the month before it.
 * 4. Everything is evaluated in local time: UTC+7 (meridian 105°E) for Vietnam. The same rules
 *    at UTC+8 give the (modern) Chinese calendar, which differs in some years (Tết 1985, 2007, 2030).
 *
 * Method (this module): new moons from Meeus' closed formula (ch. 49: mean lunation plus the 25
 * periodic terms and 14 planetary terms); the sun's apparent longitude from Meeus' low-precision
 * formulas (ch. 25); "does the month contain a major term" is decided by comparing the 30° sector
 * of the sun's longitude at local midnight at the start of the month and of the next month. Times
 * are in Terrestrial Time and converted with ΔT (Espenak & Meeus polynomials, NASA 2006).
 * An independent second method lives in `lunar-reference.ts` and cross-checks this one in tests.
 *
 * Invariants: pure and deterministic (results are memoised per year and time zone); no host time
 * zone involved; supported civil years 1800–2199 (`calendar.out-of-range` outside).
 *
 * References: J. Meeus, "Astronomical Algorithms", 2nd ed. (1998), ch. 7, 10, 25, 49;
 * Hồ Ngọc Đức, "Âm lịch Việt Nam" / "The Vietnamese calendar" (description of the rules);
 * F. Espenak & J. Meeus, "Polynomial expressions for Delta T" (NASA five-millennium canon, 2006).
 */

import { invalid } from '../../util/errors.ts';
import { civilDateFromJdn, civilDateToJdn, partsFromJdn, jdnFromParts } from './civil-date.ts';
import type { CivilDate } from './civil-date.ts';

/** A date of the lunar calendar: `leap` marks the intercalary (nhuận) month. */
export interface LunarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly leap: boolean;
}

/** One lunar month: its number, whether it is the leap month, first day and length (29 or 30). */
export interface LunarMonth {
  readonly year: number;
  readonly month: number;
  readonly leap: boolean;
  readonly start: CivilDate;
  readonly length: number;
}

export const VIETNAM_TIME_ZONE_HOURS = 7;
export const MIN_SUPPORTED_YEAR = 1800;
export const MAX_SUPPORTED_YEAR = 2199;

const RAD = Math.PI / 180;
const SYNODIC_MONTH = 29.530588861;

function sinDeg(x: number): number {
  return Math.sin(x * RAD);
}

function norm360(x: number): number {
  const r = x % 360;
  return r < 0 ? r + 360 : r;
}

/** ΔT = TT − UT in seconds for a decimal year (Espenak & Meeus polynomials). */
export function deltaTSeconds(year: number): number {
  const y = year;
  if (y >= 2050 && y < 2150) return -20 + 32 * ((y - 1820) / 100) ** 2 - 0.5628 * (2150 - y);
  if (y >= 2005 && y < 2050) {
    const t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t * t;
  }
  if (y >= 1986 && y < 2005) {
    const t = y - 2000;
    return (
      63.86 +
      0.3345 * t -
      0.060374 * t ** 2 +
      0.0017275 * t ** 3 +
      0.000651814 * t ** 4 +
      0.00002373599 * t ** 5
    );
  }
  if (y >= 1961 && y < 1986) {
    const t = y - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (y >= 1941 && y < 1961) {
    const t = y - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (y >= 1920 && y < 1941) {
    const t = y - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (y >= 1900 && y < 1920) {
    const t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (y >= 1860 && y < 1900) {
    const t = y - 1860;
    return (
      7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 + t ** 5 / 233174
    );
  }
  if (y >= 1800 && y < 1860) {
    const t = y - 1800;
    return (
      13.72 -
      0.332447 * t +
      0.0068612 * t ** 2 +
      0.0041116 * t ** 3 -
      0.00037436 * t ** 4 +
      0.0000121272 * t ** 5 -
      0.0000001699 * t ** 6 +
      0.000000000875 * t ** 7
    );
  }
  const u = (y - 1820) / 100;
  return -20 + 32 * u * u;
}

function decimalYear(jd: number): number {
  return 2000 + (jd - 2451545) / 365.25;
}

/** Julian Ephemeris Day (TT) of the true new moon number k (k = 0: 2000-01-06), Meeus ch. 49. */
export function newMoonJde(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  const jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3;
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
  const Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;

  const periodic =
    -0.4072 * sinDeg(Mp) +
    0.17241 * E * sinDeg(M) +
    0.01608 * sinDeg(2 * Mp) +
    0.01039 * sinDeg(2 * F) +
    0.00739 * E * sinDeg(Mp - M) -
    0.00514 * E * sinDeg(Mp + M) +
    0.00208 * E * E * sinDeg(2 * M) -
    0.00111 * sinDeg(Mp - 2 * F) -
    0.00057 * sinDeg(Mp + 2 * F) +
    0.00056 * E * sinDeg(2 * Mp + M) -
    0.00042 * sinDeg(3 * Mp) +
    0.00042 * E * sinDeg(M + 2 * F) +
    0.00038 * E * sinDeg(M - 2 * F) -
    0.00024 * E * sinDeg(2 * Mp - M) -
    0.00017 * sinDeg(Om) -
    0.00007 * sinDeg(Mp + 2 * M) +
    0.00004 * sinDeg(2 * Mp - 2 * F) +
    0.00004 * sinDeg(3 * M) +
    0.00003 * sinDeg(Mp + M - 2 * F) +
    0.00003 * sinDeg(2 * Mp + 2 * F) -
    0.00003 * sinDeg(Mp + M + 2 * F) +
    0.00003 * sinDeg(Mp - M + 2 * F) -
    0.00002 * sinDeg(Mp - M - 2 * F) -
    0.00002 * sinDeg(3 * Mp + M) +
    0.00002 * sinDeg(4 * Mp);

  const planetary =
    0.000325 * sinDeg(299.77 + 0.107408 * k - 0.009173 * T2) +
    0.000165 * sinDeg(251.88 + 0.016321 * k) +
    0.000164 * sinDeg(251.83 + 26.651886 * k) +
    0.000126 * sinDeg(349.42 + 36.412478 * k) +
    0.00011 * sinDeg(84.66 + 18.206239 * k) +
    0.000062 * sinDeg(141.74 + 53.303771 * k) +
    0.00006 * sinDeg(207.14 + 2.453732 * k) +
    0.000056 * sinDeg(154.84 + 7.30686 * k) +
    0.000047 * sinDeg(34.52 + 27.261239 * k) +
    0.000042 * sinDeg(207.19 + 0.121824 * k) +
    0.00004 * sinDeg(291.34 + 1.844379 * k) +
    0.000037 * sinDeg(161.72 + 24.198154 * k) +
    0.000035 * sinDeg(239.56 + 25.513099 * k) +
    0.000023 * sinDeg(331.55 + 3.592518 * k);

  return jde + periodic + planetary;
}

/** The local civil day (JDN) of new moon k at UTC+tz. */
function newMoonDay(k: number, tz: number): number {
  const jde = newMoonJde(k);
  const jdUt = jde - deltaTSeconds(decimalYear(jde)) / 86400;
  return Math.floor(jdUt + 0.5 + tz / 24);
}

/** The sun's apparent longitude in degrees at a Julian Ephemeris Day, Meeus ch. 25 (low precision). */
export function sunApparentLongitude(jde: number): number {
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const C =
    (1.914602 - 0.004817 * T - 0.000014 * T * T) * sinDeg(M) +
    (0.019993 - 0.000101 * T) * sinDeg(2 * M) +
    0.000289 * sinDeg(3 * M);
  const omega = 125.04 - 1934.136 * T;
  return norm360(L0 + C - 0.00569 - 0.00478 * sinDeg(omega));
}

/** 0–11: the 30° sector of the sun's longitude at local midnight starting day `jdn` (UTC+tz). */
function solarSector(jdn: number, tz: number): number {
  const jdUt = jdn - 0.5 - tz / 24;
  const jde = jdUt + deltaTSeconds(decimalYear(jdUt)) / 86400;
  return Math.floor(sunApparentLongitude(jde) / 30);
}

/** Index k of the last new moon whose local day is ≤ jdn. */
function newMoonIndexOnOrBefore(jdn: number, tz: number): number {
  let k = Math.floor((jdn - 2451550.1) / SYNODIC_MONTH);
  while (newMoonDay(k + 1, tz) <= jdn) k++;
  while (newMoonDay(k, tz) > jdn) k--;
  return k;
}

/** Index of the new moon starting month 11 of the lunar year that contains December of `year`. */
function month11Index(year: number, tz: number): number {
  const k = newMoonIndexOnOrBefore(jdnFromParts(year, 12, 31), tz);
  // The month starting at new moon k contains 31 December. If the sun has already reached 270°
  // when that month begins, the solstice was in the month before, which is then month 11.
  return solarSector(newMoonDay(k, tz), tz) >= 9 ? k - 1 : k;
}

interface SpanMonth {
  readonly lunarYear: number;
  readonly month: number;
  readonly leap: boolean;
  readonly start: number; // JDN
  readonly length: number;
}

const spanCache = new Map<string, readonly SpanMonth[]>();

/**
 * The months from month 11 of lunar year `year − 1` (containing the December `year − 1` solstice)
 * up to, not including, the next month 11: 12 or 13 months.
 */
function monthsOfSpan(year: number, tz: number): readonly SpanMonth[] {
  const key = `${tz}:${year}`;
  const cached = spanCache.get(key);
  if (cached) return cached;
  const k0 = month11Index(year - 1, tz);
  const k1 = month11Index(year, tz);
  const count = k1 - k0;
  const starts: number[] = [];
  for (let i = 0; i <= count; i++) starts.push(newMoonDay(k0 + i, tz));
  let leapIndex = -1;
  if (count === 13) {
    for (let i = 1; i < count; i++) {
      const a = starts[i] as number;
      const b = starts[i + 1] as number;
      if (solarSector(a, tz) === solarSector(b, tz)) {
        leapIndex = i;
        break;
      }
    }
  }
  const months: SpanMonth[] = [];
  for (let i = 0; i < count; i++) {
    const ordinal = leapIndex >= 0 && i >= leapIndex ? i - 1 : i; // 0 = month 11
    const month = ((10 + ordinal) % 12) + 1;
    const start = starts[i] as number;
    months.push({
      lunarYear: month >= 11 ? year - 1 : year,
      month,
      leap: i === leapIndex,
      start,
      length: (starts[i + 1] as number) - start,
    });
  }
  spanCache.set(key, months);
  return months;
}

function checkTimeZone(tz: number): void {
  if (!Number.isFinite(tz) || tz < -12 || tz > 14) {
    throw invalid(
      'calendar.bad-argument',
      `Múi giờ không hợp lệ: ${tz}.`,
      `Invalid time zone (hours east of UTC): ${tz}.`,
    );
  }
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_SUPPORTED_YEAR || year > MAX_SUPPORTED_YEAR) {
    throw invalid(
      'calendar.out-of-range',
      `Năm ${year} nằm ngoài phạm vi lịch âm hỗ trợ (${MIN_SUPPORTED_YEAR}–${MAX_SUPPORTED_YEAR}).`,
      `Year ${year} is outside the supported lunar calendar range (${MIN_SUPPORTED_YEAR}–${MAX_SUPPORTED_YEAR}).`,
      { year },
    );
  }
}

/** Converts a civil (solar) date to the lunar calendar at UTC+`timeZoneHours` (default 7). */
export function solarToLunar(date: CivilDate | string, timeZoneHours = VIETNAM_TIME_ZONE_HOURS): LunarDate {
  checkTimeZone(timeZoneHours);
  const jdn = civilDateToJdn(date);
  const { year } = partsFromJdn(jdn);
  checkYear(year);
  let span = monthsOfSpan(year, timeZoneHours);
  const next = monthsOfSpan(year + 1, timeZoneHours);
  if (jdn >= (next[0] as SpanMonth).start) span = next;
  for (let i = span.length - 1; i >= 0; i--) {
    const m = span[i] as SpanMonth;
    if (m.start <= jdn) return { year: m.lunarYear, month: m.month, day: jdn - m.start + 1, leap: m.leap };
  }
  // Unreachable: the span of `year` starts in December of `year − 1`.
  throw new Error(`lunar: no month found for ${date}`);
}

function badLunar(d: LunarDate, en: string): never {
  const shown = `${d.day}/${d.month}${d.leap ? ' (nhuận)' : ''}/${d.year}`;
  throw invalid(
    'calendar.bad-lunar-date',
    `Ngày âm lịch không tồn tại: ${shown}.`,
    `No such lunar date: ${d.day}/${d.month}${d.leap ? ' (leap)' : ''}/${d.year} (${en}).`,
    { year: d.year, month: d.month, day: d.day, leap: d.leap },
  );
}

/** The lunar month `month` (leap or not) of lunar year `year`, or undefined if it does not exist. */
export function findLunarMonth(
  year: number,
  month: number,
  leap: boolean,
  timeZoneHours = VIETNAM_TIME_ZONE_HOURS,
): LunarMonth | undefined {
  checkTimeZone(timeZoneHours);
  checkYear(year);
  const span = monthsOfSpan(month >= 11 ? year + 1 : year, timeZoneHours);
  const m = span.find((x) => x.lunarYear === year && x.month === month && x.leap === leap);
  return m && { year, month, leap, start: civilDateFromJdn(m.start), length: m.length };
}

/** Converts a lunar date to the civil (solar) date at UTC+`timeZoneHours` (default 7). */
export function lunarToSolar(lunar: LunarDate, timeZoneHours = VIETNAM_TIME_ZONE_HOURS): CivilDate {
  const { year, month, day, leap } = lunar;
  if (!Number.isInteger(month) || month < 1 || month > 12) badLunar(lunar, 'month must be 1–12');
  if (!Number.isInteger(day) || day < 1 || day > 30) badLunar(lunar, 'day must be 1–30');
  if (typeof leap !== 'boolean') badLunar(lunar, 'leap must be true or false');
  const m = findLunarMonth(year, month, leap, timeZoneHours);
  if (!m) badLunar(lunar, 'that year has no such leap month');
  if (day > m.length) badLunar(lunar, `that month has ${m.length} days`);
  return civilDateFromJdn(civilDateToJdn(m.start) + day - 1);
}

/** All months of lunar year `year` in order (12 or 13), with their first days and lengths. */
export function lunarYearMonths(year: number, timeZoneHours = VIETNAM_TIME_ZONE_HOURS): LunarMonth[] {
  checkTimeZone(timeZoneHours);
  checkYear(year);
  return [...monthsOfSpan(year, timeZoneHours), ...monthsOfSpan(year + 1, timeZoneHours)]
    .filter((m) => m.lunarYear === year)
    .map((m) => ({ year, month: m.month, leap: m.leap, start: civilDateFromJdn(m.start), length: m.length }));
}

/** The leap month number of lunar year `year`, or null if the year has 12 months. */
export function leapMonthOf(year: number, timeZoneHours = VIETNAM_TIME_ZONE_HOURS): number | null {
  return lunarYearMonths(year, timeZoneHours).find((m) => m.leap)?.month ?? null;
}
