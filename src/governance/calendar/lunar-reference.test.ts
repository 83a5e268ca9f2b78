import { describe, expect, it } from 'vitest';
import { lunarToSolar, lunarYearMonths, newMoonJde } from './lunar.ts';
import {
  moonLongitude,
  newMoonNear,
  referenceLunarYear,
  solarLongitudeTime,
  sunApparent,
} from './lunar-reference.ts';

const tet = (year: number, tz = 7) => lunarToSolar({ year, month: 1, day: 1, leap: false }, tz);
const gioTo = (year: number, tz = 7) => lunarToSolar({ year, month: 3, day: 10, leap: false }, tz);

/** lunar.ts's months from month 11 of year − 1 up to month 10 of year (the reference's span). */
function spanFromLunarTs(year: number, tz: number): string[] {
  const before = lunarYearMonths(year - 1, tz).filter((m) => m.month >= 11);
  const within = lunarYearMonths(year, tz).filter((m) => m.month <= 10);
  return [...before, ...within].map((m) => `${m.month}${m.leap ? 'L' : ''}@${m.start}`);
}

describe('the reference method on its own', () => {
  it('reproduces Meeus example 47.a (Moon on 1992 April 12.0 TD: λ = 133.162655°)', () => {
    expect(moonLongitude(2448724.5)).toBeCloseTo(133.162655, 4);
  });

  it('finds the 1977 February new moon (Meeus 49.a: 3h37m40s TD by ELP) within a minute', () => {
    const jde = newMoonNear(2443190);
    expect(Math.abs(jde - 2443192.65116) * 1440).toBeLessThan(1);
    // The two methods are different computations but agree to about a minute.
    expect(Math.abs(jde - newMoonJde(-283)) * 1440).toBeLessThan(1);
  });

  it('finds the 2020 December solstice (10:02 UT) within three minutes', () => {
    const jde = solarLongitudeTime(270, 2459204);
    const jdUt = jde - 69.4 / 86400;
    const expected = 2459204.5 + (10 + 2 / 60) / 24; // 2020-12-21 10:02 UT
    expect(Math.abs(jdUt - expected) * 1440).toBeLessThan(3);
    expect(sunApparent(jde)).toBeCloseTo(270, 6);
  });
});

describe('lunar.ts and lunar-reference.ts agree', () => {
  it('on every month start 1990–2050, hence on every Tết and Giỗ Tổ, at UTC+7 and UTC+8', () => {
    for (const tz of [7, 8]) {
      for (let year = 1990; year <= 2050; year++) {
        const ref = referenceLunarYear(year, tz);
        expect(ref.months.map((m) => `${m.month}${m.leap ? 'L' : ''}@${m.start}`)).toEqual(
          spanFromLunarTs(year, tz),
        );
        expect(ref.tet).toBe(tet(year, tz));
        expect(ref.hungKings).toBe(gioTo(year, tz));
      }
    }
  });

  it('on the published dates of REQUIREMENTS.md', () => {
    const published: [number, string, string][] = [
      [2025, '2025-01-29', '2025-04-07'],
      [2026, '2026-02-17', '2026-04-26'],
      [2027, '2027-02-06', '2027-04-16'],
      [2028, '2028-01-26', '2028-04-04'],
      [2029, '2029-02-13', '2029-04-23'],
      [2030, '2030-02-02', '2030-04-12'],
    ];
    for (const [year, t, g] of published) {
      const ref = referenceLunarYear(year);
      expect([ref.tet, ref.hungKings]).toEqual([t, g]);
      expect([tet(year), gioTo(year)]).toEqual([t, g]);
    }
  });

  it('on well-known Vietnamese Tết and Giỗ Tổ dates, and on the Chinese differences', () => {
    const known: [number, string, string | null][] = [
      [2020, '2020-01-25', '2020-04-02'],
      [2021, '2021-02-12', '2021-04-21'],
      [2022, '2022-02-01', '2022-04-10'],
      [2023, '2023-01-22', '2023-04-29'],
      [2024, '2024-02-10', '2024-04-18'],
      [2019, '2019-02-05', null],
      [2018, '2018-02-16', null],
      [2017, '2017-01-28', null],
      [2016, '2016-02-08', null],
      [2010, '2010-02-14', null],
      [2000, '2000-02-05', null],
      [1985, '1985-01-21', null],
      [1968, '1968-01-29', null],
    ];
    for (const [year, t, g] of known) {
      const ref = referenceLunarYear(year);
      expect(ref.tet).toBe(t);
      expect(tet(year)).toBe(t);
      if (g !== null) {
        expect(ref.hungKings).toBe(g);
        expect(gioTo(year)).toBe(g);
      }
    }
    // Same rules at UTC+8 (China): 1985-02-20, 1968-01-30, 2007-02-18, 2030-02-03.
    for (const [year, china] of [
      [1985, '1985-02-20'],
      [1968, '1968-01-30'],
      [2007, '2007-02-18'],
      [2030, '2030-02-03'],
    ] as const) {
      expect(referenceLunarYear(year, 8).tet).toBe(china);
      expect(tet(year, 8)).toBe(china);
    }
    expect(referenceLunarYear(2007, 7).tet).toBe('2007-02-17');
  });
});
