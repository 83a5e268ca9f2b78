import { describe, expect, it } from 'vitest';
import { CongthuError } from '../../util/errors.ts';
import { dayOfWeek } from './civil-date.ts';
import { HOLIDAY_NAMES, defaultTetWindow, nationalDayAdjacent, statutoryHolidays } from './holidays.ts';
import type { Holiday, HolidayOptions } from './holidays.ts';

const OFF: HolidayOptions = { cultureDay: false };

function rows(hs: readonly Holiday[]): string[] {
  return hs.map((h) => `${h.date} ${h.kind === 'holiday' ? 'H' : 'C'} ${h.name.vi}`);
}

describe('statutoryHolidays', () => {
  it('2025', () => {
    expect(rows(statutoryHolidays(2025, OFF))).toEqual([
      '2025-01-01 H Tết Dương lịch',
      '2025-01-28 H Tết Nguyên đán',
      '2025-01-29 H Tết Nguyên đán',
      '2025-01-30 H Tết Nguyên đán',
      '2025-01-31 H Tết Nguyên đán',
      '2025-02-01 H Tết Nguyên đán', // Saturday …
      '2025-02-03 C Nghỉ bù Tết Nguyên đán', // … so Monday off
      '2025-04-07 H Giỗ Tổ Hùng Vương',
      '2025-04-30 H Ngày Chiến thắng 30/4 (Ngày Giải phóng miền Nam, thống nhất đất nước)',
      '2025-05-01 H Ngày Quốc tế Lao động',
      '2025-09-01 H Quốc khánh (ngày nghỉ liền kề 2/9)',
      '2025-09-02 H Quốc khánh',
    ]);
  });

  it('2026 (Giỗ Tổ on a Sunday gives Monday 27/4 off, as announced)', () => {
    expect(rows(statutoryHolidays(2026, OFF))).toEqual([
      '2026-01-01 H Tết Dương lịch',
      '2026-02-16 H Tết Nguyên đán',
      '2026-02-17 H Tết Nguyên đán',
      '2026-02-18 H Tết Nguyên đán',
      '2026-02-19 H Tết Nguyên đán',
      '2026-02-20 H Tết Nguyên đán',
      '2026-04-26 H Giỗ Tổ Hùng Vương',
      '2026-04-27 C Nghỉ bù Giỗ Tổ Hùng Vương',
      '2026-04-30 H Ngày Chiến thắng 30/4 (Ngày Giải phóng miền Nam, thống nhất đất nước)',
      '2026-05-01 H Ngày Quốc tế Lao động',
      '2026-09-01 H Quốc khánh (ngày nghỉ liền kề 2/9)',
      '2026-09-02 H Quốc khánh',
    ]);
  });

  it('2027 (1/1 is a Friday; Tết and 1/5 meet weekends; 2/9 Thursday → 3/9)', () => {
    expect(dayOfWeek('2027-01-01')).toBe(5);
    expect(rows(statutoryHolidays(2027, OFF))).toEqual([
      '2027-01-01 H Tết Dương lịch',
      '2027-02-05 H Tết Nguyên đán',
      '2027-02-06 H Tết Nguyên đán',
      '2027-02-07 H Tết Nguyên đán',
      '2027-02-08 H Tết Nguyên đán',
      '2027-02-09 H Tết Nguyên đán',
      '2027-02-10 C Nghỉ bù Tết Nguyên đán',
      '2027-02-11 C Nghỉ bù Tết Nguyên đán',
      '2027-04-16 H Giỗ Tổ Hùng Vương',
      '2027-04-30 H Ngày Chiến thắng 30/4 (Ngày Giải phóng miền Nam, thống nhất đất nước)',
      '2027-05-01 H Ngày Quốc tế Lao động',
      '2027-05-03 C Nghỉ bù Ngày Quốc tế Lao động',
      '2027-09-02 H Quốc khánh',
      '2027-09-03 H Quốc khánh (ngày nghỉ liền kề 2/9)',
    ]);
  });

  it('2029: 2/9 is a Sunday, 1/9 a Saturday: both compensated on Monday 3/9 and Tuesday 4/9', () => {
    expect(dayOfWeek('2029-09-02')).toBe(0);
    const sept = rows(statutoryHolidays(2029, OFF)).filter((r) => r.startsWith('2029-09'));
    expect(sept).toEqual([
      '2029-09-01 H Quốc khánh (ngày nghỉ liền kề 2/9)',
      '2029-09-02 H Quốc khánh',
      '2029-09-03 C Nghỉ bù Quốc khánh (ngày nghỉ liền kề 2/9)',
      '2029-09-04 C Nghỉ bù Quốc khánh',
    ]);
  });

  it('proposes the 2/9 adjacent day that joins a weekend', () => {
    expect(nationalDayAdjacent(2021)).toBe('2021-09-03'); // Thursday 2/9
    expect(nationalDayAdjacent(2022)).toBe('2022-09-01'); // Friday
    expect(nationalDayAdjacent(2023)).toBe('2023-09-01'); // Saturday
    expect(nationalDayAdjacent(2024)).toBe('2024-09-03'); // Monday
    expect(nationalDayAdjacent(2025)).toBe('2025-09-01'); // Tuesday
    expect(nationalDayAdjacent(2026)).toBe('2026-09-01'); // Wednesday
  });

  it('proposes Tết as the last day of the lunar year plus mùng 1–4', () => {
    expect(defaultTetWindow(2026)).toEqual([
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
    ]);
  });

  it('adds Vietnam Culture Day only when asked', () => {
    expect(statutoryHolidays(2026, OFF).some((h) => h.date === '2026-11-24')).toBe(false);
    const on = statutoryHolidays(2026, { cultureDay: true });
    expect(on.find((h) => h.date === '2026-11-24')?.name).toEqual(HOLIDAY_NAMES.cultureDay);
    // 24/11/2029 is a Saturday: compensated on Monday 26/11.
    const y2029 = rows(statutoryHolidays(2029, { cultureDay: true })).filter((r) => r.startsWith('2029-11'));
    expect(y2029).toEqual([
      '2029-11-24 H Ngày Văn hóa Việt Nam',
      '2029-11-26 C Nghỉ bù Ngày Văn hóa Việt Nam',
    ]);
  });

  it('never puts a compensatory day on a weekend or on another holiday (1900–2100)', () => {
    for (let year = 1900; year <= 2100; year++) {
      const hs = statutoryHolidays(year, { cultureDay: year % 2 === 0 });
      expect(new Set(hs.map((h) => h.date)).size).toBe(hs.length);
      const weekendHolidays = hs.filter((h) => h.kind === 'holiday' && [0, 6].includes(dayOfWeek(h.date)));
      const compensatory = hs.filter((h) => h.kind === 'compensatory');
      expect(compensatory.length).toBe(weekendHolidays.length);
      for (const c of compensatory) expect([0, 6]).not.toContain(dayOfWeek(c.date));
      expect(hs.every((h) => h.date.startsWith(String(year)))).toBe(true);
      const expected = (year % 2 === 0 ? 12 : 11) - (year === 1947 ? 1 : 0);
      expect(hs.filter((h) => h.kind === 'holiday').length).toBe(expected);
    }
  });

  it('merges two holidays on one date (Giỗ Tổ fell on 30/4 in 1947)', () => {
    const day = statutoryHolidays(1947, OFF).filter((h) => h.date === '1947-04-30');
    expect(day).toHaveLength(1);
    expect(day[0]?.name.vi).toBe(`${HOLIDAY_NAMES.hungKings.vi}; ${HOLIDAY_NAMES.reunification.vi}`);
  });

  it('requires the Culture Day decision and a supported year', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof CongthuError ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => statutoryHolidays(2026, {} as HolidayOptions))).toBe('calendar.bad-argument');
    expect(code(() => statutoryHolidays(1500, OFF))).toBe('calendar.out-of-range');
  });
});
