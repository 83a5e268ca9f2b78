import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CongthuError } from '../../util/errors.ts';
import {
  addDays,
  civilDate,
  civilDateFromJdn,
  civilDateInZone,
  civilDateParts,
  civilDateToJdn,
  compareCivilDates,
  dayOfWeek,
  daysBetween,
  formatCivilDate,
  isCivilDate,
  parseCivilDate,
} from './civil-date.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof CongthuError ? e.code : `not a CongthuError: ${String(e)}`;
  }
  return undefined;
}

describe('parseCivilDate', () => {
  it('accepts real dates, including 29 February of leap years', () => {
    expect(parseCivilDate('2026-01-10')).toBe('2026-01-10');
    expect(parseCivilDate('2024-02-29')).toBe('2024-02-29');
    expect(parseCivilDate('2000-02-29')).toBe('2000-02-29');
  });

  it.each([
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-04-31',
    '1900-02-29',
    '2023-02-29',
    '2026-1-10',
    '26-01-10',
    '2026/01/10',
    '10/01/2026',
    '2026-01-10T00:00:00Z',
    ' 2026-01-10',
    '2026-01-10 ',
    '',
    '0000-01-01',
    '２０２６-01-10',
  ])('rejects %j with calendar.bad-date', (text) => {
    expect(codeOf(() => parseCivilDate(text))).toBe('calendar.bad-date');
    expect(isCivilDate(text)).toBe(false);
  });

  it('gives a bilingual message, Vietnamese first', () => {
    try {
      parseCivilDate('2026-02-30');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CongthuError);
      const err = e as CongthuError;
      expect(err.kind).toBe('invalid');
      expect(err.text.vi).toContain('Ngày không hợp lệ');
      expect(err.text.en).toContain('Invalid date');
      expect(err.message.indexOf(err.text.vi)).toBe(0);
    }
  });

  it('civilDate() validates its parts', () => {
    expect(civilDate(2026, 9, 2)).toBe('2026-09-02');
    expect(codeOf(() => civilDate(2026, 13, 1))).toBe('calendar.bad-date');
    expect(codeOf(() => civilDate(2026, 2, 29))).toBe('calendar.bad-date');
    expect(codeOf(() => civilDate(2026, 1.5, 1))).toBe('calendar.bad-date');
  });
});

describe('arithmetic', () => {
  it('knows weekdays (0 = Sunday)', () => {
    expect(dayOfWeek('2026-01-01')).toBe(4); // Thursday
    expect(dayOfWeek('2026-01-10')).toBe(6); // Saturday
    expect(dayOfWeek('2027-01-01')).toBe(5); // Friday
    expect(dayOfWeek('2029-09-02')).toBe(0); // Sunday
    expect(dayOfWeek('2000-01-01')).toBe(6);
  });

  it('converts to and from Julian Day Numbers', () => {
    expect(civilDateToJdn('2000-01-01')).toBe(2451545);
    expect(civilDateToJdn('1970-01-01')).toBe(2440588);
    expect(civilDateFromJdn(2451545)).toBe('2000-01-01');
    expect(civilDateToJdn('1582-10-15')).toBe(2299161);
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-02-14', '2026-02-22')).toBe(8);
    expect(codeOf(() => addDays('2026-01-01', 0.5))).toBe('calendar.bad-argument');
  });

  it('round-trips JDN and agrees with UTC Date arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1721426, max: 5373484 }), (jdn) => {
        const d = civilDateFromJdn(jdn);
        expect(civilDateToJdn(d)).toBe(jdn);
        expect(isCivilDate(d)).toBe(true);
        const utc = new Date(Date.UTC(2000, 0, 1) + (jdn - 2451545) * 86_400_000);
        if (utc.getUTCFullYear() >= 1) {
          const p = civilDateParts(d);
          expect([p.year, p.month, p.day]).toEqual([
            utc.getUTCFullYear(),
            utc.getUTCMonth() + 1,
            utc.getUTCDate(),
          ]);
          expect(dayOfWeek(d)).toBe(utc.getUTCDay());
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('compares and formats', () => {
    expect(compareCivilDates('2026-01-02', '2026-01-10')).toBe(-1);
    expect(compareCivilDates('2026-01-10', '2026-01-10')).toBe(0);
    expect(compareCivilDates('2027-01-01', '2026-12-31')).toBe(1);
    expect(formatCivilDate('2026-01-10')).toBe('2026-01-10');
    expect(formatCivilDate('2026-01-10', 'vi')).toBe('10/01/2026');
  });
});

describe('civilDateInZone', () => {
  it('gives the date in Vietnam (UTC+7) by default, whatever the host zone', () => {
    expect(civilDateInZone(new Date('2026-01-01T16:59:59Z'))).toBe('2026-01-01');
    expect(civilDateInZone(new Date('2026-01-01T17:00:00Z'))).toBe('2026-01-02');
    expect(civilDateInZone(new Date('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
    expect(civilDateInZone(new Date('2026-01-01T17:00:00Z'), 0)).toBe('2026-01-01');
    expect(civilDateInZone(new Date('2026-01-01T02:00:00Z'), -300)).toBe('2025-12-31');
  });

  it('rejects an invalid instant', () => {
    expect(codeOf(() => civilDateInZone(new Date('nope')))).toBe('calendar.bad-instant');
  });
});
