// The public directory (Điều 11.1) end to end through the REST API on both backends: search
// without sign-in by name (diacritics optional, đ/d), agency and title; only active, unhidden
// mailboxes; the anti-harvesting limits (minimum query, no wildcards, capped results without
// paging, 429 per client address and per /24 with Retry-After); the operator hides and shows an
// entry with a reason, audited, refused to everyone else; the routes are in the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { buildHttp } from '../../src/http/index.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';
import { listAudit } from '../../src/store/index.ts';
import { ManualClock } from '../../src/util/clock.ts';

const backends = await availableBackends();
const PER_MINUTE = 10;
const MAX_RESULTS = 5;

describe.each(backends)('public directory on %s', (name) => {
  let fx: SystemFixture;
  let app: FastifyInstance;
  let base: string;
  const clock = new ManualClock('2026-11-02T02:00:00Z');
  let nextNet = 1;
  /** A client address of its own /24, so that tests do not share a rate-limit budget. */
  const freshIp = (): string => `10.${Math.floor(nextNet / 250)}.${nextNet++ % 250}.7`;

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
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
  /** A search from a given client address (inject sets the peer address the limit counts). */
  const search = async (query: Record<string, string>, ip: string) => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/public/directory',
      query,
      remoteAddress: ip,
    });
    return { status: res.statusCode, headers: res.headers, body: res.json() };
  };
  const addresses = (body: any): string[] => body.results.map((e: any) => e.address);
  const login = async (username: string, password: string): Promise<string> => {
    const r = await call('POST', '/api/v1/session', undefined, { username, password });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.token as string;
  };
  const person = async (displayName: string, orgCode = 'sokhcn', title?: string) =>
    (
      await fx.system.directory.accounts.createPersonal(operator, {
        name: displayName,
        orgCode,
        password: null,
        ...(title ? { title } : {}),
      })
    ).account.address;

  let opToken: string;
  let userToken: string;
  let headToken: string;
  let long: string;
  let dung: string;
  let giamDoc: string;
  let tuPhap: string;
  beforeAll(async () => {
    fx = await systemFixture(name, { directory: { perMinute: PER_MINUTE, maxResults: MAX_RESULTS } }, clock);
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
    const op = await fx.user('Phạm Quản Trị');
    await s.directory.admin.setRole(operator, op.address, 'operator');
    opToken = await login(op.address, op.password);
    const u = await fx.user('Hồ Thị Người Dùng');
    userToken = await login(u.address, u.password);
    const h = await fx.user('Trịnh Trưởng Phòng');
    await s.directory.admin.setRole(operator, h.address, 'agency-admin');
    headToken = await login(h.address, h.password);
    long = await person('Nguyễn Văn Long', 'vanphong.sokhcn', 'Chuyên viên');
    dung = await person('Đỗ Đức Dũng', 'sotuphap');
    giamDoc = await person('Lê Quang Vinh', 'sokhcn', 'Giám đốc');
    tuPhap = await person('Võ Văn Long', 'sotuphap', 'Phó Giám đốc');
  });
  afterAll(async () => {
    await app.close();
    await fx.close();
  });

  it('lists the routes in the OpenAPI document, the search without security', async () => {
    const r = await call('GET', '/api/v1/openapi.json');
    const paths = r.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/public/directory',
        '/api/v1/directory/hidden',
        '/api/v1/directory/hidden/{address}',
      ]),
    );
    expect(paths['/api/v1/public/directory'].get.security).toEqual([]);
    expect(Object.keys(paths['/api/v1/directory/hidden/{address}']).sort()).toEqual(['delete', 'post']);
  });

  it('finds a person without signing in, with or without diacritics, over a real socket', async () => {
    for (const q of ['nguyen van long', 'Nguyễn Văn Long', 'NGUYEN VĂN', 'long nguyen']) {
      const r = await call('GET', `/api/v1/public/directory?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
      expect(addresses(r.body), q).toContain(long);
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
    const r = await call('GET', `/api/v1/public/directory?q=${encodeURIComponent('nguyen van long')}`);
    expect(r.body).toEqual({
      query: 'nguyen van long',
      results: [
        {
          name: 'Nguyễn Văn Long',
          title: 'Chuyên viên',
          agency: 'Sở Khoa học và Công nghệ',
          unit: 'Văn phòng Sở',
          address: long,
          kind: 'personal',
        },
      ],
      truncated: false,
    });
    // Words match from their beginning: "ong" is inside "Long" but begins no word.
    const inside = await call('GET', '/api/v1/public/directory?q=ong');
    expect(addresses(inside.body)).not.toContain(long);
  });

  it('folds đ to d both ways', async () => {
    for (const q of ['do duc dung', 'Đỗ Đức Dũng', 'đo đuc', 'dung'])
      expect(addresses((await search({ q }, freshIp())).body), q).toContain(dung);
  });

  it('searches by agency and by title, and filters by agency', async () => {
    const agency = await search({ q: 'khoa hoc cong nghe' }, freshIp());
    expect(agency.status).toBe(200);
    // The agency's own mailbox ranks first: its name holds every word.
    expect(agency.body.results[0]).toMatchObject({
      address: 'sokhcn@quangtri.gov.vn',
      kind: 'agency',
      name: 'Sở Khoa học và Công nghệ',
    });
    const sub = await search({ q: 'van phong so' }, freshIp());
    expect(sub.body.results).toContainEqual(
      expect.objectContaining({
        address: 'vanphong.sokhcn@quangtri.gov.vn',
        kind: 'sub-unit',
        agency: 'Sở Khoa học và Công nghệ',
      }),
    );
    const title = await search({ q: 'giam doc' }, freshIp());
    expect(addresses(title.body)).toEqual(expect.arrayContaining([giamDoc, tuPhap]));
    const onlyTuPhap = await search({ q: 'giam doc', agency: 'Sở Tư pháp' }, freshIp());
    expect(addresses(onlyTuPhap.body)).toEqual([tuPhap]);
    const byCode = await search({ q: 'long', agency: 'sotuphap' }, freshIp());
    expect(addresses(byCode.body)).toEqual([tuPhap]);
    const both = await search({ q: 'van long' }, freshIp());
    expect(addresses(both.body).sort()).toEqual([long, tuPhap].sort());
  });

  it('never returns suspended, deleted or hidden mailboxes', async () => {
    const d = fx.system.directory;
    const suspended = await person('Trần Thị Tạm Ngưng');
    const deleted = await person('Lý Văn Đã Xóa');
    const hidden = await person('Mai Thị Được Ẩn');
    for (const q of ['tam ngung', 'da xoa', 'duoc an'])
      expect((await search({ q }, freshIp())).body.results.length, q).toBe(1);
    await d.admin.suspend(operator, suspended, { reason: 'other', basis: 'Quyết định 1/QĐ' });
    await d.admin.delete(operator, deleted, { reason: 'Nghỉ hưu' });
    await d.publicDirectory.hide(operator, hidden, 'Yêu cầu của cơ quan');
    for (const q of ['tam ngung', 'da xoa', 'duoc an'])
      expect((await search({ q }, freshIp())).body, q).toEqual({ query: q, results: [], truncated: false });
    await d.admin.restore(operator, suspended);
    expect(addresses((await search({ q: 'tam ngung' }, freshIp())).body)).toEqual([suspended]);
  });

  it('refuses short, broad and wildcard queries with a bilingual 400', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ q: 'ab' }, 'directory.query-too-short'],
      [{ q: '   ' }, 'directory.query-too-short'],
      [{ q: 'đ .' }, 'directory.query-too-short'],
      [{ q: 'a b c d' }, 'directory.query-too-broad'],
      [{ q: 'ng*' }, 'directory.wildcard'],
      [{ q: 'ngu%' }, 'directory.wildcard'],
      [{ q: 'nguy_n' }, 'directory.wildcard'],
      [{ q: 'nguyen', agency: '--' }, 'directory.agency-invalid'],
      [{}, 'request.invalid'], // q is required: nothing lists everything
      [{ q: 'nguyen', offset: '20' }, 'request.invalid'], // no paging
      [{ q: 'x'.repeat(101) }, 'request.invalid'],
    ];
    for (const [query, code] of cases) {
      const r = await search(query, freshIp());
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.body.error.code, JSON.stringify(query)).toBe(code);
      expect(r.body.error.message.vi).toBeTruthy();
      expect(r.body.error.message.en).toBeTruthy();
    }
    const short = await search({ q: 'ab' }, freshIp());
    expect(short.body.error.message).toEqual({
      vi: 'Từ khóa tra cứu phải có ít nhất 3 chữ cái hoặc chữ số.',
      en: 'A directory search needs at least 3 letters or digits.',
    });
  });

  it('caps the results with truncated, the same entries every time, and no way to page', async () => {
    const names = ['An', 'Bình', 'Chi', 'Dương', 'Giang', 'Hà', 'Khánh', 'Linh'];
    for (const n of names) await person(`Hoàng Minh ${n}`);
    expect(names.length).toBeGreaterThan(MAX_RESULTS);
    const first = await search({ q: 'hoang minh' }, freshIp());
    expect(first.status).toBe(200);
    expect(first.body.results).toHaveLength(MAX_RESULTS);
    expect(first.body.truncated).toBe(true);
    expect(first.body).not.toHaveProperty('total');
    const again = await search({ q: 'Hoàng Minh' }, freshIp());
    expect(addresses(again.body)).toEqual(addresses(first.body));
    // A narrower query reaches the others.
    const linh = await search({ q: 'hoang minh linh' }, freshIp());
    expect(linh.body.results.map((e: any) => e.name)).toEqual(['Hoàng Minh Linh']);
    expect(linh.body.truncated).toBe(false);
  });

  it('answers 429 with Retry-After after the limit from one address; another address still works', async () => {
    const ip = '203.0.113.7';
    for (let i = 0; i < PER_MINUTE; i++) {
      const r = await search({ q: i % 2 ? 'nguyen' : 'ab' }, ip); // refused queries count too
      expect(r.status).not.toBe(429);
    }
    const over = await search({ q: 'nguyen van long' }, ip);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('directory.rate-limited');
    expect(over.body.error.message.vi).toMatch(
      /^Tra cứu quá nhiều lần từ địa chỉ này; vui lòng thử lại sau \d+ giây\.$/,
    );
    expect(over.body.error.message.en).toMatch(/^Too many searches from this address/);
    const retry = Number(over.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    const other = await search({ q: 'nguyen van long' }, '198.51.100.9');
    expect(other.status).toBe(200);
    expect(addresses(other.body)).toContain(long);
    // The window slides: a minute later the address is served again.
    clock.advance(61_000);
    expect((await search({ q: 'nguyen van long' }, ip)).status).toBe(200);
  });

  it('also limits a whole /24 network, at four times the per-address limit', async () => {
    for (let host = 1; host <= 4; host++)
      for (let i = 0; i < PER_MINUTE; i++)
        expect((await search({ q: 'long' }, `192.0.2.${host}`)).status).toBe(200);
    const neighbour = await search({ q: 'long' }, '192.0.2.200');
    expect(neighbour.status).toBe(429);
    expect(neighbour.headers['retry-after']).toBeDefined();
    expect((await search({ q: 'long' }, '192.0.3.1')).status).toBe(200);
  });

  it('the operator hides an entry with a reason and shows it again, audited; no one else may', async () => {
    const target = await person('Dương Thị Kín Đáo');
    const path = `/api/v1/directory/hidden/${encodeURIComponent(target)}`;
    expect((await search({ q: 'kin dao' }, freshIp())).body.results).toHaveLength(1);

    expect((await call('POST', path, undefined, { reason: 'x' })).status).toBe(401);
    expect((await call('GET', '/api/v1/directory/hidden')).status).toBe(401);
    for (const token of [userToken, headToken]) {
      const post = await call('POST', path, token, { reason: 'Muốn ẩn' });
      expect(post.status).toBe(403);
      expect(post.body.error.message.vi).toBe('Bạn không có quyền thực hiện thao tác này.');
      expect((await call('GET', '/api/v1/directory/hidden', token)).status).toBe(403);
      expect((await call('DELETE', path, token)).status).toBe(403);
    }
    expect((await call('POST', path, opToken, {})).status).toBe(400);
    expect((await call('POST', path, opToken, { reason: '   ' })).body.error.code).toBe(
      'directory.reason-required',
    );
    expect(
      (await call('POST', '/api/v1/directory/hidden/khongco%40quangtri.gov.vn', opToken, { reason: 'x' }))
        .status,
    ).toBe(404);

    const hid = await call('POST', path, opToken, { reason: 'Cán bộ làm công tác đặc thù' });
    expect(hid.status, JSON.stringify(hid.body)).toBe(201);
    expect(hid.body).toMatchObject({
      address: target,
      name: 'Dương Thị Kín Đáo',
      reason: 'Cán bộ làm công tác đặc thù',
    });
    const again = await call('POST', path, opToken, { reason: 'lần nữa' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('directory.already-hidden');
    expect((await search({ q: 'kin dao' }, freshIp())).body.results).toEqual([]);
    const list = await call('GET', '/api/v1/directory/hidden', opToken);
    expect(list.status).toBe(200);
    expect(list.body).toContainEqual(
      expect.objectContaining({ address: target, reason: 'Cán bộ làm công tác đặc thù', kind: 'personal' }),
    );

    const shown = await call('DELETE', `${path}?reason=${encodeURIComponent('Hết thời hạn')}`, opToken);
    expect(shown.status).toBe(204);
    expect(addresses((await search({ q: 'kin dao' }, freshIp())).body)).toEqual([target]);
    const notHidden = await call('DELETE', path, opToken);
    expect(notHidden.status).toBe(404);
    expect(notHidden.body.error.code).toBe('directory.not-hidden');

    const id = (await fx.system.directory.accounts.show(operator, target)).id;
    const audit = await listAudit(fx.system.store.db, { targetType: 'account', targetId: id });
    const mine = audit.filter((a) => a.action.startsWith('directory.'));
    expect(mine.map((a) => [a.action, a.reason])).toEqual([
      ['directory.unhide', 'Hết thời hạn'],
      ['directory.hide', 'Cán bộ làm công tác đặc thù'],
    ]);
    expect(mine[1]!.details).toEqual({ address: target });
    expect(mine[1]!.actorLabel).toBeTruthy();
  });
});
