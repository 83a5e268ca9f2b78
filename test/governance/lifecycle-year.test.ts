// The daily lifecycle job across a simulated year (2026-01-05 → 2027-02-08, both Tết included) on
// both backends: inactivity warnings, suspensions, numbered notices and deletions (Điều 7.3,
// 8.2.a), an exemption pausing the clock, a never-used mailbox, a mailbox saved by a sign-in, the
// agency mailbox (warned and reported, never suspended), password reminders 14/7/1 (Điều 5.1).
// Each action happens exactly once, on the expected day; a second run the same day does nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { ManualClock, DAY_MS } from '../../src/util/clock.ts';
import { recordAccess, resolveAccount, systemCaller } from '../../src/directory/index.ts';
import { Governance, vnDate } from '../../src/governance/index.ts';

const backends = await availableBackends();
const T0 = Date.parse('2026-01-05T02:00:00Z'); // Monday 09:00 in Quảng Trị

describe.each(backends)('lifecycle over a simulated year on %s', (name) => {
  let fx: SystemFixture;
  let gov: Governance;
  const clock = new ManualClock(T0);
  const log: string[] = [];
  const addr: Record<string, string> = {};

  beforeAll(async () => {
    fx = await systemFixture(name, {}, clock);
    const d = fx.system.directory;
    const mk = async (key: string, fullName: string) => {
      const r = await d.accounts.createPersonal(operator, { name: fullName, orgCode: 'sokhcn' });
      addr[key] = r.account.address;
    };
    await mk('op', 'Phạm Quản Trị');
    await d.admin.setRole(operator, addr.op!, 'operator');
    await mk('A', 'Nguyễn Văn An');
    await mk('B', 'Trần Thị Bình');
    await mk('C', 'Lê Văn Chưa');
    await mk('D', 'Phạm Thị Dung');
    await mk('E', 'Hoàng Văn Em');
    await mk('H', 'Đỗ Văn Tết');
    const g = await fx.user('Võ Thị Giang'); // a real password, changed at T0
    addr.G = g.address;
    addr.agency = 'sokhcn@quangtri.gov.vn';
    gov = new Governance(fx.system);
    await gov.exemptions.file(operator, addr.D!, {
      reason: 'Nghỉ thai sản / maternity leave',
      from: '2026-03-01',
      until: '2026-05-31',
    });

    const signIn = async (key: string, at: number) => {
      const row = await resolveAccount(fx.system.store.db, d.ctx.settings, addr[key]!);
      await fx.system.store.write((tx) =>
        recordAccess(tx, {
          accountId: row!.id,
          protocol: 'imap',
          kind: 'login',
          clientIp: null,
          at: new Date(at),
        }),
      );
    };
    const byAddress = Object.fromEntries(Object.entries(addr).map(([k, v]) => [v, k]));
    for (let day = 0; day < 400; day++) {
      const nine = T0 + day * DAY_MS;
      const eight = nine - 3_600_000;
      clock.set(eight);
      const date = vnDate(nine);
      if (day % 7 === 0) await signIn('op', eight);
      if (day % 10 === 0) await signIn('A', eight);
      if (day % 5 === 0) await signIn('G', eight);
      if (date === '2026-01-31') await signIn('B', eight);
      if (date === '2026-03-25') await signIn('E', eight);
      if (date === '2026-02-17') await signIn('H', eight); // mùng 1 Tết
      if (date === '2026-04-10')
        await d.credentials.setPassword(operator, addr.G!, { password: 'Giang#2026moi', mustChange: false });
      clock.set(nine);
      const first = await gov.lifecycle.run(systemCaller);
      for (const a of first.actions) log.push(`${date} ${byAddress[a.address]} ${a.action} ${a.legalBasis}`);
      const second = await gov.lifecycle.run(systemCaller);
      expect(second.actions, `second run on ${date}`).toEqual([]);
    }
  }, 180_000);
  afterAll(async () => fx.close());

  it('takes exactly the expected actions, each once, on the expected days', () => {
    expect(log.sort()).toEqual(
      [
        // The never-used mailbox counts from its creation on 2026-01-05: 3 months end 04-05.
        '2026-03-23 C warn-inactive Điều 8.2.a',
        '2026-04-06 C suspend-inactive Điều 8.2.a',
        '2026-07-06 C notice-deletion Điều 7.3',
        '2026-07-10 C delete-inactive Điều 7.3',
        // The agency mailbox: warned and reported, never suspended or deleted.
        '2026-03-23 agency warn-inactive Điều 8.2.a',
        '2026-04-06 agency report-inactive Điều 8.2.a',
        // E was warned, signed in on 03-25: a new period from then.
        '2026-03-23 E warn-inactive Điều 8.2.a',
        '2026-06-12 E warn-inactive Điều 8.2.a',
        '2026-06-26 E suspend-inactive Điều 8.2.a',
        '2026-09-26 E notice-deletion Điều 7.3',
        '2026-09-30 E delete-inactive Điều 7.3',
        // Last access 01-31: 3 months end 04-30 (no 31 April), suspended 05-01.
        '2026-04-17 B warn-inactive Điều 8.2.a',
        '2026-05-01 B suspend-inactive Điều 8.2.a',
        '2026-08-01 B notice-deletion Điều 7.3',
        '2026-08-05 B delete-inactive Điều 7.3',
        // Last access on mùng 1 Tết (2026-02-17): holidays are calendar days like any other.
        '2026-05-04 H warn-inactive Điều 8.2.a',
        '2026-05-18 H suspend-inactive Điều 8.2.a',
        '2026-08-18 H notice-deletion Điều 7.3',
        '2026-08-22 H delete-inactive Điều 7.3',
        // Exempt 03-01..05-31 (92 days): every period is 92 days longer.
        '2026-06-23 D warn-inactive Điều 8.2.a',
        '2026-07-07 D suspend-inactive Điều 8.2.a',
        '2026-10-06 D notice-deletion Điều 7.3',
        '2026-10-10 D delete-inactive Điều 7.3',
        // Password changed 01-05 expires 04-05; changed again 04-10, expires 07-09.
        '2026-03-22 G password-reminder-14 Điều 5.1',
        '2026-03-29 G password-reminder-7 Điều 5.1',
        '2026-04-04 G password-reminder-1 Điều 5.1',
        '2026-06-25 G password-reminder-14 Điều 5.1',
        '2026-07-02 G password-reminder-7 Điều 5.1',
        '2026-07-08 G password-reminder-1 Điều 5.1',
      ].sort(),
    );
  });

  it('leaves the mailboxes in the expected states, deletions soft with addresses retired', async () => {
    const db = fx.system.store.db;
    const states = await db
      .selectFrom('accounts')
      .select(['local_part', 'state', 'state_reason', 'purge_after'])
      .execute();
    const byLocal = Object.fromEntries(states.map((s) => [s.local_part, s]));
    for (const k of ['B', 'C', 'D', 'E', 'H']) {
      const row = byLocal[addr[k]!.split('@')[0]!]!;
      expect(row.state, k).toBe('deleted');
      expect(row.purge_after, k).not.toBeNull();
      expect(await resolveAccount(db, fx.system.directory.ctx.settings, addr[k]!), k).toBeNull();
    }
    for (const k of ['A', 'G', 'op']) expect(byLocal[addr[k]!.split('@')[0]!]!.state, k).toBe('active');
    expect(byLocal.sokhcn!.state).toBe('active');
  });

  it('delivered numbered Vietnamese notices to the agency mailbox and kept a register', async () => {
    const db = fx.system.store.db;
    const agency = await resolveAccount(db, fx.system.directory.ctx.settings, addr.agency!);
    const subjects = (
      await db
        .selectFrom('messages')
        .innerJoin('folders', 'folders.id', 'messages.folder_id')
        .innerJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
        .select(['message_meta.subject', 'message_meta.from_addr', 'messages.source'])
        .where('folders.account_id', '=', agency!.id)
        .where('folders.name', '=', 'INBOX')
        .execute()
    ).map((m) => {
      expect(m.source).toBe('system');
      expect(m.from_addr).toContain('quantri@quangtri.gov.vn');
      return m.subject ?? '';
    });
    for (const k of ['B', 'C', 'D', 'E', 'H']) {
      const deletion = subjects.filter((s) => s.includes(`Thông báo xóa hộp thư ${addr[k]}`));
      expect(deletion, k).toHaveLength(1);
      expect(deletion[0]).toMatch(/^\[\d+\/TB-SKHCN\] Thông báo xóa hộp thư .* \/ Notice: mailbox/);
      expect(
        subjects.filter((s) => s.includes(`Đã xóa hộp thư ${addr[k]}`)),
        k,
      ).toHaveLength(1);
    }
    const register = await db.selectFrom('notices').select(['year', 'seq', 'number']).execute();
    expect(register).toHaveLength(log.length);
    expect(new Set(register.map((r) => `${r.year}/${r.seq}`)).size).toBe(register.length);
    const audited = await db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'notice.issue')
      .execute();
    expect(audited).toHaveLength(log.length);
  });

  it('sent each password reminder to the user only, in Vietnamese then English', async () => {
    const db = fx.system.store.db;
    const g = await resolveAccount(db, fx.system.directory.ctx.settings, addr.G!);
    const subjects = (
      await db
        .selectFrom('messages')
        .innerJoin('folders', 'folders.id', 'messages.folder_id')
        .innerJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
        .select('message_meta.subject')
        .where('folders.account_id', '=', g!.id)
        .execute()
    ).map((m) => (m.subject ?? '').replace(/^\[[^\]]+\] /, ''));
    expect(subjects.sort()).toEqual(
      [
        `Mật khẩu hộp thư ${addr.G} hết hạn sau 14 ngày / The password of ${addr.G} expires in 14 days`,
        `Mật khẩu hộp thư ${addr.G} hết hạn sau 14 ngày / The password of ${addr.G} expires in 14 days`,
        `Mật khẩu hộp thư ${addr.G} hết hạn sau 7 ngày / The password of ${addr.G} expires in 7 days`,
        `Mật khẩu hộp thư ${addr.G} hết hạn sau 7 ngày / The password of ${addr.G} expires in 7 days`,
        `Mật khẩu hộp thư ${addr.G} hết hạn sau 1 ngày / The password of ${addr.G} expires in 1 day`,
        `Mật khẩu hộp thư ${addr.G} hết hạn sau 1 ngày / The password of ${addr.G} expires in 1 day`,
      ].sort(),
    );
  });
});
