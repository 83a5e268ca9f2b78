// The working-day calendar as the operator keeps it, on both backends, through the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, makeBackend, type TestBackend } from '../support/backends.ts';
import { cli } from '../support/cli.ts';
import { listAudit, openStore } from '../../src/store/index.ts';

const backends = await availableBackends();

describe.each(backends)('calendar on %s', (name) => {
  let backend: TestBackend;
  let env: NodeJS.ProcessEnv;
  const json = async (argv: string[]): Promise<any> => {
    const r = await cli(env, [...argv, '--json']);
    if (r.code !== 0) throw new Error(`${argv.join(' ')} → ${r.code} ${r.stdout} ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    backend = await makeBackend(name);
    env = { CONGTHU_DATA_DIR: backend.dir, CONGTHU_DATABASE_URL: backend.url };
    await json(['init']);
  });
  afterAll(async () => backend.cleanup());

  it('has 2026 preloaded as announced for state agencies', async () => {
    const y = await json(['calendar', 'show', '2026']);
    expect(y.source).toBe('data');
    const off = y.daysOff.map((d: { date: string }) => d.date);
    for (const d of [
      '2026-01-02',
      '2026-02-16',
      '2026-02-20',
      '2026-04-27',
      '2026-04-30',
      '2026-05-01',
      '2026-08-31',
      '2026-09-01',
      '2026-09-02',
    ])
      expect(off).toContain(d);
    expect(y.extraWorkingDays.map((d: { date: string }) => d.date)).toEqual(['2026-01-10', '2026-08-22']);
    expect((await json(['calendar', 'day', '2026-01-10'])).working).toBe(true);
    expect((await json(['calendar', 'day', '2026-01-02'])).working).toBe(false);
    // Điều 7.2.b: 5 working days from Thursday 12/2/2026 skip the Tết break 14/2–22/2.
    expect((await json(['calendar', 'add-working-days', '2026-02-12', '5'])).date).toBe('2026-02-26');
  });

  it('computes years that are not recorded, and records a year on the first edit', async () => {
    const y = await json(['calendar', 'show', '2030']);
    expect(y.source).toBe('computed');
    expect(y.daysOff.map((d: { date: string }) => d.date)).toContain('2030-02-02'); // mùng 1 Tết 2030 in Vietnam
    expect(y.daysOff.map((d: { date: string }) => d.date)).toContain('2030-04-12'); // Giỗ Tổ
    const edited = await json([
      'calendar',
      'set-working',
      '2030-01-05',
      '--reason',
      'Làm bù cho ngày 31/12/2029',
    ]);
    expect(edited.source).toBe('data');
    expect(edited.extraWorkingDays).toEqual([
      { date: '2030-01-05', reason: { vi: 'Làm bù cho ngày 31/12/2029', en: 'Làm bù cho ngày 31/12/2029' } },
    ]);
    expect(edited.daysOff.map((d: { date: string }) => d.date)).toContain('2030-02-02'); // defaults kept
    const off = await json([
      'calendar',
      'set-off',
      '2030-01-04',
      '--reason',
      'Nghỉ hoán đổi',
      '--reason-en',
      'Swapped day off',
    ]);
    expect(off.daysOff.find((d: { date: string }) => d.date === '2030-01-04').reason.en).toBe(
      'Swapped day off',
    );
    expect((await json(['calendar', 'day', '2030-01-04'])).working).toBe(false);
    const cleared = await json(['calendar', 'clear', '2030-01-04']);
    expect(cleared.daysOff.map((d: { date: string }) => d.date)).not.toContain('2030-01-04');
    expect((await json(['calendar', 'adopt', '2031'])).source).toBe('data');
  });

  it('switches the 24/11 holiday on and off as data, not code', async () => {
    expect((await json(['calendar', 'day', '2026-11-24'])).working).toBe(true);
    await json(['calendar', 'culture-day', 'on']);
    const d = await json(['calendar', 'day', '2026-11-24']);
    expect(d.working).toBe(false);
    expect(d.reasons.map((r: { vi: string }) => r.vi).join()).toContain('Văn hóa');
    expect((await json(['calendar', 'day', '2030-11-25'])).working).toBe(false); // 24/11/2030 is a Sunday: Monday off
    await json(['calendar', 'culture-day', 'off']);
    expect((await json(['calendar', 'day', '2026-11-24'])).working).toBe(true);
  });

  it('audits every change and refuses bad input', async () => {
    const store = await openStore({ url: backend.url });
    try {
      const actions = (await listAudit(store.db, { targetType: 'calendar' })).map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'calendar.set-work',
          'calendar.set-off',
          'calendar.clear',
          'calendar.adopt-default',
          'calendar.culture-day',
        ]),
      );
    } finally {
      await store.close();
    }
    const bad: Array<[string[], number]> = [
      [['calendar', 'day', '2026-02-30'], 1],
      [['calendar', 'day', 'tomorrow'], 1],
      [['calendar', 'show', '26'], 2],
      [['calendar', 'add-working-days', '2026-01-01', 'five'], 2],
      [['calendar', 'set-off', '2026-03-03'], 2],
      [['calendar', 'clear', '2026-03-03'], 1],
      [['calendar', 'culture-day', 'maybe'], 2],
    ];
    for (const [argv, code] of bad) {
      const r = await cli(env, argv);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.stderr).toMatch(/Lỗi: .+\nError: .+/);
    }
  });
});
