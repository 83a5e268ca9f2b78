// REST /api/v1/reports/usage and /api/v1/reports/finance over a real socket on both backends:
// the usage report as JSON, CSV, HTML and PDF (its text with Vietnamese diacritics), scope (an
// agency's head reads its own agency, 403 for another or the province), the finance view for the
// auditor and not for a head; the routes in the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { extractPdfText } from '../support/pdf-text.ts';
import { buildHttp } from '../../src/http/index.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';
import { governanceFor } from '../../src/governance/index.ts';
import { ManualClock } from '../../src/util/clock.ts';

const backends = await availableBackends();
const local = (t: string): Date => new Date(`${t}+07:00`);

describe.each(backends)('REST usage report on %s', (name) => {
  let fx: SystemFixture;
  let app: FastifyInstance;
  let base: string;
  const clock = new ManualClock(local('2026-10-05T09:00:00'));
  let head: string;
  let auditor: string;
  const call = async (path: string, token?: string) => {
    const res = await fetch(`${base}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const type = res.headers.get('content-type') ?? '';
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    return {
      status: res.status,
      type,
      bytes,
      text,
      disposition: res.headers.get('content-disposition'),
      body: type.includes('json') && text ? JSON.parse(text) : null,
    };
  };
  const login = async (username: string, password: string): Promise<string> => {
    const res = await fetch(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };

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
    await s.directory.admin.setRole(operator, h.address, 'agency-admin');
    head = await login(h.address, h.password);
    const a = await fx.user('Hoàng Kiểm Tra');
    await s.directory.admin.setRole(operator, a.address, 'auditor');
    auditor = await login(a.address, a.password);
    const an = await fx.user('Nguyễn Văn An');
    await s.ingest.ingest({
      content: Buffer.from('From: a@example.org\r\nSubject: x\r\nMessage-ID: <r-1@example.org>\r\n\r\nx\r\n'),
      deliveries: [{ accountId: an.id }],
      source: 'smtp',
      quota: 'checked-before',
    });
  });
  afterAll(async () => {
    await app?.close();
    await fx?.close();
  });

  it('lists the routes in the OpenAPI document', async () => {
    const r = await call('/api/v1/openapi.json');
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/reports/usage',
        '/api/v1/reports/finance',
        '/api/v1/reports/checking',
      ]),
    );
  });

  it('JSON for the head of its own agency; 403 for another agency and the province', async () => {
    const q = '/api/v1/reports/usage?from=2026-10-01&to=2026-10-31';
    const r = await call(`${q}&agency=sokhcn`, head);
    expect(r.status, r.text).toBe(200);
    expect(r.body.agencies).toHaveLength(1);
    expect(r.body.agencies[0]).toMatchObject({
      code: 'sokhcn',
      messages: { sent: 0, received: 1 },
      spam: null,
    });
    expect(r.body.province).toBeNull();
    expect((await call(`${q}&agency=sotuphap`, head)).status).toBe(403);
    expect((await call(q, head)).status).toBe(403);
    expect((await call(q)).status).toBe(401);
    const all = await call(q, auditor);
    expect(all.status).toBe(200);
    expect(all.body.province.messages.received).toBe(1);
  });

  it('CSV, HTML and PDF (Vietnamese text)', async () => {
    const q = '/api/v1/reports/usage?from=2026-10-01&to=2026-10-31&agency=sokhcn';
    const csv = await call(`${q}&format=csv`, head);
    expect(csv.type).toContain('text/csv');
    expect(csv.disposition).toContain('tinh-hinh-su-dung_sokhcn_2026-10-01_2026-10-31.csv');
    expect(csv.text.startsWith('\uFEFFma_co_quan/agency_code,')).toBe(true);
    expect(csv.text).toContain('\r\nsokhcn,');
    const html = await call(`${q}&format=html`, head);
    expect(html.type).toContain('text/html');
    expect(html.text).toContain('<h1>Báo cáo tình hình sử dụng hệ thống thư điện tử (Điều 13)');
    expect(html.text).toContain('Sở Khoa học');
    expect(html.text).toContain('N/A');
    const pdf = await call(`${q}&format=pdf`, head);
    expect(pdf.type).toBe('application/pdf');
    const t = extractPdfText(pdf.bytes);
    expect(t.missing).toEqual([]);
    const flat = t.text.replace(/\s+/g, ' ');
    expect(flat).toContain('Báo cáo tình hình sử dụng');
    expect(flat).toContain('chưa triển khai lọc thư');
  });

  it('finance view: the auditor, JSON and CSV; not an agency head', async () => {
    const f = await call('/api/v1/reports/finance', auditor);
    expect(f.status, f.text).toBe(200);
    expect(f.body.agencies.map((a: { code: string }) => a.code)).toEqual(
      expect.arrayContaining(['sokhcn', 'sotuphap']),
    );
    expect(
      f.body.agencies.find((a: { code: string }) => a.code === 'sokhcn').accounts,
    ).toBeGreaterThanOrEqual(4);
    const csv = await call('/api/v1/reports/finance?format=csv', auditor);
    expect(csv.text.startsWith('\uFEFFma_co_quan/agency_code,ten/name,so_tai_khoan/accounts')).toBe(true);
    expect(csv.text).toContain('\r\nTOAN_TINH,');
    expect((await call('/api/v1/reports/finance', head)).status).toBe(403);
  });
});
