import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CongthuError } from '../../util/errors.ts';
import { addDays, civilDateFromJdn, civilDateToJdn, dayOfWeek, parseCivilDate } from './civil-date.ts';
import { statutoryHolidays } from './holidays.ts';
import { VN_2026_STATE_AGENCIES, vn2026StateAgencies } from './vn-2026.ts';
import { WorkingDayCalendar, defaultCalendarYear } from './working-days.ts';
import type { CalendarYearData } from './working-days.ts';

const cal = new WorkingDayCalendar([VN_2026_STATE_AGENCIES]);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof CongthuError ? e.code : `not a CongthuError: ${String(e)}`;
  }
  return undefined;
}

function offDays2026(c: WorkingDayCalendar): string[] {
  const out: string[] = [];
  for (let d = parseCivilDate('2026-01-01'); d <= '2026-12-31'; d = addDays(d, 1)) {
    if (!c.isWorkingDay(d) && dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6) out.push(d);
  }
  return out;
}

describe('VN_2026_STATE_AGENCIES', () => {
  it('makes exactly the announced weekdays non-working', () => {
    expect(offDays2026(cal)).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-04-27',
      '2026-04-30',
      '2026-05-01',
      '2026-08-31',
      '2026-09-01',
      '2026-09-02',
    ]);
  });

  it('covers the announced windows day by day, weekend days included', () => {
    const windows: [string, string][] = [
      ['2026-01-01', '2026-01-04'],
      ['2026-02-14', '2026-02-22'],
      ['2026-04-25', '2026-04-27'],
      ['2026-04-30', '2026-05-03'],
      ['2026-08-29', '2026-09-02'],
    ];
    const expected: string[] = [];
    for (const [from, to] of windows)
      for (let d = parseCivilDate(from); d <= to; d = addDays(d, 1)) expected.push(d);
    expect(VN_2026_STATE_AGENCIES.daysOff.map((e) => e.date)).toEqual(expected);
    expect(cal.daysOffOfYear(2026).map((e) => e.date)).toEqual(expected);
    for (const d of expected) expect(cal.isWorkingDay(d)).toBe(false);
    expect(cal.extraWorkingDaysOfYear(2026).map((e) => e.date)).toEqual(['2026-01-10', '2026-08-22']);
  });

  it('knows the worked Saturdays and the swapped days', () => {
    expect(cal.isWorkingDay('2026-01-10')).toBe(true);
    expect(cal.isWorkingDay('2026-08-22')).toBe(true);
    expect(cal.isWorkingDay('2026-01-02')).toBe(false);
    expect(cal.isWorkingDay('2026-01-17')).toBe(false); // an ordinary Saturday
    expect(cal.isWorkingDay('2026-01-05')).toBe(true);
  });

  it('includes Vietnam Culture Day only when the flag says so', () => {
    expect(
      new WorkingDayCalendar([vn2026StateAgencies({ cultureDay: false })]).isWorkingDay('2026-11-24'),
    ).toBe(true);
    const withCulture = new WorkingDayCalendar([vn2026StateAgencies({ cultureDay: true })]);
    expect(withCulture.isWorkingDay('2026-11-24')).toBe(false);
    expect(withCulture.explain('2026-11-24').reasons).toEqual([
      { vi: 'Ngày Văn hóa Việt Nam', en: 'Vietnam Culture Day' },
    ]);
  });
});

describe('explain', () => {
  it('says why', () => {
    expect(cal.explain('2026-01-10')).toEqual({
      working: true,
      reasons: [
        { vi: 'Làm việc vào Thứ Bảy', en: 'Working Saturday' },
        {
          vi: 'Làm việc bù cho ngày nghỉ 02/01/2026',
          en: 'Working day in exchange for the day off on 2 January 2026',
        },
      ],
    });
    expect(cal.explain('2026-01-17')).toEqual({
      working: false,
      reasons: [{ vi: 'Nghỉ cuối tuần (Thứ Bảy)', en: 'Weekend (Saturday)' }],
    });
    expect(cal.explain('2026-02-17')).toEqual({
      working: false,
      reasons: [{ vi: 'Tết Nguyên đán', en: 'Lunar New Year (Tết)' }],
    });
    const sunday = cal.explain('2026-04-26');
    expect(sunday.working).toBe(false);
    expect(sunday.reasons.map((r) => r.vi)).toEqual(['Nghỉ cuối tuần (Chủ nhật)', 'Giỗ Tổ Hùng Vương']);
    expect(cal.explain('2026-04-27').reasons.map((r) => r.vi)).toEqual(['Nghỉ bù Giỗ Tổ Hùng Vương']);
    expect(cal.explain('2026-01-02').reasons[0]?.vi).toContain('Nghỉ hoán đổi');
    expect(cal.explain('2026-03-03')).toEqual({
      working: true,
      reasons: [{ vi: 'Ngày làm việc (Thứ Ba)', en: 'Working day (Tuesday)' }],
    });
  });
});

