/**
 * A second, independent computation of the Vietnamese lunar new year, used only to cross-check
 * `lunar.ts` in tests (it is slower and covers less).
 *
 * Purpose: a bug in one formula (a mistyped coefficient, a wrong sign, an off-by-one day rule) is
 * unlikely to be repeated by a computation that shares no formula with it. For a Gregorian year it
 * yields the start of every month between the two December solstices, hence Tết (lunar 1/1) and
 * Giỗ Tổ Hùng Vương (lunar 10/3).
 *
 * How it differs from `lunar.ts`:
 * - New moons: found as the instants when the Moon–Sun elongation is 0, by Newton iteration on
 *   the geometric longitude of the Moon (the ELP-2000/82 main periodic terms of Meeus ch. 47,
 *   Table 47.A, 59 terms plus the additive terms) minus the Sun's apparent longitude; lunar.ts uses
 *   the closed new-moon series of Meeus ch. 49.
 * - Sun: Kepler's equation solved iteratively for the Earth's orbit (mean elements), plus the
 *   perturbations by the Moon, Venus and Jupiter and a long-period term, then aberration from the
 *   radius vector and nutation in longitude from its four main terms; lunar.ts uses the equation-of-
 *   centre series with a fixed aberration and a one-term nutation (Meeus ch. 25).
 * - Solar terms: the instants of the winter solstice and of every major term (multiples of 30°)
 *   are found by bisection on the longitude, and the rules are applied by comparing local days
 *   (month 11 = the month whose first day is the last new-moon day on or before the solstice day;
 *   the leap month = the first month with no major-term day in [first day, next first day)).
 *   lunar.ts compares the 30° sector of the longitude at the local midnights instead.
 * - ΔT: linear interpolation in a table of observed values at 5-year steps (1900–2025), extrapolated
 *   by 0.2 s/year after 2025; lunar.ts uses the Espenak–Meeus polynomials.
 *
 * Accuracy (checked in the tests): new moons within about a minute (Meeus 49.a), solar terms within
 * about three minutes. Both methods agree on every month start of 1990–2050 at UTC+7 and UTC+8;
 * the tightest case in that range is the new moon of 1998-09-20 17:01 UT, 1.4 min before local
 * midnight at UTC+7. They part in a few other years (e.g. 1938, 1967, 2073) where an event falls
 * within a minute or two of local midnight: there neither low-precision method is authoritative.
 *
 * Invariants: pure; intended range 1900–2100 (the ΔT table); no host time zone involved.
 *
 * References: J. Meeus, "Astronomical Algorithms", 2nd ed. (1998), ch. 22 (nutation), 25, 30
 * (Kepler's equation), 47 (position of the Moon); the 1991 1st edition / "Astronomical Formulae for
 * Calculators" for the solar perturbation terms; IERS / USNO historical ΔT values.
 */

import { civilDateFromJdn, jdnFromParts } from './civil-date.ts';
import type { CivilDate } from './civil-date.ts';

const RAD = Math.PI / 180;

function sin(deg: number): number {
  return Math.sin(deg * RAD);
}
function cos(deg: number): number {
  return Math.cos(deg * RAD);
}
function wrap180(deg: number): number {
  const r = (((deg + 180) % 360) + 360) % 360;
  return r - 180;
}

/** Observed ΔT (s) on 1 January of 1900, 1905, …, 2025. */
const DELTA_T_TABLE = [
  -2.72, 3.86, 10.46, 17.2, 21.16, 23.62, 24.02, 23.93, 24.33, 26.77, 29.15, 31.07, 33.15, 35.73, 40.18,
  45.48, 50.54, 54.34, 56.86, 60.78, 63.83, 64.69, 66.07, 67.64, 69.36, 69.1,
];

