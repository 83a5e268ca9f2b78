// REST /api/v1/reports/checking and /api/v1/faults over a real socket on both backends: the
// checking report as JSON and CSV with its scope (an agency's head reads its own agency, 403 for
// another); the faults register: a user reports to its agency's IT contact (who gets a mail),
// who acknowledges and escalates (the operators get a mail), the operator resolves (the reporter
// gets a mail), the reporter closes; the timeline and the audit log; roles and states refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { buildHttp } from '../../src/http/index.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';
import { recordAccess, resolveAccount } from '../../src/directory/index.ts';
import { governanceFor } from '../../src/governance/index.ts';
import { ManualClock } from '../../src/util/clock.ts';

const backends = await availableBackends();
const local = (t: string): Date => new Date(`${t}+07:00`);

describe.each(backends)('REST checking report and faults on %s', (name) => {
  let fx: SystemFixture;
  let app: FastifyInstance;
  let base: string;
  const clock = new ManualClock(local('2026-04-20T08:00:00'));
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
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      type,
      disposition: res.headers.get('content-disposition'),
      text,
      body: type.includes('json') && text ? JSON.parse(text) : null,
    };
  };
  const login = async (username: string, password: string): Promise<string> => {
    const r = await call('POST', '/api/v1/session', undefined, { username, password });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.token as string;
  };

  let head: string; // agency-admin of sokhcn: its IT contact
  let otherHead: string; // agency-admin of sotuphap
  let opToken: string;
  let userToken: string;
  let auditorToken: string;
  let other: string; // a user of sotuphap
  const ids: Record<string, string> = {};
  const inboxHas = async (accountId: string, fault: string) =>
    (
      await fx.system.store.db
        .selectFrom('messages')
        .innerJoin('folders', 'folders.id', 'messages.folder_id')
        .innerJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
        .select('message_meta.subject')
        .where('folders.account_id', '=', accountId)
        .execute()
    )
      .map((r) => r.subject ?? '')
      .filter((t) => t.startsWith(`[${fault}] `));

  beforeAll(async () => {
    fx = await systemFixture(name, {}, clock);
    const s = fx.system;
    app = await buildHttp({
      store: s.store,
      metrics: createMetrics(),
      log: createLogger({ level: 'silent' }),
      version: 'test',
      api: {
        store: s.store,
        directory: s.directory,
        sessions: s.sessions,
        calendar: s.calendar,
        governance: governanceFor(s),
      },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    await s.directory.orgs.create(operator, { code: 'sotuphap', name: 'Sở Tư pháp', kind: 'department' });
    const h = await fx.user('Trần Giám Đốc');
    ids.head = h.id;
    await s.directory.admin.setRole(operator, h.address, 'agency-admin');
    const oh = await fx.user('Lê Giám Đốc', 'sotuphap');
    await s.directory.admin.setRole(operator, oh.address, 'agency-admin', 'sotuphap');
    const op = await fx.user('Phạm Quản Trị');
    ids.op = op.id;
    await s.directory.admin.setRole(operator, op.address, 'operator');
    const u = await fx.user('Nguyễn Văn An');
    ids.user = u.id;
    const o = await fx.user('Hồ Văn Khác', 'sotuphap');
    const a = await fx.user('Công An Kiểm Tra');
    await s.directory.admin.setRole(operator, a.address, 'auditor');
    ids.agency = (await resolveAccount(s.store.db, s.directory.ctx.settings, 'sokhcn@quangtri.gov.vn'))!.id;
    for (const at of ['2026-04-24T08:00:00', '2026-04-24T14:00:00', '2026-04-28T09:00:00'])
      await s.store.write((tx) =>
        recordAccess(tx, {
          accountId: ids.agency!,
          protocol: 'imap',
          kind: 'inbox',
          clientIp: null,
          at: local(at),
        }),
      );
    clock.set(local('2026-04-30T09:00:00'));
    head = await login(h.address, h.password);
    otherHead = await login(oh.address, oh.password);
    opToken = await login(op.address, op.password);
    userToken = await login(u.address, u.password);
    other = await login(o.address, o.password);
    auditorToken = await login(a.address, a.password);
  });
  afterAll(async () => {
    await app.close();
    await fx.close();
  });

  it('is in the OpenAPI document', async () => {
    const r = await call('GET', '/api/v1/openapi.json');
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/reports/checking',
        '/api/v1/faults',
        '/api/v1/faults/{key}',
        '/api/v1/faults/{key}/acknowledge',
        '/api/v1/faults/{key}/escalate',
        '/api/v1/faults/{key}/resolve',
        '/api/v1/faults/{key}/close',
      ]),
    );
  });

  it('checking report: JSON for the head of its own agency, 403 for another agency and plain users', async () => {
    const q = '/api/v1/reports/checking?agency=sokhcn&from=2026-04-24&to=2026-04-29';
    const r = await call('GET', q, head);
    expect(r.status, r.text).toBe(200);
    expect(r.body.workingDays).toBe(3);
    expect(r.body.mailboxes[0]).toMatchObject({
      address: 'sokhcn@quangtri.gov.vn',
      required: 6,
      met: 3,
      rate: 0.5,
      missedDays: [
        { date: '2026-04-28', missed: ['afternoon'] },
        { date: '2026-04-29', missed: ['morning', 'afternoon'] },
      ],
    });
    expect(r.body.belowRequirement).toContain('sokhcn@quangtri.gov.vn');
    const denied = await call('GET', q, otherHead);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message.vi).toBe('Bạn không có quyền thực hiện thao tác này.');
    expect((await call('GET', q, userToken)).status).toBe(403);
    expect((await call('GET', q, auditorToken)).status).toBe(200);
    expect((await call('GET', '/api/v1/reports/checking?from=2026-04-24&to=2026-04-29', head)).status).toBe(
      403,
    );
    expect(
      (await call('GET', '/api/v1/reports/checking?from=2026-04-24&to=2026-04-29', opToken)).status,
    ).toBe(200);
    expect((await call('GET', q)).status).toBe(401);
  });

  it('checking report: CSV with a BOM and a header; bad input is 400', async () => {
    const r = await call(
      'GET',
      '/api/v1/reports/checking?agency=sokhcn&from=2026-04-24&to=2026-04-29&format=csv',
      head,
    );
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/csv; charset=utf-8');
    expect(r.disposition).toContain('kiem-tra-hop-thu_sokhcn_2026-04-24_2026-04-29.csv');
    // fetch's text() drops the BOM; it is there in the bytes.
    const raw = await fetch(
      `${base}/api/v1/reports/checking?agency=sokhcn&from=2026-04-24&to=2026-04-29&format=csv`,
      {
        headers: { authorization: `Bearer ${head}` },
      },
    );
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = r.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^Hộp thư \/ Mailbox,Loại \/ Kind,/);
    expect(lines[1]).toMatch(/^sokhcn@quangtri\.gov\.vn,agency,/);
    const bad = await call(
      'GET',
      '/api/v1/reports/checking?agency=sokhcn&from=2026-4-24&to=2026-04-29',
      head,
    );
    expect(bad.status).toBe(400);
    const period = await call(
      'GET',
      '/api/v1/reports/checking?agency=sokhcn&from=2026-04-29&to=2026-04-24',
      head,
    );
    expect(period.status).toBe(400);
    expect(period.body.error.code).toBe('report.bad-period');
  });

  it('faults: report → acknowledge → escalate → resolve → close, with mails, timeline and audit', async () => {
    const rep = await call('POST', '/api/v1/faults', userToken, {
      subject: 'Không gửi được thư có tệp đính kèm',
      description: 'Outlook báo lỗi 552 khi gửi tệp 20 MB.',
    });
    expect(rep.status, rep.text).toBe(201);
    const n = rep.body.number as string;
    expect(n).toBe('SC-2026-0001');
    expect(rep.body).toMatchObject({
      state: 'reported',
      level: 'agency',
      agency: { code: 'sokhcn' },
      notified: 1,
    });
    expect(await inboxHas(ids.head!, n)).toHaveLength(1);

    // Another agency's head and another user see nothing and may do nothing.
    expect((await call('GET', `/api/v1/faults/${n}`, otherHead)).status).toBe(403);
    expect((await call('GET', '/api/v1/faults', other)).body).toEqual([]);
    expect((await call('POST', `/api/v1/faults/${n}/acknowledge`, otherHead, {})).status).toBe(403);
    // The reporter cannot handle its own fault.
    const self = await call('POST', `/api/v1/faults/${n}/acknowledge`, userToken, {});
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('fault.not-allowed');

    clock.set(local('2026-04-30T09:05:00'));
    const ack = await call('POST', `/api/v1/faults/${n}/acknowledge`, head, { note: 'Đang kiểm tra' });
    expect(ack.status, ack.text).toBe(200);
    expect(ack.body).toMatchObject({ state: 'acknowledged', assignee: { id: ids.head } });
    const again = await call('POST', `/api/v1/faults/${n}/acknowledge`, head, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('fault.bad-state');

    clock.set(local('2026-04-30T09:10:00'));
    const esc = await call('POST', `/api/v1/faults/${n}/escalate`, head, {
      note: 'Giới hạn kích thước ở máy chủ',
    });
    expect(esc.status, esc.text).toBe(200);
    expect(esc.body).toMatchObject({ state: 'escalated', level: 'operator', assignee: null });
    expect(esc.body.notified).toBeGreaterThanOrEqual(1);
    expect(await inboxHas(ids.op!, n)).toHaveLength(1);
    // Escalated: the IT contact no longer resolves it; the operator does.
    const itResolve = await call('POST', `/api/v1/faults/${n}/resolve`, head, {});
    expect(itResolve.status).toBe(403);
    expect(itResolve.body.error.code).toBe('fault.not-allowed');
    expect((await call('POST', `/api/v1/faults/${n}/escalate`, opToken, {})).status).toBe(409);

    clock.set(local('2026-04-30T09:15:00'));
    const res = await call('POST', `/api/v1/faults/${n}/resolve`, opToken, { note: 'Đã nâng giới hạn' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ state: 'resolved', resolvedAt: '2026-04-30T02:15:00.000Z' });
    expect(await inboxHas(ids.user!, n)).toHaveLength(1);

    const closed = await call('POST', `/api/v1/faults/${n}/close`, userToken);
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.state).toBe('closed');
    expect(closed.body.timeline.map((e: any) => [e.action, e.from, e.to, e.note])).toEqual([
      ['report', null, 'reported', null],
      ['acknowledge', 'reported', 'acknowledged', 'Đang kiểm tra'],
      ['escalate', 'acknowledged', 'escalated', 'Giới hạn kích thước ở máy chủ'],
      ['resolve', 'escalated', 'resolved', 'Đã nâng giới hạn'],
      ['close', 'resolved', 'closed', null],
    ]);
    expect(closed.body.timeline[1].at).toBe('2026-04-30T02:05:00.000Z');
    const audit = await fx.system.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_type', '=', 'fault')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'fault.report',
      'fault.acknowledge',
      'fault.escalate',
      'fault.resolve',
      'fault.close',
    ]);
  });

  it('faults: lists are scoped; validation; unknown fault', async () => {
    const r2 = await call('POST', '/api/v1/faults', other, {
      subject: 'Không đăng nhập được',
      description: 'Sai mật khẩu?',
    });
    expect(r2.status).toBe(201);
    expect(r2.body.number).toBe('SC-2026-0002');
    expect((await call('GET', '/api/v1/faults', opToken)).body.map((f: any) => f.number)).toEqual([
      'SC-2026-0002',
      'SC-2026-0001',
    ]);
    expect((await call('GET', '/api/v1/faults', auditorToken)).body).toHaveLength(2);
    expect((await call('GET', '/api/v1/faults', head)).body.map((f: any) => f.number)).toEqual([
      'SC-2026-0001',
    ]);
    expect((await call('GET', '/api/v1/faults', otherHead)).body.map((f: any) => f.number)).toEqual([
      'SC-2026-0002',
    ]);
    expect((await call('GET', '/api/v1/faults', userToken)).body.map((f: any) => f.number)).toEqual([
      'SC-2026-0001',
    ]);
    expect((await call('GET', '/api/v1/faults?agency=sotuphap', head)).status).toBe(403);
    expect(
      (await call('GET', '/api/v1/faults?state=reported', opToken)).body.map((f: any) => f.number),
    ).toEqual(['SC-2026-0002']);
    expect((await call('POST', '/api/v1/faults', userToken, { subject: '', description: 'x' })).status).toBe(
      400,
    );
    const blank = await call('POST', '/api/v1/faults', userToken, { subject: '   ', description: 'x' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe('fault.field-required');
    const missing = await call('GET', '/api/v1/faults/SC-2026-9999', opToken);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message.en).toBe('No fault "SC-2026-9999".');
    // The IT contact resolves directly what it has not escalated.
    const direct = await call('POST', '/api/v1/faults/sc-2026-0002/resolve', otherHead, {
      note: 'Đặt lại mật khẩu',
    });
    expect(direct.status).toBe(200);
    expect(direct.body).toMatchObject({ state: 'resolved', level: 'agency' });
  });
});
