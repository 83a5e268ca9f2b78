// The checking-frequency report (Điều 12) on both backends over a simulated week with a weekend
// and a holiday (Fri 24/4/2026 … Wed 29/4/2026: Sat 25, Sun 26 weekend; Mon 27 the compensatory
// day off for Giỗ Tổ): accesses at the window edges (07:00, 11:30, 13:29, 13:30, 17:00), by a
// delegate of the agency mailbox, a POP3 sign-in (a check) and an IMAP sign-in alone (not one),
// personal mailboxes (two accesses an hour apart), a mailbox created mid-period, a suspended one,
// an exemption; scope (an agency's head reads its own agency only); CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { recordAccess, resolveAccount, type Caller } from '../../src/directory/index.ts';
import { complianceCsv, governanceFor, type CheckingReport } from '../../src/governance/index.ts';

const backends = await availableBackends();
const local = (t: string): Date => new Date(`${t}+07:00`);

describe.each(backends)('checking frequency report on %s', (name) => {
  let fx: SystemFixture;
  const clock = new ManualClock(local('2026-04-20T08:00:00'));
  const ids: Record<string, string> = {};
  let head: Caller; // agency-admin of sokhcn
  let otherHead: Caller; // agency-admin of sotuphap
  let report: CheckingReport;

  const access = async (
    mailbox: string,
    at: string,
    opts: { by?: string; protocol?: 'imap' | 'pop3'; kind?: 'inbox' | 'login' } = {},
  ) =>
    fx.system.store.write((tx) =>
      recordAccess(tx, {
        accountId: ids[opts.by ?? mailbox]!,
        mailboxId: ids[mailbox]!,
        protocol: opts.protocol ?? 'imap',
        kind: opts.kind ?? 'inbox',
        clientIp: '192.0.2.1',
        at: local(at),
      }),
    );

  beforeAll(async () => {
    fx = await systemFixture(name, {}, clock);
    const s = fx.system;
    const d = s.directory;
    await d.orgs.create(operator, { code: 'vanphong', name: 'Văn phòng Sở', parentCode: 'sokhcn' });
    await d.orgs.create(operator, { code: 'sotuphap', name: 'Sở Tư pháp', kind: 'department' });
    const idOf = async (a: string) => (await resolveAccount(s.store.db, d.ctx.settings, a))!.id;
    ids.agency = await idOf('sokhcn@quangtri.gov.vn');
    ids.sub = await idOf('vanphong.sokhcn@quangtri.gov.vn');
    ids.other = await idOf('sotuphap@quangtri.gov.vn');
    const an = await fx.user('Nguyễn Văn An');
    ids.an = an.id;
    await d.delegations.grant(operator, 'sokhcn@quangtri.gov.vn', an.address, { rights: 'read' });
    const cuong = await fx.user('Lê Văn Cường', 'vanphong.sokhcn');
    ids.cuong = cuong.id;
    const dung = await fx.user('Phạm Thị Dung');
    ids.dung = dung.id;
    await governanceFor(s).exemptions.file(operator, dung.address, {
      reason: 'Nghỉ phép / leave',
      from: '2026-04-28',
      until: '2026-05-10',
    });
    const h = await fx.user('Trần Giám Đốc');
    await d.admin.setRole(operator, h.address, 'agency-admin');
    head = {
      principal: {
        accountId: h.id,
        role: 'agency-admin',
        adminAgencyId: (await d.orgs.show(operator, 'sokhcn')).id,
      },
      actor: { id: h.id, label: h.address },
    };
    const oh = await fx.user('Lê Giám Đốc', 'sotuphap');
    await d.admin.setRole(operator, oh.address, 'agency-admin', 'sotuphap');
    otherHead = {
      principal: {
        accountId: oh.id,
        role: 'agency-admin',
        adminAgencyId: (await d.orgs.show(operator, 'sotuphap')).id,
      },
      actor: { id: oh.id, label: oh.address },
    };

    // Fri 24/4: the delegate at 07:00 (morning met); 13:29 and 17:00 miss the afternoon.
    await access('agency', '2026-04-24T07:00:00', { by: 'an' });
    await access('agency', '2026-04-24T13:29:00', { by: 'an' });
    await access('agency', '2026-04-24T17:00:00');
    // Weekend and holiday: not working days, nothing counts.
    await access('agency', '2026-04-25T08:00:00');
    await access('agency', '2026-04-27T08:00:00');
    // Tue 28/4: 11:30 is late for the morning; a POP3 sign-in at 13:30 is the afternoon check.
    await access('agency', '2026-04-28T11:30:00', { by: 'an' });
    await access('agency', '2026-04-28T13:30:00', { protocol: 'pop3', kind: 'login' });
    // Wed 29/4: an IMAP sign-in without opening the inbox is not a check; 16:59 is.
    await access('agency', '2026-04-29T08:00:00', { kind: 'login' });
    await access('agency', '2026-04-29T16:59:00', { by: 'an' });
    // The sub-unit mailbox: every check made.
    for (const day of ['24', '28', '29']) {
      await access('sub', `2026-04-${day}T08:15:00`, { by: 'cuong' });
      await access('sub', `2026-04-${day}T14:00:00`);
    }
    // Personal: An twice an hour apart on Friday, twice too close on Tuesday, not on Wednesday.
    await access('an', '2026-04-24T08:00:00');
    await access('an', '2026-04-24T15:00:00');
    await access('an', '2026-04-28T08:00:00');
    await access('an', '2026-04-28T08:30:00');
    // Another agency's mailbox: not in sokhcn's report.
    await access('other', '2026-04-24T08:00:00');

    // Created on Tue 28/4 at 10:00: counted from Wed 29/4. Cường suspended on Tue 28/4.
    clock.set(local('2026-04-28T10:00:00'));
    const binh = await fx.user('Trần Thị Bình');
    ids.binh = binh.id;
    await access('binh', '2026-04-29T07:45:00');
    await access('binh', '2026-04-29T16:00:00');
    await d.admin.suspend(operator, cuong.address, { reason: 'other', basis: 'Điều 8.2.c' });

    clock.set(local('2026-04-30T09:00:00'));
    report = await governanceFor(s).checking.report(operator, {
      agency: 'sokhcn',
      from: '2026-04-24',
      to: '2026-04-29',
    });
  });
  afterAll(async () => fx.close());

  const row = (address: string) => report.mailboxes.find((m) => m.address === address)!;

  it('counts the working days only: Fri 24, Tue 28, Wed 29', () => {
    expect(report.workingDays).toBe(3);
    expect(report).toMatchObject({
      agency: { code: 'sokhcn' },
      from: '2026-04-24',
      to: '2026-04-29',
      legalBasis: 'Điều 12',
      windows: { morning: { from: '07:00', to: '11:30' }, afternoon: { from: '13:30', to: '17:00' } },
      requiredRate: 1,
    });
  });

  it('agency mailbox: window edges, delegate, POP3 sign-in; listed below the requirement', () => {
    expect(row('sokhcn@quangtri.gov.vn')).toMatchObject({
      kind: 'agency',
      rule: 'windows',
      daysCounted: 3,
      required: 6,
      met: 3,
      rate: 0.5,
      belowRequirement: true,
      missedDays: [
        { date: '2026-04-24', missed: ['afternoon'] },
        { date: '2026-04-28', missed: ['morning'] },
        { date: '2026-04-29', missed: ['morning'] },
      ],
    });
    expect(report.belowRequirement).toEqual(['sokhcn@quangtri.gov.vn']);
  });

  it('sub-unit mailbox fully compliant; personal mailboxes by the twice-daily rule', () => {
    expect(row('vanphong.sokhcn@quangtri.gov.vn')).toMatchObject({ required: 6, met: 6, rate: 1 });
    const an = report.mailboxes.find((m) => m.displayName === 'Nguyễn Văn An')!;
    expect(an).toMatchObject({ rule: 'twice-daily', required: 6, met: 3, rate: 0.5 });
    expect(an.missedDays).toEqual([
      { date: '2026-04-28', missed: ['second'] },
      { date: '2026-04-29', missed: ['first', 'second'] },
    ]);
    // Created on the 28th: counted from the 29th.
    expect(report.mailboxes.find((m) => m.displayName === 'Trần Thị Bình')).toMatchObject({
      daysCounted: 1,
      required: 2,
      met: 2,
    });
    // Suspended on the 28th: counted on the 24th only.
    expect(report.mailboxes.find((m) => m.displayName === 'Lê Văn Cường')).toMatchObject({ daysCounted: 1 });
    // Exempt from the 28th: counted on the 24th only.
    expect(report.mailboxes.find((m) => m.displayName === 'Phạm Thị Dung')).toMatchObject({
      daysCounted: 1,
      met: 0,
    });
    expect(report.mailboxes.some((m) => m.address === 'sotuphap@quangtri.gov.vn')).toBe(false);
    expect(report.mailboxes[0]!.kind).toBe('agency');
  });

  it('the province-wide report includes every agency', async () => {
    const all = await governanceFor(fx.system).checking.report(operator, {
      from: '2026-04-24',
      to: '2026-04-29',
    });
    expect(all.agency).toBeNull();
    expect(all.mailboxes.find((m) => m.address === 'sotuphap@quangtri.gov.vn')).toMatchObject({ met: 1 });
    expect(all.belowRequirement).toEqual(
      expect.arrayContaining(['sokhcn@quangtri.gov.vn', 'sotuphap@quangtri.gov.vn']),
    );
  });

  it("an agency's head reads its own agency, not another's, nor the province", async () => {
    const svc = governanceFor(fx.system).checking;
    const own = await svc.report(head, { agency: 'sokhcn', from: '2026-04-24', to: '2026-04-29' });
    expect(own.mailboxes.length).toBe(report.mailboxes.length);
    await expect(
      svc.report(head, { agency: 'sotuphap', from: '2026-04-24', to: '2026-04-29' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(
      svc.report(otherHead, { agency: 'sokhcn', from: '2026-04-24', to: '2026-04-29' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(svc.report(head, { from: '2026-04-24', to: '2026-04-29' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });

  it('refuses bad periods and non-agencies', async () => {
    const svc = governanceFor(fx.system).checking;
    await expect(
      svc.report(operator, { agency: 'sokhcn', from: '2026-04-30', to: '2026-04-24' }),
    ).rejects.toMatchObject({
      code: 'report.bad-period',
    });
    await expect(
      svc.report(operator, { agency: 'sokhcn', from: '2026-02-30', to: '2026-04-24' }),
    ).rejects.toMatchObject({
      code: 'report.bad-date',
    });
    await expect(
      svc.report(operator, { agency: 'sokhcn', from: '2025-01-01', to: '2026-04-24' }),
    ).rejects.toMatchObject({
      code: 'report.period-too-long',
    });
    await expect(
      svc.report(operator, { agency: 'vanphong.sokhcn', from: '2026-04-24', to: '2026-04-29' }),
    ).rejects.toMatchObject({ code: 'report.not-an-agency' });
    await expect(
      svc.report(operator, { agency: 'khong-co', from: '2026-04-24', to: '2026-04-29' }),
    ).rejects.toMatchObject({
      code: 'org.not-found',
    });
  });

  it('today: a check is due only after its window has ended', async () => {
    clock.set(local('2026-04-29T12:00:00'));
    const r = await governanceFor(fx.system).checking.report(operator, {
      agency: 'sokhcn',
      from: '2026-04-29',
      to: '2026-05-05',
    });
    clock.set(local('2026-04-30T09:00:00'));
    expect(r.workingDays).toBe(1);
    expect(row('sokhcn@quangtri.gov.vn').kind).toBe('agency');
    expect(r.mailboxes.find((m) => m.address === 'sokhcn@quangtri.gov.vn')).toMatchObject({
      required: 1,
      met: 0,
      missedDays: [{ date: '2026-04-29', missed: ['morning'] }],
    });
  });

  it('CSV export has a BOM, a header and one row per mailbox', () => {
    const csv = complianceCsv(report.mailboxes);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(report.mailboxes.length + 1);
    expect(lines[1]).toBe(
      'sokhcn@quangtri.gov.vn,agency,Sở Khoa học và Công nghệ,sokhcn,windows,3,6,3,0.5,x,2026-04-24 chiều/afternoon; 2026-04-28 sáng/morning; 2026-04-29 sáng/morning',
    );
  });
});