function deltaT(jd: number): number {
  const year = 2000 + (jd - 2451544.5) / 365.2425;
  const last = DELTA_T_TABLE.length - 1;
  const x = (year - 1900) / 5;
  if (x >= last) return (DELTA_T_TABLE[last] as number) + 0.2 * (year - (1900 + 5 * last));
  if (x <= 0) return DELTA_T_TABLE[0] as number;
  const i = Math.floor(x);
  const a = DELTA_T_TABLE[i] as number;
  const b = DELTA_T_TABLE[i + 1] as number;
  return a + (b - a) * (x - i);
}

/** [D, M, M', F, Σl coefficient in 1e-6 degrees]: Meeus Table 47.A, longitude terms. */
const MOON_LONGITUDE_TERMS: readonly (readonly [number, number, number, number, number])[] = [
  [0, 0, 1, 0, 6288774],
  [2, 0, -1, 0, 1274027],
  [2, 0, 0, 0, 658314],
  [0, 0, 2, 0, 213618],
  [0, 1, 0, 0, -185116],
  [0, 0, 0, 2, -114332],
  [2, 0, -2, 0, 58793],
  [2, -1, -1, 0, 57066],
  [2, 0, 1, 0, 53322],
  [2, -1, 0, 0, 45758],
  [0, 1, -1, 0, -40923],
  [1, 0, 0, 0, -34720],
  [0, 1, 1, 0, -30383],
  [2, 0, 0, -2, 15327],
  [0, 0, 1, 2, -12528],
  [0, 0, 1, -2, 10980],
  [4, 0, -1, 0, 10675],
  [0, 0, 3, 0, 10034],
  [4, 0, -2, 0, 8548],
  [2, 1, -1, 0, -7888],
  [2, 1, 0, 0, -6766],
  [1, 0, -1, 0, -5163],
  [1, 1, 0, 0, 4987],
  [2, -1, 1, 0, 4036],
  [2, 0, 2, 0, 3994],
  [4, 0, 0, 0, 3861],
  [2, 0, -3, 0, 3665],
  [0, 1, -2, 0, -2689],
  [2, 0, -1, 2, -2602],
  [2, -1, -2, 0, 2390],
  [1, 0, 1, 0, -2348],
  [2, -2, 0, 0, 2236],
  [0, 1, 2, 0, -2120],
  [0, 2, 0, 0, -2069],
  [2, -2, -1, 0, 2048],
  [2, 0, 1, -2, -1773],
  [2, 0, 0, 2, -1595],
  [4, -1, -1, 0, 1215],
  [0, 0, 2, 2, -1110],
  [3, 0, -1, 0, -892],
  [2, 1, 1, 0, -810],
  [4, -1, -2, 0, 759],
  [0, 2, -1, 0, -713],
  [2, 2, -1, 0, -700],
  [2, 1, -2, 0, 691],
  [2, -1, 0, -2, 596],
  [4, 0, 1, 0, 549],
  [0, 0, 4, 0, 537],
  [4, -1, 0, 0, 520],
  [1, 0, -2, 0, -487],
  [2, 1, 0, -2, -399],
  [0, 0, 2, -2, -381],
  [1, 1, 1, 0, 351],
  [3, 0, -2, 0, -340],
  [4, 0, -3, 0, 330],
  [2, -1, 2, 0, 327],
  [0, 2, 1, 0, -323],
  [1, 1, -1, 0, 299],
  [2, 0, 3, 0, 294],
];

