// Mailbox requests and activation over the REST API on both backends, with real sessions for
// every role: the agency administrator files for its own agency (JSON with the scan in base64,
// larger than the API's default body limit), the operator reviews and approves, the letter comes
// back as HTML and PDF, the activation link sets the first password once, and refusals are
// bilingual and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { extractPdfText, squeeze } from '../support/pdf-text.ts';
import { buildHttp } from '../../src/http/index.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';
import { resolveAccount } from '../../src/directory/index.ts';
import { governanceFor } from '../../src/governance/index.ts';

const backends = await availableBackends();
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

describe.each(backends)('requests API on %s', (name) => {
  let fx: SystemFixture;
  let app: FastifyInstance;
  let base: string;
  let op: string;
  let admin: string;
  let other: string;
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const buf = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      headers: res.headers,
      raw: buf,
      body: type.includes('json') && buf.length ? JSON.parse(buf.toString()) : null,
    };
  };
  const login = async (username: string, password: string): Promise<string> => {
    const r = await call('POST', '/api/v1/session', undefined, { username, password });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.token as string;
  };
  const filing = (over: Record<string, unknown> = {}) => ({
    agency: 'sotuphap',
    kind: 'create-personal',
    details: { name: 'Nguyễn Thị Hồng Nhung', title: 'Chuyên viên' },
    basis: { number: '123/QĐ-STP', date: '2026-01-05', issuer: 'Giám đốc Sở Tư pháp' },
    file: { name: 'quyết định.pdf', type: 'application/pdf', contentBase64: PDF.toString('base64') },
    ...over,
  });

  beforeAll(async () => {
    fx = await systemFixture(name);
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
    await s.directory.orgs.create(operator, { code: 'soyte', name: 'Sở Y tế', kind: 'department' });
    const o = await fx.user('Phạm Quản Trị');
    await s.directory.admin.setRole(operator, o.address, 'operator');
    op = await login(o.address, o.password);
    const a = await fx.user('Trịnh Văn Đầu Mối', 'sotuphap');
    await s.directory.admin.setRole(operator, a.address, 'agency-admin');
    admin = await login(a.address, a.password);
    const b = await fx.user('Lý Thị Y Tế', 'soyte');
    await s.directory.admin.setRole(operator, b.address, 'agency-admin');
    other = await login(b.address, b.password);
  });
  afterAll(async () => {
    await app.close();
    await fx.close();
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await call('GET', '/api/v1/openapi.json')).body;
    for (const p of [
      '/api/v1/requests',
      '/api/v1/requests/{id}',
      '/api/v1/requests/{id}/review',
      '/api/v1/requests/{id}/approve',
      '/api/v1/requests/{id}/reject',
      '/api/v1/requests/{id}/withdraw',
      '/api/v1/requests/{id}/letter.html',
      '/api/v1/requests/{id}/letter.pdf',
      '/api/v1/requests/{id}/basis',
      '/api/v1/activation',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    expect(
      doc.paths['/api/v1/requests'].post.requestBody.content['application/json'].schema.properties.kind.enum,
    ).toContain('restore');
  });

  it('the full path: filed by the agency, approved by the operator, answered in writing, activated once', async () => {
    expect((await call('POST', '/api/v1/requests', undefined, filing())).status).toBe(401);
    const filed = await call('POST', '/api/v1/requests', admin, filing());
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({
      state: 'filed',
      kind: 'create-personal',
      daysLeft: 5,
      overdue: false,
    });
    const ref = filed.body.ref as string;
    expect(ref).toMatch(/^YC-\d{4}-\d{4}$/);
    const basis = await call('GET', `/api/v1/requests/${ref}/basis`, admin);
    expect([basis.status, basis.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect(basis.raw.equals(PDF)).toBe(true);
    expect(basis.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf",
    );

    // The agency decides nothing; another agency sees nothing.
    expect((await call('POST', `/api/v1/requests/${ref}/review`, admin)).status).toBe(403);
    expect((await call('GET', `/api/v1/requests/${ref}`, other)).status).toBe(403);
    expect((await call('GET', '/api/v1/requests', other)).body).toEqual([]);
    expect((await call('GET', `/api/v1/requests/${ref}/letter.html`, admin)).body.error.code).toBe(
      'request.no-letter',
    );

    const early = await call('POST', `/api/v1/requests/${filed.body.id}/approve`, op);
    expect(early.status).toBe(409);
    expect(early.body.error.message.vi).toContain('hãy nhận xử lý (review) trước');
    expect((await call('POST', `/api/v1/requests/${ref}/review`, op)).body.state).toBe('in-review');
    const approved = await call('POST', `/api/v1/requests/${ref}/approve`, op);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      result: { address: 'nguyenthihongnhung@quangtri.gov.vn' },
      letter: { number: '1/SKHCN-TTCNTT', delivered: true },
      decidedBy: expect.stringContaining('@quangtri.gov.vn'),
    });

    const html = await call('GET', `/api/v1/requests/${ref}/letter.html`, admin);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const page = html.raw.toString('utf8');
    for (const part of [
      'Số: 1/SKHCN-TTCNTT',
      'Kính gửi: Sở Tư pháp',
      'nguyenthihongnhung@quangtri.gov.vn',
      'Phạm Quản Trị',
    ])
      expect(page).toContain(part);
    const pdf = await call('GET', `/api/v1/requests/${ref}/letter.pdf`, admin);
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const t = extractPdfText(pdf.raw);
    expect(t.missing).toEqual([]);
    expect(squeeze(t.text)).toContain(squeeze('Số: 1/SKHCN-TTCNTT'));
    expect(squeeze(t.text)).toContain(squeeze('Kính gửi: Sở Tư pháp'));

    // The link from the mail in the agency mailbox.
    const db = fx.system.store.db;
    const agency = await resolveAccount(db, fx.system.directory.ctx.settings, 'sotuphap');
    const msgs = await db
      .selectFrom('messages')
      .innerJoin('folders', 'folders.id', 'messages.folder_id')
      .select('messages.blob_id')
      .where('folders.account_id', '=', agency!.id)
      .execute();
    const raws = await Promise.all(
      msgs.map(async (m) => (await fx.system.blobs.read(m.blob_id)).toString().replace(/=\r\n/g, '')),
    );
    const token = raws.map((r) => /\/activate#([A-Za-z0-9_-]{43})/.exec(r)?.[1]).find(Boolean)!;
    expect(token).toBeDefined();
    const who = await call('GET', `/api/v1/activation?token=${token}`);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({
      address: 'nguyenthihongnhung@quangtri.gov.vn',
      displayName: 'Nguyễn Thị Hồng Nhung',
    });
    expect(who.headers.get('cache-control')).toBe('no-store');
    const weak = await call('POST', '/api/v1/activation', undefined, { token, password: 'abc' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message.vi).toBeTruthy();
    const ok = await call('POST', '/api/v1/activation', undefined, { token, password: 'Hong@Nhung2026' });
    expect([ok.status, ok.body]).toEqual([200, { address: 'nguyenthihongnhung@quangtri.gov.vn' }]);
    const again = await call('POST', '/api/v1/activation', undefined, { token, password: 'Hong@Nhung2027' });
    expect([again.status, again.body.error.code]).toEqual([409, 'activation.used']);
    expect((await call('GET', `/api/v1/activation?token=${'A'.repeat(43)}`)).status).toBe(404);
    const session = await call('POST', '/api/v1/session', undefined, {
      username: 'nguyenthihongnhung@quangtri.gov.vn',
      password: 'Hong@Nhung2026',
    });
    expect([session.status, session.body.mustChangePassword]).toEqual([201, false]);
  });

  it('refuses other agencies, bad files and bad encodings with bilingual errors, storing nothing', async () => {
    const before = (await call('GET', '/api/v1/requests', op)).body.length;
    const foreign = await call('POST', '/api/v1/requests', admin, filing({ agency: 'soyte' }));
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toEqual({
      vi: 'Bạn không có quyền thực hiện thao tác này.',
      en: 'You are not allowed to do this.',
    });
    const txt = await call(
      'POST',
      '/api/v1/requests',
      admin,
      filing({ file: { contentBase64: Buffer.from('not a scan').toString('base64') } }),
    );
    expect([txt.status, txt.body.error.code]).toEqual([400, 'request.basis-bad-type']);
    const enc = await call(
      'POST',
      '/api/v1/requests',
      admin,
      filing({ file: { contentBase64: '%%%not base64%%%' } }),
    );
    expect([enc.status, enc.body.error.code]).toEqual([400, 'request.bad-file-encoding']);
    const kind = await call('POST', '/api/v1/requests', admin, filing({ kind: 'promote' }));
    expect(kind.status).toBe(400);
    const noReason = await call('POST', '/api/v1/requests/YC-2026-0001/reject', op, {});
    expect(noReason.status).toBe(400);
    expect((await call('GET', '/api/v1/requests', op)).body.length).toBe(before);
  });

  it('accepts a scan larger than the default 1 MB body limit, up to the configured maximum', async () => {
    const big = Buffer.concat([
      PDF.subarray(0, 9),
      Buffer.alloc(3 * 1024 * 1024, 0x20),
      Buffer.from('\n%%EOF\n'),
    ]);
    const r = await call(
      'POST',
      '/api/v1/requests',
      admin,
      filing({
        kind: 'create-sub-unit',
        details: { code: 'thanhtra', name: 'Thanh tra Sở' },
        file: { contentBase64: big.toString('base64') },
      }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.basis.size).toBe(big.length);
    const list = await call('GET', '/api/v1/requests?agency=sotuphap&state=filed', admin);
    expect(list.body.map((x: { ref: string }) => x.ref)).toContain(r.body.ref);
    const w = await call('POST', `/api/v1/requests/${r.body.ref}/withdraw`, admin, { reason: 'Nộp lại sau' });
    expect(w.body.state).toBe('withdrawn');
    expect((await call('GET', '/api/v1/requests?overdue=true', op)).body).toEqual([]);
  });
});
