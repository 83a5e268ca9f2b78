/**
 * IMAP protocol edge cases over a raw socket, on every backend: literals and continuation requests
 * (RFC 9051 §4.3, §7.5), LITERAL+ (RFC 7888), sequence sets at the 32-bit edges (IMAP-04),
 * BODY[] partials and sections (IMAP-05, RFC 3516 BINARY), EXPUNGE timing with a second session
 * (IMAP-10, RFC 9051 §7.5.1), IDLE (IMAP-11), LIST patterns (IMAP-08), flags (IMAP-09), limits and
 * floods (IMAP-01/02), QUOTA (RFC 9208), MULTIAPPEND (RFC 3502), ESEARCH (RFC 4731).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { imapFixture, message, RawImap, type ImapFixture } from './support.ts';

const backends = await availableBackends();

describe.each(backends)('IMAP protocol edges on %s', (backend) => {
  let f: ImapFixture;
  let u: { address: string; id: string; password: string };
  const login = async (): Promise<RawImap> => {
    const c = await RawImap.connect(f.port);
    const r = await c.cmd(`LOGIN ${u.address} "${u.password}"`);
    expect(r.tagged).toMatch(/OK/);
    return c;
  };

  beforeAll(async () => {
    f = await imapFixture(backend);
    u = await f.fx.user('Nguyễn Văn An');
    await f.deliver(u.id, message('Một', 'Thư một.\r\n'));
    await f.deliver(
      u.id,
      'From: a@quangtri.gov.vn\r\nSubject: Hai\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPhần một\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n--b--\r\n',
    );
    await f.deliver(u.id, message('Ba', 'Thư ba.\r\n'));
  });
  afterAll(async () => f?.close());

  it('reads synchronising literals after "+" and LITERAL+ without it', async () => {
    const c = await RawImap.connect(f.port);
    c.send(`a1 LOGIN {${Buffer.byteLength(u.address)}}\r\n`);
    expect(await c.line()).toMatch(/^\+ /);
    c.send(`${u.address} {${u.password.length}}\r\n`);
    expect(await c.line()).toMatch(/^\+ /);
    c.send(`${u.password}\r\n`);
    expect((await c.until('a1')).tagged).toMatch(/^a1 OK/);
    c.end();
    const d = await RawImap.connect(f.port);
    d.send(
      `a2 LOGIN {${Buffer.byteLength(u.address)}+}\r\n${u.address} {${u.password.length}+}\r\n${u.password}\r\n`,
    );
    const r = await d.until('a2');
    expect(r.untagged.filter((l) => l.startsWith('+'))).toEqual([]);
    expect(r.tagged).toMatch(/^a2 OK/);
    d.end();
  });

  it('handles sequence numbers and UIDs at the 32-bit edges (IMAP-04)', async () => {
    const c = await login();
    const sel = await c.cmd('SELECT INBOX');
    expect(sel.untagged).toContain('* 3 EXISTS');
    expect((await c.cmd('FETCH 0 FLAGS')).tagged).toMatch(/BAD/);
    expect((await c.cmd('FETCH 4294967296 FLAGS')).tagged).toMatch(/BAD/);
    expect((await c.cmd('FETCH 4 FLAGS')).tagged).toMatch(/BAD/);
    const all = await c.cmd('UID FETCH 1:4294967295 UID');
    expect(all.untagged.filter((l) => / FETCH /.test(l))).toHaveLength(3);
    const star = await c.cmd('UID FETCH 4294967295:* UID');
    expect(star.untagged).toEqual([expect.stringMatching(/^\* 3 FETCH \(UID 3\)$/)]);
    const rev = await c.cmd('FETCH 3:2 UID');
    expect(rev.untagged.map((l) => l.split(' ')[1])).toEqual(['2', '3']);
    const s = await c.cmd('SEARCH 6:*');
    expect(s.untagged).toEqual(['* SEARCH 3']);
    const es = await c.cmd('UID SEARCH RETURN (MIN MAX COUNT ALL) 1:*', 'e1');
    expect(es.untagged).toEqual(['* ESEARCH (TAG "e1") UID MIN 1 MAX 3 ALL 1:3 COUNT 3']);
    expect((await c.cmd('SELECT Drafts')).tagged).toMatch(/OK/);
    expect((await c.cmd('FETCH 1:* FLAGS')).tagged).toMatch(/BAD/);
    const empty = await c.cmd('UID FETCH 1:* FLAGS');
    expect(empty.tagged).toMatch(/OK/);
    expect(empty.untagged.filter((l) => l.includes('FETCH'))).toEqual([]);
    c.end();
  });

  it('serves BODY[] partials, sections and BINARY (IMAP-05)', async () => {
    const c = await login();
    await c.cmd('EXAMINE INBOX');
    const whole = await c.cmd('FETCH 1 (RFC822.SIZE BODY.PEEK[])');
    const size = Number(/RFC822\.SIZE (\d+)/.exec(whole.untagged[0]!)![1]);
    expect(whole.untagged[0]).toContain(`BODY[] {${size}}`);
    expect((await c.cmd('FETCH 1 BODY.PEEK[]<0.4294967295>')).untagged[0]).toContain(`BODY[]<0> {${size}}`);
    expect((await c.cmd('FETCH 1 BODY.PEEK[]<4294967295.1>')).untagged[0]).toMatch(
      /BODY\[\]<4294967295> \{0\}/,
    );
    expect((await c.cmd('FETCH 1 BODY.PEEK[]<10.5>')).untagged[0]).toMatch(/BODY\[\]<10> \{5\}\r\n.{5}\)$/s);
    expect((await c.cmd('FETCH 1 BODY.PEEK[99]')).untagged[0]).toMatch(/BODY\[99\] NIL/);
    expect((await c.cmd('FETCH 1 BODY.PEEK[0]')).tagged).toMatch(/BAD/);
    const hf = await c.cmd('FETCH 2 BODY.PEEK[HEADER.FIELDS (SUBJECT)]');
    expect(hf.untagged[0]).toMatch(/BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{16\}\r\nSubject: Hai\r\n\r\n\)$/);
    const notf = await c.cmd('FETCH 2 BODY.PEEK[HEADER.FIELDS.NOT (SUBJECT FROM MIME-VERSION)]');
    expect(notf.untagged[0]).toContain('Content-Type: multipart/mixed');
    expect(notf.untagged[0]).not.toContain('Subject');
    const p1 = (await c.cmd('FETCH 2 BODY.PEEK[1]')).untagged[0]!;
    expect(Buffer.from(p1, 'latin1').toString('utf8')).toContain('BODY[1] {12}\r\nPhần một)');
    expect((await c.cmd('FETCH 2 BODY.PEEK[2.MIME]')).untagged[0]).toContain(
      'Content-Transfer-Encoding: base64',
    );
    const bin = await c.cmd('FETCH 2 (BINARY.PEEK[2] BINARY.SIZE[2])');
    expect(bin.untagged[0]).toContain('BINARY.SIZE[2] 4');
    expect(bin.untagged[0]).toContain('BINARY[2] ~{4}\r\n\u0000\u0001\u0002\u0003');
    const bs = await c.cmd('FETCH 2 BODYSTRUCTURE');
    expect(bs.untagged[0]).toMatch(/BODYSTRUCTURE \(\("TEXT" "PLAIN" \("CHARSET" "utf-8"\).*"MIXED"/i);
    // EXAMINE is read-only: BODY[] does not set \Seen.
    await c.cmd('FETCH 1 BODY[TEXT]');
    expect((await c.cmd('FETCH 1 FLAGS')).untagged[0]).toBe('* 1 FETCH (FLAGS ())');
    c.end();
  });

  it('sets \\Seen implicitly on BODY[] and answers STORE with FLAGS; refuses bad flags (IMAP-09)', async () => {
    const c = await login();
    await c.cmd('SELECT INBOX');
    const r = await c.cmd('FETCH 3 BODY[TEXT]');
    expect(r.untagged[0]).toMatch(/FLAGS \(\\Seen\)/);
    expect((await c.cmd('STORE 3 -FLAGS (\\Seen)')).untagged).toEqual(['* 3 FETCH (FLAGS () UID 3)']);
    expect((await c.cmd('STORE 3 +FLAGS (\\Recent)')).tagged).toMatch(/BAD/);
    expect((await c.cmd('STORE 3 +FLAGS (\\Bogus)')).tagged).toMatch(/BAD/);
    expect((await c.cmd('STORE 3 +FLAGS.SILENT (__proto__ constructor)')).tagged).toMatch(/OK/);
    expect((await c.cmd('FETCH 3 FLAGS')).untagged[0]).toMatch(/__proto__/);
    expect((await c.cmd('STORE 3 -FLAGS.SILENT (__proto__ constructor)')).tagged).toMatch(/OK/);
    c.end();
  });

  it('never sends EXPUNGE during FETCH/STORE/SEARCH; NOOP delivers it (IMAP-10)', async () => {
    const extra = await f.deliver(u.id, message('Bốn', 'Thư bốn.\r\n'));
    const a = await login();
    const b = await login();
    const sa = await a.cmd('SELECT INBOX');
    expect(sa.untagged).toContain('* 4 EXISTS');
    await b.cmd('SELECT INBOX');
    expect((await b.cmd(`UID STORE ${extra} +FLAGS.SILENT (\\Deleted)`)).tagged).toMatch(/OK/);
    const ex = await b.cmd('EXPUNGE');
    expect(ex.untagged).toContain('* 4 EXPUNGE');
    const fetch = await a.cmd('FETCH 4 BODY.PEEK[]');
    expect(fetch.untagged.some((l) => l.includes('EXPUNGE'))).toBe(false);
    expect(fetch.untagged.some((l) => /^\* 4 FETCH .*BODY\[\]/.test(l))).toBe(false); // never another message
    expect(fetch.tagged).toMatch(/NO \[EXPUNGEISSUED\]/);
    const store = await a.cmd('STORE 1:4 +FLAGS.SILENT (\\Flagged)');
    expect(store.untagged.some((l) => l.includes('EXPUNGE'))).toBe(false);
    const search = await a.cmd('SEARCH ALL');
    expect(search.untagged).toEqual(['* SEARCH 1 2 3']);
    const noop = await a.cmd('NOOP');
    expect(noop.untagged).toContain('* 4 EXPUNGE');
    expect((await a.cmd('FETCH 4 FLAGS')).tagged).toMatch(/BAD/);
    await a.cmd('STORE 1:3 -FLAGS.SILENT (\\Flagged)');
    a.end();
    b.end();
  });

  it('IDLE: pushes EXISTS, accepts DONE split across packets, BAD for anything else (IMAP-11)', async () => {
    const c = await login();
    await c.cmd('SELECT INBOX');
    c.send('i1 IDLE\r\n');
    expect(await c.line()).toBe('+ idling');
    const uid = await f.deliver(u.id, message('Năm', 'Thư năm.\r\n'));
    expect(await c.line(2000)).toMatch(/^\* \d+ EXISTS$/);
    c.send('DO');
    await new Promise((r) => setTimeout(r, 50));
    c.send('NE\r\n');
    expect((await c.until('i1')).tagged).toMatch(/^i1 OK/);
    c.send('i2 IDLE\r\n');
    expect(await c.line()).toBe('+ idling');
    c.send('NOOP\r\n');
    expect((await c.until('i2')).tagged).toMatch(/^i2 BAD/);
    expect((await c.cmd(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`)).tagged).toMatch(/OK/);
    expect((await c.cmd(`UID EXPUNGE ${uid}`)).untagged).toEqual([expect.stringMatching(/^\* \d+ EXPUNGE$/)]);
    c.end();
  });

  it('matches LIST patterns literally and in linear time (IMAP-08); NAMESPACE, ID, ENABLE', async () => {
    const c = await login();
    for (const p of ['"(.*"', '"[a-"', '"\\\\"', '"*%*%*%*%*%*%*%*%*%*%a"', '"../"'])
      expect((await c.cmd(`LIST "" ${p}`)).tagged, p).toMatch(/OK|BAD/);
    expect((await c.cmd('LIST "" ""')).untagged).toEqual(['* LIST (\\Noselect) "/" ""']);
    expect((await c.cmd('LIST "" "inbox"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" INBOX']);
    expect((await c.cmd('LIST "" %')).untagged).toHaveLength(6);
    const ext = await c.cmd('LIST (SPECIAL-USE) "" * RETURN (STATUS (MESSAGES SIZE))');
    expect(ext.untagged.filter((l) => l.startsWith('* LIST'))).toHaveLength(5);
    expect(ext.untagged.filter((l) => l.startsWith('* STATUS'))).toHaveLength(5);
    expect((await c.cmd('NAMESPACE')).untagged).toEqual(['* NAMESPACE (("" "/")) NIL (("Shared/" "/"))']);
    expect((await c.cmd('ID ("name" "test" "__proto__" "x")')).untagged[0]).toMatch(/^\* ID \(/);
    // IMAP4rev1: 8-bit names are refused; modified UTF-7 (RFC 3501 §5.1.3) is the way.
    expect((await c.cmd('CREATE "Công văn"')).tagged).toMatch(/BAD/);
    expect((await c.cmd('CREATE "C&APQ-ng v&AQM-n"')).tagged).toMatch(/OK/);
    expect((await c.cmd('LIST "" "C*"')).untagged).toEqual([
      '* LIST (\\HasNoChildren) "/" "C&APQ-ng v&AQM-n"',
    ]);
    for (const bad of ['"&Jjo"', '"&AGE-"', '"&YQ-"'])
      expect((await c.cmd(`CREATE ${bad}`)).tagged, bad).toMatch(/BAD/); // invalid modified UTF-7
    expect((await c.cmd('ENABLE UTF8=ACCEPT')).untagged).toEqual(['* ENABLED UTF8=ACCEPT']);
    expect((await c.cmd('LIST "" "C*"')).untagged).toEqual(['* LIST (\\HasNoChildren) "/" "Công văn"']);
    for (const bad of ['"../../x"', '"./a"', '"a//b"', '"/abs"', '"#Users/bob"', '"~bob/INBOX"'])
      expect((await c.cmd(`CREATE ${bad}`)).tagged, bad).toMatch(/NO|BAD/);
    expect((await c.cmd('SELECT "#Users/bob/INBOX"')).tagged).toMatch(/NO \[NONEXISTENT\]/);
    expect((await c.cmd('CREATE INBOX')).tagged).toMatch(/NO \[ALREADYEXISTS\]/);
    expect((await c.cmd('DELETE INBOX')).tagged).toMatch(/NO/);
    expect((await c.cmd('DELETE "Công văn"')).tagged).toMatch(/OK/);
    c.end();
  });

  it('QUOTA, STATUS=SIZE, APPEND with APPENDUID, MULTIAPPEND and TRYCREATE', async () => {
    const c = await login();
    const q = await c.cmd('GETQUOTAROOT INBOX');
    expect(q.untagged[0]).toBe('* QUOTAROOT INBOX ""');
    // RFC 9208: STORAGE in KiB, the regulation's personal quota (Điều 9.1: 2 GB).
    const kib = Math.floor(f.fx.config.quota.personalBytes / 1024);
    expect(q.untagged[1]).toMatch(new RegExp(`^\\* QUOTA "" \\(STORAGE \\d+ ${kib}\\)$`));
    expect((await c.cmd('GETQUOTA "other"')).tagged).toMatch(/NO/);
    const msg = 'Subject: append\r\n\r\nhello\r\n';
    c.send(`p1 APPEND Drafts (\\Draft) {${msg.length}+}\r\n${msg} {${msg.length}+}\r\n${msg}\r\n`);
    const ap = await c.until('p1');
    expect(ap.tagged).toMatch(/^p1 OK \[APPENDUID \d+ 1:2\]/);
    const st = await c.cmd('STATUS Drafts (MESSAGES SIZE UIDNEXT UNSEEN)');
    expect(st.untagged[0]).toMatch(/^\* STATUS Drafts \(MESSAGES 2 SIZE 52 UIDNEXT 3 UNSEEN 2\)$/);
    expect((await c.cmd('APPEND Nowhere {5+}\r\nhello')).tagged).toMatch(/NO \[TRYCREATE\]/);
    expect((await c.cmd('APPEND Drafts {0+}\r\n')).tagged).toMatch(/NO/);
    expect((await c.cmd('APPEND Drafts {99999999999}')).tagged).toMatch(/NO \[TOOBIG\]/);
    c.end();
  });

  it('survives floods and oversize input, closing after too many bad commands (IMAP-01/02)', async () => {
    const c = await RawImap.connect(f.port);
    c.send(`${'x'.repeat(20_000)}\r\n`);
    expect(await c.line()).toMatch(/^\* BAD \[TOOBIG\]|^x+ BAD/);
    expect((await c.cmd('NOOP')).tagged).toMatch(/OK/);
    expect((await c.cmd('LOGIN {4294967295}')).tagged).toMatch(/BAD|NO/);
    let flood = '';
    for (let i = 0; i < 7000; i++) flood += `n${i} NOOP\r\n`;
    c.send(flood);
    expect((await c.until('n6999', 20_000)).tagged).toMatch(/OK/);
    for (let i = 0; i < 25 && !c.closed; i++) c.send(`b${i} BOGUS\r\n`);
    await c.waitClosed();
  });
});
