// The counting rules of the lifecycle periods (Civil Code 2015 Điều 147–148, UTC+7) and the
// daily schedule of the job, as pure functions.
import { describe, expect, it } from 'vitest';
import {
  addMonthsClamped,
  dayAfterMonths,
  exemptDaysBetween,
  vnDate,
  vnMidnight,
} from '../../src/governance/index.ts';
import { msUntilHour } from '../../src/app/services/lifecycle.ts';

describe('lifecycle dates', () => {
  it('adds calendar months, clamping to the last day of a shorter month', () => {
    expect(addMonthsClamped('2026-01-31', 3)).toBe('2026-04-30');
    expect(addMonthsClamped('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonthsClamped('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonthsClamped('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonthsClamped('2026-01-15', 3)).toBe('2026-04-15');
  });

  it('applies the rule from the day after the period ends', () => {
    expect(dayAfterMonths('2026-01-31', 3, [])).toBe('2026-05-01');
    expect(dayAfterMonths('2026-01-15', 3, [])).toBe('2026-04-16');
    expect(dayAfterMonths('2026-12-31', 6, [])).toBe('2027-07-01');
  });

  it('lengthens the period by each exempt day inside it', () => {
    expect(exemptDaysBetween('2026-01-06', '2026-04-05', [{ from: '2026-03-01', until: '2026-05-31' }])).toBe(
      36,
    );
    expect(dayAfterMonths('2026-01-05', 3, [{ from: '2026-03-01', until: '2026-05-31' }])).toBe('2026-07-07');
    // An exemption before the last access does not count; overlapping spans count once.
    expect(dayAfterMonths('2026-01-05', 3, [{ from: '2025-12-01', until: '2026-01-05' }])).toBe('2026-04-06');
    const twice = [
      { from: '2026-02-01', until: '2026-02-10' },
      { from: '2026-02-05', until: '2026-02-14' },
    ];
    expect(dayAfterMonths('2026-01-05', 3, twice)).toBe('2026-04-20');
  });

  it('counts in Quảng Trị time (UTC+7) whatever the host zone', () => {
    expect(vnDate(Date.parse('2026-04-30T17:00:00Z'))).toBe('2026-05-01');
    expect(vnDate(Date.parse('2026-04-30T16:59:59Z'))).toBe('2026-04-30');
    expect(new Date(vnMidnight('2026-05-01')).toISOString()).toBe('2026-04-30T17:00:00.000Z');
  });

  it('schedules the daily job at the configured hour in Vietnam', () => {
    const h = 3_600_000;
    expect(msUntilHour(Date.parse('2026-05-01T18:00:00Z'), 2)).toBe(1 * h); // 01:00 → 02:00 local
    expect(msUntilHour(Date.parse('2026-05-01T19:00:00Z'), 2)).toBe(24 * h); // exactly 02:00: next day
    expect(msUntilHour(Date.parse('2026-05-01T20:30:00Z'), 2)).toBe(22.5 * h);
  });
});
