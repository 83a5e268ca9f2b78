// /api/v1/delegations over a real socket on both backends (Điều 10.1): the head of an agency
// (agency-admin) grants, lists, revokes and reads the history of its agency's mailboxes; another
// agency's head, a plain user and the auditor cannot change them; validation; OpenAPI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { buildHttp } from '../../src/http/index.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';

const backends = await availableBackends();

describe.each(backends)('REST /api/v1/delegations on %s', (name) => {
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

  let head: string; // agency-admin of sokhcn
  let otherHead: string; // agency-admin of sotuphap
  let userToken: string;
  let auditorToken: string;
  let an: { address: string; id: string };
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
    await s.directory.orgs.create(operator, { code: 'vanphong', name: 'Văn phòng Sở', parentCode: 'sokhcn' });
    await s.directory.orgs.create(operator, { code: 'sotuphap', name: 'Sở Tư pháp', kind: 'department' });
    const h = await fx.user('Trần Giám Đốc');
    await s.directory.admin.setRole(operator, h.address, 'agency-admin');
    head = await login(h.address, h.password);
    const oh = await fx.user('Lê Giám Đốc', 'sotuphap');
    await s.directory.admin.setRole(operator, oh.address, 'agency-admin', 'sotuphap');
    otherHead = await login(oh.address, oh.password);
    an = await fx.user('Nguyễn Văn An', 'vanphong.sokhcn');
    const u = await fx.user('Phạm Văn Dân');
    userToken = await login(u.address, u.password);
    const a = await fx.user('Công An Kiểm Tra');
    await s.directory.admin.setRole(operator, a.address, 'auditor');
    auditorToken = await login(a.address, a.password);
  });
  afterAll(async () => {
    await app.close();
    await fx.close();
  });

  it('is in the OpenAPI document', async () => {
    const r = await call('GET', '/api/v1/openapi.json');
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/delegations', '/api/v1/delegations/history']),
    );
    expect(Object.keys(r.body.paths['/api/v1/delegations']).sort()).toEqual(['delete', 'get', 'post']);
  });

  it('the head grants, lists, revokes and reads the history of its agency mailboxes', async () => {
    const g = await call('POST', '/api/v1/delegations', head, {
      mailbox: 'sokhcn@quangtri.gov.vn',
      delegate: an.address,
      rights: 'manage',
      sendAs: true,
      reason: 'Văn thư của Sở',
    });
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    expect(g.body).toMatchObject({ rights: 'manage', acl: 'lrswikxte', sendAs: true });
    const sub = await call('POST', '/api/v1/delegations', head, {
      mailbox: 'vanphong.sokhcn@quangtri.gov.vn',
      delegate: an.address,
      rights: 'read',
    });
    expect(sub.status).toBe(201);
    const list = await call('GET', `/api/v1/delegations?delegate=${encodeURIComponent(an.address)}`, head);
    expect(list.status).toBe(200);
    expect(list.body.map((d: any) => d.mailbox.address)).toEqual([
      'sokhcn@quangtri.gov.vn',
      'vanphong.sokhcn@quangtri.gov.vn',
    ]);
    // The delegate sees its own grants; the auditor reads them; another agency's head sees none.
    expect((await call('GET', '/api/v1/delegations', auditorToken)).body).toHaveLength(2);
    expect((await call('GET', '/api/v1/delegations', otherHead)).body).toEqual([]);
    const del = await call(
      'DELETE',
      `/api/v1/delegations?mailbox=vanphong.sokhcn%40quangtri.gov.vn&delegate=${encodeURIComponent(an.address)}`,
      head,
    );
    expect(del.status).toBe(204);
    const again = await call(
      'DELETE',
      `/api/v1/delegations?mailbox=vanphong.sokhcn%40quangtri.gov.vn&delegate=${encodeURIComponent(an.address)}`,
      head,
    );
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('delegation.not-found');
    const hist = await call(
      'GET',
      '/api/v1/delegations/history?mailbox=vanphong.sokhcn%40quangtri.gov.vn',
      head,
    );
    expect(hist.status).toBe(200);
    expect(hist.body.map((h: any) => h.action)).toEqual(['delegation.revoke', 'delegation.grant']);
    expect(hist.body[0].details).toMatchObject({ delegate: an.address, rights: 'read' });
  });

  it('refuses another agency’s head, a plain user and the auditor (403), and bad input (400)', async () => {
    const body = { mailbox: 'sokhcn@quangtri.gov.vn', delegate: an.address, rights: 'read' };
    for (const t of [otherHead, userToken, auditorToken]) {
      const r = await call('POST', '/api/v1/delegations', t, body);
      expect(r.status).toBe(403);
      expect(r.body.error.message.vi).toBe('Bạn không có quyền thực hiện thao tác này.');
      const h = await call('GET', '/api/v1/delegations/history?mailbox=sokhcn%40quangtri.gov.vn', t);
      expect(h.status).toBe(403);
      const d = await call(
        'DELETE',
        `/api/v1/delegations?mailbox=sokhcn%40quangtri.gov.vn&delegate=${encodeURIComponent(an.address)}`,
        t,
      );
      expect(d.status).toBe(403);
    }
    expect((await call('POST', '/api/v1/delegations', undefined, body)).status).toBe(401);
    const bad = await call('POST', '/api/v1/delegations', head, { ...body, rights: 'all' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('request.invalid');
    const other = await call('POST', '/api/v1/delegations', otherHead, {
      mailbox: 'sotuphap@quangtri.gov.vn',
      delegate: an.address,
      rights: 'read',
    });
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe('delegation.other-agency');
  });
});
