// The full-text index (issue 5 item 5) on both backends: Vietnamese folding, narrowing that never
// loses a match, documents written in the ingest transaction and removed with their blob.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { sql } from 'kysely';
import { availableBackends } from '../support/backends.ts';
import { directoryFixture, operator, type DirectoryFixture } from '../support/directory.ts';
import { FsBlobStore, collectGarbage } from '../../src/store/index.ts';
import {
  ChangeFeed,
  IngestService,
  candidateUids,
  expunge,
  requireFolder,
  searchFold,
  searchFolded,
  storeFlags,
  type FolderRow,
} from '../../src/mailbox/index.ts';

const backends = await availableBackends();

function mail(subject: string, body: string, extra: string[] = []): Buffer {
  return Buffer.from(
    [
      'From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBMb25n?= <nguyenvanlong@quangtri.gov.vn>',
      'To: Phòng Tổ chức <tochuc@quangtri.gov.vn>',
      `Subject: ${subject}`,
      'Date: Mon, 02 Nov 2026 09:00:00 +0700',
      `Message-ID: <${Math.random().toString(36).slice(2)}@quangtri.gov.vn>`,
      'MIME-Version: 1.0',
      ...extra,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
      '',
    ].join('\r\n'),
  );
}

function withAttachment(name: string): Buffer {
  return Buffer.from(
    [
      'From: vanthu@quangtri.gov.vn',
      'To: tochuc@quangtri.gov.vn',
      'Subject: Gửi hồ sơ',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Xem tệp đính kèm.',
      '--b',
      `Content-Type: application/pdf; name="${name}"`,
      `Content-Disposition: attachment; filename*=utf-8''${encodeURIComponent(name)}`,
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjQK',
      '--b--',
      '',
    ].join('\r\n'),
  );
}

