// Reorganisations (issue 7 item 7) end to end through POST /api/v1/reorganisations on both
// backends: a dry run shows the plan and changes nothing; a merge moves people and sub-units with
// their mailboxes, keeps the old agency address as an alias of the new agency's mailbox (mail sent
// to it over SMTP lands there), closes the old mailbox and marks the agency merged; a failing step
// rolls everything back; dissolve and move-unit; only the operator; audit events.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import nodemailer from 'nodemailer';
import type { FastifyInstance } from 'fastify';
import { availableBackends } from '../support/backends.ts';
import { operator, TEST_PASSWORD } from '../support/system.ts';
import { rfc5322, smtpHarness, storedMessages, type SmtpHarness } from '../smtp/support.ts';
import { buildHttp } from '../../src/http/index.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';
import { listAudit } from '../../src/store/index.ts';
import { AccountAdminService } from '../../src/directory/account-admin.ts';
import { planReorganisation, type ReorgState } from '../../src/directory/reorganisation.ts';

const backends = await availableBackends();
const D = 'quangtri.gov.vn';

describe('planReorganisation (pure)', () => {
  const state: ReorgState = {
    domain: D,
    orgs: [
      {
        code: 'province',
        abbrev: 'province',
        name: 'Tỉnh',
        kind: 'province',
        parentCode: null,
        dissolved: false,
        mailbox: null,
      },
      {
        code: 'xaa',
        abbrev: 'xaa',
        name: 'UBND xã A',
        kind: 'agency',
        parentCode: 'province',
        dissolved: false,
        mailbox: { id: 'm1', address: `xaa@${D}`, state: 'active', addresses: [`xaa@${D}`] },
      },
      {
        code: 'xab',
        abbrev: 'xab',
        name: 'UBND xã B',
        kind: 'agency',
        parentCode: 'province',
        dissolved: false,
        mailbox: { id: 'm2', address: `xab@${D}`, state: 'active', addresses: [`xab@${D}`] },
      },
    ],
    people: [{ id: 'p1', address: `an@${D}`, orgCode: 'xaa', state: 'active' }],
    issued: [`xaa@${D}`, `xab@${D}`, `an@${D}`, `old@${D}`],
  };
  it('plans a merge into an existing agency', () => {
    expect(planReorganisation(state, { op: 'merge', sources: ['xaa'], into: 'xab', basis: 'QĐ 1' })).toEqual([
      { kind: 'move-account', address: `an@${D}`, from: 'xaa', to: 'xab' },
      { kind: 'close-mailbox', address: `xaa@${D}` },
      { kind: 'alias-address', address: `xaa@${D}`, to: `xab@${D}` },
      { kind: 'dissolve-org', code: 'xaa', successor: 'xab' },
    ]);
  });
  it('plans a new code: the agency and its sub-units get new addresses, the old ones stay aliases', () => {
    const withUnit: ReorgState = {
      ...state,
      orgs: [
        ...state.orgs,
        {
          code: 'vp.xaa',
          abbrev: 'vp',
          name: 'Văn phòng',
          kind: 'sub-unit',
          parentCode: 'xaa',
          dissolved: false,
          mailbox: { id: 'm3', address: `vp.xaa@${D}`, state: 'active', addresses: [`vp.xaa@${D}`] },
        },
      ],
    };
    const steps = planReorganisation(withUnit, {
      op: 'rename',
      code: 'xaa',
      name: 'UBND xã A mới',
      newCode: 'xanew',
      basis: 'x',
    });
    expect(steps.map((x) => x.kind)).toEqual(['rename-org', 'readdress-org', 'move-unit']);
    expect(steps[1]).toMatchObject({ newAddress: `xanew@${D}`, oldAddress: `xaa@${D}` });
    expect(steps[2]).toMatchObject({ newCode: 'vp.xanew', to: 'xanew' });
    expect(() =>
      planReorganisation(withUnit, { op: 'rename', code: 'xaa', name: 'A', newCode: 'old', basis: 'x' }),
    ).toThrow(/đã từng được cấp/);
  });
  it('refuses what cannot be done, in Vietnamese and English', () => {
    expect(() =>
      planReorganisation(state, { op: 'merge', sources: ['xaa'], into: 'xaa', basis: 'x' }),
    ).toThrow(/chính nó/);
    expect(() =>
      planReorganisation(state, {
        op: 'merge',
        sources: ['xaa'],
        into: 'old',
        newAgency: { name: 'X' },
        basis: 'x',
      }),
    ).toThrow(/đã từng được cấp/);
    expect(() => planReorganisation(state, { op: 'dissolve', code: 'xaa', basis: 'x' })).toThrow(/people-to/);
    expect(() =>
      planReorganisation(state, { op: 'merge', sources: ['nowhere'], into: 'xab', basis: 'x' }),
    ).toThrow(/nowhere/);
  });
});

