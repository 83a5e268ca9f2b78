// The checking windows of Điều 12 in the configuration: defaults, overrides, and clear errors
// that name the option.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.ts';

const problems = (overrides: Record<string, unknown>): string[] => {
  try {
    loadConfig({ env: {}, overrides });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('checking configuration (Điều 12)', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({ env: {} }).checking).toEqual({
      morning: { from: '07:00', to: '11:30' },
      afternoon: { from: '13:30', to: '17:00' },
      requiredRate: 1,
      personalMinGapMinutes: 60,
    });
  });

  it('takes other windows and a lower required rate', () => {
    const c = loadConfig({
      env: {},
      overrides: { checking: { morning: { to: '10:00' }, afternoon: { from: '13:00' }, requiredRate: 0.8 } },
    });
    expect(c.checking.morning).toEqual({ from: '07:00', to: '10:00' });
    expect(c.checking.afternoon).toEqual({ from: '13:00', to: '17:00' });
    expect(c.checking.requiredRate).toBe(0.8);
  });

  it('refuses a window that ends before it starts, naming the option', () => {
    expect(problems({ checking: { morning: { from: '11:30', to: '07:00' } } })).toEqual([
      'checking.morning.to [option checking.morning.to]: "from" (11:30) phải trước "to" (07:00) / "from" must be before "to"',
    ]);
    expect(problems({ checking: { afternoon: { from: '15:00', to: '15:00' } } })[0]).toMatch(
      /^checking\.afternoon\.to /,
    );
  });

  it('refuses overlapping windows, malformed times, rates outside 0–1 and unknown keys', () => {
    expect(problems({ checking: { morning: { to: '14:00' } } })[0]).toMatch(
      /^checking\.afternoon\.from .*must not be before checking\.morning\.to/,
    );
    expect(problems({ checking: { morning: { from: '7:00' } } })[0]).toMatch(
      /^checking\.morning\.from .*must be HH:MM/,
    );
    expect(problems({ checking: { afternoon: { to: '25:00' } } })[0]).toMatch(/^checking\.afternoon\.to /);
    expect(problems({ checking: { requiredRate: 1.5 } })[0]).toMatch(/^checking\.requiredRate /);
    expect(problems({ checking: { evening: {} } })[0]).toContain('checking.evening: tùy chọn không tồn tại');
  });
});
