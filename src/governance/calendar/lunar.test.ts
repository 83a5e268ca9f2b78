import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CongthuError } from '../../util/errors.ts';
import { addDays, civilDateFromJdn, civilDateToJdn } from './civil-date.ts';
import {
  findLunarMonth,
  leapMonthOf,
  lunarToSolar,
  lunarYearMonths,
  newMoonJde,
  solarToLunar,
  sunApparentLongitude,
} from './lunar.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof CongthuError ? e.code : `not a CongthuError: ${String(e)}`;
  }
  return undefined;
}

const tet = (year: number, tz = 7) => lunarToSolar({ year, month: 1, day: 1, leap: false }, tz);
const gioTo = (year: number, tz = 7) => lunarToSolar({ year, month: 3, day: 10, leap: false }, tz);

/** REQUIREMENTS.md: Mùng 1 Tết / Giỗ Tổ. */
const PUBLISHED: readonly [number, string, string][] = [
  [2025, '2025-01-29', '2025-04-07'],
  [2026, '2026-02-17', '2026-04-26'],
  [2027, '2027-02-06', '2027-04-16'],
  [2028, '2028-01-26', '2028-04-04'],
  [2029, '2029-02-13', '2029-04-23'],
  [2030, '2030-02-02', '2030-04-12'],
];

describe('Meeus building blocks', () => {
  it('reproduces Meeus example 49.a (new moon of 1977 February, JDE 2443192.65118)', () => {
    expect(newMoonJde(-283)).toBeCloseTo(2443192.65118, 4);
  });

  it('reproduces Meeus example 25.a (sun on 1992 Oct 13.0 TD: apparent λ = 199.90895°)', () => {
    expect(sunApparentLongitude(2448908.5)).toBeCloseTo(199.90895, 4);
  });
});

describe('solarToLunar / lunarToSolar at UTC+7', () => {
  it.each(PUBLISHED)('%i: Tết %s, Giỗ Tổ %s', (year, t, g) => {
    expect(tet(year)).toBe(t);
    expect(gioTo(year)).toBe(g);
    expect(solarToLunar(t)).toEqual({ year, month: 1, day: 1, leap: false });
    expect(solarToLunar(g)).toEqual({ year, month: 3, day: 10, leap: false });
    expect(solarToLunar(addDays(t, -1)).year).toBe(year - 1);
    expect(solarToLunar(addDays(t, -1)).month).toBe(12);
  });

  it('differs from the Chinese calendar (UTC+8) where it should', () => {
    expect(tet(2030, 7)).toBe('2030-02-02');
    expect(tet(2030, 8)).toBe('2030-02-03');
    expect(tet(1985, 7)).toBe('1985-01-21');
    expect(tet(1985, 8)).toBe('1985-02-20');
    expect(tet(2007, 7)).toBe('2007-02-17');
    expect(tet(2007, 8)).toBe('2007-02-18');
    expect(tet(1968, 7)).toBe('1968-01-29');
    expect(tet(1968, 8)).toBe('1968-01-30');
    // …and agrees in ordinary years.
    expect(tet(2026, 8)).toBe('2026-02-17');
  });

  it('knows well-known leap months', () => {
    expect(leapMonthOf(2012)).toBe(4);
    expect(leapMonthOf(2014)).toBe(9);
    expect(leapMonthOf(2017)).toBe(6);
    expect(leapMonthOf(2020)).toBe(4);
    expect(leapMonthOf(2023)).toBe(2);
    expect(leapMonthOf(2025)).toBe(6);
    expect(leapMonthOf(2026)).toBeNull();
    // 2025 leap month 6 exists, a leap month 5 does not.
    expect(findLunarMonth(2025, 6, true)).toEqual({
      year: 2025,
      month: 6,
      leap: true,
      start: '2025-07-25',
      length: 29,
    });
    expect(findLunarMonth(2025, 5, true)).toBeUndefined();
  });

  it('returns days within a month, leap months included', () => {
    expect(solarToLunar('2025-07-25')).toEqual({ year: 2025, month: 6, day: 1, leap: true });
    expect(solarToLunar('2025-07-24')).toEqual({ year: 2025, month: 6, day: 30, leap: false });
    expect(lunarToSolar({ year: 2025, month: 6, day: 1, leap: true })).toBe('2025-07-25');
  });

  it('round-trips for sampled days of 1900–2100', () => {
    const from = civilDateToJdn('1900-01-01');
    const to = civilDateToJdn('2100-12-31');
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (jdn) => {
        const d = civilDateFromJdn(jdn);
        const l = solarToLunar(d);
        expect(l.day).toBeGreaterThanOrEqual(1);
        expect(l.day).toBeLessThanOrEqual(30);
        expect(lunarToSolar(l)).toBe(d);
      }),
      { numRuns: 3000 },
    );
  });

  it('has contiguous months of 29 or 30 days and years of 12 or 13 months (1900–2100)', () => {
    let previousEnd: string | undefined;
    for (let year = 1900; year <= 2100; year++) {
      const months = lunarYearMonths(year);
      expect([12, 13]).toContain(months.length);
      const leaps = months.filter((m) => m.leap);
      expect(leaps.length).toBe(months.length - 12);
      expect(months.filter((m) => !m.leap).map((m) => m.month)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
      ]);
      for (const m of months) {
        expect([29, 30]).toContain(m.length);
        if (previousEnd !== undefined) expect(m.start).toBe(previousEnd);
        previousEnd = addDays(m.start, m.length);
        if (m.leap) expect(months[months.indexOf(m) - 1]?.month).toBe(m.month);
      }
      const yearLength = months.reduce((sum, m) => sum + m.length, 0);
      expect(months.length === 12 ? [353, 354, 355] : [383, 384, 385]).toContain(yearLength);
    }
  });
});

describe('bad input', () => {
  it('rejects malformed solar dates', () => {
    expect(codeOf(() => solarToLunar('2026-02-30'))).toBe('calendar.bad-date');
    expect(codeOf(() => solarToLunar('2026-13-01'))).toBe('calendar.bad-date');
  });

  it('rejects lunar dates that do not exist', () => {
    expect(codeOf(() => lunarToSolar({ year: 2026, month: 13, day: 1, leap: false }))).toBe(
      'calendar.bad-lunar-date',
    );
    expect(codeOf(() => lunarToSolar({ year: 2026, month: 0, day: 1, leap: false }))).toBe(
      'calendar.bad-lunar-date',
    );
    expect(codeOf(() => lunarToSolar({ year: 2026, month: 1, day: 31, leap: false }))).toBe(
      'calendar.bad-lunar-date',
    );
    expect(codeOf(() => lunarToSolar({ year: 2026, month: 4, day: 1, leap: true }))).toBe(
      'calendar.bad-lunar-date',
    );
    // Month 12 of Ất Tỵ (2025) has 29 days: Tết 2026 follows 29 tháng Chạp.
    expect(lunarToSolar({ year: 2025, month: 12, day: 29, leap: false })).toBe('2026-02-16');
    expect(codeOf(() => lunarToSolar({ year: 2025, month: 12, day: 30, leap: false }))).toBe(
      'calendar.bad-lunar-date',
    );
  });

  it('rejects years out of range and absurd time zones', () => {
    expect(codeOf(() => tet(1700))).toBe('calendar.out-of-range');
    expect(codeOf(() => solarToLunar('2300-01-01'))).toBe('calendar.out-of-range');
    expect(codeOf(() => tet(2026, 99))).toBe('calendar.bad-argument');
  });
});
