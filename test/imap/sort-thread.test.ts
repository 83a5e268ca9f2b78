/**
 * SORT / ESORT / SORT=DISPLAY (RFC 5256, RFC 5267, RFC 5957), THREAD=REFERENCES and
 * THREAD=ORDEREDSUBJECT (RFC 5256) and SEARCH through the full-text index (issue 5 items 3 and 5,
 * IMAP-16), over real sockets on every backend.
 */
import type { Kysely } from 'kysely';
import { backfillEnvelopes } from '../../src/store/migrations/0010-envelope.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { imapFixture, RawImap, type ImapFixture } from './support.ts';
import { baseSubject } from '../../src/server/imap/base-subject.ts';
import {
  renderThreads,
  threadReferences,
  type ThreadInput,
} from '../../src/server/imap/thread-references.ts';

const backends = await availableBackends();

describe('base subject (RFC 5256 §2.1)', () => {
  it('removes leaders, trailers, blobs and [fwd: ] wrappers, and tells replies apart', () => {
    const cases: Array<[string, string, boolean]> = [
      ['Báo cáo', 'Báo cáo', false],
      ['Re: Báo cáo', 'Báo cáo', true],
      ['RE:  re:Fwd: FW: Báo cáo', 'Báo cáo', true],
      ['Re [2]: Báo cáo', 'Báo cáo', true],
      ['[SoNV] Re: [2] Báo cáo', 'Báo cáo', true],
      ['[SoNV] Báo cáo', 'Báo cáo', false],
      ['[only blob]', '[only blob]', false],
      ['Báo cáo (fwd)', 'Báo cáo', true],
      ['Báo cáo (FWD) (fwd)  ', 'Báo cáo', true],
      ['[fwd: Re: Báo cáo]', 'Báo cáo', true],
      ['[Fwd: [fwd: Báo cáo (fwd)]]', 'Báo cáo', true],
      ['Báo\t cáo\r\n  quý', 'Báo cáo quý', false],
      ['Reply: Báo cáo', 'Reply: Báo cáo', false],
      ['', '', false],
    ];
    for (const [input, base, reply] of cases)
      expect(baseSubject(input), input).toEqual({ base, replyOrForward: reply });
  });

  it('stays linear on a 1 MB "Re: Re: …" subject (IMAP-16)', () => {
    const t = Date.now();
    const r = baseSubject('Re: '.repeat(262_144));
    expect(r.replyOrForward).toBe(true);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});

describe('THREAD=REFERENCES algorithm (RFC 5256 §3)', () => {
  const msg = (
    id: number,
    messageId: string | null,
    refs: string[],
    subject = 'Chủ đề',
    date = id,
  ): ThreadInput => ({
    id,
    seq: id,
    date,
    subject,
    messageId,
    references: refs,
  });

  it('builds the RFC 5256 example structure (2)(3 6 (4 23)(44 7 96))', () => {
    const input = [
      msg(2, 'm2', [], 'Hai'),
      msg(3, 'm3', [], 'Ba'),
      msg(6, 'm6', ['m3'], 'Re: Ba'),
      msg(4, 'm4', ['m3', 'm6'], 'Re: Ba'),
      msg(23, 'm23', ['m3', 'm6', 'm4'], 'Re: Ba'),
      msg(44, 'm44', ['m3', 'm6'], 'Re: Ba'),
      msg(7, 'm7', ['m3', 'm6', 'm44'], 'Re: Ba'),
      msg(96, 'm96', ['m3', 'm6', 'm44', 'm7'], 'Re: Ba'),
    ];
    expect(renderThreads(threadReferences(input))).toBe('(2)(3 6 (4 23)(44 7 96))');
  });

  it('keeps a dummy parent of two orphans, promotes a lone child, and merges roots by subject', () => {
    const input = [
      msg(1, 'a', ['gone'], 'Re: X'), // parent never arrived
      msg(2, 'b', ['gone'], 'Re: X'),
      msg(3, 'c', ['lost'], 'Re: Y'), // lone child of a dummy: promoted
      msg(4, 'd', [], 'Y'), // a non-reply root with the same base subject adopts 3
      msg(5, 'e', [], 'Z'),
      msg(6, 'f', [], 'Z'), // two non-replies with one subject: a dummy over both
    ];
    expect(renderThreads(threadReferences(input))).toBe('((1)(2))(4 3)((5)(6))');
  });

  it('handles References cycles, self-references and duplicate Message-IDs (IMAP-16)', () => {
    const input = [
      msg(1, 'a', ['c', 'b']),
      msg(2, 'b', ['a', 'c']),
      msg(3, 'c', ['b', 'a']),
      msg(4, 's', ['s', 's'], 'Khác'),
      msg(5, 'a', [], 'Trùng'), // duplicate Message-ID: a thread of its own
    ];
    const out = renderThreads(threadReferences(input));
    expect(out).toBe('(3 2 1)(4)(5)'); // c → b → a; each back-link would close the ring
    // A ring of 20,000 messages, each referencing the next: finishes, every message exactly once.
    const n = 20_000;
    const ring = Array.from({ length: n }, (_, i) =>
      msg(i + 1, `r${i}`, [`r${(i + 2) % n}`, `r${(i + 1) % n}`], `Re: Vòng ${i % 7}`),
    );
    const t = Date.now();
    const text = renderThreads(threadReferences(ring));
    expect(Date.now() - t).toBeLessThan(5000);
    const ids = text
      .match(/\d+/g)!
      .map(Number)
      .sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });
});

describe.each(backends)('SORT and THREAD over IMAP on %s', (backend) => {
  let f: ImapFixture;
  let sorter: { address: string; id: string; password: string };
  let threader: { address: string; id: string; password: string };
  const login = async (u: { address: string; password: string }): Promise<RawImap> => {
    const c = await RawImap.connect(f.port);
    expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`)).tagged).toMatch(/OK/);
    expect((await c.cmd('SELECT INBOX')).tagged).toMatch(/OK/);
    return c;
  };
  const put = async (accountId: string, lines: string[], body: string, internal: string): Promise<void> => {
    await f.fx.system.ingest.ingest({
      content: Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}\r\n`),
      deliveries: [{ accountId, internalDate: new Date(internal) }],
      source: 'append',
      quota: 'checked-before',
    });
  };

  beforeAll(async () => {
    f = await imapFixture(backend);
    sorter = await f.fx.user('Nguyễn Văn An');
    threader = await f.fx.user('Trần Thị Bình');
    const s = sorter.id;
    await put(
      s,
      [
        'From: Zed <c@x.vn>',
        'To: b@x.vn',
        'Cc: m@x.vn',
        'Date: Tue, 3 Mar 2026 10:00:00 +0700',
        'Subject: Re: [ToTrinh] =?UTF-8?Q?B=C3=A1o_c=C3=A1o?=',
      ],
      'x'.repeat(4000),
      '2026-03-05T00:00:00Z',
    );
    await put(
      s,
      [
        'From: an <a@x.vn>',
        'To: =?UTF-8?Q?Y=C3=AAn?= <c@x.vn>',
        'Date: Sun, 1 Mar 2026 08:00:00 +0700',
        'Subject: Fwd: Lịch họp',
      ],
      'x'.repeat(1000),
      '2026-03-04T00:00:00Z',
    );
    await put(
      s,
      ['From: <B@x.vn>', 'To: a@x.vn', 'Cc: z@x.vn', 'Subject: [fwd: Công văn]'],
      'x'.repeat(3000),
      '2026-03-02T00:00:00Z',
    );
    await put(
      s,
      [
        'From: =?UTF-8?Q?B=C3=ACnh?= <d@x.vn>',
        'To: e@x.vn',
        'Date: Mon, 2 Mar 2026 23:30:00 -0500',
        'Subject: Báo cáo (fwd)',
      ],
      `${'x'.repeat(2000)} Tuyển dụng`,
      '2026-03-01T00:00:00Z',
    );
    const t = threader.id;
    const th = (n: number, subject: string, id: string, refs: string): Promise<void> =>
      put(
        t,
        [
          'From: a@x.vn',
          `Subject: ${subject}`,
          `Date: ${new Date(Date.UTC(2026, 2, 1, n)).toUTCString().replace('GMT', '+0000')}`,
          `Message-ID: <${id}@x.vn>`,
          ...(refs ? [`References: ${refs}`] : []),
        ],
        'Nội dung',
        '2026-03-10T00:00:00Z',
      );
    await th(1, 'Kế hoạch', 'a', '');
    await th(2, 'Re: Kế hoạch', 'b', '<a@x.vn>');
    await th(3, 'Re: Kế hoạch', 'c', '<a@x.vn> <b@x.vn>');
    await th(4, 'Re: Kế hoạch', 'd', '<a@x.vn>');
    await th(5, 'Lịch trực', 'e', '');
    await th(6, 'Re: Lịch trực', 'f', '<missing@x.vn>');
    await th(7, 'Vòng lặp', 'g', '<h@x.vn>');
    await th(8, 'Re: Vòng lặp', 'h', '<g@x.vn>');
    await th(9, 'Tự tham chiếu', 'i', '<i@x.vn> <i@x.vn>');
  }, 60_000);
  afterAll(async () => f?.close());

  it('advertises SORT, SORT=DISPLAY, ESORT and both THREAD algorithms after sign-in', async () => {
    const c = await login(sorter);
    const caps = (await c.cmd('CAPABILITY')).untagged.join(' ');
    for (const cap of ['SORT', 'SORT=DISPLAY', 'ESORT', 'THREAD=ORDEREDSUBJECT', 'THREAD=REFERENCES'])
      expect(caps.split(' ')).toContain(cap);
    c.end();
  });

  it('sorts by every key, REVERSE, several criteria, UID SORT and with search keys', async () => {
    const c = await login(sorter);
    const sort = async (args: string): Promise<string> => {
      const r = await c.cmd(args);
      expect(r.tagged, args).toMatch(/OK/);
      return r.untagged.find((l) => l.startsWith('* SORT'))!;
    };
    expect(await sort('SORT (ARRIVAL) UTF-8 ALL')).toBe('* SORT 4 3 2 1');
    expect(await sort('SORT (DATE) UTF-8 ALL')).toBe('* SORT 2 3 1 4'); // UTC; 3 has no Date: INTERNALDATE
    expect(await sort('SORT (FROM) UTF-8 ALL')).toBe('* SORT 2 3 1 4'); // a, B, c, d (ascii-casemap)
    expect(await sort('SORT (TO) UTF-8 ALL')).toBe('* SORT 3 1 2 4');
    expect(await sort('SORT (CC) UTF-8 ALL')).toBe('* SORT 2 4 1 3'); // none sorts first, ties by number
    expect(await sort('SORT (SUBJECT) UTF-8 ALL')).toBe('* SORT 1 4 3 2'); // base subjects
    expect(await sort('SORT (SIZE) UTF-8 ALL')).toBe('* SORT 2 4 3 1');
    expect(await sort('SORT (REVERSE SIZE) UTF-8 ALL')).toBe('* SORT 1 3 4 2');
    expect(await sort('SORT (SUBJECT REVERSE DATE) UTF-8 ALL')).toBe('* SORT 4 1 3 2');
    expect(await sort('SORT (REVERSE ARRIVAL) US-ASCII ALL')).toBe('* SORT 1 2 3 4');
    expect(await sort('SORT (DISPLAYFROM) UTF-8 ALL')).toBe('* SORT 2 3 4 1'); // an, B@x.vn, Bình, Zed
    expect(await sort('SORT (DISPLAYTO) UTF-8 ALL')).toBe('* SORT 3 1 4 2'); // a@, b@, e@, Yên
    expect(await sort('UID SORT (DATE) UTF-8 2:4')).toBe('* SORT 2 3 4');
    expect(await sort('SORT (SUBJECT) UTF-8 SUBJECT "báo cáo"')).toBe('* SORT 1 4');
    expect(await sort('SORT (DATE) UTF-8 TEXT "nothing like this"')).toBe('* SORT');
    expect((await c.cmd('SORT (DATE) KOI8-R ALL')).tagged).toMatch(/NO \[BADCHARSET/);
    expect((await c.cmd('SORT (NAME) UTF-8 ALL')).tagged).toMatch(/BAD/);
    expect((await c.cmd('SORT (DATE) ALL')).tagged).toMatch(/BAD/); // the charset is required
    c.end();
  });

  it('answers ESORT RETURN (MIN MAX COUNT ALL) in sort order (RFC 5267)', async () => {
    const c = await login(sorter);
    let r = await c.cmd('SORT RETURN (MIN MAX COUNT ALL) (DATE) UTF-8 ALL', 'e1');
    expect(r.untagged).toContain('* ESEARCH (TAG "e1") MIN 2 MAX 4 ALL 2:3,1,4 COUNT 4');
    r = await c.cmd('UID SORT RETURN (COUNT) (SUBJECT) UTF-8 ALL', 'e2');
    expect(r.untagged).toContain('* ESEARCH (TAG "e2") UID COUNT 4');
    r = await c.cmd('SORT RETURN () (REVERSE ARRIVAL) UTF-8 ALL', 'e3');
    expect(r.untagged).toContain('* ESEARCH (TAG "e3") ALL 1:4');
    r = await c.cmd('SORT RETURN (MIN MAX) (DATE) UTF-8 SUBJECT "không có"', 'e4');
    expect(r.untagged).toContain('* ESEARCH (TAG "e4")');
    c.end();
  });

  it('threads by REFERENCES with a References cycle and by ORDEREDSUBJECT', async () => {
    const c = await login(threader);
    let r = await c.cmd('THREAD REFERENCES UTF-8 ALL');
    expect(r.tagged).toMatch(/OK/);
    expect(r.untagged).toContain('* THREAD (1 (2 3)(4))(5 6)(8 7)(9)');
    r = await c.cmd('UID THREAD REFERENCES UTF-8 NOT SUBJECT "vòng"');
    expect(r.untagged).toContain('* THREAD (1 (2 3)(4))(5 6)(9)');
    r = await c.cmd('THREAD ORDEREDSUBJECT UTF-8 ALL');
    expect(r.untagged).toContain('* THREAD (1 (2)(3)(4))(5 6)(7 8)(9)');
    r = await c.cmd('THREAD REFERENCES UTF-8 SUBJECT "không có"');
    expect(r.untagged).toContain('* THREAD');
    expect((await c.cmd('THREAD XYZZY UTF-8 ALL')).tagged).toMatch(/BAD/);
    c.end();
  });

  it('lists messages stored before the envelope column exactly as after its backfill (migration 0010)', async () => {
    const c = await login(sorter);
    const listing = async (): Promise<string[]> =>
      (await c.cmd('FETCH 1:* (UID ENVELOPE)')).untagged.filter((l) => l.includes(' FETCH '));
    const before = await listing();
    const { store } = f.fx.system;
    await store.write((tx) => tx.db.updateTable('message_meta').set({ envelope_json: null }).execute());
    await store.write((tx) => backfillEnvelopes(tx.db as unknown as Kysely<unknown>, tx.dialect));
    const nulls = await store.db
      .selectFrom('message_meta')
      .select('blob_id')
      .where('envelope_json', 'is', null)
      .execute();
    expect(nulls).toEqual([]);
    expect(await listing()).toEqual(before);
    c.end();
  });

  it('threads messages stored before References had a column (read from the header)', async () => {
    const db = f.fx.system.store.db;
    const blobs = (await db.selectFrom('messages').select('blob_id').execute()).map((r) => r.blob_id);
    await f.fx.system.store.write((tx) =>
      tx.db.updateTable('message_meta').set({ refs: null }).where('blob_id', 'in', blobs).execute(),
    );
    const c = await login(threader);
    expect((await c.cmd('THREAD REFERENCES UTF-8 ALL')).untagged).toContain(
      '* THREAD (1 (2 3)(4))(5 6)(8 7)(9)',
    );
    c.end();
  });

  it('keeps SEARCH exact (case-insensitive substring) while the index narrows', async () => {
    const c = await login(sorter);
    const search = async (q: string): Promise<string> =>
      (await c.cmd(`SEARCH CHARSET UTF-8 ${q}`)).untagged.find((l) => l.startsWith('* SEARCH'))!;
    expect(await search('TEXT "tuyển dụng"')).toBe('* SEARCH 4');
    expect(await search('TEXT "TUYỂN DỤNG"')).toBe('* SEARCH 4');
    expect(await search('TEXT "tuyen dung"')).toBe('* SEARCH'); // no diacritic folding in IMAP
    expect(await search('TEXT "tuyen"')).toBe('* SEARCH');
    expect(await search('BODY "tuyển"')).toBe('* SEARCH 4');
    expect(await search('SUBJECT "báo cáo"')).toBe('* SEARCH 1 4');
    expect(await search('SUBJECT "bao cao"')).toBe('* SEARCH');
    expect(await search('FROM "bình"')).toBe('* SEARCH 4');
    expect(await search('OR FROM "zed" TO "yên"')).toBe('* SEARCH 1 2');
    expect(await search('NOT TEXT "tuyển dụng"')).toBe('* SEARCH 1 2 3');
    c.end();
  });

  it('answers BODY and TEXT the same from the stored exact text and from the messages themselves', async () => {
    const c = await login(sorter);
    const search = async (q: string): Promise<string> =>
      (await c.cmd(`SEARCH CHARSET UTF-8 ${q}`)).untagged.find((l) => l.startsWith('* SEARCH'))!;
    const queries = [
      'TEXT "báo cáo"', // in a Subject: header only
      'BODY "báo cáo"',
      'BODY "tuyển dụng"',
      'TEXT "TUYỂN DỤNG"',
      'TEXT "tuyen dung"',
      'OR BODY "tuyển" NOT TEXT "lịch"',
      'TEXT "x"', // shorter than a trigram: no narrowing, still exact
      'SUBJECT "báo cáo"',
      'SUBJECT "BÁO"',
      'SUBJECT "bao cao"',
    ];
    const all = async (): Promise<string[]> => {
      const out: string[] = [];
      for (const q of queries) out.push(await search(q));
      return out;
    };
    const fromIndex = await all();
    expect(fromIndex.slice(0, 5)).toEqual([
      '* SEARCH 1 4',
      '* SEARCH',
      '* SEARCH 4',
      '* SEARCH 4',
      '* SEARCH',
    ]);
    const { db } = f.fx.system.store;
    // The answers above came from the stored text: emptied, it no longer finds what the blob holds.
    const saved = await db.selectFrom('search_exact').selectAll().execute();
    expect(saved.length).toBeGreaterThanOrEqual(4);
    await f.fx.system.store.write((tx) =>
      tx.db.updateTable('search_exact').set({ body: '', subject: '' }).execute(),
    );
    expect(await search('BODY "tuyển dụng"')).toBe('* SEARCH');
    expect(await search('SUBJECT "báo cáo"')).toBe('* SEARCH');
    // Messages stored before migration 0013 have no exact text: the same answers, from the blobs.
    await f.fx.system.store.write((tx) => tx.db.deleteFrom('search_exact').execute());
    expect((await db.selectFrom('search_exact').select('blob_id').execute()).length).toBe(0);
    expect(await all()).toEqual(fromIndex);
    c.end();
  });
});

