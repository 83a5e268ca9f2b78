// The usage report (Điều 13) and the finance view on both backends: accounts by kind and state
// (a sub-unit's with its agency), storage against quota (a quota override, the class defaults),
// mail received (SMTP deliveries) and sent (`mail.submit`) in the period and not outside it,
// requests decided on time and late and one open past its deadline, an incident; scope (an
// agency's head reads its own agency only, a user nothing); the CSV (BOM, header, N/A for spam
// and malware); the CLI `congthu report usage`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { cli } from '../support/cli.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { appendAudit } from '../../src/store/audit.ts';
import type { Caller } from '../../src/directory/index.ts';
import { governanceFor, usageCsv, type UsageReport } from '../../src/governance/index.ts';

const backends = await availableBackends();
const local = (t: string): Date => new Date(`${t}+07:00`);

describe.each(backends)('usage report on %s', (name) => {
  let fx: SystemFixture;
  const clock = new ManualClock(local('2026-10-05T09:00:00'));
  let head: Caller; // agency-admin of sokhcn
  let user: Caller;
  let report: UsageReport;
  let seq = 0;

  const asCaller = (id: string, address: string, role: 'user' | 'agency-admin', agencyId: string | null) => ({
    principal: { accountId: id, role, adminAgencyId: agencyId },
    actor: { id, label: address },
  });

  const request = async (agencyId: string, deadline: string, decidedAt: string | null) => {
    seq += 1;
    const now = local('2026-10-01T08:00:00').getTime();
    await fx.system.store.db
      .insertInto('requests')
      .values({
        id: `req-${seq}`,
        year: 2026,
        seq,
        ref: `YC-2026-${String(seq).padStart(4, '0')}`,
        agency_id: agencyId,
        kind: 'create-personal',
        target_account_id: null,
        payload: '{}',
        basis_number: `${seq}/QĐ`,
        basis_date: '2026-10-01',
        basis_issuer: 'UBND',
        basis_blob_id: 'x'.repeat(64),
        basis_type: 'application/pdf',
        basis_size: 1,
        basis_filename: null,
        state: decidedAt === null ? 'filed' : 'approved',
        filed_by: 'system',
        filed_by_label: null,
        received_at: now,
        deadline,
        remind_on: deadline,
        reviewed_by: null,
        reviewed_at: null,
        decided_by: decidedAt === null ? null : 'system',
        decided_by_label: null,
        decided_at: decidedAt === null ? null : local(decidedAt).getTime(),
        decision_reason: null,
        result: null,
        reminder_notice_id: null,
        reminder_done_at: null,
        overdue_notice_id: null,
        overdue_done_at: null,
        updated_at: now,
      })
      .execute();
  };

  beforeAll(async () => {
    fx = await systemFixture(name, {}, clock);
    const s = fx.system;
    const d = s.directory;
    await d.orgs.create(operator, { code: 'vanphong', name: 'Văn phòng Sở', parentCode: 'sokhcn' });
    await d.orgs.create(operator, { code: 'sotuphap', name: 'Sở Tư pháp', kind: 'department' });
    const sokhcn = (await d.orgs.show(operator, 'sokhcn')).id;
    const sotuphap = (await d.orgs.show(operator, 'sotuphap')).id;
    const an = await fx.user('Nguyễn Văn An');
    const binh = await fx.user('Trần Thị Bình');
    const cuong = await fx.user('Lê Văn Cường', 'vanphong.sokhcn');
    const dung = await fx.user('Phạm Thị Dung', 'sotuphap');
    const h = await fx.user('Trần Giám Đốc');
    await d.admin.setRole(operator, h.address, 'agency-admin');
    head = asCaller(h.id, h.address, 'agency-admin', sokhcn);
    user = asCaller(an.id, an.address, 'user', null);
    const db = s.store.db;
    await db.updateTable('accounts').set({ state: 'suspended' }).where('id', '=', binh.id).execute();
    await db.updateTable('accounts').set({ state: 'deleted' }).where('id', '=', dung.id).execute();
    await db.updateTable('accounts').set({ quota_bytes: 1_000_000 }).where('id', '=', an.id).execute();

    // Received: two deliveries in October (an, cuong), one in September (not counted).
    const deliver = async (at: string, ids: string[], n: number) => {
      clock.set(local(at));
      const r = await s.ingest.ingest({
        content: Buffer.from(
          `From: a@example.org\r\nSubject: x\r\nMessage-ID: <u-${n}@example.org>\r\n\r\nx\r\n`,
        ),
        deliveries: ids.map((accountId) => ({ accountId })),
        source: 'smtp',
        quota: 'checked-before',
      });
      return r;
    };
    await deliver('2026-09-30T23:59:00', [an.id], 1);
    const inc = await deliver('2026-10-02T10:00:00', [an.id, cuong.id], 2);
    // Sent: two submissions by an, one by cuong in October; one by dung in November.
    const submit = async (at: string, id: string) =>
      s.store.write((tx) =>
        appendAudit(tx, { id }, { action: 'mail.submit', targetType: 'message', targetId: 'q' }, local(at)),
      );
    await submit('2026-10-01T00:00:00', an.id);
    await submit('2026-10-15T12:00:00', an.id);
    await submit('2026-10-31T23:59:00', cuong.id);
    await submit('2026-11-01T00:00:00', dung.id);
    // An incident in sokhcn, reported by an in October.
    clock.set(local('2026-10-03T09:00:00'));
    await governanceFor(s).incidents.report(user, { folder: 'INBOX', uid: inc.delivered[0]!.uid });
    // Requests: on time (decided on the deadline day), late, open past its deadline, open not yet due.
    await request(sokhcn, '2026-10-08', '2026-10-08T23:00:00');
    await request(sokhcn, '2026-10-08', '2026-10-09T08:00:00');
    await request(sotuphap, '2026-10-20', null);
    await request(sokhcn, '2026-11-20', null);
    // Storage: known values.
    await db.updateTable('accounts').set({ used_bytes: 0 }).execute();
    await db.updateTable('accounts').set({ used_bytes: 250_000 }).where('id', '=', an.id).execute();
    await db.updateTable('accounts').set({ used_bytes: 100 }).where('id', '=', cuong.id).execute();
    await db.updateTable('accounts').set({ used_bytes: 7 }).where('id', '=', dung.id).execute();
    clock.set(local('2026-11-02T09:00:00'));
    report = await governanceFor(s).usage.report(operator, { from: '2026-10-01', to: '2026-10-31' });
  });
  afterAll(async () => fx?.close());

  it('sums accounts, storage, mail, requests and incidents per agency, a sub-unit with its agency', () => {
    const q = fx.system.directory.ctx.settings.quota;
    const k = report.agencies.find((a) => a.code === 'sokhcn')!;
    // an, binh (suspended), cuong (sub-unit), the head; the agency and the sub-unit mailboxes.
    expect(k.accounts.personal).toEqual({ active: 3, suspended: 1, deleted: 0 });
    expect(k.accounts.agency).toEqual({ active: 1, suspended: 0, deleted: 0 });
    expect(k.accounts['sub-unit']).toEqual({ active: 1, suspended: 0, deleted: 0 });
    expect(k.accounts.total).toBe(6);
    expect(k.storage.usedBytes).toBe(250_100);
    expect(k.storage.quotaBytes).toBe(1_000_000 + 3 * q.personalBytes + 2 * q.agencyBytes);
    expect(k.storage.usedRate).toBeCloseTo(250_100 / k.storage.quotaBytes);
    expect(k.messages).toEqual({ sent: 3, received: 2 });
    expect(k.requests).toEqual({ onTime: 1, late: 1, openOverdue: 0 });
    expect(k.incidents).toBe(1);
    expect(k.spam).toBeNull();
    expect(k.malware).toBeNull();
    const t = report.agencies.find((a) => a.code === 'sotuphap')!;
    expect(t.accounts.personal).toEqual({ active: 0, suspended: 0, deleted: 1 });
    expect(t.storage.usedBytes).toBe(0); // a deleted mailbox does not count against quota
    expect(t.messages).toEqual({ sent: 0, received: 0 });
    expect(t.requests).toEqual({ onTime: 0, late: 0, openOverdue: 1 });
    const p = report.province!;
    expect(p.messages).toEqual({ sent: 3, received: 2 });
    expect(p.requests).toEqual({ onTime: 1, late: 1, openOverdue: 1 });
    expect(p.incidents).toBe(1);
    expect(p.accounts.total).toBeGreaterThanOrEqual(8);
    expect(report.notes[0]).toMatch(/chưa có.*not available/);
  });

  it('an agency head reads its own agency only; a user nothing', async () => {
    const gov = governanceFor(fx.system);
    const own = await gov.usage.report(head, { agency: 'sokhcn', from: '2026-10-01', to: '2026-10-31' });
    expect(own.agencies.map((a) => a.code)).toEqual(['sokhcn']);
    expect(own.province).toBeNull();
    expect(own.agencies[0]).toEqual(report.agencies.find((a) => a.code === 'sokhcn'));
    const refused = async (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: { kind?: string }) => e.kind,
      );
    expect(
      await refused(gov.usage.report(head, { agency: 'sotuphap', from: '2026-10-01', to: '2026-10-31' })),
    ).toBe('forbidden');
    expect(await refused(gov.usage.report(head, { from: '2026-10-01', to: '2026-10-31' }))).toBe('forbidden');
    expect(
      await refused(gov.usage.report(user, { agency: 'sokhcn', from: '2026-10-01', to: '2026-10-31' })),
    ).toBe('forbidden');
    expect(await refused(gov.usage.finance(head))).toBe('forbidden');
    expect(await refused(gov.usage.report(operator, { from: '2026-10-31', to: '2026-10-01' }))).toBe(
      'invalid',
    );
  });

  it('the finance view: accounts (not deleted) and storage per agency', async () => {
    const f = await governanceFor(fx.system).usage.finance(operator);
    const k = f.agencies.find((a) => a.code === 'sokhcn')!;
    expect(k.accounts).toBe(6);
    expect(k.usedBytes).toBe(250_100);
    expect(f.agencies.find((a) => a.code === 'sotuphap')!.accounts).toBe(1); // its agency mailbox
  });

  it('CSV: BOM, bilingual header, one row per agency and the province, N/A for spam and malware', () => {
    const csv = usageCsv(report);
    expect(csv.startsWith('\uFEFFma_co_quan/agency_code,ten/name,')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines.length).toBe(report.agencies.length + 2);
    const row = lines.find((l) => l.startsWith('sokhcn,'))!.split(',');
    expect(row.slice(-10, -2)).toEqual([
      '250100',
      String(report.agencies.find((a) => a.code === 'sokhcn')!.storage.quotaBytes),
      '3',
      '2',
      '1',
      '1',
      '0',
      '1',
    ]);
    expect(row.slice(-2)).toEqual(['N/A', 'N/A']);
    expect(lines.at(-1)!.startsWith('TOAN_TINH,Toàn tỉnh / Whole province,')).toBe(true);
  });

  it('congthu report usage: table, --json, --csv', async () => {
    const env = { CONGTHU_DATA_DIR: fx.backend.dir, CONGTHU_DATABASE_URL: fx.backend.url };
    const args = ['report', 'usage', '--from', '2026-10-01', '--to', '2026-10-31', '--agency', 'sokhcn'];
    const table = await cli(env, args);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Báo cáo tình hình sử dụng (Điều 13)');
    expect(table.stdout).toContain('chưa có');
    const json = await cli(env, [...args, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).agencies[0].messages.sent).toBe(3);
    const csv = await cli(env, [...args, '--csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain('sokhcn,');
    const bad = await cli(env, ['report', 'usage', '--from', '2026-10', '--to', '2026-10-31']);
    expect(bad.code).toBe(2);
  });
});
