// The authentication service every protocol calls (catalogue AUTH-01..AUTH-04), on both backends.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { directoryFixture, operator, type DirectoryFixture } from '../support/directory.ts';
import { listAccess, type AuthRequest } from '../../src/directory/index.ts';
import { listAudit } from '../../src/store/index.ts';

const backends = await availableBackends();
const PW = 'Quang@Tri2026';
const req = (username: string, password: string, clientIp = '203.0.113.7'): AuthRequest => ({
  username,
  password,
  protocol: 'imap',
  clientIp,
});

describe.each(backends)('authentication on %s', (name) => {
  let f: DirectoryFixture;
  let address: string;
  beforeEach(async () => {
    f = await directoryFixture(name, { auth: { accountLockFailures: 10 } });
    await f.dir.orgs.create(operator, { code: 'sotuphap', name: 'Sở Tư pháp', kind: 'department' });
    const r = await f.dir.accounts.createPersonal(operator, {
      name: 'Đặng Thị Ngọc Ánh',
      orgCode: 'sotuphap',
      password: PW,
      mustChange: false,
    });
    address = r.account.address;
  });
  afterEach(async () => f.close());

  it('checks a password again only after a change or a failure, never trusting a cached failure', async () => {
    const verify = f.dir.ctx.hasher.verify.bind(f.dir.ctx.hasher);
    let hashed = 0;
    f.dir.ctx.hasher.verify = async (h, p) => {
      hashed++;
      return verify(h, p);
    };
    expect((await f.dir.auth.authenticate(req(address, PW))).status).toBe('ok');
    expect((await f.dir.auth.authenticate(req(address, PW))).status).toBe('ok');
    expect(hashed).toBe(1); // the second sign-in came from the cache (auth.verifiedCacheSeconds)
    expect((await f.dir.auth.authenticate(req(address, 'Sai@MatKhau1'))).status).toBe('invalid');
    expect((await f.dir.auth.authenticate(req(address, 'Sai@MatKhau1'))).status).toBe('invalid');
    expect(hashed).toBe(3); // failures are always checked in full
    const id = (await f.dir.auth.authenticate(req(address, PW))).account!.id;
    const me = { principal: { accountId: id, role: 'user' as const, adminAgencyId: null }, actor: { id } };
    await f.dir.credentials.changeOwnPassword(me, { accountId: id, current: PW, next: 'Moi@MatKhau2026' });
    const before = hashed;
    expect((await f.dir.auth.authenticate(req(address, PW))).status).toBe('invalid');
    expect((await f.dir.auth.authenticate(req(address, 'Moi@MatKhau2026'))).status).toBe('ok');
    expect(hashed).toBeGreaterThan(before + 1); // the old password no longer matches anything cached
  });

  it('signs in with the address or the bare local part, in any case, and records the access', async () => {
    const a = await f.dir.auth.authenticate(req(address.toUpperCase(), PW));
    expect(a.status).toBe('ok');
    expect(a.account?.address).toBe('dangthingocanh@quangtri.gov.vn');
    expect((await f.dir.auth.authenticate(req('dangthingocanh', PW))).status).toBe('ok');
    const access = await listAccess(f.store.db, a.account!.id);
    expect(access).toHaveLength(2);
    expect(access[0]).toMatchObject({ protocol: 'imap', kind: 'login', clientIp: '203.0.113.7' });
    expect((await f.dir.accounts.show(operator, address)).lastAccessAt).toBe(f.clock.now().toISOString());
  });

  it('answers an unknown user, a deleted user and a wrong password identically (AUTH-02)', async () => {
    await f.dir.accounts.createPersonal(operator, {
      name: 'Bùi Văn Tám',
      orgCode: 'sotuphap',
      password: PW,
      mustChange: false,
    });
    await f.dir.admin.delete(operator, 'buivantam', { reason: 'nghỉ hưu' });
    const unknown = await f.dir.auth.authenticate(req('khongtontai@quangtri.gov.vn', PW, '198.51.100.1'));
    const deleted = await f.dir.auth.authenticate(req('buivantam', PW, '198.51.100.2'));
    const wrong = await f.dir.auth.authenticate(req(address, 'Wrong@Pass1', '198.51.100.3'));
    for (const r of [unknown, deleted, wrong]) {
      expect(r.status).toBe('invalid');
      expect(r.account).toBeUndefined();
      expect(r.message).toEqual(wrong.message);
    }
    // Garbage never crashes it.
    for (const u of ['', '\u0000', 'a'.repeat(5000), '%s%n', '*)(uid=*', "admin'--", '\uD800'])
      expect((await f.dir.auth.authenticate(req(u, 'x', '198.51.100.4'))).status).toMatch(
        /invalid|throttled/,
      );
  });

  it('takes about the same time for an unknown user as for a wrong password (dummy hash)', async () => {
    // With the production Argon2 cost one verification takes tens of milliseconds, far above the
    // noise of a database look-up: without the dummy hash an unknown user would answer at once.
    const g = await directoryFixture(name, { realisticHash: true });
    try {
      await g.dir.orgs.create(operator, { code: 'sotuphap', name: 'Sở Tư pháp' });
      const who = (
        await g.dir.accounts.createPersonal(operator, {
          name: 'Đỗ Văn Tài',
          orgCode: 'sotuphap',
          password: PW,
          mustChange: false,
        })
      ).account.address;
      const time = async (u: string, i: number): Promise<number> => {
        const t = process.hrtime.bigint();
        await g.dir.auth.authenticate(req(u, `Wrong@Pass${i}`, `192.0.2.${i}`));
        return Number(process.hrtime.bigint() - t) / 1e6;
      };
      await time('warmup', 200);
      const unknown: number[] = [];
      const known: number[] = [];
      for (let i = 0; i < 8; i++) {
        unknown.push(await time(`nobody${i}`, i));
        known.push(await time(who, 100 + i));
      }
      const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;
      expect(median(known)).toBeGreaterThan(5); // the hash really is expensive here
      expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
      expect(median(unknown)).toBeLessThan(median(known) * 2);
    } finally {
      await g.close();
    }
  });

  it('reveals the state only to someone with the right password', async () => {
    await f.dir.admin.suspend(operator, address, { reason: 'inactivity', basis: 'Điều 8.2.a' });
    const wrong = await f.dir.auth.authenticate(req(address, 'Wrong@Pass1'));
    expect(wrong.status).toBe('invalid');
    const right = await f.dir.auth.authenticate(req(address, PW));
    expect(right.status).toBe('suspended');
    expect(right.message.vi).toContain('tạm khóa');
    expect(right.message.en).toContain('suspended');
    expect(await listAccess(f.store.db, right.account!.id)).toHaveLength(0);
  });

  it('allows nothing with a default password but changing it (Điều 9.2.a), then enforces history', async () => {
    const set = await f.dir.credentials.setPassword(operator, address, {});
    expect(set.oneTimePassword).toBeDefined();
    const r = await f.dir.auth.authenticate(req(address, set.oneTimePassword!));
    expect(r.status).toBe('password-change-required');
    expect(r.message.vi).toContain('Điều 9.2.a');
    expect(r.message.en).toContain('https://mail.quangtri.gov.vn');
    const me = {
      principal: { accountId: r.account!.id, role: 'user' as const, adminAgencyId: null },
      actor: { id: r.account!.id },
    };
    await expect(
      f.dir.credentials.changeOwnPassword(me, {
        accountId: r.account!.id,
        current: 'Nope@1234',
        next: 'Moi@Matkhau1',
      }),
    ).rejects.toMatchObject({ code: 'password.current-wrong' });
    await expect(
      f.dir.credentials.changeOwnPassword(me, {
        accountId: r.account!.id,
        current: set.oneTimePassword!,
        next: 'short',
      }),
    ).rejects.toMatchObject({ code: 'password.policy' });
    // The password before the reset is in the history of the last five.
    await expect(
      f.dir.credentials.changeOwnPassword(me, {
        accountId: r.account!.id,
        current: set.oneTimePassword!,
        next: PW,
      }),
    ).rejects.toMatchObject({ code: 'password.reused' });
    await f.dir.credentials.changeOwnPassword(me, {
      accountId: r.account!.id,
      current: set.oneTimePassword!,
      next: 'Moi@Matkhau1',
    });
    expect((await f.dir.auth.authenticate(req(address, 'Moi@Matkhau1'))).status).toBe('ok');
    const audit = await listAudit(f.store.db, { targetId: r.account!.id });
    expect(audit.map((e) => e.action)).toContain('account.password-changed');
    expect(JSON.stringify(audit)).not.toContain('Moi@Matkhau1');
    expect(JSON.stringify(audit)).not.toContain(set.oneTimePassword!);
  });

  it('expires a password after 90 days and warns in the last 14 (Điều 5.1)', async () => {
    f.clock.advance(80 * 86_400_000);
    const warn = await f.dir.auth.authenticate(req(address, PW));
    expect(warn).toMatchObject({ status: 'ok', passwordExpiresInDays: 10 });
    f.clock.advance(10 * 86_400_000);
    const expired = await f.dir.auth.authenticate(req(address, PW));
    expect(expired.status).toBe('password-expired');
    expect(expired.message.vi).toContain('3 tháng');
  });

  it('delays and then refuses a client that keeps failing, without locking out others (AUTH-03)', async () => {
    const attacker = '203.0.113.66';
    const results: string[] = [];
    for (let i = 0; i < 32; i++)
      results.push((await f.dir.auth.authenticate(req(address, `Wrong@Pass${i}`, attacker))).status);
    expect(results.slice(0, 30).every((s) => s === 'invalid')).toBe(true);
    expect(results.slice(30)).toEqual(['throttled', 'throttled']);
    // Escalating delays: none for the first failures, then 2 s, 4 s, … capped at 15 s.
    expect(f.delays.slice(0, 2)).toEqual([0, 0]);
    expect(f.delays.some((d) => d === 2000)).toBe(true);
    expect(Math.max(...f.delays)).toBe(15_000);
    // Even the right password is refused from the blocked address…
    expect((await f.dir.auth.authenticate(req(address, PW, attacker))).status).toBe('throttled');
    // …but the owner, from elsewhere, signs in: the account was locked only for the lock period.
    f.clock.advance(16 * 60_000);
    expect((await f.dir.auth.authenticate(req(address, PW, '198.51.100.200'))).status).toBe('ok');
    // The window passes and the address may try again.
    f.clock.advance(61 * 60_000);
    expect((await f.dir.auth.authenticate(req(address, PW, attacker))).status).toBe('ok');
  });

  it('counts an identical wrong password once (a client retrying a stale saved password)', async () => {
    for (let i = 0; i < 20; i++)
      expect((await f.dir.auth.authenticate(req(address, 'Old@Pass2025'))).status).toBe('invalid');
    expect(f.delays.every((d) => d === 0)).toBe(true);
    expect((await f.dir.auth.authenticate(req(address, PW))).status).toBe('ok');
  });

  it('locks an account after consecutive failures from many addresses, and unlocks by itself (AUTH-04)', async () => {
    for (let i = 0; i < 10; i++) await f.dir.auth.authenticate(req(address, `Wrong@Pass${i}`, `10.9.${i}.1`));
    const locked = await f.dir.auth.authenticate(req(address, PW, '198.51.100.9'));
    expect(locked.status).toBe('locked');
    const events = await listAudit(f.store.db, { action: 'account.auth-lock' });
    expect(events).toHaveLength(1);
    f.clock.advance(15 * 60_000 + 1);
    expect((await f.dir.auth.authenticate(req(address, PW, '198.51.100.9'))).status).toBe('ok');
  });

  it('aggregates failures per /24 network', async () => {
    const statuses: string[] = [];
    for (let i = 0; i < 121; i++)
      statuses.push(
        (await f.dir.auth.authenticate(req(`user${i}`, `Wrong@${i}`, `203.0.113.${i % 250}`))).status,
      );
    expect(statuses.filter((s) => s === 'throttled').length).toBeGreaterThan(0);
    expect((await f.dir.auth.authenticate(req(address, PW, '203.0.113.251'))).status).toBe('throttled');
    expect((await f.dir.auth.authenticate(req(address, PW, '203.0.114.1'))).status).toBe('ok');
  });
});