describe.each(backends)('full-text index on %s', (name) => {
  let f: DirectoryFixture;
  let ingest: IngestService;
  let blobs: FsBlobStore;
  let feed: ChangeFeed;
  let who: string;
  let inbox: FolderRow;
  beforeEach(async () => {
    f = await directoryFixture(name);
    blobs = await FsBlobStore.open(path.join(f.backend.dir, 'blobs'));
    feed = new ChangeFeed();
    ingest = new IngestService({ store: f.store, blobs, clock: f.clock, feed, settings: f.dir.ctx.settings });
    await f.dir.orgs.create(operator, { code: 'sonv', name: 'Sở Nội vụ' });
    who = (await f.dir.accounts.createPersonal(operator, { name: 'Nguyễn Văn An', orgCode: 'sonv' })).account
      .id;
    await put(mail('hello', 'x')); // creates INBOX
    inbox = await requireFolder(f.store.db, who, 'INBOX');
  });
  afterEach(async () => f.close());

  const put = async (content: Buffer): Promise<number> =>
    (
      await ingest.ingest({
        content,
        deliveries: [{ accountId: who }],
        source: 'smtp',
        quota: 'checked-before',
      })
    ).delivered[0]!.uid;

  it('folds case, diacritics and đ so that "tuyen dung" finds "Tuyển dụng" everywhere it is indexed', async () => {
    expect(searchFold('TUYỂN DỤNG Đà Nẵng')).toBe('tuyen dung da nang');
    // NFD input and old tone placement fold alike.
    expect(searchFold('Thuỷ Hoà'.normalize('NFD'))).toBe(searchFold('Thủy Hòa'));
    const bySubject = await put(
      mail('=?UTF-8?Q?Th=C3=B4ng_b=C3=A1o_Tuy=E1=BB=83n_d=E1=BB=A5ng?=', 'Nội dung.'),
    );
    const byBody = await put(mail('Kế hoạch', 'Kế hoạch TUYỂN DỤNG công chức năm 2026.'));
    const byName = await put(
      mail('Họp', 'Mời họp.', ['Cc: =?UTF-8?Q?Ph=C3=B2ng_Tuy=E1=BB=83n_d=E1=BB=A5ng?= <td@quangtri.gov.vn>']),
    );
    const byFile = await put(withAttachment('Tuyển dụng 2026.pdf'));
    const other = await put(mail('Đoàn công tác', 'Không liên quan: tuyên dương.'));
    for (const q of ['tuyen dung', 'Tuyển dụng', 'TUYEN DUNG', 'tuyển dụng'.normalize('NFD')])
      expect(await searchFolded(f.store, inbox.id, q)).toEqual([bySubject, byBody, byName, byFile]);
    // đ → d both ways, addresses and display names are indexed.
    expect(await searchFolded(f.store, inbox.id, 'doan cong tac')).toEqual([other]);
    expect(await searchFolded(f.store, inbox.id, 'Nguyen Van Long')).toEqual([
      1,
      bySubject,
      byBody,
      byName,
      other,
    ]);
    expect(await searchFolded(f.store, inbox.id, 'vanthu@quangtri')).toEqual([byFile]);
  });

  it('narrows IMAP SEARCH without ever dropping an exact match', async () => {
    const a = await put(mail('Tuyển dụng', 'Thông báo tuyển dụng viên chức.'));
    const b = await put(mail('Báo cáo', 'tuyen dung (không dấu)'));
    const c = await put(mail('Lịch họp', 'Không có gì.'));
    const term = (fields: Array<'hdr' | 'body' | 'subject'>, text: string) =>
      ({ kind: 'term', fields, text }) as const;
    // Folded narrowing: both spellings are candidates; the exact check (IMAP) then decides.
    expect(await candidateUids(f.store, inbox.id, term(['hdr', 'body'], 'tuyển'))).toEqual(new Set([a, b]));
    expect(await candidateUids(f.store, inbox.id, term(['subject'], 'TUYỂN'))).toEqual(new Set([a]));
    expect(await candidateUids(f.store, inbox.id, term(['body'], 'không có gì'))).toEqual(new Set([c]));
    expect(await candidateUids(f.store, inbox.id, term(['body'], 'chuỗi không có'))).toEqual(new Set());
    // Too short for trigrams, or an OR with such a side: no narrowing (null = every message).
    expect(await candidateUids(f.store, inbox.id, term(['body'], 'tu'))).toBeNull();
    expect(
      await candidateUids(f.store, inbox.id, {
        kind: 'or',
        parts: [term(['body'], 'tu'), term(['body'], 'lịch')],
      }),
    ).toBeNull();
    expect(
      await candidateUids(f.store, inbox.id, {
        kind: 'and',
        parts: [term(['body'], 'tu'), term(['hdr'], 'lịch họp')],
      }),
    ).toEqual(new Set([c]));
    // Quotes, LIKE and FTS syntax in the needle are literal text.
    const odd = await put(mail('Ký tự', 'giá 100% "đặc_biệt" {x} : *'));
    expect(await candidateUids(f.store, inbox.id, term(['body'], '100% "dac_biet"'))).toEqual(new Set([odd]));
    expect(await candidateUids(f.store, inbox.id, term(['body'], '100_'))).toEqual(new Set());
    // A message without a document (stored before migration 0007) is always a candidate.
    await sql`DELETE FROM search_docs WHERE blob_id = (SELECT blob_id FROM messages WHERE folder_id = ${inbox.id} AND uid = ${c})`.execute(
      f.store.db,
    );
    expect(await candidateUids(f.store, inbox.id, term(['body'], 'viên chức'))).toEqual(new Set([a, c]));
  });

  it('never loses an update: documents match messages after concurrent ingest, copy of blobs and expunge', async () => {
    const deps = { store: f.store, blobs, clock: f.clock, feed };
    const shared = mail('Công văn chung', 'Gửi tất cả các đơn vị.');
    const jobs: Array<Promise<unknown>> = [];
    for (let i = 0; i < 60; i++) jobs.push(put(mail(`Công văn số ${i}`, `Nội dung riêng ${i} tuyển dụng`)));
    for (let i = 0; i < 5; i++) jobs.push(put(shared)); // one blob, one document
    // Expunges race the deliveries.
    for (let round = 0; round < 3; round++)
      jobs.push(
        (async () => {
          await new Promise((r) => setTimeout(r, 5 * round));
          const rows = await f.store.db
            .selectFrom('messages')
            .select('uid')
            .where('folder_id', '=', inbox.id)
            .execute();
          const uids = rows.map((r) => Number(r.uid)).filter((u) => u % 3 === round);
          if (uids.length > 0) await storeFlags(deps, inbox, uids, 'add', ['\\Deleted']);
          await expunge(deps, inbox);
        })(),
      );
    await Promise.all(jobs);
    const missing = await sql<{ n: number | string }>`SELECT count(*) AS n FROM messages m
      LEFT JOIN search_docs d ON d.blob_id = m.blob_id WHERE d.blob_id IS NULL`.execute(f.store.db);
    expect(Number(missing.rows[0]!.n)).toBe(0);
    const docs = await f.store.db.selectFrom('search_docs').select('blob_id').execute();
    const metas = await f.store.db.selectFrom('message_meta').select('blob_id').execute();
    expect(new Set(docs.map((d) => d.blob_id))).toEqual(new Set(metas.map((m) => m.blob_id)));
    // The collector takes unreferenced blobs; their documents (and FTS rows) go with them.
    f.clock.advance(7_200_000);
    await collectGarbage(f.store, blobs, { clock: f.clock, graceMs: 3_600_000 });
    const live = await sql<{ blob_id: string }>`SELECT DISTINCT blob_id FROM messages`.execute(f.store.db);
    const after = await f.store.db.selectFrom('search_docs').select('blob_id').execute();
    expect(new Set(after.map((d) => d.blob_id))).toEqual(new Set(live.rows.map((r) => r.blob_id)));
    if (name === 'sqlite') {
      const fts = await sql<{ n: number }>`SELECT count(*) AS n FROM search_fts`.execute(f.store.db);
      expect(Number(fts.rows[0]!.n)).toBe(after.length);
    }
    // Every message left is found by its own text.
    const left = await f.store.db
      .selectFrom('messages')
      .select('uid')
      .where('folder_id', '=', inbox.id)
      .execute();
    const found = await searchFolded(f.store, inbox.id, 'tuyen dung');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((u) => left.some((l) => Number(l.uid) === u))).toBe(true);
  });

  it('marks a body longer than the stored cut incomplete, so narrowing keeps it', async () => {
    const long = await put(mail('Dài', `${'a '.repeat(1_100_000)}cuối thư`));
    const row = await f.store.db
      .selectFrom('search_docs')
      .select('complete')
      .where(
        'blob_id',
        '=',
        (
          await f.store.db
            .selectFrom('messages')
            .select('blob_id')
            .where('uid', '=', long)
            .where('folder_id', '=', inbox.id)
            .executeTakeFirstOrThrow()
        ).blob_id,
      )
      .executeTakeFirstOrThrow();
    expect(Number(row.complete)).toBe(0);
    expect(
      await candidateUids(f.store, inbox.id, { kind: 'term', fields: ['body'], text: 'cuối thư' }),
    ).toEqual(new Set([long]));
  });
});
