// Classified-document incidents (Điều 10.4, 11.3) over the REST API, on both backends, with a real
// IMAP session: a recipient reports a message of its own mailbox; the heads, the operator and the
// sending agency get notices; the operator contains it (every copy in every mailbox, by blob and by
// Message-ID, into a quarantine that keeps a blob reference); the open IMAP session hears EXPUNGE;
// used bytes come back; GC keeps the evidence; the auditor reads metadata, gets 403 on content
// until granted, then reads it (audited); another agency's administrator sees nothing; the state
// machine runs to closed.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { availableBackends } from '../support/backends.ts';
import { operator, TEST_PASSWORD } from '../support/system.ts';
import { imapFixture, RawImap, type ImapFixture } from '../imap/support.ts';
import { buildHttp } from '../../src/http/index.ts';
import { createLogger, createMetrics } from '../../src/telemetry/index.ts';
import { chainIntact, governanceFor } from '../../src/governance/index.ts';
import { collectGarbage, listAudit } from '../../src/store/index.ts';
import { resolveAccount } from '../../src/directory/index.ts';

const backends = await availableBackends();

const SECRET_ID = '<cv-mat-0042@quangtri.gov.vn>';
let sender = ''; // the address of the local sender, set once the accounts exist
const secret = (extra = ''): Buffer =>
  Buffer.from(
    [
      `From: Lê Văn Dũng <${sender}>`,
      'To: an@quangtri.gov.vn, binh@quangtri.gov.vn',
      'Subject: Cong van so 42',
      'Date: Mon, 2 Nov 2026 08:00:00 +0700',
      `Message-ID: ${SECRET_ID}`,
      extra,
      '',
      'Nội dung thuộc danh mục bí mật nhà nước.',
      '',
    ]
      .filter((l, i) => !(i === 5 && l === ''))
      .join('\r\n'),
  );