/** The Moon's geometric ecliptic longitude (mean equinox of date), degrees, at JDE. */
export function moonLongitude(jde: number): number {
  const T = (jde - 2451545) / 36525;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  const Lp = 218.3164477 + 481267.88123421 * T - 0.0015786 * T2 + T3 / 538841 - T4 / 65194000;
  const D = 297.8501921 + 445267.1114034 * T - 0.0018819 * T2 + T3 / 545868 - T4 / 113065000;
  const M = 357.5291092 + 35999.0502909 * T - 0.0001536 * T2 + T3 / 24490000;
  const Mp = 134.9633964 + 477198.8675055 * T + 0.0087414 * T2 + T3 / 69699 - T4 / 14712000;
  const F = 93.272095 + 483202.0175233 * T - 0.0036539 * T2 - T3 / 3526000 + T4 / 863310000;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  let sum = 0;
  for (const [d, m, mp, f, c] of MOON_LONGITUDE_TERMS) {
    const eFactor = m === 0 ? 1 : Math.abs(m) === 1 ? E : E * E;
    sum += c * eFactor * sin(d * D + m * M + mp * Mp + f * F);
  }
  const A1 = 119.75 + 131.849 * T;
  const A2 = 53.09 + 479264.29 * T;
  sum += 3958 * sin(A1) + 1962 * sin(Lp - F) + 318 * sin(A2);
  return (((Lp + sum / 1e6) % 360) + 360) % 360;
}

/** Nutation in longitude Δψ in degrees (four main terms, Meeus ch. 22). */
function nutationInLongitude(T: number): number {
  const omega = 125.04452 - 1934.136261 * T;
  const Ls = 280.4665 + 36000.7698 * T;
  const Lm = 218.3165 + 481267.8813 * T;
  return (-17.2 * sin(omega) - 1.32 * sin(2 * Ls) - 0.23 * sin(2 * Lm) + 0.21 * sin(2 * omega)) / 3600;
}

/**
 * The Sun's geometric longitude (mean equinox of date) and the Earth–Sun distance in AU at JDE,
 * from Kepler's equation with perturbations.
 */
export function sunGeometric(jde: number): { longitude: number; radius: number } {
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const e = 0.016708634 - 0.000042037 * T - 0.0000001267 * T * T;
  const Mr = M * RAD;
  let Ea = Mr;
  for (let i = 0; i < 20; i++) {
    const step = (Ea - e * Math.sin(Ea) - Mr) / (1 - e * Math.cos(Ea));
    Ea -= step;
    if (Math.abs(step) < 1e-13) break;
  }
  const nu = 2 * Math.atan2(Math.sqrt(1 + e) * Math.sin(Ea / 2), Math.sqrt(1 - e) * Math.cos(Ea / 2));
  // The perturbation arguments count Julian centuries from 1900 January 0.5 (JD 2415020.0).
  const U = (jde - 2415020) / 36525;
  const perturbation =
    0.00134 * cos(153.23 + 22518.7541 * U) +
    0.00154 * cos(216.57 + 45037.5082 * U) +
    0.002 * cos(312.69 + 32964.3577 * U) +
    0.00179 * sin(350.74 + 445267.1142 * U - 0.00144 * U * U) +
    0.00178 * sin(231.19 + 20.2 * U);
  const longitude = L0 + (nu / RAD - M) + perturbation;
  const radius = (1.000001018 * (1 - e * e)) / (1 + e * Math.cos(nu));
  return { longitude, radius };
}

/** The Sun's apparent longitude in degrees (0–360) at JDE. */
export function sunApparent(jde: number): number {
  const T = (jde - 2451545) / 36525;
  const { longitude, radius } = sunGeometric(jde);
  const apparent = longitude - 20.4898 / 3600 / radius + nutationInLongitude(T);
  return ((apparent % 360) + 360) % 360;
}

/** Moon minus Sun apparent longitude, in (−180°, 180°]; nutation cancels in the difference. */
function elongation(jde: number): number {
  const { longitude, radius } = sunGeometric(jde);
  return wrap180(moonLongitude(jde) - (longitude - 20.4898 / 3600 / radius));
}

/** The JDE of the new moon nearest to `guess` (Newton iteration with a numeric derivative). */
export function newMoonNear(guess: number): number {
  let t = guess;
  for (let i = 0; i < 50; i++) {
    const f = elongation(t);
    const slope = (elongation(t + 0.01) - elongation(t - 0.01)) / 0.02;
    const step = f / slope;
    t -= step;
    if (Math.abs(step) < 1e-8) return t;
  }
  throw new Error('lunar-reference: new moon iteration did not converge');
}

