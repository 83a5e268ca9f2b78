// The directory on both backends: organisations with their mailboxes, addresses by Điều 6,
// one mailbox per person, aliases, quotas, states, roles, and the audit trail of each change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { directoryFixture, operator, type DirectoryFixture } from '../support/directory.ts';
import { listAudit } from '../../src/store/index.ts';
import { CongthuError } from '../../src/util/errors.ts';
import type { Caller } from '../../src/directory/index.ts';

const backends = await availableBackends();
const GiB = 1024 ** 3;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CongthuError) return e.code;
    throw e;
  }
  throw new Error('expected an error');
}

describe.each(backends)('directory on %s', (name) => {
  let f: DirectoryFixture;
  beforeAll(async () => {
    f = await directoryFixture(name, { extraDomains: ['quangbinh.gov.vn'] });
    await f.dir.orgs.create(operator, {
      code: 'SoKHCN',
      name: 'Sở Khoa học và Công nghệ',
      kind: 'department',
    });
    await f.dir.orgs.create(operator, { code: 'tuyenbinh', name: 'UBND xã Tuyên Bình', kind: 'commune' });
  });
  afterAll(async () => f.close());

  it('creates each agency and sub-unit with exactly one mailbox named by Điều 6.1', async () => {
    const { org, mailbox } = await f.dir.orgs.create(operator, {
      code: 'vanphong',
      name: 'Văn phòng Sở',
      parentCode: 'sokhcn',
    });
    expect(org).toMatchObject({ code: 'vanphong.sokhcn', kind: 'sub-unit', parentCode: 'sokhcn' });
    expect(mailbox).toMatchObject({
      address: 'vanphong.sokhcn@quangtri.gov.vn',
      kind: 'sub-unit',
      quotaBytes: 5 * GiB,
    });
    const agency = await f.dir.orgs.show(operator, 'sokhcn');
    expect(agency.mailbox).toBe('sokhcn@quangtri.gov.vn');
    expect(agency.children.map((c) => c.code)).toEqual(['vanphong.sokhcn']);
    expect((await f.dir.accounts.show(operator, 'sokhcn@quangtri.gov.vn')).quotaBytes).toBe(5 * GiB);
  });

  it('refuses duplicate codes, deep nesting, bad codes and reserved names with clear errors', async () => {
    expect(await codeOf(f.dir.orgs.create(operator, { code: 'sokhcn', name: 'Trùng' }))).toBe(
      'org.code-taken',
    );
    expect(
      await codeOf(f.dir.orgs.create(operator, { code: 'to1', name: 'Tổ', parentCode: 'vanphong.sokhcn' })),
    ).toBe('org.bad-parent');
    expect(await codeOf(f.dir.orgs.create(operator, { code: 'sở tư pháp', name: 'X' }))).toBe(
      'address.whitespace-in-abbreviation',
    );
    expect(await codeOf(f.dir.orgs.create(operator, { code: 'postmaster', name: 'X' }))).toBe(
      'address.reserved',
    );
    expect(await codeOf(f.dir.orgs.create(operator, { code: 'x', name: 'X', kind: 'planet' }))).toBe(
      'org.bad-kind',
    );
    expect(await codeOf(f.dir.orgs.create(operator, { code: 'x', name: 'X', parentCode: 'nope' }))).toBe(
      'org.not-found',
    );
    expect(await codeOf(f.dir.orgs.create(operator, { code: 'x', name: '   ' }))).toBe('org.bad-name');
  });

  it('issues personal addresses by Điều 6.2 and never reissues one, even after deletion', async () => {
    const a = await f.dir.accounts.createPersonal(operator, {
      name: 'Nguyễn Văn Long',
      orgCode: 'sokhcn',
      personId: '001',
    });
    const b = await f.dir.accounts.createPersonal(operator, {
      name: 'NGUYỄN  VĂN LONG',
      orgCode: 'tuyenbinh',
      personId: '002',
    });
    expect(a.account.address).toBe('nguyenvanlong@quangtri.gov.vn');
    expect(b.account.address).toBe('nguyenvanlong1@quangtri.gov.vn');
    await f.dir.admin.delete(operator, 'nguyenvanlong1', { reason: 'nghỉ hưu', basis: 'QĐ 12/QĐ-UBND' });
    const c = await f.dir.accounts.createPersonal(operator, {
      name: 'Nguyễn Văn Long'.normalize('NFD'),
      orgCode: 'tuyenbinh',
      personId: '003',
    });
    expect(c.account.address).toBe('nguyenvanlong2@quangtri.gov.vn');
    // Thủy/Thuỷ: one name, old and new tone placement.
    const t1 = await f.dir.accounts.createPersonal(operator, { name: 'Lê Thị Thủy', orgCode: 'sokhcn' });
    const t2 = await f.dir.accounts.createPersonal(operator, { name: 'Lê Thị Thuỷ', orgCode: 'sokhcn' });
    expect([t1.account.address, t2.account.address]).toEqual([
      'lethithuy@quangtri.gov.vn',
      'lethithuy1@quangtri.gov.vn',
    ]);
  });

  it('shares one namespace between agencies and people', async () => {
    await f.dir.orgs.create(operator, { code: 'levan', name: 'Trung tâm Lê Văn' });
    const p = await f.dir.accounts.createPersonal(operator, { name: 'Lê Văn', orgCode: 'sokhcn' });
    expect(p.account.address).toBe('levan1@quangtri.gov.vn');
    await f.dir.accounts.createPersonal(operator, { name: 'Trần Phú', orgCode: 'sokhcn' });
    expect(await codeOf(f.dir.orgs.create(operator, { code: 'tranphu', name: 'Trường Trần Phú' }))).toBe(
      'address.taken',
    );
    expect((await f.dir.orgs.list(operator)).map((o) => o.code)).not.toContain('tranphu'); // rolled back whole
  });

  it('gives concurrent registrations of one name distinct, consecutive addresses', async () => {
    const made = await Promise.all(
      Array.from({ length: 6 }, () =>
        f.dir.accounts.createPersonal(operator, { name: 'Phạm Thị Hòa', orgCode: 'tuyenbinh' }),
      ),
    );
    expect(made.map((m) => m.account.address.split('@')[0]).sort()).toEqual([
      'phamthihoa',
      'phamthihoa1',
      'phamthihoa2',
      'phamthihoa3',
      'phamthihoa4',
      'phamthihoa5',
    ]);
  });

  it('binds a personal mailbox to one person; a transfer keeps the address', async () => {
    expect(
      await codeOf(
        f.dir.accounts.createPersonal(operator, {
          name: 'Nguyễn Văn Long',
          orgCode: 'tuyenbinh',
          personId: '001',
        }),
      ),
    ).toBe('account.person-has-mailbox');
    const moved = await f.dir.admin.move(operator, 'nguyenvanlong', 'tuyenbinh', 'QĐ điều động 5/QĐ-SNV');
    expect(moved.address).toBe('nguyenvanlong@quangtri.gov.vn');
    expect(moved.org.code).toBe('tuyenbinh');
    expect(await codeOf(f.dir.admin.move(operator, 'sokhcn', 'tuyenbinh'))).toBe('account.not-personal');
  });

  it('returns a one-time password that satisfies the rule when none is given', async () => {
    const r = await f.dir.accounts.createPersonal(operator, { name: 'Hồ Thị Quỳnh', orgCode: 'sokhcn' });
    expect(r.oneTimePassword).toMatch(/[A-Z]/);
    expect(r.oneTimePassword).toMatch(/[a-z]/);
    expect(r.oneTimePassword).toMatch(/[0-9]/);
    expect(r.oneTimePassword).toMatch(/[!@#%$*&]/);
    expect(r.account.mustChangePassword).toBe(true);
    expect(r.account.quotaBytes).toBe(2 * GiB);
    const given = await f.dir.accounts.createPersonal(operator, {
      name: 'Hồ Văn Nam',
      orgCode: 'sokhcn',
      password: 'Quang@Tri2026',
    });
    expect(given.oneTimePassword).toBeUndefined();
    expect(
      await codeOf(
        f.dir.accounts.createPersonal(operator, { name: 'Hồ Văn Bắc', orgCode: 'sokhcn', password: 'weak' }),
      ),
    ).toBe('password.policy');
    // Nothing half-made: the refused registration issued no address.
    expect(
      await f.dir.ctx.store.db
        .selectFrom('addresses')
        .select('local_part')
        .where('local_part', 'like', 'hovanbac%')
        .execute(),
    ).toEqual([]);
  });

  it('delivers aliases, also on the former domain, to the same mailbox; removed aliases are never reused', async () => {
    await f.dir.admin.addAlias(operator, 'nguyenvanlong', 'longnv@quangbinh.gov.vn');
    const v = await f.dir.accounts.show(operator, 'LONGNV@QuangBinh.gov.vn.');
    expect(v.address).toBe('nguyenvanlong@quangtri.gov.vn');
    expect(v.aliases).toEqual(['longnv@quangbinh.gov.vn']);
    expect(await codeOf(f.dir.admin.addAlias(operator, 'tranphu', 'longnv@quangbinh.gov.vn'))).toBe(
      'address.taken',
    );
    expect(await codeOf(f.dir.admin.addAlias(operator, 'tranphu', 'x@gmail.com'))).toBe(
      'alias.foreign-domain',
    );
    await f.dir.admin.removeAlias(operator, 'nguyenvanlong', 'longnv@quangbinh.gov.vn');
    expect(await codeOf(f.dir.accounts.show(operator, 'longnv@quangbinh.gov.vn'))).toBe('account.not-found');
    expect(await codeOf(f.dir.admin.addAlias(operator, 'tranphu', 'longnv@quangbinh.gov.vn'))).toBe(
      'address.taken',
    );
  });

  it('enforces quota floors of Điều 9.1.b and resets to the class default', async () => {
    expect(await codeOf(f.dir.admin.setQuota(operator, 'tranphu', 1024))).toBe('quota.too-small');
    expect(await codeOf(f.dir.admin.setQuota(operator, 'sokhcn', 3 * GiB))).toBe('quota.too-small');
    expect((await f.dir.admin.setQuota(operator, 'tranphu', 10 * GiB)).quotaBytes).toBe(10 * GiB);
    const back = await f.dir.admin.setQuota(operator, 'tranphu', null);
    expect(back).toMatchObject({ quotaBytes: 2 * GiB, quotaOverride: false });
  });

  it('allows only the legal state transitions, each audited with its reason', async () => {
    const s = await f.dir.admin.suspend(operator, 'tranphu', {
      reason: 'compromised',
      basis: 'Điều 8.2.b: lộ mật khẩu',
    });
    expect(s).toMatchObject({ state: 'suspended', stateReason: 'compromised' });
    expect(await codeOf(f.dir.admin.suspend(operator, 'tranphu', { reason: 'other' }))).toBe(
      'account.bad-transition',
    );
    expect(await codeOf(f.dir.admin.suspend(operator, 'levan1', { reason: 'bored' }))).toBe(
      'account.bad-reason',
    );
    expect((await f.dir.admin.restore(operator, 'tranphu', { basis: 'Công văn 15/CV' })).state).toBe(
      'active',
    );
    const d = await f.dir.admin.delete(operator, 'tranphu', { reason: 'nghỉ việc' });
    expect(d.state).toBe('deleted');
    expect(new Date(d.purgeAfter!).getTime() - f.clock.now().getTime()).toBe(30 * 86_400_000);
    expect(await codeOf(f.dir.admin.restore(operator, 'tranphu'))).toBe('account.not-found'); // address retired
    const events = await listAudit(f.store.db, { targetType: 'account', targetId: d.id });
    expect(events.map((e) => e.action)).toEqual([
      'account.delete',
      'account.restore',
      'account.suspend',
      'account.set-quota',
      'account.set-quota',
      'account.create',
    ]);
    expect(events[2]!.reason).toContain('Điều 8.2.b');
    expect(events.every((e) => e.actor === 'cli:root')).toBe(true);
  });

  it('lets an agency administrator read only its own agency, and nothing change', async () => {
    const admin = await f.dir.accounts.createPersonal(operator, {
      name: 'Võ Thị Khuê',
      orgCode: 'tuyenbinh',
      password: 'Khue@2026xa',
    });
    await f.dir.admin.setRole(operator, admin.account.address, 'agency-admin');
    const caller: Caller = {
      principal: { accountId: admin.account.id, role: 'agency-admin', adminAgencyId: admin.account.agencyId },
      actor: { id: admin.account.id, label: admin.account.address },
    };
    const visible = await f.dir.accounts.list(caller);
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((a) => a.agencyId === admin.account.agencyId)).toBe(true);
    expect(await codeOf(f.dir.accounts.show(caller, 'sokhcn'))).toBe('forbidden');
    expect(await codeOf(f.dir.admin.suspend(caller, 'nguyenvanlong', { reason: 'other' }))).toBe('forbidden');
    expect(await codeOf(f.dir.orgs.create(caller, { code: 'abc', name: 'ABC' }))).toBe('forbidden');
    expect(await codeOf(f.dir.admin.setRole(operator, admin.account.address, 'agency-admin', 'sokhcn'))).toBe(
      'account.admin-other-agency',
    );
    // Moving to another agency drops the administrator role.
    const moved = await f.dir.admin.move(operator, admin.account.address, 'sokhcn');
    expect(moved.role).toBe('user');
  });

  it('renames an organisation without changing its address', async () => {
    const r = await f.dir.orgs.rename(operator, 'tuyenbinh', 'Ủy ban nhân dân xã Tuyên Bình');
    expect(r).toMatchObject({ name: 'Ủy ban nhân dân xã Tuyên Bình', mailbox: 'tuyenbinh@quangtri.gov.vn' });
    expect((await f.dir.accounts.show(operator, 'tuyenbinh')).displayName).toBe(
      'Ủy ban nhân dân xã Tuyên Bình',
    );
  });
});
