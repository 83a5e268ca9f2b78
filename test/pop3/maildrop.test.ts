// POP3 TRANSACTION and UPDATE states over real sockets, on every backend: catalogue POP-02, POP-03,
// POP-05, G1; RFC 1939 §3 (byte-stuffing, autologout), §5–§7 (DELE, RSET, QUIT, TOP, UIDL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { expunge, findFolder, listMessages, storeFlags } from '../../src/mailbox/index.ts';
import fc from 'fast-check';
import { pop3Fixture, RawPop3, message, type Pop3Fixture } from './support.ts';

const backends = await availableBackends();

describe.each(backends)('POP3 maildrop on %s', (backend) => {
  let p: Pop3Fixture;
  beforeAll(async () => {
    p = await pop3Fixture(backend);
  });
  afterAll(async () => p.close());

  const uidsOf = async (accountId: string): Promise<number[]> => {
    const f = await findFolder(p.fx.system.store.db, accountId, 'INBOX');
    return f ? (await listMessages(p.fx.system.store, f.id)).map((m) => m.uid) : [];
  };
  /** Sign in, retrying while the previous session's lock is still being released. */
  const signedIn = async (u: { address: string; password: string }): Promise<RawPop3> => {
    for (let i = 0; ; i++) {
      const c = await RawPop3.connect(p.stlsPort);
      const r = await c.login(u.address, u.password);
      if (r.startsWith('+OK')) return c;
      c.end();
      if (!r.includes('[IN-USE]') || i > 50) throw new Error(r);
      await new Promise((res) => setTimeout(res, 20));
    }
  };

  it('marks with DELE, restores with RSET, and removes exactly the marked messages at QUIT (POP-02, G1)', async () => {
    const u = await p.fx.user('Nguyễn Văn An');
    const uids = [];
    for (let i = 1; i <= 3; i++) uids.push(await p.deliver(u.id, message(`Thư ${i}`, `Nội dung ${i}\r\n`)));
    const c = await signedIn(u);
    const [, n, total] = (await c.cmd('STAT')).split(' ');
    expect(n).toBe('3');
    expect(await c.cmd('DELE 2')).toMatch(/^\+OK/);
    expect(await c.cmd('DELE 2')).toMatch(/^-ERR /);
    expect(await c.cmd('RETR 2')).toMatch(/^-ERR /);
    expect(await c.cmd('TOP 2 0')).toMatch(/^-ERR /);
    expect(await c.cmd('LIST 2')).toMatch(/^-ERR /);
    expect(await c.cmd('UIDL 2')).toMatch(/^-ERR /);
    expect((await c.multi('LIST')).body.toString()).toMatch(/^1 \d+\r\n3 \d+\r\n$/);
    expect(await c.cmd('STAT')).toMatch(/^\+OK 2 /);
    expect(await c.cmd('RSET')).toMatch(/^\+OK maildrop has 3 /);
    expect(await c.cmd('STAT')).toBe(`+OK 3 ${total}`);
    expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
    expect(await c.cmd('DELE 3')).toMatch(/^\+OK/);
    expect(await uidsOf(u.id)).toEqual(uids); // nothing removed before QUIT
    expect(await c.cmd('QUIT')).toMatch(/^\+OK .*2 messages deleted/);
    // "+OK" came after the commit: the rows are gone the moment it is read.
    expect(await uidsOf(u.id)).toEqual([uids[1]]);
    await c.waitClosed();
  });

  it('never serves a message removed since sign-in (expunged elsewhere, or contained as classified)', async () => {
    const u = await p.fx.user('Trần Thị Gỡ');
    const first = await p.deliver(u.id, message('Thư mật', 'Nội dung mật\r\n'));
    await p.deliver(u.id, message('Thư thường', 'Nội dung thường\r\n'));
    const c = await signedIn(u);
    expect((await c.cmd('STAT')).startsWith('+OK 2 ')).toBe(true);
    const folder = (await findFolder(p.fx.system.store.db, u.id, 'INBOX'))!;
    await storeFlags(p.fx.system, folder, [first], 'add', ['\\Deleted']);
    await expunge(p.fx.system, folder, [first]);
    const gone = await c.cmd('RETR 1');
    expect(gone).toMatch(/^-ERR /);
    expect(gone).toContain('removed by another session');
    expect(await c.cmd('TOP 1 0')).toMatch(/^-ERR /);
    expect(await c.cmd('RETR 2')).toMatch(/^\+OK /);
    c.end();
  });

  it('deletes nothing when the connection drops without QUIT (POP-02 c, RFC 1939 §6)', async () => {
    const u = await p.fx.user('Trần Thị Bình');
    const uids = [
      await p.deliver(u.id, message('Một', 'a\r\n')),
      await p.deliver(u.id, message('Hai', 'b\r\n')),
    ];
    const c = await signedIn(u);
    expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
    expect(await c.cmd('DELE 2')).toMatch(/^\+OK/);
    c.end();
    const d = await signedIn(u);
    expect(await d.cmd('STAT')).toMatch(/^\+OK 2 /);
    expect(await uidsOf(u.id)).toEqual(uids);
    expect(await d.cmd('QUIT')).toMatch(/^\+OK .*0 messages deleted/);
  });

  it('refuses a second session on the same mailbox with [IN-USE], on either port (POP-03)', async () => {
    const u = await p.fx.user('Lê Văn Cường');
    const other = await p.fx.user('Phạm Thị Dung');
    const a = await signedIn(u);
    const b = await RawPop3.connect(p.stlsPort);
    expect(await b.login(u.address, u.password)).toMatch(/^-ERR \[IN-USE\] /);
    const t = await RawPop3.connect(p.tlsPort, { tls: true });
    expect(await t.login(u.address, u.password)).toMatch(/^-ERR \[IN-USE\] /);
    // Another mailbox is not affected.
    expect(await t.login(other.address, other.password)).toMatch(/^\+OK/);
    expect(await a.cmd('QUIT')).toMatch(/^\+OK/);
    await a.waitClosed();
    expect(await b.login(u.address, u.password)).toMatch(/^\+OK/);
    b.end();
    t.end();
  });

  it('keeps numbering fixed for the session and UIDL stable across sessions (POP-03, RFC 1939 §7)', async () => {
    const u = await p.fx.user('Hoàng Văn Em');
    await p.deliver(u.id, message('Một', 'a\r\n'));
    await p.deliver(u.id, message('Hai', 'b\r\n'));
    const c = await signedIn(u);
    const first = (await c.multi('UIDL')).body.toString();
    expect(first).toMatch(/^1 \d+\.\d+\r\n2 \d+\.\d+\r\n$/);
    await p.deliver(u.id, message('Ba', 'c\r\n')); // arrives during the session
    expect(await c.cmd('STAT')).toMatch(/^\+OK 2 /);
    expect(await c.cmd('RETR 3')).toMatch(/^-ERR /);
    expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
    const d = await signedIn(u);
    const second = (await d.multi('UIDL')).body.toString().trim().split('\r\n');
    const ids = first
      .trim()
      .split('\r\n')
      .map((l) => l.split(' ')[1]);
    expect(second).toHaveLength(2);
    expect(second[0]).toBe(`1 ${ids[1]}`);
    expect(second[1]).toMatch(/^2 \d+\.\d+$/);
    expect(second[1]!.split(' ')[1]).not.toBe(ids[0]);
    expect(await d.cmd(`UIDL 1`)).toBe(`+OK 1 ${ids[1]}`);
    d.end();
  });

  it('validates message numbers and TOP arguments without overflow (POP-05)', async () => {
    const u = await p.fx.user('Vũ Thị Giang');
    await p.deliver(u.id, message('Một', 'a\r\n'));
    const c = await signedIn(u);
    for (const bad of [
      'TOP',
      'TOP 1',
      'TOP 1 2 3',
      'TOP 1 -1',
      'TOP 1 99999999999',
      'RETR 0',
      'RETR 1x',
      'RETR -1',
      'RETR 4294967296',
      'RETR 2147483648',
      'RETR',
      'DELE 0',
      'LIST 1 2',
      'UIDL x',
      'STAT 1',
      'LIST +1',
    ])
      expect(await c.cmd(bad), bad).toMatch(/^-ERR /);
    expect(await c.cmd('RETR 2147483647')).toMatch(/^-ERR /); // in range, but no such message
    expect(await c.cmd('LIST 01')).toMatch(/^\+OK 1 \d+$/); // leading zeros are accepted
    expect(await c.cmd('list 1')).toMatch(/^\+OK 1 /); // keywords are case-insensitive
    expect((await c.multi('TOP 1 99999')).status).toMatch(/^\+OK/);
    expect(await c.cmd('NOOP')).toBe('+OK');
    c.end();
  });

  it('returns a 5 MB message byte-exact after un-stuffing, and TOP n m cuts after n body lines (RFC 1939 §3, §7)', async () => {
    const u = await p.fx.user('Đỗ Văn Hải');
    const lines = ['.', '..', '.leading dot', 'normal', '', '. ', '...three'];
    let body = '';
    for (let i = 0; body.length < 5_000_000; i++)
      body += `${lines[i % lines.length]} ${i % 3 === 0 ? '' : i}\r\n`;
    body += '.\r\n\r\n.\r\n.';
    const content = Buffer.from(message('Lớn', body));
    await p.deliver(u.id, content);
    const c = await signedIn(u);
    const r = await c.multi('RETR 1');
    expect(r.status).toBe(`+OK ${content.length} octets`);
    // The stored message does not end with CRLF: the server adds one before the terminator.
    expect(r.body.equals(Buffer.concat([content, Buffer.from('\r\n')]))).toBe(true);
    const top = await c.multi('TOP 1 3');
    const head = content.subarray(0, content.indexOf('\r\n\r\n') + 4).toString();
    expect(top.body.toString()).toBe(`${head}${body.split('\r\n').slice(0, 3).join('\r\n')}\r\n`);
    expect((await c.multi('TOP 1 0')).body.toString()).toBe(head);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('waits for a slow reader instead of buffering a large RETR in memory (backpressure)', async () => {
    const u = await p.fx.user('Lý Văn Minh');
    const line = `${'Quảng Trị '.repeat(7)}\r\n`;
    const content = Buffer.from(
      message('Rất lớn', line.repeat(Math.ceil(24_000_000 / Buffer.byteLength(line)))),
    );
    await p.deliver(u.id, content);
    const c = await signedIn(u);
    c.socket.pause();
    global.gc?.();
    const before = process.memoryUsage().arrayBuffers;
    c.send('RETR 1');
    await new Promise((r) => setTimeout(r, 700));
    const grown = process.memoryUsage().arrayBuffers - before;
    // Without backpressure the whole 24 MB would now sit in the server's socket buffer.
    expect(grown).toBeLessThan(12_000_000);
    c.socket.resume();
    expect(await c.line()).toBe(`+OK ${content.length} octets`);
    expect((await c.body()).equals(content)).toBe(true);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('survives arbitrary bytes in each state and leaves no lock behind (G2)', async () => {
    const u = await p.fx.user('Bùi Thị Lan');
    await p.deliver(u.id, message('Một', 'a\r\n'));
    const inputs = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 4000 }),
        fc
          .array(
            fc.constantFrom(
              'RETR 1\r\n',
              'TOP 1 ',
              'AUTH PLAIN\r\n',
              'DELE 1\r\n',
              '\r\n',
              '.',
              '\u0000',
              '\xff',
              'STLS\r\n',
            ),
            { maxLength: 60 },
          )
          .map((a) => Buffer.from(a.join(''), 'latin1')),
      ),
      { seed: 4242, numRuns: 24 },
    );
    for (const [i, bytes] of inputs.entries()) {
      const c = i % 2 === 0 ? await RawPop3.connect(p.stlsPort) : await signedIn(u);
      c.send(Buffer.from(bytes));
      await new Promise((r) => setTimeout(r, 10));
      c.end();
    }
    const d = await signedIn(u);
    expect(await d.cmd('STAT')).toMatch(/^\+OK 1 /); // dropped sessions deleted nothing
    expect(await d.cmd('QUIT')).toMatch(/^\+OK/);
  });
});

describe.each(backends)('POP3 autologout on %s', (backend) => {
  let p: Pop3Fixture;
  beforeAll(async () => {
    p = await pop3Fixture(backend, {}, { settings: { idleTimeoutMs: 400 } });
  });
  afterAll(async () => p.close());

  it('closes an idle session without entering UPDATE (RFC 1939 §3)', async () => {
    const u = await p.fx.user('Ngô Thị Khánh');
    await p.deliver(u.id, message('Một', 'a\r\n'));
    const c = await RawPop3.connect(p.stlsPort);
    expect(await c.login(u.address, u.password)).toMatch(/^\+OK/);
    expect(await c.cmd('DELE 1')).toMatch(/^\+OK/);
    expect(await c.line(5000)).toMatch(/^-ERR .*[Ii]dle/);
    await c.waitClosed();
    const d = await RawPop3.connect(p.stlsPort);
    expect(await d.login(u.address, u.password)).toMatch(/^\+OK maildrop has 1 /);
    d.end();
  });
});
