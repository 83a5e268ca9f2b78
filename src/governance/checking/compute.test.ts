// The checking rules of Điều 12 as a pure function: window edges ([from, to)), the personal rule's
// gap, days not counted, checks not yet due, CSV shape.
import { describe, expect, it } from 'vitest';
import {
  complianceCsv,
  computeCompliance,
  localMinutes,
  personalChecks,
  type CheckedMailbox,
  type CheckingSettings,
} from './compute.ts';

const settings: CheckingSettings = {
  morning: { from: '07:00', to: '11:30' },
  afternoon: { from: '13:30', to: '17:00' },
  requiredRate: 1,
  personalMinGapMinutes: 60,
};
const at = (local: string): number => Date.parse(`${local}+07:00`);
const box = (over: Partial<CheckedMailbox> = {}): CheckedMailbox => ({
  id: 'm',
  address: 'sokhcn@quangtri.gov.vn',
  kind: 'agency',
  displayName: 'Sở Khoa học và Công nghệ',
  orgCode: 'sokhcn',
  countFrom: '2026-01-01',
  countUntil: null,
  exemptions: [],
  ...over,
});
const run = (mb: CheckedMailbox, times: string[], days: string[], now = '2026-12-31T00:00:00') =>
  computeCompliance({
    mailboxes: [mb],
    workingDays: days,
    accesses: times.map((t) => ({ mailboxId: mb.id, at: at(t) })),
    settings,
    now: new Date(at(now)),
  })[0]!;

describe('checking frequency (Điều 12)', () => {
  it('local minutes are UTC+7', () => {
    expect(localMinutes(Date.parse('2026-04-24T00:00:00Z'))).toBe(7 * 60);
    expect(localMinutes(Date.parse('2026-04-23T17:00:00Z'))).toBe(0);
  });

  it('windows include their start and exclude their end', () => {
    const day = ['2026-04-24'];
    expect(run(box(), ['2026-04-24T07:00:00', '2026-04-24T13:30:00'], day)).toMatchObject({
      required: 2,
      met: 2,
      rate: 1,
      missedDays: [],
    });
    const late = run(box(), ['2026-04-24T11:30:00', '2026-04-24T13:29:59', '2026-04-24T17:00:00'], day);
    expect(late).toMatchObject({ required: 2, met: 0, rate: 0, belowRequirement: true });
    expect(late.missedDays).toEqual([{ date: '2026-04-24', missed: ['morning', 'afternoon'] }]);
    expect(run(box(), ['2026-04-24T06:59:59', '2026-04-24T16:59:59'], day).missedDays).toEqual([
      { date: '2026-04-24', missed: ['morning'] },
    ]);
  });

  it('a personal mailbox needs two accesses an hour apart, at any time of the working day', () => {
    expect(personalChecks([], 60)).toBe(0);
    expect(personalChecks([480, 500, 530], 60)).toBe(1);
    expect(personalChecks([1200, 480], 60)).toBe(2);
    const p = box({ kind: 'personal', address: 'an@quangtri.gov.vn' });
    const r = run(
      p,
      ['2026-04-24T06:00:00', '2026-04-24T21:00:00', '2026-04-28T08:00:00'],
      ['2026-04-24', '2026-04-28', '2026-04-29'],
    );
    expect(r).toMatchObject({ rule: 'twice-daily', required: 6, met: 3, rate: 0.5 });
    expect(r.missedDays).toEqual([
      { date: '2026-04-28', missed: ['second'] },
      { date: '2026-04-29', missed: ['first', 'second'] },
    ]);
  });

  it('counts only days the mailbox existed, was not suspended and not exempt', () => {
    const days = ['2026-04-24', '2026-04-28', '2026-04-29', '2026-04-30'];
    const r = run(
      box({
        countFrom: '2026-04-28',
        countUntil: '2026-04-30',
        exemptions: [{ from: '2026-04-29', until: '2026-04-29' }],
      }),
      [],
      days,
    );
    expect(r).toMatchObject({ daysCounted: 2, required: 4, met: 0 });
    expect(r.missedDays.map((d) => d.date)).toEqual(['2026-04-28', '2026-04-30']);
  });

  it('a check is required only once its window has ended', () => {
    const day = ['2026-04-24'];
    expect(run(box(), [], day, '2026-04-24T11:29:00')).toMatchObject({ required: 0, rate: null });
    expect(run(box(), ['2026-04-24T08:00:00'], day, '2026-04-24T12:00:00')).toMatchObject({
      required: 1,
      met: 1,
      rate: 1,
    });
    expect(run(box({ kind: 'personal' }), [], day, '2026-04-24T23:59:00').required).toBe(0);
  });

  it('CSV: BOM, header row, quoted cells, one row per mailbox', () => {
    const r = run(box({ displayName: 'Sở "KH", CN' }), ['2026-04-24T08:00:00'], ['2026-04-24']);
    const csv = complianceCsv([r]);
    expect(csv.startsWith('\uFEFFHộp thư / Mailbox,')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      'sokhcn@quangtri.gov.vn,agency,"Sở ""KH"", CN",sokhcn,windows,1,2,1,0.5,x,2026-04-24 chiều/afternoon',
    );
  });
});
