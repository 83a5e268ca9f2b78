// The REST API over a real socket on both backends: sessions, the roles on every call, bilingual
// errors, validation, and the OpenAPI document generated from the route schemas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { buildHttp } from '../../src/http/index.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';
import { SessionService } from '../../src/directory/index.ts';
import { ManualClock } from '../../src/util/clock.ts';

const backends = await availableBackends();

describe.each(backends)('REST API on %s', (name) => {
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

  let opToken: string;
  beforeAll(async () => {
    fx = await systemFixture(name);
    const s = fx.system;
    app = await buildHttp({
      store: s.store,
      metrics: createMetrics(),
      log: createLogger({ level: 'silent' }),
      version: 'test',
      api: { store: s.store, directory: s.directory, sessions: s.sessions, calendar: s.calendar },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    await s.calendar.seed();
    const op = await fx.user('Phạm Quản Trị');
    await s.directory.admin.setRole(operator, op.address, 'operator');
    opToken = await login(op.address, op.password);
  });
  afterAll(async () => {
    await app.close();
    await fx.close();
  });

  it('publishes an OpenAPI document generated from the routes', async () => {
    const r = await call('GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    for (const p of [
      '/api/v1/session',
      '/api/v1/me/password',
      '/api/v1/accounts',
      '/api/v1/calendar/{year}',
      '/api/v1/audit',
    ])
      expect(Object.keys(r.body.paths)).toContain(p);
  });

  it('refuses a wrong password with a bilingual message, and unknown users identically', async () => {
    const a = await call('POST', '/api/v1/session', undefined, {
      username: 'phamquantri',
      password: 'Wrong@123',
    });
    const b = await call('POST', '/api/v1/session', undefined, { username: 'nobody', password: 'Wrong@123' });
    expect(a.status).toBe(401);
    expect(a.body).toEqual(b.body);
    expect(a.body.error.message.vi).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect((await call('GET', '/api/v1/me')).status).toBe(401);
    expect((await call('GET', '/api/v1/me', 'x'.repeat(43))).status).toBe(401);
  });

  it('lets the operator manage the directory through the API', async () => {
    const org = await call('POST', '/api/v1/orgs', opToken, {
      code: 'soyte',
      name: 'Sở Y tế',
      kind: 'department',
    });
    expect(org.status).toBe(201);
    expect(org.body.mailbox.address).toBe('soyte@quangtri.gov.vn');
    const acc = await call('POST', '/api/v1/accounts', opToken, { name: 'Hoàng Thị Lan', org: 'soyte' });
    expect(acc.status).toBe(201);
    expect(acc.body.account.address).toBe('hoangthilan@quangtri.gov.vn');
    expect(acc.body.oneTimePassword).toMatch(/^.{14}$/);
    const s = await call('POST', '/api/v1/accounts/hoangthilan/suspend', opToken, {
      reason: 'compromised',
      basis: 'Điều 8.2.b',
    });
    expect(s.body.state).toBe('suspended');
    expect((await call('POST', '/api/v1/accounts/hoangthilan/restore', opToken, {})).body.state).toBe(
      'active',
    );
    const q = await call('PUT', '/api/v1/accounts/hoangthilan/quota', opToken, { bytes: 1 });
    expect(q.status).toBe(400);
    expect(q.body.error.code).toBe('quota.too-small');
    const list = await call('GET', '/api/v1/accounts?org=soyte', opToken);
    expect(list.body.map((a: { address: string }) => a.address)).toEqual([
      'hoangthilan@quangtri.gov.vn',
      'soyte@quangtri.gov.vn',
    ]);
    expect((await call('GET', '/api/v1/accounts/khongco', opToken)).status).toBe(404);
    const dup = await call('POST', '/api/v1/orgs', opToken, { code: 'soyte', name: 'Trùng' });
    expect(dup.status).toBe(400);
    expect(dup.body.error.message.en).toContain('already used');
  });

  it('validates input against the schema with a bilingual error and changes nothing', async () => {
    const r = await call('POST', '/api/v1/accounts', opToken, { name: 'X', org: 'soyte', extra: true });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('request.invalid');
    expect(r.body.error.message.vi).toMatch(/^Yêu cầu không hợp lệ/);
    expect(
      (await call('POST', '/api/v1/accounts/hoangthilan/suspend', opToken, { reason: 'bored' })).status,
    ).toBe(400);
    const bad = await fetch(`${base}/api/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opToken}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect((await call('GET', '/api/v1/nope', opToken)).status).toBe(404);
  });

  it('allows nothing but a password change with a default password (Điều 9.2.a), then ends every session', async () => {
    const created = await fx.system.directory.accounts.createPersonal(operator, {
      name: 'Vũ Văn Mới',
      orgCode: 'sokhcn',
    });
    const otp = created.oneTimePassword!;
    const r = await call('POST', '/api/v1/session', undefined, { username: 'vuvanmoi', password: otp });
    expect(r.status).toBe(201);
    expect(r.body.mustChangePassword).toBe(true);
    const t = r.body.token as string;
    const blocked = await call('GET', '/api/v1/orgs', t);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('auth.password-change-required');
    expect((await call('GET', '/api/v1/me', t)).body.sessionRestricted).toBe(true);
    const weak = await call('PUT', '/api/v1/me/password', t, { current: otp, next: 'abc' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message.vi).toContain('Điều 9.2.b');
    expect(
      (await call('PUT', '/api/v1/me/password', t, { current: otp, next: 'Moi@Matkhau26' })).status,
    ).toBe(204);
    expect((await call('GET', '/api/v1/me', t)).status).toBe(401); // the session ended with the old password
    const fresh = await login('vuvanmoi', 'Moi@Matkhau26');
    const me = await call('GET', '/api/v1/me', fresh);
    expect(me.body).toMatchObject({
      address: 'vuvanmoi@quangtri.gov.vn',
      mustChangePassword: false,
      sessionRestricted: false,
    });
    const history = await call('GET', '/api/v1/me/sign-ins', fresh);
    expect(history.body.length).toBeGreaterThanOrEqual(1);
    expect(history.body[0]).toMatchObject({ protocol: 'http', kind: 'login', clientIp: '127.0.0.1' });
  });

  it('checks the role on every call: users, agency administrators and the auditor', async () => {
    const u = await fx.user('Lý Thị Mai', 'sokhcn');
    const userToken = await login(u.address, u.password);
    expect((await call('POST', '/api/v1/orgs', userToken, { code: 'abc', name: 'ABC' })).status).toBe(403);
    expect((await call('GET', '/api/v1/accounts/soyte', userToken)).status).toBe(403);
    expect((await call('GET', '/api/v1/audit', userToken)).status).toBe(403);
    expect(
      (await call('PUT', '/api/v1/calendar/days/2026-12-31', userToken, { kind: 'off', reason: { vi: 'x' } }))
        .status,
    ).toBe(403);
    expect((await call('GET', '/api/v1/calendar/2026', userToken)).status).toBe(200); // everyone reads the calendar

    const head = await fx.user('Trịnh Văn Thủ Trưởng', 'soyte');
    await fx.system.directory.admin.setRole(operator, head.address, 'agency-admin');
    const headToken = await login(head.address, head.password);
    const seen = await call('GET', '/api/v1/accounts', headToken);
    expect(
      seen.body.map((a: { org: { code: string } }) => a.org.code).every((c: string) => c === 'soyte'),
    ).toBe(true);
    expect((await call('GET', '/api/v1/accounts/sokhcn', headToken)).status).toBe(403);
    expect(
      (await call('POST', '/api/v1/accounts/hoangthilan/suspend', headToken, { reason: 'other' })).status,
    ).toBe(403);

    const police = await fx.user('Công An Kiểm Tra', 'sokhcn');
    await fx.system.directory.admin.setRole(operator, police.address, 'auditor');
    const auditorToken = await login(police.address, police.password);
    const audit = await call('GET', '/api/v1/audit?targetType=account&limit=5', auditorToken);
    expect(audit.status).toBe(200);
    expect(audit.body.length).toBe(5);
    expect(audit.body[0]).toHaveProperty('action');
    expect(
      (await call('POST', '/api/v1/accounts/hoangthilan/suspend', auditorToken, { reason: 'other' })).status,
    ).toBe(403);
  });

  it('serves and edits the working-day calendar', async () => {
    const y = await call('GET', '/api/v1/calendar/2026', opToken);
    expect(y.body.source).toBe('data');
    const d = await call('GET', '/api/v1/calendar/add-working-days?from=2026-02-12&n=5', opToken);
    expect(d.body.date).toBe('2026-02-26');
    const set = await call('PUT', '/api/v1/calendar/days/2026-12-31', opToken, {
      kind: 'off',
      reason: { vi: 'Nghỉ theo thông báo', en: 'Day off as announced' },
    });
    expect(set.status).toBe(200);
    expect((await call('GET', '/api/v1/calendar/days/2026-12-31', opToken)).body.working).toBe(false);
    expect((await call('DELETE', '/api/v1/calendar/days/2026-12-31', opToken)).status).toBe(200);
    expect((await call('GET', '/api/v1/calendar/days/2026-13-01', opToken)).status).toBe(400);
  });

  it('ends a session after the idle timeout and signs out', async () => {
    const clock = new ManualClock(Date.now());
    const sessions = new SessionService(fx.system.store, clock, { idleMinutes: 30, maxHours: 12 });
    const acc = await fx.system.directory.accounts.show(operator, 'phamquantri');
    const info = {
      id: acc.id,
      address: acc.address,
      displayName: acc.displayName,
      role: acc.role,
      kind: acc.kind,
      orgId: acc.org.id,
      adminOrgId: null,
    };
    const { token } = await sessions.create(info, { restricted: false, clientIp: null, userAgent: null });
    clock.advance(29 * 60_000);
    expect(await sessions.resolve(token)).not.toBeNull(); // use slides the expiry
    clock.advance(29 * 60_000);
    expect(await sessions.resolve(token)).not.toBeNull();
    clock.advance(31 * 60_000);
    expect(await sessions.resolve(token)).toBeNull();
    const t2 = await login('phamquantri', 'Quang@Tri2026');
    expect((await call('DELETE', '/api/v1/session', t2)).status).toBe(204);
    expect((await call('GET', '/api/v1/me', t2)).status).toBe(401);
  });
});
