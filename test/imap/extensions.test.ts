/**
 * IMAP extensions over real sockets on every backend: SEARCHRES (RFC 5182: SEARCH RETURN (SAVE)
 * and `$` in FETCH, STORE, COPY, SEARCH; MIN/MAX; reset on failure; expunged messages drop out)
 * and COMPRESS=DEFLATE (RFC 4978: raw deflate both ways with a node:zlib client, the refusals,
 * and the inflate ratio cap against a zip bomb, IMAP-06).
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { imapFixture, message, RawImap, type ImapFixture } from './support.ts';

const backends = await availableBackends();

type User = { address: string; id: string; password: string };

describe.each(backends)('SEARCHRES and COMPRESS (%s)', (backend) => {
  let f: ImapFixture;
  let n = 0;
  const newUser = async (messages: number, body = (i: number) => `Nội dung ${i}.\r\n`): Promise<User> => {
    const u = await f.fx.user(`Phạm Văn Dũng ${String.fromCharCode(65 + n++)}`);
    for (let i = 1; i <= messages; i++) await f.deliver(u.id, message(`Thư ${i}`, body(i)));
    return u;
  };
  const login = async (u: User): Promise<RawImap> => {
    const c = await RawImap.connect(f.port);
    expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`)).tagged).toMatch(/OK/);
    return c;
  };

  beforeAll(async () => {
    f = await imapFixture(backend);
  });
  afterAll(async () => f?.close());

  it('saves a SEARCH result and uses it as $ (RFC 5182)', async () => {
    const u = await newUser(6);
    const c = await login(u);
    expect((await c.cmd('CAPABILITY')).untagged.join(' ')).toMatch(/ SEARCHRES( |$)/);
    await c.cmd('SELECT INBOX');
    // Before any SAVE, $ is empty (§2.1).
    const none = await c.cmd('FETCH $ (UID)');
    expect(none.tagged).toMatch(/OK/);
    expect(none.untagged).toEqual([]);
    await c.cmd('STORE 2,4,5 +FLAGS.SILENT (\\Flagged)');
    // SAVE alone: no ESEARCH (§2.4).
    const s = await c.cmd('SEARCH RETURN (SAVE) FLAGGED');
    expect(s.tagged).toMatch(/OK/);
    expect(s.untagged).toEqual([]);
    expect((await c.cmd('FETCH $ (UID)')).untagged).toEqual([
      '* 2 FETCH (UID 2)',
      '* 4 FETCH (UID 4)',
      '* 5 FETCH (UID 5)',
    ]);
    expect((await c.cmd('SEARCH $ NOT 4', 's1')).untagged).toEqual(['* SEARCH 2 5']);
    expect((await c.cmd('UID SEARCH UID $ 1:4')).untagged).toEqual(['* SEARCH 2 4']);
    expect((await c.cmd('UID STORE $ +FLAGS (\\Seen)')).untagged).toHaveLength(3);
    const copied = await c.cmd('COPY $ Archive');
    expect(copied.tagged).toMatch(/OK \[COPYUID \d+ 2,4:5 1:3\]/);
    // An expunged message drops out of $ (§2.1: $ holds UIDs).
    await c.cmd('UID STORE 4 +FLAGS.SILENT (\\Deleted)');
    await c.cmd('UID EXPUNGE 4');
    expect((await c.cmd('UID FETCH $ (FLAGS)')).untagged.map((l) => /UID (\d+)/.exec(l)![1])).toEqual([
      '2',
      '5',
    ]);
    // With MIN and MAX only those are saved; ESEARCH is sent for them (§2.4).
    const mm = await c.cmd('UID SEARCH RETURN (SAVE MIN MAX) ALL', 'mm');
    expect(mm.untagged).toEqual(['* ESEARCH (TAG "mm") UID MIN 1 MAX 6']);
    expect((await c.cmd('UID FETCH $ (UID)')).untagged).toEqual(['* 1 FETCH (UID 1)', '* 5 FETCH (UID 6)']);
    // SAVE with ALL and COUNT: the whole result is saved and reported.
    const all = await c.cmd('SEARCH RETURN (SAVE ALL COUNT) SEEN', 'sa');
    expect(all.untagged).toEqual(['* ESEARCH (TAG "sa") ALL 2,4 COUNT 2']);
    expect((await c.cmd('FETCH $ (UID)')).untagged).toEqual(['* 2 FETCH (UID 2)', '* 4 FETCH (UID 5)']);
    // A failing SAVE search leaves $ empty.
    expect((await c.cmd('SEARCH RETURN (SAVE) CHARSET KOI8-R ALL')).tagged).toMatch(/NO \[BADCHARSET/);
    expect((await c.cmd('FETCH $ (UID)')).untagged).toEqual([]);
    c.end();
  });

  it('runs a session compressed with raw deflate both ways (RFC 4978)', async () => {
    const big = 'Bao cao tong hop tinh hinh thuc hien nhiem vu nam 2026.\r\n'.repeat(4000);
    const u = await newUser(1, () => big);
    const c = await login(u);
    expect((await c.cmd('CAPABILITY')).untagged.join(' ')).toMatch(/ COMPRESS=DEFLATE( |$)/);
    await c.compress();
    expect((await c.cmd('NOOP')).tagged).toMatch(/OK/);
    expect((await c.cmd('SELECT INBOX')).untagged).toContain('* 1 EXISTS');
    const before = c.wireBytesIn;
    const r = await c.cmd('FETCH 1 BODY.PEEK[TEXT]');
    expect(r.tagged).toMatch(/OK/);
    expect(r.untagged[0]).toContain('Bao cao tong hop tinh hinh');
    const plainLength = r.untagged.join('\r\n').length;
    expect(plainLength).toBeGreaterThan(200_000);
    // What came over the wire is a small fraction of what was sent: really compressed.
    expect(c.wireBytesIn - before).toBeLessThan(plainLength / 20);
    // A second COMPRESS is refused, inside the compressed stream.
    expect((await c.cmd('COMPRESS DEFLATE')).tagged).toMatch(/NO \[COMPRESSIONACTIVE\]/);
    const bye = await c.cmd('LOGOUT');
    expect(bye.untagged[0]).toMatch(/^\* BYE/);
    expect(bye.tagged).toMatch(/OK/);
  });

  it('refuses COMPRESS before sign-in and for another algorithm', async () => {
    const u = await newUser(0);
    const pre = await RawImap.connect(f.port);
    expect((await pre.cmd('COMPRESS DEFLATE')).tagged).toMatch(/^t\d+ BAD /);
    pre.end();
    const c = await login(u);
    expect((await c.cmd('COMPRESS LZ4')).tagged).toMatch(/^t\d+ BAD /);
    expect((await c.cmd('NOOP')).tagged).toMatch(/OK/); // still uncompressed
    c.end();
  });

  it('closes a connection whose deflate input inflates beyond the ratio cap (zip bomb, IMAP-06)', async () => {
    const u = await newUser(0);
    const c = await login(u);
    await c.compress();
    // A 16 MB APPEND of one repeated line: about 16 KB compressed, 1000 times smaller. Without the
    // cap it is a valid message and would be stored.
    const line = `${'A'.repeat(76)}\r\n`;
    const body = Buffer.from(`Subject: bom\r\n\r\n${line.repeat(210_000)}`);
    const bomb = zlib.deflateRawSync(
      Buffer.concat([Buffer.from(`b1 APPEND INBOX {${body.length}+}\r\n`), body, Buffer.from('\r\n')]),
      { level: 9 },
    );
    expect(bomb.length * 100).toBeLessThan(body.length);
    c.socket.write(bomb);
    let last = '';
    try {
      for (;;) last = await c.line(20_000);
    } catch {
      // closed
    }
    expect(last).toMatch(/^\* BYE .*Compressed input refused/);
    await c.waitClosed();
    // Nothing was stored, and the server goes on serving.
    const d = await login(u);
    const st = await d.cmd('STATUS INBOX (MESSAGES)');
    expect(st.untagged[0]).toMatch(/MESSAGES 0/);
    d.end();
  });
});