describe.each(backends)('POST /api/v1/reorganisations on %s', (name) => {
  let h: SmtpHarness;
  let app: FastifyInstance;
  let base: string;
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const login = async (username: string, password: string): Promise<string> => {
    const r = await call('POST', '/api/v1/session', undefined, { username, password });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.token as string;
  };
  const snapshot = async () => {
    const db = h.fx.system.store.db;
    return {
      orgs: await db.selectFrom('organisations').selectAll().orderBy('code').execute(),
      accounts: await db
        .selectFrom('accounts')
        .select(['id', 'org_id', 'local_part', 'state', 'role'])
        .orderBy('id')
        .execute(),
      addresses: await db.selectFrom('addresses').selectAll().orderBy('local_part').execute(),
      delegations: await db.selectFrom('delegations').selectAll().execute(),
    };
  };

  let opToken: string;
  let userToken: string;
  let headToken: string;
  let an: { address: string; id: string };
  let binh: { address: string; id: string };
  let ke: { address: string; id: string };
  beforeAll(async () => {
    h = await smtpHarness(name);
    const s = h.fx.system;
    app = await buildHttp({
      store: s.store,
      metrics: createMetrics(),
      log: createLogger({ level: 'silent' }),
      version: 'test',
      api: { store: s.store, directory: s.directory, sessions: s.sessions, calendar: s.calendar },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    const d = s.directory;
    await d.orgs.create(operator, { code: 'xacamlo', name: 'UBND xã Cam Lộ', kind: 'commune' });
    await d.orgs.create(operator, { code: 'xacamhieu', name: 'UBND xã Cam Hiếu', kind: 'commune' });
    await d.orgs.create(operator, { code: 'vanphong', name: 'Văn phòng', parentCode: 'xacamhieu' });
    const op = await h.fx.user('Quản Trị Viên');
    await d.admin.setRole(operator, op.address, 'operator');
    opToken = await login(op.address, op.password);
    const u = await h.fx.user('Phạm Văn Dân');
    userToken = await login(u.address, u.password);
    an = await h.fx.user('Nguyễn Văn An', 'xacamhieu');
    binh = await h.fx.user('Trần Thị Bình', 'vanphong.xacamhieu');
    ke = await h.fx.user('Lê Văn Kế', 'xacamhieu');
    await d.admin.setRole(operator, ke.address, 'agency-admin', 'xacamhieu');
    headToken = await login(ke.address, TEST_PASSWORD);
    // An's use of the commune's mailbox, and Bình's of the Văn phòng's.
    await d.delegations.grant(operator, 'xacamhieu', an.address, { rights: 'read' });
    await d.delegations.grant(operator, 'vanphong.xacamhieu', binh.address, { rights: 'read' });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const merge = {
    operation: 'merge',
    sources: ['xacamhieu'],
    into: 'xacamlo',
    basis: 'Nghị quyết 1680/NQ-UBTVQH15 ngày 16/6/2025',
  };

  it('refuses everyone but the operator, dry run included', async () => {
    for (const t of [userToken, headToken])
      for (const dryRun of [true, false]) {
        const r = await call('POST', '/api/v1/reorganisations', t, { ...merge, dryRun });
        expect(r.status, JSON.stringify(r.body)).toBe(403);
      }
    expect(
      (await call('POST', '/api/v1/reorganisations', undefined, { ...merge, dryRun: true })).status,
    ).toBe(401);
  });

  it('a dry run shows the plan and changes nothing', async () => {
    const before = await snapshot();
    const auditBefore = (await listAudit(h.fx.system.store.db, { limit: 10000 })).length;
    const r = await call('POST', '/api/v1/reorganisations', opToken, { ...merge, dryRun: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.dryRun).toBe(true);
    expect(r.body.id).toBeNull();
    const kinds = r.body.steps.map((s: { step: { kind: string } }) => s.step.kind);
    expect(kinds).toEqual([
      'move-unit',
      'move-account',
      'move-account',
      'close-mailbox',
      'alias-address',
      'dissolve-org',
    ]);
    expect(r.body.steps[0].step).toMatchObject({
      unit: 'vanphong.xacamhieu',
      newAddress: `vanphong.xacamlo@${D}`,
    });
    expect(r.body.steps[4].vi).toBe(`Giữ xacamhieu@${D} làm bí danh của hộp thư xacamlo@${D}`);
    expect(r.body.steps[4].en).toMatch(/alias/);
    expect(await snapshot()).toEqual(before);
    expect((await listAudit(h.fx.system.store.db, { limit: 10000 })).length).toBe(auditBefore);
  });

  it('a failing step rolls the whole operation back', async () => {
    // The mailbox closing step fails, after the sub-unit and the people were moved in the same
    // transaction: nothing of it stays.
    const before = await snapshot();
    const spy = vi
      .spyOn(AccountAdminService.prototype, 'suspend')
      .mockRejectedValueOnce(new Error('disk full'));
    try {
      const r = await call('POST', '/api/v1/reorganisations', opToken, { ...merge, dryRun: false });
      expect(r.status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(await snapshot()).toEqual(before);
    const audit = await listAudit(h.fx.system.store.db, { targetType: 'reorganisation', limit: 100 });
    expect(audit).toHaveLength(0);
  });

  it('a merge moves people and sub-units; mail to the old address lands in the new mailbox', async () => {
    const r = await call('POST', '/api/v1/reorganisations', opToken, { ...merge, dryRun: false });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.id).toEqual(expect.any(String));
    const db = h.fx.system.store.db;
    const org = (code: string) =>
      db.selectFrom('organisations').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
    const lo = await org('xacamlo');
    const hieu = await org('xacamhieu');
    expect(hieu.dissolved_at).not.toBeNull();
    const vp = await org('vanphong.xacamlo');
    expect(vp.parent_id).toBe(lo.id);
    // People keep their mailboxes and addresses, now in the new agency.
    const acc = (id: string) =>
      db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect((await acc(an.id)).org_id).toBe(lo.id);
    expect((await acc(an.id)).state).toBe('active');
    expect((await acc(binh.id)).org_id).toBe(vp.id);
    const keRow = await acc(ke.id);
    expect(keRow.org_id).toBe(lo.id);
    expect(keRow.role).toBe('user'); // an agency head's role does not travel
    const shown = await call('GET', `/api/v1/accounts/${encodeURIComponent(an.address)}`, opToken);
    expect(shown.body.address).toBe(an.address);
    // The old agency mailbox is closed; its address is an alias of the new agency's mailbox.
    const lomb = await db
      .selectFrom('accounts')
      .selectAll()
      .where('org_id', '=', lo.id)
      .where('kind', '=', 'agency')
      .executeTakeFirstOrThrow();
    const oldmb = await db
      .selectFrom('accounts')
      .selectAll()
      .where('org_id', '=', hieu.id)
      .where('kind', '=', 'agency')
      .executeTakeFirstOrThrow();
    expect(oldmb.state).toBe('suspended');
    const alias = await db
      .selectFrom('addresses')
      .selectAll()
      .where('local_part', '=', 'xacamhieu')
      .executeTakeFirstOrThrow();
    expect(alias).toMatchObject({ account_id: lomb.id, kind: 'alias', state: 'active' });
    // The sub-unit's address follows Điều 6.1.b; the old one stays an alias of the same mailbox.
    const vpmb = await db
      .selectFrom('accounts')
      .selectAll()
      .where('org_id', '=', vp.id)
      .where('kind', '=', 'sub-unit')
      .executeTakeFirstOrThrow();
    expect(vpmb.local_part).toBe('vanphong.xacamlo');
    const vpOld = await db
      .selectFrom('addresses')
      .selectAll()
      .where('local_part', '=', 'vanphong.xacamhieu')
      .executeTakeFirstOrThrow();
    expect(vpOld).toMatchObject({ account_id: vpmb.id, kind: 'alias', state: 'active' });
    // Delegations: the closed mailbox's are revoked; Bình keeps the Văn phòng's (it moved with him).
    const grants = await db.selectFrom('delegations').selectAll().execute();
    expect(grants.map((g) => [g.owner_id, g.grantee_id])).toEqual([[vpmb.id, binh.id]]);
    // Audit: the operation and one event per step.
    const audit = await listAudit(db, { targetType: 'reorganisation', limit: 100 });
    expect(audit.filter((a) => a.action === 'org.reorganise')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'org.reorganise.step')).toHaveLength(6);
    expect(audit.every((a) => a.targetId === r.body.id)).toBe(true);

    // Mail sent from outside to the old agency address and the old sub-unit address is delivered.
    h.dns.txt('ext.example', 'v=spf1 ip4:127.0.0.1 -all');
    const mx = nodemailer.createTransport({
      host: '127.0.0.1',
      port: h.port('mx'),
      secure: false,
      name: 'mail.ext.example',
      tls: { rejectUnauthorized: false },
    });
    await mx.sendMail({
      envelope: { from: 'sender@ext.example', to: [`xacamhieu@${D}`, `vanphong.xacamhieu@${D}`] },
      raw: rfc5322({ from: 'sender@ext.example', to: `xacamhieu@${D}`, messageId: 'merge@ext.example' }),
    });
    expect(await storedMessages(h, lomb.id)).toHaveLength(1);
    expect(await storedMessages(h, vpmb.id)).toHaveLength(1);
    expect(await storedMessages(h, oldmb.id)).toHaveLength(0);

    // The merged agency cannot be merged again.
    const again = await call('POST', '/api/v1/reorganisations', opToken, { ...merge, dryRun: true });
    expect(again.status).toBe(400);
  });

  it('moves a sub-unit and dissolves an agency, people first or to a named target', async () => {
    const d = h.fx.system.directory;
    await d.orgs.create(operator, { code: 'sotp', name: 'Sở Tư pháp', kind: 'department' });
    const mv = await call('POST', '/api/v1/reorganisations', opToken, {
      operation: 'move-unit',
      unit: 'vanphong.xacamlo',
      to: 'sotp',
      basis: 'QĐ 2',
      dryRun: false,
    });
    expect(mv.status, JSON.stringify(mv.body)).toBe(201);
    expect((await d.orgs.show(operator, 'vanphong.sotp')).parentCode).toBe('sotp');
    const empty = await call('POST', '/api/v1/reorganisations', opToken, {
      operation: 'dissolve',
      code: 'sotp',
      basis: 'QĐ 3',
      dryRun: true,
    });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body.error)).toMatch(/people-to/);
    const dis = await call('POST', '/api/v1/reorganisations', opToken, {
      operation: 'dissolve',
      code: 'sotp',
      peopleTo: 'sokhcn',
      basis: 'QĐ 3',
      dryRun: false,
    });
    expect(dis.status, JSON.stringify(dis.body)).toBe(201);
    const db = h.fx.system.store.db;
    // No successor: the dissolved agency's address is retired, never issued again.
    const a = await db
      .selectFrom('addresses')
      .selectAll()
      .where('local_part', '=', 'sotp')
      .executeTakeFirstOrThrow();
    expect(a.state).toBe('retired');
    expect((await d.orgs.show(operator, 'vanphong.sokhcn')).parentCode).toBe('sokhcn');
    const rn = await call('POST', '/api/v1/reorganisations', opToken, {
      operation: 'rename',
      code: 'xacamlo',
      name: 'UBND xã Cam Lộ (mới)',
      basis: 'QĐ 4',
      dryRun: false,
    });
    expect(rn.status, JSON.stringify(rn.body)).toBe(201);
    expect((await d.orgs.show(operator, 'xacamlo')).mailbox).toBe(`xacamlo@${D}`);
    // A new code, asked for: a new address; the old ones keep reaching the same mailbox.
    const rc = await call('POST', '/api/v1/reorganisations', opToken, {
      operation: 'rename',
      code: 'xacamlo',
      name: 'UBND xã Cam Lộ',
      newCode: 'camlo',
      basis: 'QĐ 5',
      dryRun: false,
    });
    expect(rc.status, JSON.stringify(rc.body)).toBe(201);
    const camlo = await d.orgs.show(operator, 'camlo');
    expect(camlo.mailbox).toBe(`camlo@${D}`);
    const addrs = await db
      .selectFrom('addresses')
      .innerJoin('accounts', 'accounts.id', 'addresses.account_id')
      .select(['addresses.local_part', 'addresses.kind', 'addresses.state', 'accounts.local_part as owner'])
      .where('addresses.local_part', 'in', ['camlo', 'xacamlo', 'xacamhieu'])
      .orderBy('addresses.local_part')
      .execute();
    expect(addrs).toEqual([
      { local_part: 'camlo', kind: 'primary', state: 'active', owner: 'camlo' },
      { local_part: 'xacamhieu', kind: 'alias', state: 'active', owner: 'camlo' },
      { local_part: 'xacamlo', kind: 'alias', state: 'active', owner: 'camlo' },
    ]);
  });

  it('is described in the OpenAPI document', async () => {
    const r = await call('GET', '/api/v1/openapi.json');
    expect(r.body.paths['/api/v1/reorganisations'].post).toBeDefined();
  });
});
