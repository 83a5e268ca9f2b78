// POP3 AUTHORIZATION state over real sockets, on every backend: catalogue POP-01, POP-04, AUTH-02,
// AUTH-05, AUTH-08; RFC 1939 §4, §7; RFC 2449 §5, §8; RFC 2595 §4; RFC 3206; RFC 5034; RFC 4616.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { operator } from '../support/system.ts';
import { encodeSaslPlain } from '../../src/protocol/pop3/index.ts';
import { pop3Fixture, RawPop3, type Pop3Fixture } from './support.ts';

const backends = await availableBackends();

const capa = async (c: RawPop3): Promise<string[]> =>
  (await c.multi('CAPA')).body.toString().trim().split('\r\n');

describe.each(backends)('POP3 sign-in on %s (development, loopback)', (backend) => {
  let p: Pop3Fixture;
  beforeAll(async () => {
    p = await pop3Fixture(backend);
  });
  afterAll(async () => p.close());

  it('answers every mail command before sign-in with -ERR, and PASS before USER (POP-01)', async () => {
    const c = await RawPop3.connect(p.stlsPort);
    expect(c.greeting).toMatch(/^\+OK /);
    expect(c.greeting).not.toMatch(/<.*@.*>/); // no APOP timestamp (POP-04)
    for (const cmd of ['STAT', 'RETR 1', 'DELE 1', 'LIST', 'UIDL', 'TOP 1 0', 'RSET', 'NOOP', 'PASS x'])
      expect(await c.cmd(cmd), cmd).toMatch(/^-ERR /);
    expect(await c.cmd('APOP user c4c9334bac560ecc979e58001b3e22fb')).toMatch(/^-ERR \[AUTH\] /);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
    await c.waitClosed();
  });

  it('says the same for an unknown user and a wrong password; USER always +OK (AUTH-02)', async () => {
    const u = await p.fx.user('Trần Thị Bình');
    const c = await RawPop3.connect(p.stlsPort);
    expect(await c.cmd('USER khongtontai@quangtri.gov.vn')).toMatch(/^\+OK/);
    const unknown = await c.cmd(`PASS ${u.password}`);
    expect(await c.cmd(`USER ${u.address}`)).toMatch(/^\+OK/);
    const wrong = await c.cmd('PASS Sai@MatKhau99');
    expect(unknown).toMatch(/^-ERR \[AUTH\] /);
    expect(wrong).toBe(unknown);
    // The third failure on one connection closes it (maxAuthFailures = 3).
    expect(await c.login(u.address, 'Sai@MatKhau98')).toBe(unknown);
    expect(await c.line()).toMatch(/^-ERR \[AUTH\] /);
    await c.waitClosed();
  });

  it('advertises USER and SASL PLAIN on loopback in development, with STLS', async () => {
    const c = await RawPop3.connect(p.stlsPort);
    const caps = await capa(c);
    expect(caps).toEqual(
      expect.arrayContaining(['TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING']),
    );
    expect(caps).toEqual(expect.arrayContaining(['STLS', 'USER', 'SASL PLAIN']));
    c.end();
  });

  it('handles AUTH PLAIN: initial response, continuation, "*" cancel, bad base64, foreign authzid (AUTH-05)', async () => {
    const u = await p.fx.user('Lê Văn Cường');
    const c = await RawPop3.connect(p.stlsPort);
    expect((await c.multi('AUTH')).body.toString()).toBe('PLAIN\r\n');
    expect(await c.cmd('AUTH CRAM-MD5')).toMatch(/^-ERR \[AUTH\] /);
    expect(await c.cmd('AUTH PLAIN')).toBe('+ ');
    expect(await c.cmd('*')).toMatch(/^-ERR \[AUTH\] /);
    expect(await c.cmd('AUTH PLAIN !!!notbase64')).toMatch(/^-ERR \[AUTH\] .*base64/);
    expect(await c.cmd('AUTH PLAIN')).toBe('+ ');
    expect(await c.cmd('Zm9v=')).toMatch(/^-ERR \[AUTH\] .*base64/);
    expect(await c.cmd('AUTH PLAIN =')).toMatch(/^-ERR \[AUTH\] /);
    // authzid = someone else, with the right password of authcid: refused (RFC 4616 §2).
    const foreign = encodeSaslPlain(u.address, u.password, 'nguyenvanan@quangtri.gov.vn');
    expect(await c.cmd(`AUTH PLAIN ${foreign}`)).toMatch(/^-ERR \[AUTH\] .*authzid/);
    // A continuation after the exchange was cancelled is a command again, not a SASL response.
    expect(await c.cmd(encodeSaslPlain(u.address, u.password))).toMatch(/^-ERR /);
    expect(await c.cmd('AUTH PLAIN')).toBe('+ ');
    expect(await c.cmd(encodeSaslPlain(u.address, u.password, u.address))).toMatch(/^\+OK maildrop has 0 /);
    expect(await c.cmd('STAT')).toBe('+OK 0 0');
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('answers an overlong line with -ERR without losing the session (RFC 2449 §4)', async () => {
    const c = await RawPop3.connect(p.stlsPort);
    expect(await c.cmd(`USER ${'a'.repeat(260)}`)).toMatch(/^-ERR .*too long/);
    expect(await c.cmd(`NOOP ${'x'.repeat(200_000)}`)).toMatch(/^-ERR .*too long/);
    expect(await c.cmd('AUTH PLAIN')).toBe('+ ');
    expect(await c.cmd('A'.repeat(50_000))).toMatch(/^-ERR .*too long/);
    expect((await c.multi('CAPA')).status).toMatch(/^\+OK/);
    c.end();
  });

  it('refuses commands in the wrong state and closes after too many bad commands', async () => {
    const u = await p.fx.user('Phạm Thị Dung');
    const c = await RawPop3.connect(p.stlsPort);
    expect(await c.login(u.address, u.password)).toMatch(/^\+OK/);
    for (const cmd of ['USER x', 'PASS y', 'STLS', 'AUTH PLAIN', 'APOP a b'])
      expect(await c.cmd(cmd), cmd).toMatch(/^-ERR /);
    for (let i = 0; i < 14; i++) expect(await c.cmd(`XYZZY ${i}`)).toMatch(/^-ERR /);
    expect(await c.cmd('')).toMatch(/^-ERR /); // the 20th bad command
    expect(await c.line()).toMatch(/^-ERR .*[Tt]oo many/);
    await c.waitClosed();
  });

  it('tells suspended, default-password and expired accounts why, in Vietnamese then English', async () => {
    const s = await p.fx.user('Hoàng Văn Em');
    await p.fx.system.directory.admin.suspend(operator, s.address, {
      reason: 'inactivity',
      basis: 'Điều 8.2.a',
    });
    const d = await p.fx.system.directory.accounts.createPersonal(operator, {
      name: 'Vũ Thị Giang',
      orgCode: 'sokhcn',
      password: 'Quang@Tri2026',
      mustChange: true,
    });
    const e = await p.fx.user('Đỗ Văn Hải');
    await p.fx.system.store.write(async (tx) => {
      await tx.db.updateTable('accounts').set({ password_changed_at: 0 }).where('id', '=', e.id).execute();
    });
    const c = await RawPop3.connect(p.stlsPort);
    const suspended = await c.login(s.address, s.password);
    expect(suspended).toMatch(/^-ERR \[AUTH\] Hộp thư đang bị tạm khóa.* \/ The mailbox is suspended/);
    const mustChange = await c.login(d.account.address, 'Quang@Tri2026');
    expect(mustChange).toMatch(
      /^-ERR \[AUTH\] Phải đổi mật khẩu mặc định.* \/ The default password must be changed/,
    );
    const expired = await c.login(e.address, e.password);
    expect(expired).toMatch(/^-ERR \[AUTH\] Mật khẩu đã hết hạn.*http.* \/ The password has expired.*http/);
    for (const line of [suspended, mustChange, expired])
      expect(Buffer.byteLength(line) + 2).toBeLessThanOrEqual(512);
    // None of these counted as a failed password: the connection is still open.
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('answers pipelined commands in order (RFC 2449 §6.6)', async () => {
    const u = await p.fx.user('Ngô Thị Khánh');
    await p.deliver(u.id, 'Subject: một\r\n\r\nmột\r\n');
    const c = await RawPop3.connect(p.stlsPort);
    c.send(Buffer.from(`USER ${u.address}\r\nPASS ${u.password}\r\nSTAT\r\nLIST 1\r\nNOOP\r\nQUIT\r\n`));
    const lines = [
      await c.line(),
      await c.line(),
      await c.line(),
      await c.line(),
      await c.line(),
      await c.line(),
    ];
    expect(lines[0]).toMatch(/^\+OK/);
    expect(lines[1]).toMatch(/^\+OK maildrop has 1 /);
    expect(lines[2]).toMatch(/^\+OK 1 \d+$/);
    expect(lines[3]).toBe(`+OK 1 ${lines[2]!.split(' ')[2]}`);
    expect(lines[4]).toBe('+OK');
    expect(lines[5]).toMatch(/^\+OK/);
  });
});

describe.each(backends)('POP3 sign-in on %s (production: TLS required)', (backend) => {
  let p: Pop3Fixture;
  beforeAll(async () => {
    p = await pop3Fixture(backend, { env: 'production' });
  });
  afterAll(async () => p.close());

  it('refuses USER/PASS and AUTH PLAIN before STLS and does not advertise them (AUTH-08, POP-01)', async () => {
    const u = await p.fx.user('Nguyễn Văn An');
    const c = await RawPop3.connect(p.stlsPort);
    const before = await capa(c);
    expect(before).toContain('STLS');
    expect(before).not.toContain('USER');
    expect(before.some((l) => l.startsWith('SASL'))).toBe(false);
    expect(await c.cmd(`USER ${u.address}`)).toMatch(/^-ERR \[AUTH\] .*STLS/);
    expect(await c.cmd(`PASS ${u.password}`)).toMatch(/^-ERR \[AUTH\] /);
    expect(await c.cmd(`AUTH PLAIN ${encodeSaslPlain(u.address, u.password)}`)).toMatch(/^-ERR \[AUTH\] /);
    expect((await c.multi('AUTH')).body.length).toBe(0);
    // Input pipelined after STLS is discarded, never run inside TLS (RFC 2595 §4, CVE-2011-0411).
    await c.stls('NOOP\r\n');
    const afterCapa = await c.multi('CAPA');
    expect(afterCapa.status).toBe('+OK Capability list follows'); // not the "+OK" of a NOOP
    const after = afterCapa.body.toString().trim().split('\r\n');
    expect(after).toEqual(expect.arrayContaining(['USER', 'SASL PLAIN']));
    expect(after).not.toContain('STLS');
    expect(await c.cmd('STLS')).toMatch(/^-ERR /);
    expect(await c.login(u.address, u.password)).toMatch(/^\+OK maildrop has 0 /);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });

  it('accepts sign-in on the implicit-TLS port', async () => {
    const u = await p.fx.user('Trần Văn Bảo');
    const c = await RawPop3.connect(p.tlsPort, { tls: true });
    expect(await capa(c)).not.toContain('STLS');
    expect(await c.cmd(`AUTH PLAIN ${encodeSaslPlain(u.address, u.password)}`)).toMatch(/^\+OK/);
    expect(await c.cmd('QUIT')).toMatch(/^\+OK/);
  });
});
