// Delegation of agency mailboxes in the directory (Điều 10.1), on both backends: who may grant
// (operator; agency-admin of the same agency only), what may be delegated to whom, and automatic
// revocation in the same transaction when the delegate moves agency, is suspended or deleted,
// or when the agency mailbox is deleted; every step in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { operator, systemFixture, type SystemFixture } from '../support/system.ts';
import { delegatedMailboxes, delegationFor, sessionCaller, type Caller } from '../../src/directory/index.ts';
import { listAudit } from '../../src/store/index.ts';

const backends = await availableBackends();

describe.each(backends)('directory delegation on %s', (name) => {
  let fx: SystemFixture;
  let head: Caller; // agency-admin of sokhcn
  let otherHead: Caller; // agency-admin of sotuphap
  let user: Caller;
  const AG = 'sokhcn@quangtri.gov.vn';
  const caller = async (address: string): Promise<Caller> => {
    const a = await fx.system.directory.accounts.show(operator, address);
    return sessionCaller(
      {
        accountId: a.id,
        address: a.address,
        role: a.role,
        adminAgencyId: a.adminOrgId,
        restricted: false,
      } as Parameters<typeof sessionCaller>[0],
      '192.0.2.1',
    );
  };

  beforeAll(async () => {
    fx = await systemFixture(name);
    const d = fx.system.directory;
    await d.orgs.create(operator, { code: 'vanphong', name: 'Văn phòng Sở', parentCode: 'sokhcn' });
    await d.orgs.create(operator, { code: 'sotuphap', name: 'Sở Tư pháp', kind: 'department' });
    const h = await fx.user('Trần Giám Đốc');
    await d.admin.setRole(operator, h.address, 'agency-admin');
    head = await caller(h.address);
    const oh = await fx.user('Lê Giám Đốc', 'sotuphap');
    await d.admin.setRole(operator, oh.address, 'agency-admin', 'sotuphap');
    otherHead = await caller(oh.address);
    user = await caller((await fx.user('Phạm Văn Dân')).address);
  });
  afterAll(async () => fx?.close());

  it('the head of the agency grants; another agency’s head, a user and a bad target are refused', async () => {
    const d = fx.system.directory.delegations;
    const p = await fx.user('Người Một');
    const g = await d.grant(head, AG, p.address, { rights: 'read', sendAs: true });
    expect(g).toMatchObject({ acl: 'lrs', sendAs: true, grantedBy: head.actor.id });
    await expect(d.grant(otherHead, AG, p.address, { rights: 'manage' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(d.revoke(otherHead, AG, p.address)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(d.grant(user, AG, p.address, { rights: 'read' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(d.history(otherHead, AG)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await d.list(otherHead)).toEqual([]);
    // The other head administers its own agency's mailbox, but not for a person of sokhcn.
    await expect(
      d.grant(otherHead, 'sotuphap@quangtri.gov.vn', p.address, { rights: 'read' }),
    ).rejects.toMatchObject({ code: 'delegation.other-agency' });
    await expect(d.grant(head, p.address, AG, { rights: 'read' })).rejects.toMatchObject({
      code: 'delegation.not-agency-mailbox',
    });
    await expect(d.grant(head, AG, p.address, { rights: 'admin' })).rejects.toMatchObject({
      code: 'delegation.bad-rights',
    });
    // Sub-unit mailboxes of the agency are the head's too.
    const sub = await d.grant(head, 'vanphong.sokhcn', p.address, { rights: 'manage' });
    expect(sub.mailbox.kind).toBe('sub-unit');
    const mine = await delegatedMailboxes(fx.system.store.db, p.id);
    expect(mine.map((m) => [m.address, m.rights, m.sendAs])).toEqual([
      ['sokhcn@quangtri.gov.vn', 'lrs', true],
      ['vanphong.sokhcn@quangtri.gov.vn', 'lrswikxte', false],
    ]);
    const audit = await listAudit(fx.system.store.db, { action: 'delegation.grant' });
    expect(audit[0]).toMatchObject({ actor: head.actor.id, sourceIp: '192.0.2.1' });
  });

  for (const [what, act] of [
    ['suspended', (a: string) => fx.system.directory.admin.suspend(operator, a, { reason: 'compromised' })],
    ['deleted', (a: string) => fx.system.directory.admin.delete(operator, a, {})],
    ['moved to another agency', (a: string) => fx.system.directory.admin.move(operator, a, 'sotuphap')],
  ] as const)
    it(`revokes every delegation of a delegate that is ${what}, in the same transaction`, async () => {
      const p = await fx.user(`Người ${what.split(' ')[0]}`);
      await fx.system.directory.delegations.grant(head, AG, p.address, { rights: 'manage', sendAs: true });
      await fx.system.directory.delegations.grant(head, 'vanphong.sokhcn', p.address, { rights: 'read' });
      await act(p.address);
      expect(
        await fx.system.store.db
          .selectFrom('delegations')
          .where('grantee_id', '=', p.id)
          .selectAll()
          .execute(),
      ).toEqual([]);
      const history = await fx.system.directory.delegations.history(head, AG);
      expect(history[0]).toMatchObject({ action: 'delegation.auto-revoke', actor: operator.actor.id });
      expect(history[0]!.details).toMatchObject({ delegateId: p.id, rights: 'manage', sendAs: true });
    });

  it('a move inside the agency keeps the delegation; a restore does not bring one back', async () => {
    const p = await fx.user('Người Ở Lại');
    await fx.system.directory.delegations.grant(head, AG, p.address, { rights: 'read' });
    await fx.system.directory.admin.move(operator, p.address, 'vanphong.sokhcn');
    const owner = (await fx.system.directory.accounts.show(operator, AG)).id;
    expect(await delegationFor(fx.system.store.db, p.id, owner)).not.toBeNull();
    await fx.system.directory.admin.suspend(operator, p.address, { reason: 'other' });
    await fx.system.directory.admin.restore(operator, p.address);
    expect(await delegationFor(fx.system.store.db, p.id, owner)).toBeNull();
  });

  it('deleting an agency mailbox revokes its delegates; a suspended one stops them meanwhile', async () => {
    const d = fx.system.directory;
    await d.orgs.create(operator, { code: 'phongmoi', name: 'Phòng Mới', parentCode: 'sokhcn' });
    const p = await fx.user('Người Phòng Mới');
    await d.delegations.grant(head, 'phongmoi.sokhcn', p.address, { rights: 'read' });
    const owner = (await d.accounts.show(operator, 'phongmoi.sokhcn')).id;
    await d.admin.suspend(operator, 'phongmoi.sokhcn', { reason: 'other' });
    expect(await delegationFor(fx.system.store.db, p.id, owner)).toBeNull(); // not effective
    expect(await d.delegations.list(head, { mailbox: 'phongmoi.sokhcn' })).toHaveLength(1); // still on record
    await d.admin.restore(operator, 'phongmoi.sokhcn');
    expect(await delegationFor(fx.system.store.db, p.id, owner)).not.toBeNull();
    await d.admin.delete(operator, 'phongmoi.sokhcn', {});
    expect(
      await fx.system.store.db.selectFrom('delegations').where('owner_id', '=', owner).selectAll().execute(),
    ).toEqual([]);
  });
});