describe.each(backends)('classified-document incidents on %s', (name) => {
  let ix: ImapFixture;
  let app: FastifyInstance;
  let base: string;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const addr: Record<string, string> = {};

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
  const person = async (key: string, display: string, org: string, role?: string) => {
    const u = await ix.fx.user(display, org);
    if (role) await ix.fx.system.directory.admin.setRole(operator, u.address, role);
    const r = await call('POST', '/api/v1/session', undefined, { username: u.address, password: u.password });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    tokens[key] = r.body.token as string;
    ids[key] = u.id;
    addr[key] = u.address;
  };
  const accountId = async (address: string): Promise<string> =>
    (await resolveAccount(ix.fx.system.store.db, ix.fx.system.directory.ctx.settings, address))!.id;
  /** Subjects of the notices in an account's INBOX that mention `text`. */
  const noticesIn = async (account: string, text: string): Promise<string[]> => {
    const rows = await ix.fx.system.store.db
      .selectFrom('messages')
      .innerJoin('folders', 'folders.id', 'messages.folder_id')
      .innerJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
      .select('message_meta.subject')
      .where('folders.account_id', '=', account)
      .execute();
    return rows.map((r) => r.subject ?? '').filter((s) => s.includes(text));
  };
  const used = async (account: string): Promise<number> =>
    Number(
      (
        await ix.fx.system.store.db
          .selectFrom('accounts')
          .select('used_bytes')
          .where('id', '=', account)
          .executeTakeFirstOrThrow()
      ).used_bytes,
    );
  const refcount = async (blob: string): Promise<number> =>
    Number(
      (
        await ix.fx.system.store.db
          .selectFrom('blobs')
          .select('refcount')
          .where('id', '=', blob)
          .executeTakeFirstOrThrow()
      ).refcount,
    );

  beforeAll(async () => {
    ix = await imapFixture(name);
    const s = ix.fx.system;
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
    await person('op', 'Phạm Quản Trị', 'sokhcn', 'operator');
    await person('auditor', 'Hoàng Kiểm Tra', 'sokhcn', 'auditor');
    await person('head', 'Trịnh Văn Thủ Trưởng', 'sokhcn', 'agency-admin');
    await person('yte', 'Lý Thị Y Tế', 'soyte', 'agency-admin');
    await person('an', 'Nguyễn Văn An', 'sokhcn');
    await person('binh', 'Trần Thị Bình', 'sokhcn');
    await person('chi', 'Đỗ Minh Chi', 'soyte');
    await person('dung', 'Lê Văn Dũng', 'sotuphap');
    sender = addr.dung!;
  });
  afterAll(async () => {
    await app.close();
    await ix.close();
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await call('GET', '/api/v1/openapi.json')).body;
    for (const p of [
      '/api/v1/incidents',
      '/api/v1/incidents/{id}',
      '/api/v1/incidents/{id}/contain',
      '/api/v1/incidents/{id}/assess',
      '/api/v1/incidents/{id}/close',
      '/api/v1/incidents/{id}/content-grants',
      '/api/v1/incidents/{id}/content',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
  });

  it('report → notices → contain (every copy, IMAP EXPUNGE, quota, GC) → auditor → assess → close', async () => {
    const s = ix.fx.system;
    const other = await ix.deliver(ids.an!, 'From: x@quangtri.gov.vn\r\nSubject: ok\r\n\r\nbình thường\r\n');
    const anBefore = await used(ids.an!);
    // One SMTP delivery to two recipients: one blob; the sender's own copy in Sent (same bytes);
    // a variant with the same Message-ID and other bytes in another agency's mailbox.
    const first = await s.ingest.ingest({
      content: secret(),
      deliveries: [{ accountId: ids.an! }, { accountId: ids.binh! }],
      source: 'smtp',
      quota: 'checked-before',
    });
    await ix.deliver(ids.dung!, 'From: y@quangtri.gov.vn\r\nSubject: hi\r\n\r\nx\r\n'); // makes the folders
    await s.ingest.ingest({
      content: secret(),
      deliveries: [{ accountId: ids.dung!, folder: 'Sent', flags: ['\\Seen'] }],
      source: 'append',
      quota: 'checked-before',
    });
    const variant = await s.ingest.ingest({
      content: secret('X-Forwarded-For-Test: 1'),
      deliveries: [{ accountId: ids.chi! }],
      source: 'smtp',
      quota: 'checked-before',
    });
    expect(variant.blobId).not.toBe(first.blobId);
    const uid = first.delivered[0]!.uid;
    expect(uid).toBe(other + 1);

    // An IMAP session of the reporter, selected on INBOX.
    const imap = await RawImap.connect(ix.port);
    expect((await imap.cmd(`LOGIN ${addr.an} "${TEST_PASSWORD}"`)).tagged).toMatch(/OK/);
    const sel = await imap.cmd('SELECT INBOX');
    expect(sel.untagged).toContain('* 2 EXISTS');

    // Reporting: only one's own message; bad input changes nothing.
    expect((await call('POST', '/api/v1/incidents', undefined, { folder: 'INBOX', uid })).status).toBe(401);
    const missing = await call('POST', '/api/v1/incidents', tokens.an, { folder: 'INBOX', uid: 999 });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'incident.message-not-found']);
    expect(missing.body.error.message.vi).toContain('Không có thư');
    const rep = await call('POST', '/api/v1/incidents', tokens.an, {
      folder: 'INBOX',
      uid,
      note: 'Công văn có dấu "Mật"',
    });
    expect(rep.status, JSON.stringify(rep.body)).toBe(201);
    const number = rep.body.number as string;
    expect(number).toMatch(/^SC-MAT-\d{4}-0001$/);
    expect(rep.body).toMatchObject({
      state: 'reported',
      agency: { code: 'sokhcn' },
      foundIn: { mailbox: addr.an, folder: 'INBOX', uid },
      message: { sha256: first.blobId, messageId: SECRET_ID, sender },
    });
    const again = await call('POST', '/api/v1/incidents', tokens.binh, {
      folder: 'INBOX',
      uid: first.delivered[1]!.uid,
    });
    expect([again.status, again.body.error.code, again.body.error.details]).toEqual([
      409,
      'incident.already-reported',
      { number },
    ]);

    // Notices: the agency's mailbox and head, the operator; the sending agency's mailbox; not others.
    const sokhcnBox = await accountId('sokhcn@quangtri.gov.vn');
    const sotuphapBox = await accountId('sotuphap@quangtri.gov.vn');
    const soyteBox = await accountId('soyte@quangtri.gov.vn');
    for (const who of [sokhcnBox, ids.head!, ids.op!])
      expect(await noticesIn(who, number)).toEqual([expect.stringContaining('Sự cố tài liệu mật')]);
    expect(await noticesIn(sotuphapBox, number)).toEqual([
      expect.stringContaining('Đề nghị gỡ bỏ tài liệu có nội dung bí mật nhà nước'),
    ]);
    expect(await noticesIn(soyteBox, number)).toEqual([]);
    expect(await noticesIn(ids.yte!, number)).toEqual([]);

    // Roles before containment.
    expect((await call('POST', `/api/v1/incidents/${number}/contain`, tokens.an)).status).toBe(403);
    expect((await call('POST', `/api/v1/incidents/${number}/contain`, tokens.auditor)).status).toBe(403);
    expect((await call('POST', `/api/v1/incidents/${number}/contain`, tokens.head)).status).toBe(403);
    expect((await call('GET', `/api/v1/incidents/${number}`, tokens.yte)).status).toBe(403);
    expect((await call('GET', '/api/v1/incidents', tokens.yte)).body).toEqual([]);
    expect((await call('GET', '/api/v1/incidents', tokens.head)).body.map((i: any) => i.number)).toEqual([
      number,
    ]);
    const early = await call('POST', `/api/v1/incidents/${number}/assess`, tokens.op, { assessment: 'x' });
    expect([early.status, early.body.error.code]).toEqual([409, 'incident.bad-transition']);

    // A copy delivered after the report, before containment, is caught too.
    await s.ingest.ingest({
      content: secret(),
      deliveries: [{ accountId: ids.head! }],
      source: 'smtp',
      quota: 'checked-before',
    });
    const usedBefore = {
      binh: await used(ids.binh!),
      chi: await used(ids.chi!),
      dung: await used(ids.dung!),
      head: await used(ids.head!),
    };

    const contained = await call('POST', `/api/v1/incidents/${number}/contain`, tokens.op);
    expect(contained.status, JSON.stringify(contained.body)).toBe(200);
    const d = contained.body;
    expect(d.state).toBe('contained');
    expect(d.evidence.copies).toBe(5); // an, binh, dung's Sent, head (same bytes); chi (variant)
    expect(d.evidence.mailboxes).toBe(5);
    expect(d.evidence.items.map((i: any) => i.mailbox).sort()).toEqual(
      [addr.an, addr.binh, addr.chi, addr.dung, addr.head].sort(),
    );
    expect(d.evidence.items.find((i: any) => i.mailbox === addr.dung)).toMatchObject({
      folder: 'Sent',
      flags: ['\\Seen'],
    });
    // The evidence hash is the SHA-256 of the bytes.
    const sha = createHash('sha256').update(secret()).digest('hex');
    expect(sha).toBe(first.blobId);
    expect(d.evidence.blobs).toEqual(
      expect.arrayContaining([
        { sha256: sha, size: first.size, copies: 4 },
        { sha256: variant.blobId, size: variant.size, copies: 1 },
      ]),
    );
    expect(d.chainIntact).toBe(true);
    expect(d.timeline.map((e: any) => e.kind)).toEqual(['reported', 'contained']);
    expect(JSON.stringify(d)).not.toContain('bí mật nhà nước.'); // no content in the metadata

    // No copy left in any mailbox; used bytes restored; tombstones for QRESYNC.
    const left = await s.store.db
      .selectFrom('messages')
      .select('id')
      .where('blob_id', 'in', [first.blobId, variant.blobId])
      .execute();
    expect(left).toEqual([]);
    expect(await used(ids.an!)).toBe(anBefore);
    expect(await used(ids.binh!)).toBe(usedBefore.binh - first.size);
    expect(await used(ids.chi!)).toBe(usedBefore.chi - variant.size);
    expect(await used(ids.dung!)).toBe(usedBefore.dung - first.size);
    expect(await used(ids.head!)).toBe(usedBefore.head - first.size);

    // The open IMAP session sees the expunge.
    const noop = await imap.cmd('NOOP');
    expect(noop.untagged).toContain('* 2 EXPUNGE');
    const fetch1 = await imap.cmd('UID FETCH 1:* (UID)');
    expect(fetch1.untagged).toEqual([`* 1 FETCH (UID ${other})`]);
    await imap.cmd('LOGOUT');
    imap.end();

    // The quarantine holds the references: the collector keeps the evidence.
    expect(await refcount(first.blobId)).toBe(5); // 4 quarantined copies + the incident's own
    expect(await refcount(variant.blobId)).toBe(1);
    const far = { now: () => new Date(Date.now() + 400 * 86_400_000) };
    await collectGarbage(s.store, s.blobs, { clock: far, graceMs: 0 });
    expect(await s.blobs.stat(first.blobId)).not.toBeNull();
    expect(await s.blobs.stat(variant.blobId)).not.toBeNull();

    // Idempotent: a second containment changes nothing.
    const auditCount = (await listAudit(s.store.db, { targetType: 'incident', limit: 1000 })).length;
    const twice = await call('POST', `/api/v1/incidents/${number}/contain`, tokens.op);
    expect(twice.status).toBe(200);
    expect(twice.body.timeline).toHaveLength(2);
    expect(twice.body.evidence.copies).toBe(5);
    expect((await listAudit(s.store.db, { targetType: 'incident', limit: 1000 })).length).toBe(auditCount);

    // The auditor: metadata yes, content no, until the operator grants it; every read audited.
    const meta = await call('GET', `/api/v1/incidents/${number}`, tokens.auditor);
    expect(meta.status).toBe(200);
    expect(meta.body.evidence.blobs).toHaveLength(2);
    const refused = await call('GET', `/api/v1/incidents/${number}/content`, tokens.auditor);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect((await call('GET', `/api/v1/incidents/${number}/content`, tokens.head)).status).toBe(403);
    expect(
      (
        await call('POST', `/api/v1/incidents/${number}/content-grants`, tokens.auditor, {
          auditor: addr.auditor,
        })
      ).status,
    ).toBe(403);
    const notAuditor = await call('POST', `/api/v1/incidents/${number}/content-grants`, tokens.op, {
      auditor: addr.binh,
    });
    expect([notAuditor.status, notAuditor.body.error.code]).toEqual([400, 'incident.not-an-auditor']);
    const granted = await call('POST', `/api/v1/incidents/${number}/content-grants`, tokens.op, {
      auditor: addr.auditor,
    });
    expect(granted.status).toBe(201);
    expect(granted.body.contentGrants.map((g: any) => g.auditor)).toEqual([addr.auditor]);
    const content = await call('GET', `/api/v1/incidents/${number}/content`, tokens.auditor);
    expect([content.status, content.headers.get('content-type')]).toEqual([200, 'message/rfc822']);
    expect(content.raw.equals(secret())).toBe(true);
    const v = await call(
      'GET',
      `/api/v1/incidents/${number}/content?sha256=${variant.blobId}`,
      tokens.auditor,
    );
    expect(createHash('sha256').update(v.raw).digest('hex')).toBe(variant.blobId);
    const unrelated = await call(
      'GET',
      `/api/v1/incidents/${number}/content?sha256=${'0'.repeat(64)}`,
      tokens.op,
    );
    expect(unrelated.status).toBe(404);
    const reads = await listAudit(s.store.db, { action: 'incident.content-read' });
    expect(reads.map((r) => r.actor)).toEqual([ids.auditor, ids.auditor]);

    // Assessment and closing, with the timeline and an intact chain of custody.
    expect(
      (await call('POST', `/api/v1/incidents/${number}/assess`, tokens.op, { assessment: ' ' })).status,
    ).toBe(400);
    const assessed = await call('POST', `/api/v1/incidents/${number}/assess`, tokens.op, {
      assessment: 'Công an tỉnh: mức độ lộ lọt thấp; đã gỡ bỏ tại nơi gửi.',
    });
    expect(assessed.body.state).toBe('assessed');
    const closed = await call('POST', `/api/v1/incidents/${number}/close`, tokens.op, { note: 'Kết thúc' });
    expect(closed.body.state).toBe('closed');
    expect(closed.body.timeline.map((e: any) => e.kind)).toEqual([
      'reported',
      'contained',
      'content-granted',
      'content-read',
      'content-read',
      'assessed',
      'closed',
    ]);
    expect(closed.body.chainIntact).toBe(true);
    const late = await call('POST', `/api/v1/incidents/${number}/contain`, tokens.op);
    expect([late.status, late.body.error.code]).toEqual([409, 'incident.bad-transition']);
    expect(late.body.error.message.vi).toContain('đã đóng');
    const actions = (await listAudit(s.store.db, { targetType: 'incident', limit: 100 })).map(
      (a) => a.action,
    );
    for (const a of [
      'incident.report',
      'incident.contain',
      'incident.grant-content',
      'incident.content-read',
      'incident.assess',
      'incident.close',
    ])
      expect(actions).toContain(a);

    // The chain of custody detects an altered or removed event, and is append-only in the database.
    const rows = await s.store.db
      .selectFrom('incident_events')
      .selectAll()
      .where('incident_id', '=', closed.body.id)
      .orderBy('seq')
      .execute();
    expect(chainIntact(rows)).toBe(true);
    expect(
      chainIntact(rows.map((r, i) => (i === 1 ? { ...r, details: r.details.replace('5', '4') } : r))),
    ).toBe(false);
    expect(chainIntact(rows.filter((_, i) => i !== 3))).toBe(false);
    await expect(
      s.store.write((tx) => tx.db.updateTable('incident_events').set({ kind: 'x' }).execute()),
    ).rejects.toThrow(/append-only/);
  });

  it('a remote sender is notified through the outbound queue when one is attached', async () => {
    const s = ix.fx.system;
    const queued: Array<{ recipients: string[]; mailFrom: string; content: Buffer }> = [];
    governanceFor(s).incidents.useOutbound({
      enqueue: async (m) => {
        queued.push(m);
        return { id: 'q1' };
      },
    });
    try {
      const uid = await ix.deliver(
        ids.chi!,
        'From: Someone <leak@example.org>\r\nSubject: x\r\nMessage-ID: <remote-1@example.org>\r\n\r\nmật\r\n',
      );
      const rep = await call('POST', '/api/v1/incidents', tokens.chi, { folder: 'INBOX', uid });
      expect(rep.status, JSON.stringify(rep.body)).toBe(201);
      expect(queued.map((q) => q.recipients)).toEqual([['leak@example.org']]);
      expect(queued[0]!.content.toString()).toContain(rep.body.number);
      const shown = await call('GET', `/api/v1/incidents/${rep.body.number}`, tokens.op);
      expect(shown.body.timeline.map((e: any) => e.kind)).toEqual(['reported', 'sender-notice-queued']);
      expect(shown.body.agency.code).toBe('soyte');
      // The other agency's administrator sees this one, and only this one.
      const list = await call('GET', '/api/v1/incidents', tokens.yte);
      expect(list.body.map((i: any) => i.number)).toEqual([rep.body.number]);
    } finally {
      governanceFor(s).incidents.useOutbound(null);
    }
  });

  it('a delegate reports a message of the agency mailbox (Điều 10.4); a stranger cannot', async () => {
    const s = ix.fx.system;
    await s.directory.delegations.grant(operator, 'sokhcn@quangtri.gov.vn', addr.binh!, {
      rights: 'read',
      sendAs: false,
    });
    const box = await accountId('sokhcn@quangtri.gov.vn');
    const uid = await ix.deliver(
      box,
      'From: dung@quangtri.gov.vn\r\nSubject: y\r\nMessage-ID: <agency-1@quangtri.gov.vn>\r\n\r\nmật\r\n',
    );
    const body = { mailbox: 'sokhcn@quangtri.gov.vn', folder: 'INBOX', uid };
    const refused = await call('POST', '/api/v1/incidents', tokens.chi, body);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'incident.not-your-mailbox']);
    const rep = await call('POST', '/api/v1/incidents', tokens.binh, body);
    expect(rep.status, JSON.stringify(rep.body)).toBe(201);
    expect(rep.body).toMatchObject({
      reportedBy: addr.binh,
      foundIn: { mailbox: 'sokhcn@quangtri.gov.vn', folder: 'INBOX', uid },
      agency: { code: 'sokhcn' },
    });
  });
});
