// The lifecycle over the REST API on both backends, with every role: compromise reports (the
// holder, the operator, the agency administrator of its own agency only), restore with a new
// default password, exemptions, the job run, expired passwords, and a crash in the middle of an
// action resumed without acting twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { buildHttp } from '../../src/http/index.ts';
import type { LifecycleApiDeps } from '../../src/http/api/routes-lifecycle.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';
import { resolveAccount, systemCaller } from '../../src/directory/index.ts';
import { Governance, governanceFor } from '../../src/governance/index.ts';
import { DAY_MS, ManualClock } from '../../src/util/clock.ts';

const backends = await availableBackends();

describe.each(backends)('lifecycle API on %s', (name) => {
  let fx: SystemFixture;
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
  const inbox = async (address: string): Promise<string[]> => {
    const db = fx.system.store.db;
    const a = await resolveAccount(db, fx.system.directory.ctx.settings, address);
    const rows = await db
      .selectFrom('messages')
      .innerJoin('folders', 'folders.id', 'messages.folder_id')
      .innerJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
      .select('message_meta.subject')
      .where('folders.account_id', '=', a!.id)
      .execute();
    return rows.map((r) => r.subject ?? '');
  };
  const state = async (address: string) => (await fx.system.directory.accounts.show(operator, address)).state;

  let op: { address: string; token: string };
  let headA: { address: string; token: string };
  beforeAll(async () => {
    fx = await systemFixture(name);
    const s = fx.system;
    const api: LifecycleApiDeps = {
      store: s.store,
      directory: s.directory,
      sessions: s.sessions,
      calendar: s.calendar,
      governance: governanceFor(s),
    };
    app = await buildHttp({
      store: s.store,
      metrics: createMetrics(),
      log: createLogger({ level: 'silent' }),
      version: 'test',
      api,
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    await s.directory.orgs.create(operator, { code: 'sotuphap', name: 'Sở Tư pháp', kind: 'department' });
    const o = await fx.user('Phạm Quản Trị');
    await s.directory.admin.setRole(operator, o.address, 'operator');
    op = { address: o.address, token: await login(o.address, o.password) };
    const h = await fx.user('Trịnh Văn Thủ Trưởng');
    await s.directory.admin.setRole(operator, h.address, 'agency-admin');
    headA = { address: h.address, token: await login(h.address, h.password) };
  });
  afterAll(async () => {
    await app.close();
    await fx.close();
  });

  it('documents the lifecycle routes in the OpenAPI document', async () => {
    const paths = Object.keys((await call('GET', '/api/v1/openapi.json')).body.paths);
    for (const p of [
      '/api/v1/lifecycle/run',
      '/api/v1/me/compromised',
      '/api/v1/accounts/{address}/compromised',
      '/api/v1/accounts/{address}/restore-compromised',
      '/api/v1/accounts/{address}/exemptions',
    ])
      expect(paths).toContain(p);
  });

  it('a user reports its own account: suspended at once, sessions ended, operator and agency alerted', async () => {
    const u = await fx.user('Nguyễn Thị Lộ');
    const token = await login(u.address, u.password);
    const r = await call('POST', '/api/v1/me/compromised', token);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ address: u.address, state: 'suspended', legalBasis: 'Điều 8.2.b' });
    expect(r.body.notice).toMatch(/^\d+\/TB-SKHCN$/);
    expect((await call('GET', '/api/v1/me', token)).status).toBe(401);
    const view = await fx.system.directory.accounts.show(operator, u.address);
    expect([view.state, view.stateReason]).toEqual(['suspended', 'compromised']);
    const subject = `[${r.body.notice}] Tạm khóa hộp thư ${u.address}: nghi bị lộ mật khẩu / Mailbox ${u.address} suspended: possibly compromised`;
    expect(await inbox('sokhcn@quangtri.gov.vn')).toContain(subject);
    expect(await inbox(op.address)).toContain(subject);
    const audit = await fx.system.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'account.suspend')
      .where('target_id', '=', u.id)
      .execute();
    expect(audit.map((a) => a.actor)).toEqual([u.id]);
  });

  it('an agency administrator of A reports its own staff but never agency B (403, nothing changed)', async () => {
    const mine = await fx.user('Lê Văn Mình');
    const theirs = await fx.user('Đặng Văn Khác', 'sotuphap');
    const other = await call('POST', `/api/v1/accounts/${theirs.address}/compromised`, headA.token);
    expect(other.status).toBe(403);
    expect(other.body.error.message.vi).toBe('Bạn không có quyền thực hiện thao tác này.');
    expect(await state(theirs.address)).toBe('active');
    expect(await inbox('sotuphap@quangtri.gov.vn')).toEqual([]);
    const own = await call('POST', `/api/v1/accounts/${mine.address}/compromised`, headA.token);
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(await state(mine.address)).toBe('suspended');
    // Nor may it restore, even its own staff.
    const restore = await call(
      'POST',
      `/api/v1/accounts/${mine.address}/restore-compromised`,
      headA.token,
      {},
    );
    expect(restore.status).toBe(403);
    expect(await state(mine.address)).toBe('suspended');
  });

  it('a plain user cannot report someone else', async () => {
    const u = await fx.user('Bùi Văn Thường');
    const v = await fx.user('Bùi Văn Nạn');
    const r = await call(
      'POST',
      `/api/v1/accounts/${v.address}/compromised`,
      await login(u.address, u.password),
    );
    expect(r.status).toBe(403);
    expect(await state(v.address)).toBe('active');
  });

  it('the operator reports, then restores with a new default password, never the leaked one', async () => {
    const u = await fx.user('Cao Văn Khôi');
    expect((await call('POST', `/api/v1/accounts/${u.address}/compromised`, op.token)).status).toBe(200);
    const wrong = await call('POST', `/api/v1/accounts/${u.address}/restore-compromised`, op.token, {
      basis: 'x'.repeat(2001),
    });
    expect(wrong.status).toBe(400);
    expect(await state(u.address)).toBe('suspended');
    const r = await call('POST', `/api/v1/accounts/${u.address}/restore-compromised`, op.token, {
      basis: 'Công văn 12/SKHCN',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.account).toMatchObject({ state: 'active', mustChangePassword: true });
    const old = await call('POST', '/api/v1/session', undefined, {
      username: u.address,
      password: u.password,
    });
    expect(old.status).toBe(401);
    const fresh = await call('POST', '/api/v1/session', undefined, {
      username: u.address,
      password: r.body.oneTimePassword,
    });
    expect(fresh.body.mustChangePassword).toBe(true);
    // Restoring a mailbox that is not suspended as compromised is refused.
    const again = await call('POST', `/api/v1/accounts/${u.address}/restore-compromised`, op.token, {});
    expect(again.status).toBe(409);
    expect(again.body.error.message.en).toBe('The mailbox is not suspended as compromised.');
  });

  it('an expired password allows nothing but the change', async () => {
    const u = await fx.user('Mai Văn Hạn');
    await fx.system.store.write(async (tx) => {
      await tx.db
        .updateTable('accounts')
        .set({ password_changed_at: Date.now() - 91 * DAY_MS })
        .where('id', '=', u.id)
        .execute();
    });
    const s = await call('POST', '/api/v1/session', undefined, { username: u.address, password: u.password });
    expect(s.status).toBe(201);
    expect(s.body.mustChangePassword).toBe(true);
    const blocked = await call('POST', '/api/v1/me/compromised', s.body.token);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('auth.password-change-required');
    const changed = await call('PUT', '/api/v1/me/password', s.body.token, {
      current: u.password,
      next: 'Moi@Quang2026',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBeLessThan(300);
  });

  it('exemptions: the agency administrator for its own agency only; bad input changes nothing', async () => {
    const mine = await fx.user('Lý Thị Nghỉ');
    const theirs = await fx.user('Lý Văn Xa', 'sotuphap');
    const body = { reason: 'Nghỉ thai sản', from: '2026-12-01', until: '2027-05-31' };
    const denied = await call('POST', `/api/v1/accounts/${theirs.address}/exemptions`, headA.token, body);
    expect(denied.status).toBe(403);
    const user = await call(
      'POST',
      `/api/v1/accounts/${mine.address}/exemptions`,
      await login(mine.address, mine.password),
      body,
    );
    expect(user.status).toBe(403);
    const bad = await call('POST', `/api/v1/accounts/${mine.address}/exemptions`, headA.token, {
      ...body,
      until: '2027-02-30',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatchObject({
      vi: 'Ngày kết thúc không hợp lệ: "2027-02-30" (định dạng YYYY-MM-DD).',
      en: 'Invalid end date: "2027-02-30" (format YYYY-MM-DD).',
    });
    const reversed = await call('POST', `/api/v1/accounts/${mine.address}/exemptions`, headA.token, {
      ...body,
      until: '2026-11-30',
    });
    expect(reversed.status).toBe(400);
    expect((await call('GET', `/api/v1/accounts/${mine.address}/exemptions`, headA.token)).body).toEqual([]);
    const ok = await call('POST', `/api/v1/accounts/${mine.address}/exemptions`, headA.token, body);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const list = await call('GET', `/api/v1/accounts/${mine.address}/exemptions`, headA.token);
    expect(list.body).toMatchObject([{ reason: 'Nghỉ thai sản', from: '2026-12-01', until: '2027-05-31' }]);
    expect((await call('GET', `/api/v1/accounts/${theirs.address}/exemptions`, headA.token)).status).toBe(
      403,
    );
  });

  it('runs the job: operator only; a future time only as a dry run', async () => {
    expect((await call('POST', '/api/v1/lifecycle/run', headA.token, { dryRun: true })).status).toBe(403);
    const future = '2030-01-01T02:00:00Z';
    const refused = await call('POST', '/api/v1/lifecycle/run', op.token, { now: future });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message.en).toBe(
      'A time in the future is allowed only with a dry run (--dry-run).',
    );
    const dry = await call('POST', '/api/v1/lifecycle/run', op.token, { now: future, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.actions).toContainEqual({
      address: op.address,
      action: 'suspend-inactive',
      legalBasis: 'Điều 8.2.a',
      at: '2030-01-01T02:00:00.000Z',
    });
    expect(await state(op.address)).toBe('active');
    expect(await fx.system.store.db.selectFrom('lifecycle_actions').selectAll().execute()).toEqual([]);
  });
});

describe.each(backends)('lifecycle job resumed after a crash on %s', (name) => {
  let fx: SystemFixture;
  const clock = new ManualClock('2026-01-05T02:00:00Z');
  beforeAll(async () => {
    fx = await systemFixture(name, {}, clock);
  });
  afterAll(async () => fx.close());

  for (const step of ['claimed', 'applied', 'registered'] as const)
    it(`finishes an action interrupted after "${step}" exactly once`, async () => {
      clock.set('2026-01-05T02:00:00Z');
      const u = await fx.system.directory.accounts.createPersonal(operator, {
        name: `Phan Văn ${step === 'claimed' ? 'Một' : step === 'applied' ? 'Hai' : 'Ba'}`,
        orgCode: 'sokhcn',
      });
      const address = u.account.address;
      let crash = true;
      const gov = new Governance(fx.system, {
        onStep: (s, kind, a) => {
          if (crash && s === step && kind === 'suspend-inactive' && a === address) throw new Error('crash');
        },
      });
      clock.set('2026-04-06T02:00:00Z'); // 3 months after creation
      await expect(gov.lifecycle.run(systemCaller)).rejects.toThrow('crash');
      crash = false;
      const resumed = await gov.lifecycle.run(systemCaller);
      expect(resumed.actions.filter((a) => a.address === address).map((a) => a.action)).toEqual([
        'suspend-inactive',
      ]);
      expect((await gov.lifecycle.run(systemCaller)).actions).toEqual([]);
      const view = await fx.system.directory.accounts.show(operator, address);
      expect([view.state, view.stateReason]).toEqual(['suspended', 'inactivity']);
      const db = fx.system.store.db;
      const suspensions = await db
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'account.suspend')
        .where('target_id', '=', u.account.id)
        .execute();
      expect(suspensions).toHaveLength(1);
      const mails = await db
        .selectFrom('messages')
        .innerJoin('folders', 'folders.id', 'messages.folder_id')
        .innerJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
        .select('message_meta.subject')
        .where('folders.account_id', '=', u.account.id)
        .execute();
      expect(mails.map((m) => m.subject).filter((s) => s?.includes('Tạm khóa hộp thư'))).toHaveLength(1);
    });
});
