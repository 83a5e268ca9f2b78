/**
 * IMAP server with imapflow, the ecosystem's IMAP client, over real TLS sockets on every backend:
 * sign-in, LIST with special-use (RFC 6154), SELECT, APPEND (RFC 4315 APPENDUID), FETCH of
 * ENVELOPE, BODYSTRUCTURE, source and partials (RFC 9051 §6.4.5), SEARCH with Vietnamese text
 * without regard to case (RFC 9051 §6.4.4), flags, COPY/MOVE/EXPUNGE, QUOTA (RFC 9208), IDLE
 * (RFC 2177) and two clients on one folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { imapFixture, message, type ImapFixture } from './support.ts';

const backends = await availableBackends();

describe.each(backends)('IMAP with imapflow (%s)', (backend) => {
  let f: ImapFixture;
  let user: { address: string; id: string; password: string };

  beforeAll(async () => {
    f = await imapFixture(backend);
    user = await f.fx.user('Nguyễn Văn An');
  });
  afterAll(async () => f?.close());

  it('signs in, lists the default folders with their special-use attributes', async () => {
    const c = await f.client(user.address, user.password);
    const boxes = await c.list();
    const byPath = new Map(boxes.map((b) => [b.path, b]));
    expect([...byPath.keys()].sort()).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
    expect(byPath.get('Sent')!.specialUse).toBe('\\Sent');
    expect(byPath.get('Trash')!.specialUse).toBe('\\Trash');
    await c.logout();
  });

  it('appends, then fetches envelope, bodystructure, source and a partial', async () => {
    const c = await f.client(user.address, user.password);
    const raw = message('=?UTF-8?B?VGjDtG5nIGLDoW8gaOG7jXA=?=', 'Nội dung thư.\r\nDòng hai.\r\n');
    const r = await c.append('INBOX', raw, ['\\Flagged']);
    expect(r && r.uid).toBeGreaterThan(0);
    const lock = await c.getMailboxLock('INBOX');
    try {
      const msg = await c.fetchOne(
        String(r && r.uid),
        { envelope: true, bodyStructure: true, source: true, flags: true, uid: true },
        { uid: true },
      );
      expect(msg && msg.envelope!.subject).toBe('Thông báo họp');
      expect(msg && msg.envelope!.from![0]!.address).toBe('vanthu@quangtri.gov.vn');
      expect(msg && msg.bodyStructure!.type).toBe('text/plain');
      expect(msg && msg.source!.toString()).toBe(raw);
      expect(msg && [...msg.flags!]).toContain('\\Flagged');
      const part = await c.fetchOne(String(r && r.uid), { bodyParts: ['1'], uid: true }, { uid: true });
      expect(part && part.bodyParts!.get('1')!.toString()).toBe('Nội dung thư.\r\nDòng hai.\r\n');
      const dl = await c.download(String(r && r.uid), '1', { uid: true });
      let text = '';
      for await (const chunk of dl.content!) text += chunk.toString();
      expect(text).toContain('Dòng hai');
    } finally {
      lock.release();
    }
    await c.logout();
  });

  it('searches Vietnamese text without regard to case', async () => {
    await f.deliver(user.id, message('THÔNG BÁO về lịch trực', 'Xin gửi THÔNG BÁO tới các đơn vị.'));
    await f.deliver(user.id, message('Giấy mời', 'Không liên quan.'));
    const c = await f.client(user.address, user.password);
    const lock = await c.getMailboxLock('INBOX');
    try {
      const found = async (q: Parameters<typeof c.search>[0]): Promise<number[]> => (await c.search(q)) || [];
      expect(await found({ subject: 'thông báo' })).toHaveLength(2); // the appended and the delivered one
      expect(await found({ body: 'thông báo' })).toHaveLength(1);
      expect(await found({ text: 'THÔNG BÁO' })).toHaveLength(2);
      expect(await found({ subject: 'không có gì như thế' })).toEqual([]);
      expect(await found({ flagged: true })).toHaveLength(1);
    } finally {
      lock.release();
    }
    await c.logout();
  });

  it('stores flags, copies, moves and expunges with UIDPLUS', async () => {
    const c = await f.client(user.address, user.password);
    const lock = await c.getMailboxLock('INBOX');
    try {
      const before = (c.mailbox as { exists: number }).exists;
      expect(before).toBeGreaterThanOrEqual(3);
      await c.messageFlagsAdd('1', ['\\Seen', 'congvan']);
      const m1 = await c.fetchOne('1', { flags: true });
      expect([...(m1 ? m1.flags! : [])]).toEqual(expect.arrayContaining(['\\Seen', 'congvan']));
      const copied = await c.messageCopy('1:2', 'Archive');
      expect(copied && copied.uidMap && copied.uidMap.size).toBe(2);
      const moved = await c.messageMove('3', 'Trash');
      expect(moved && moved.uidMap && moved.uidMap.size).toBe(1);
      expect((c.mailbox as { exists: number }).exists).toBe(before - 1);
      await c.messageDelete('1');
      expect((c.mailbox as { exists: number }).exists).toBe(before - 2);
    } finally {
      lock.release();
    }
    const st = await c.status('Archive', { messages: true, uidNext: true, unseen: true });
    expect(st && st.messages).toBe(2);
    const trash = await c.status('Trash', { messages: true });
    expect(trash && trash.messages).toBe(1);
    const q = await c.getQuota('INBOX');
    // RFC 9208 STORAGE in KiB: the regulation's 2 GB personal quota (config quota.personalBytes).
    expect(q && q.storage && q.storage.limit).toBe(Math.floor(f.fx.config.quota.personalBytes / 1024) * 1024);
    expect(q && q.storage && q.storage.usage).toBeGreaterThan(0);
    await c.logout();
  });

  it('creates, renames and deletes folders, with UTF-8 names', async () => {
    const c = await f.client(user.address, user.password);
    await c.mailboxCreate('Công văn/Đến');
    let names = (await c.list()).map((b) => b.path);
    expect(names).toEqual(expect.arrayContaining(['Công văn', 'Công văn/Đến']));
    await c.mailboxRename('Công văn', 'Văn bản');
    names = (await c.list()).map((b) => b.path);
    expect(names).toEqual(expect.arrayContaining(['Văn bản', 'Văn bản/Đến']));
    expect(names).not.toContain('Công văn');
    await c.mailboxDelete('Văn bản/Đến');
    await c.mailboxDelete('Văn bản');
    names = (await c.list()).map((b) => b.path);
    expect(names.some((n) => n.startsWith('Văn bản'))).toBe(false);
    await c.logout();
  });

  it('IDLE receives a message delivered through ingest within a second', async () => {
    const c = await f.client(user.address, user.password);
    const lock = await c.getMailboxLock('INBOX');
    try {
      const before = (c.mailbox as { exists: number }).exists;
      const got = new Promise<number>((resolve) =>
        c.on('exists', (d: { count: number }) => resolve(d.count)),
      );
      void c.idle();
      await new Promise((r) => setTimeout(r, 200));
      const t0 = Date.now();
      await f.deliver(user.id, message('Khẩn', 'Đến ngay'));
      const count = await got;
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(count).toBe(before + 1);
    } finally {
      lock.release();
    }
    await c.logout();
  });

  it('two clients on one folder stay consistent', async () => {
    const a = await f.client(user.address, user.password);
    const b = await f.client(user.address, user.password);
    const la = await a.getMailboxLock('INBOX');
    const lb = await b.getMailboxLock('INBOX');
    try {
      const n = (a.mailbox as { exists: number }).exists;
      await a.messageFlagsAdd(`${n}`, ['\\Deleted']);
      const flagged = new Promise<void>((resolve) => b.on('flags', () => resolve()));
      await b.noop();
      await flagged;
      await a.messageDelete(`${n}`);
      const expunged = new Promise<number>((resolve) =>
        b.on('expunge', (d: { seq: number }) => resolve(d.seq)),
      );
      await b.noop();
      expect(await expunged).toBe(n);
      expect((b.mailbox as { exists: number }).exists).toBe(n - 1);
      const uidsA = (await a.search({ all: true }, { uid: true }))!;
      const uidsB = (await b.search({ all: true }, { uid: true }))!;
      expect(uidsB).toEqual(uidsA);
    } finally {
      la.release();
      lb.release();
    }
  });
});