/** The JDE when the Sun's apparent longitude is `target` degrees, within ±20 days of `guess`. */
export function solarLongitudeTime(target: number, guess: number): number {
  let lo = guess - 20;
  let hi = guess + 20;
  if (wrap180(sunApparent(lo) - target) >= 0 || wrap180(sunApparent(hi) - target) < 0) {
    throw new Error('lunar-reference: solar term not bracketed');
  }
  while (hi - lo > 1e-7) {
    const mid = (lo + hi) / 2;
    if (wrap180(sunApparent(mid) - target) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function localDay(jde: number, tz: number): number {
  const jdUt = jde - deltaT(jde) / 86400;
  return Math.floor(jdUt + 0.5 + tz / 24);
}

/** A rough JDE for the sun at longitude `target` in Gregorian `year` (for bracketing only). */
function solarTermGuess(year: number, target: number): number {
  const equinox = jdnFromParts(year, 3, 20);
  return equinox + (target / 360) * 365.2422;
}

export interface ReferenceMonth {
  readonly month: number;
  readonly leap: boolean;
  readonly start: CivilDate;
}

export interface ReferenceLunarYear {
  /** The months from month 11 of the previous lunar year up to the next month 11 (excluded). */
  readonly months: readonly ReferenceMonth[];
  readonly tet: CivilDate;
  readonly hungKings: CivilDate;
}

/**
 * Month starts between the December solstices of `year − 1` and `year`, at UTC+`tz`, with Tết
 * (lunar 1/1) and Giỗ Tổ (lunar 10/3) of lunar year `year`.
 */
export function referenceLunarYear(year: number, tz = 7): ReferenceLunarYear {
  const solstice1 = localDay(solarLongitudeTime(270, solarTermGuess(year - 1, 270)), tz);
  const solstice2 = localDay(solarLongitudeTime(270, solarTermGuess(year, 270)), tz);

  // New moons from before the first solstice to after the second, as local days.
  const newMoonDays: number[] = [];
  let t = newMoonNear(solstice1 - 45);
  while (localDay(t, tz) <= solstice2 + 1) {
    newMoonDays.push(localDay(t, tz));
    t = newMoonNear(t + 29.53);
  }
  const first = newMoonDays.filter((d) => d <= solstice1).pop();
  const last = newMoonDays.filter((d) => d <= solstice2).pop();
  if (first === undefined || last === undefined) throw new Error('lunar-reference: no month 11');
  const starts = newMoonDays.filter((d) => d >= first && d <= last); // both month 11s included
  const count = starts.length - 1;

  let leapIndex = -1;
  if (count === 13) {
    const termDays: number[] = [];
    for (let i = 1; i <= 11; i++) {
      const target = (270 + 30 * i) % 360;
      const y = target >= 270 ? year - 1 : year;
      termDays.push(localDay(solarLongitudeTime(target, solarTermGuess(y, target)), tz));
    }
    for (let i = 1; i < count; i++) {
      const a = starts[i] as number;
      const b = starts[i + 1] as number;
      if (!termDays.some((d) => d >= a && d < b)) {
        leapIndex = i;
        break;
      }
    }
  }

  const months: ReferenceMonth[] = [];
  let number = 11;
  for (let i = 0; i < count; i++) {
    const leap = i === leapIndex;
    if (i > 0 && !leap) number = (number % 12) + 1;
    months.push({ month: number, leap, start: civilDateFromJdn(starts[i] as number) });
  }
  const tet = months.find((m) => m.month === 1 && !m.leap);
  const third = months.find((m) => m.month === 3 && !m.leap);
  if (!tet || !third) throw new Error('lunar-reference: months 1 and 3 not found');
  const hungKings = civilDateFromJdn(jdnFromParts(...ymd(third.start)) + 9);
  return { months, tet: tet.start, hungKings };
}

function ymd(d: CivilDate): [number, number, number] {
  return [Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
}