describe.each(backends)('a pathological search on %s (IMAP-16)', (backend) => {
  let f: ImapFixture;
  let u: { address: string; id: string; password: string };
  // Generous enough that a narrowed search never hits it on a loaded 2-core CI machine; the
  // pathological search below still does, and the bounds are what a person would notice.
  const BUDGET = 1500;
  beforeAll(async () => {
    f = await imapFixture(backend, { imap: { searchTimeBudgetMs: BUDGET } });
    u = await f.fx.user('Lê Văn Cường');
    // 125 distinct messages, then COPY doubles them up to 10,000 (one transaction per COPY).
    for (let i = 0; i < 125; i++)
      await f.fx.system.ingest.ingest({
        content: Buffer.from(
          `From: a${i}@x.vn\r\nSubject: Công văn số ${i}\r\n\r\nNội dung thư ${i}: báo cáo tình hình.\r\n`,
        ),
        deliveries: [{ accountId: u.id }],
        source: 'import',
        quota: 'checked-before',
      });
    const c = await RawImap.connect(f.port);
    expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`)).tagged).toMatch(/OK/);
    expect((await c.cmd('SELECT INBOX')).tagged).toMatch(/OK/);
    for (let i = 0; i < 6; i++) expect((await c.cmd('COPY 1:* INBOX')).tagged).toMatch(/OK/);
    expect((await c.cmd('COPY 1:2000 INBOX')).tagged).toMatch(/OK/);
    c.end();
  }, 120_000);
  afterAll(async () => f?.close());

  it('answers a term in no message from the index within the budget while another session works', async () => {
    const a = await RawImap.connect(f.port);
    const b = await RawImap.connect(f.port);
    for (const c of [a, b]) {
      expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`)).tagged).toMatch(/OK/);
      expect((await c.cmd('SELECT INBOX')).untagged).toContain('* 10000 EXISTS');
    }
    let t = Date.now();
    const none = await a.cmd('SEARCH TEXT "không có ở đâu cả"');
    expect(none.tagged).toMatch(/OK/);
    expect(none.untagged).toContain('* SEARCH');
    expect(Date.now() - t).toBeLessThan(BUDGET);
    // The index answers found terms too, confirmed exactly.
    const one = await a.cmd('SEARCH BODY "thư 124:"');
    expect(one.tagged, JSON.stringify(one.untagged).slice(0, 300)).toMatch(/OK/);
    const every125 = Array.from({ length: 80 }, (_, k) => (k + 1) * 125).join(' ');
    expect(one.untagged, JSON.stringify(one.untagged).slice(0, 300)).toContain(`* SEARCH ${every125}`); // message 125 and its 79 copies

    // A needle too short for the index scans every message: the budget stops it, and the other
    // session is answered meanwhile.
    t = Date.now();
    a.send('s1 SEARCH OR BODY "zq" TEXT "qz"\r\n');
    const latencies: number[] = [];
    const done = a.until('s1', 30_000);
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      const s = Date.now();
      expect((await b.cmd('NOOP')).tagged).toMatch(/OK/);
      latencies.push(Date.now() - s);
      await new Promise((r) => setTimeout(r, 20));
    }
    const r = await done;
    const took = Date.now() - t;
    expect(r.tagged).toMatch(/^s1 (OK|NO \[LIMIT\])/);
    expect(took).toBeLessThan(BUDGET + 3000);
    expect(latencies.length).toBeGreaterThan(0);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    // SORT and THREAD share the budget.
    t = Date.now();
    const th = await a.cmd('THREAD REFERENCES UTF-8 BODY "zq"', 't2');
    expect(th.tagged).toMatch(/^t2 (OK|NO \[LIMIT\])/);
    expect(Date.now() - t).toBeLessThan(BUDGET + 3000);
    a.end();
    b.end();
  });
});
