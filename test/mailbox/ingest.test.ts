// The one ingest path on both backends: durable rows, one blob per message, UIDs and MODSEQs,
// quotas, expunge tombstones, and changes published only after commit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { availableBackends } from '../support/backends.ts';
import { directoryFixture, operator, type DirectoryFixture } from '../support/directory.ts';
import { FsBlobStore, collectGarbage } from '../../src/store/index.ts';
import {
  ChangeFeed,
  IngestService,
  expunge,
  listFolders,
  listMessages,
  requireFolder,
  storeFlags,
  type MailboxEvent,
} from '../../src/mailbox/index.ts';

const backends = await availableBackends();

export function message(n: number, extra = ''): Buffer {
  return Buffer.from(
    [
      'From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBMb25n?= <nguyenvanlong@quangtri.gov.vn>',
      'To: sokhcn@quangtri.gov.vn',
      `Subject: =?UTF-8?Q?Th=C3=B4ng_b=C3=A1o_s=E1=BB=91_${n}?=`,
      'Date: Mon, 02 Nov 2026 09:00:00 +0700',
      `Message-ID: <msg-${n}@quangtri.gov.vn>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      `Kính gửi các đồng chí, đây là thông báo số ${n}.${extra}`,
      '',
    ].join('\r\n'),
  );
}

describe.each(backends)('ingest on %s', (name) => {
  let f: DirectoryFixture;
  let ingest: IngestService;
  let feed: ChangeFeed;
  let blobs: FsBlobStore;
  const ids: Record<string, string> = {};
  beforeEach(async () => {
    f = await directoryFixture(name);
    blobs = await FsBlobStore.open(path.join(f.backend.dir, 'blobs'));
    feed = new ChangeFeed();
    ingest = new IngestService({ store: f.store, blobs, clock: f.clock, feed, settings: f.dir.ctx.settings });
    const { mailbox } = await f.dir.orgs.create(operator, {
      code: 'sokhcn',
      name: 'Sở Khoa học và Công nghệ',
    });
    ids.agency = mailbox.id;
    for (const n of ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường'])
      ids[n] = (await f.dir.accounts.createPersonal(operator, { name: n, orgCode: 'sokhcn' })).account.id;
  });
  afterEach(async () => f.close());

  it('stores one blob for all recipients, with the default folders, UIDs from 1 and the size counted', async () => {
    const raw = message(1);
    const r = await ingest.ingest({
      content: raw,
      deliveries: [
        { accountId: ids['Nguyễn Văn An']! },
        { accountId: ids['Trần Thị Bình']! },
        { accountId: ids.agency! },
      ],
      source: 'smtp',
      quota: 'checked-before',
    });
    expect(r.delivered.map((d) => d.uid)).toEqual([1, 1, 1]);
    const blob = await f.store.db
      .selectFrom('blobs')
      .selectAll()
      .where('id', '=', r.blobId)
      .executeTakeFirstOrThrow();
    expect(Number(blob.refcount)).toBe(3);
    expect(await blobs.read(r.blobId)).toEqual(raw);
    const folders = await listFolders(f.store.db, ids['Nguyễn Văn An']!);
    expect(folders.map((x) => [x.name, x.special_use])).toEqual([
      ['Archive', '\\Archive'],
      ['Drafts', '\\Drafts'],
      ['INBOX', null],
      ['Junk', '\\Junk'],
      ['Sent', '\\Sent'],
      ['Trash', '\\Trash'],
    ]);
    expect(new Set(folders.map((x) => x.uid_validity)).size).toBe(6);
    const meta = await f.store.db
      .selectFrom('message_meta')
      .selectAll()
      .where('blob_id', '=', r.blobId)
      .executeTakeFirstOrThrow();
    expect(meta.subject).toBe('Thông báo số 1');
    expect(meta.message_id).toBe('<msg-1@quangtri.gov.vn>');
    expect(meta.preview).toContain('Kính gửi các đồng chí');
    const acct = await f.dir.accounts.show(operator, 'nguyenvanan');
    expect(acct.usedBytes).toBe(raw.length);
  });

  it('gives strictly ascending UIDs and MODSEQs under concurrent ingest, batching commits', async () => {
    const who = ids['Lê Văn Cường']!;
    const seen: MailboxEvent[] = [];
    feed.subscribe(who, (e) => seen.push(e));
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        ingest.ingest({
          content: message(100 + i),
          deliveries: [{ accountId: who }],
          source: 'smtp',
          quota: 'checked-before',
        }),
      ),
    );
    const uids = results.map((r) => r.delivered[0]!.uid).sort((a, b) => a - b);
    expect(uids).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const inbox = await requireFolder(f.store.db, who, 'inbox');
    const rows = await listMessages(f.store, inbox.id);
    expect(rows).toHaveLength(60);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.modseq).toBeGreaterThan(rows[i - 1]!.modseq);
    expect(Number(inbox.uid_next)).toBe(61);
    expect(ingest.stats.batches).toBeLessThan(60); // group commit: several deliveries per transaction
    expect(seen.filter((e) => e.kind === 'exists')).toHaveLength(60);
  });

  it('publishes a change only after it is committed, and never for a failed delivery', async () => {
    const who = ids['Nguyễn Văn An']!;
    const events: MailboxEvent[] = [];
    feed.subscribe(who, (e) => {
      events.push(e);
    });
    feed.subscribe(who, () => {
      // A listener reading the store sees the row already (the event came after the commit).
      void f.store.db
        .selectFrom('messages')
        .select('uid')
        .execute()
        .then((r) => expect(r.length).toBeGreaterThan(0));
    });
    await ingest.ingest({
      content: message(7),
      deliveries: [{ accountId: who }],
      source: 'append',
      quota: 'enforce',
    });
    await expect(
      ingest.ingest({
        content: message(8),
        deliveries: [{ accountId: who, folder: 'Nope' }],
        source: 'append',
        quota: 'enforce',
      }),
    ).rejects.toMatchObject({ code: 'folder.not-found' });
    expect(events.map((e) => e.kind)).toEqual(['exists']);
  });

  it('refuses an APPEND over quota and changes nothing', async () => {
    const who = ids['Trần Thị Bình']!;
    await f.store.write(async (tx) => {
      await tx.db
        .updateTable('accounts')
        .set({ used_bytes: 2 * 1024 ** 3 - 10 })
        .where('id', '=', who)
        .execute();
    });
    await expect(
      ingest.ingest({
        content: message(9),
        deliveries: [{ accountId: who }],
        source: 'append',
        quota: 'enforce',
      }),
    ).rejects.toMatchObject({ code: 'mailbox.over-quota' });
    expect((await f.dir.accounts.show(operator, 'tranthibinh')).usedBytes).toBe(2 * 1024 ** 3 - 10);
    // SMTP checked the quota at RCPT time: the accepted message is delivered even if it goes over.
    const r = await ingest.ingest({
      content: message(9),
      deliveries: [{ accountId: who }],
      source: 'smtp',
      quota: 'checked-before',
    });
    expect(r.delivered).toHaveLength(1);
  });

  it('keeps flags canonical, bumps MODSEQ, honours UNCHANGEDSINCE, and expunges with tombstones', async () => {
    const who = ids['Nguyễn Văn An']!;
    for (let i = 0; i < 3; i++)
      await ingest.ingest({
        content: message(20 + i),
        deliveries: [{ accountId: who, flags: ['\\seen', 'Work'] }],
        source: 'append',
        quota: 'enforce',
      });
    const inbox = await requireFolder(f.store.db, who, 'INBOX');
    const before = await listMessages(f.store, inbox.id);
    expect(before[0]!.flags).toEqual(['\\Seen', 'Work']);
    const s = await storeFlags({ store: f.store, blobs, clock: f.clock, feed }, inbox, [1, 2], 'add', [
      '\\Deleted',
      '\\Flagged',
    ]);
    expect(s.changed.map((c) => c.flags)).toEqual([
      ['\\Seen', '\\Flagged', '\\Deleted', 'Work'],
      ['\\Seen', '\\Flagged', '\\Deleted', 'Work'],
    ]);
    const stale = await storeFlags(
      { store: f.store, blobs, clock: f.clock, feed },
      inbox,
      [1, 3],
      'remove',
      ['Work'],
      {
        unchangedSince: before[2]!.modseq, // message 1 changed since (the STORE above), message 3 did not
      },
    );
    expect(stale.modified).toEqual([1]);
    expect(stale.changed.map((c) => c.uid)).toEqual([3]);
    await expect(
      storeFlags({ store: f.store, blobs, clock: f.clock, feed }, inbox, [1], 'add', ['bad(flag']),
    ).rejects.toMatchObject({ code: 'flag.invalid' });
    const usedBefore = (await f.dir.accounts.show(operator, 'nguyenvanan')).usedBytes;
    const gone = await expunge({ store: f.store, blobs, clock: f.clock, feed }, inbox);
    expect(gone).toEqual([1, 2]);
    const left = await listMessages(f.store, inbox.id);
    expect(left.map((m) => m.uid)).toEqual([3]);
    const tomb = await f.store.db
      .selectFrom('expunged')
      .selectAll()
      .where('folder_id', '=', inbox.id)
      .orderBy('uid')
      .execute();
    expect(tomb.map((t) => Number(t.uid))).toEqual([1, 2]);
    expect((await f.dir.accounts.show(operator, 'nguyenvanan')).usedBytes).toBe(
      usedBefore - before[0]!.size - before[1]!.size,
    );
    // The expunged blobs are unreferenced now and the collector may take them after the grace period.
    f.clock.advance(7_200_000);
    const gc = await collectGarbage(f.store, blobs, { clock: f.clock, graceMs: 3_600_000 });
    expect(gc.deletedUnreferenced).toBe(2);
    expect(await blobs.stat(left[0]!.blobId)).not.toBeNull();
  });
});