describe('addWorkingDays / workingDaysBetween', () => {
  it('skips the Tết window', () => {
    expect(cal.addWorkingDays('2026-02-12', 1)).toBe('2026-02-13');
    expect(cal.addWorkingDays('2026-02-12', 2)).toBe('2026-02-23');
    expect(cal.addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
    expect(cal.addWorkingDays('2026-02-26', -5)).toBe('2026-02-12');
    expect(cal.workingDaysBetween('2026-02-12', '2026-02-26')).toBe(5);
    expect(cal.workingDaysBetween('2026-02-26', '2026-02-12')).toBe(-5);
  });

  it('n = 0 gives the date itself if working, else the next working day', () => {
    expect(cal.addWorkingDays('2026-02-12', 0)).toBe('2026-02-12');
    expect(cal.addWorkingDays('2026-02-14', 0)).toBe('2026-02-23');
    expect(cal.addWorkingDays('2026-01-10', 0)).toBe('2026-01-10');
  });

  it('counts worked Saturdays', () => {
    expect(cal.addWorkingDays('2026-01-09', 1)).toBe('2026-01-10');
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-05');
    expect(cal.addWorkingDays('2026-08-21', 1)).toBe('2026-08-22');
    expect(cal.addWorkingDays('2026-08-28', 1)).toBe('2026-09-03');
    expect(cal.workingDaysBetween('2026-01-01', '2026-01-31')).toBe(21); // 20 weekdays − 2/1 + Saturday 10/1
  });

  it('uses the data year and the computed fallback across a year boundary', () => {
    expect(cal.sourceOfYear(2026)).toBe('data');
    expect(cal.sourceOfYear(2027)).toBe('computed');
    // 2027-01-01 (Friday) is the computed Tết Dương lịch.
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(cal.daysOffOfYear(2027).map((e) => e.date)).toEqual(
      statutoryHolidays(2027, { cultureDay: false }).map((h) => h.date),
    );
  });

  it('are inverse to each other (property, 2025–2028)', () => {
    const from = civilDateToJdn('2025-01-01');
    const to = civilDateToJdn('2028-12-31');
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), fc.integer({ min: -300, max: 300 }), (jdn, n) => {
        const a = civilDateFromJdn(jdn);
        const b = cal.addWorkingDays(a, n);
        expect(cal.isWorkingDay(b)).toBe(true);
        if (n !== 0) expect(cal.workingDaysBetween(a, b)).toBe(n);
        else expect(cal.workingDaysBetween(a, b)).toBe(cal.isWorkingDay(a) ? 0 : 1);
        if (n > 0) expect(b > a).toBe(true);
        if (n < 0) expect(b < a).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('workingDaysBetween lands back on working days (property)', () => {
    const from = civilDateToJdn('2025-06-01');
    const to = civilDateToJdn('2027-06-30');
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), fc.integer({ min: from, max: to }), (x, y) => {
        const a = civilDateFromJdn(x);
        const b = civilDateFromJdn(y);
        const n = cal.workingDaysBetween(a, b);
        if (x !== y && cal.isWorkingDay(b)) expect(cal.addWorkingDays(a, n)).toBe(b);
        if (x < y) expect(n).toBeGreaterThanOrEqual(0);
        if (x > y) expect(n).toBeLessThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });

  it('rejects bad arguments', () => {
    expect(codeOf(() => cal.addWorkingDays('2026-02-30', 1))).toBe('calendar.bad-date');
    expect(codeOf(() => cal.addWorkingDays('2026-13-01', 1))).toBe('calendar.bad-date');
    expect(codeOf(() => cal.addWorkingDays('2026-01-05', 1.5))).toBe('calendar.bad-argument');
    expect(codeOf(() => cal.isWorkingDay('10/01/2026'))).toBe('calendar.bad-date');
    expect(codeOf(() => cal.workingDaysBetween('2026-01-01', '2026-02-29'))).toBe('calendar.bad-date');
  });
});

describe('calendar data', () => {
  const year = (patch: Partial<CalendarYearData>): CalendarYearData => ({
    year: 2030,
    daysOff: [],
    extraWorkingDays: [],
    ...patch,
  });
  const reason = { vi: 'Lý do', en: 'Reason' };

  it('rejects inconsistent data with calendar.bad-data', () => {
    const d = parseCivilDate('2030-03-02');
    expect(
      codeOf(
        () =>
          new WorkingDayCalendar([
            year({ daysOff: [{ date: d, reason }], extraWorkingDays: [{ date: d, reason }] }),
          ]),
      ),
    ).toBe('calendar.bad-data');
    expect(
      codeOf(
        () => new WorkingDayCalendar([year({ daysOff: [{ date: parseCivilDate('2031-01-02'), reason }] })]),
      ),
    ).toBe('calendar.bad-data');
    expect(codeOf(() => new WorkingDayCalendar([year({}), year({})]))).toBe('calendar.bad-data');
    expect(
      codeOf(() => new WorkingDayCalendar([year({ daysOff: [{ date: d, reason: { vi: '', en: 'x' } }] })])),
    ).toBe('calendar.bad-data');
    const malformed = '2030-02-30' as unknown as typeof d;
    expect(codeOf(() => new WorkingDayCalendar([year({ daysOff: [{ date: malformed, reason }] })]))).toBe(
      'calendar.bad-date',
    );
  });

  it('lets data override the computed default, weekday off and Saturday worked', () => {
    const c = new WorkingDayCalendar([
      year({
        daysOff: [{ date: parseCivilDate('2030-03-05'), reason }],
        extraWorkingDays: [{ date: parseCivilDate('2030-03-09'), reason }],
      }),
    ]);
    expect(c.isWorkingDay('2030-03-05')).toBe(false); // Tuesday off
    expect(c.isWorkingDay('2030-03-09')).toBe(true); // Saturday worked
    expect(c.isWorkingDay('2030-02-04')).toBe(true); // no Tết in this (deliberately incomplete) data
    expect(c.explain('2030-03-05').reasons).toEqual([reason]);
  });

  it('defaultCalendarYear proposes the statutory holidays as days off', () => {
    const y = defaultCalendarYear(2027, { cultureDay: true });
    expect(y.year).toBe(2027);
    expect(y.extraWorkingDays).toEqual([]);
    expect(y.daysOff.map((e) => e.date)).toContain('2027-11-24');
    expect(y.daysOff.find((e) => e.date === '2027-02-10')?.reason.vi).toBe('Nghỉ bù Tết Nguyên đán');
    const c = new WorkingDayCalendar([], { cultureDay: true });
    expect(c.isWorkingDay('2027-11-24')).toBe(false);
    expect(new WorkingDayCalendar([]).isWorkingDay('2027-11-24')).toBe(true);
  });

  it('refuses to search forever when data has no working day', () => {
    const allOff = (y: number): CalendarYearData => {
      const daysOff = [];
      for (let d = parseCivilDate(`${y}-01-01`); d <= `${y}-12-31`; d = addDays(d, 1))
        daysOff.push({ date: d, reason });
      return year({ year: y, daysOff });
    };
    const oneYear = new WorkingDayCalendar([allOff(2030)]);
    expect(oneYear.addWorkingDays('2029-12-31', 1)).toBe('2031-01-02'); // 1/1/2031 is a computed holiday
    const twoYears = new WorkingDayCalendar([allOff(2030), allOff(2031)]);
    expect(codeOf(() => twoYears.addWorkingDays('2029-12-31', 1))).toBe('calendar.no-working-days');
  });
});
