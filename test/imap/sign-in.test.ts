/**
 * IMAP sign-in over real sockets on every backend: AUTH-02 (identical failure for an unknown user
 * and a wrong password), AUTH-05 (SASL PLAIN with SASL-IR, continuation, cancel, foreign authzid),
 * AUTH-08 / IMAP-06 (LOGINDISABLED and NO [PRIVACYREQUIRED] before STARTTLS in production; RFC 9051
 * §6.2.3, RFC 8314), RFC 5530 EXPIRED / CONTACTADMIN with the Vietnamese and English texts, and the
 * access events of Điều 12 (sign-in and SELECT INBOX).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { operator } from '../support/system.ts';
import { listAccess } from '../../src/directory/index.ts';
import { imapFixture, RawImap, type ImapFixture } from './support.ts';

const backends = await availableBackends();
const plain = (authzid: string, user: string, pass: string): string =>
  Buffer.from(`${authzid}\0${user}\0${pass}`).toString('base64');

describe.each(backends)('IMAP sign-in on %s (development, loopback)', (backend) => {
  let f: ImapFixture;
  beforeAll(async () => {
    f = await imapFixture(backend);
  });
  afterAll(async () => f?.close());

  it('greets with capabilities; AUTH=PLAIN on loopback in development; commands in the wrong state are BAD', async () => {
    const c = await RawImap.connect(f.port);
    expect(c.greeting).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 IMAP4rev2 .*AUTH=PLAIN/);
    expect(c.greeting).toContain('STARTTLS');
    expect(c.greeting).not.toContain('LOGINDISABLED');
    for (const cmd of ['SELECT INBOX', 'FETCH 1 FLAGS', 'LIST "" *', 'ENABLE IMAP4rev2', 'EXPUNGE', 'IDLE'])
      expect((await c.cmd(cmd)).tagged, cmd).toMatch(/^t\d+ BAD /);
    // No "+": the literal is refused before the client sends it (IMAP-01, IMAP-06).
    const app = await c.cmd('APPEND INBOX {5}');
    expect(app.tagged).toMatch(/^t\d+ (NO \[TOOBIG\]|BAD) /);
    expect(app.untagged).toEqual([]);
    expect((await c.cmd('NOOP')).tagged).toMatch(/OK/);
    const r = await c.cmd('LOGOUT');
    expect(r.untagged[0]).toMatch(/^\* BYE/);
    expect(r.tagged).toMatch(/OK/);
    await c.waitClosed();
  });

  it('says the same for an unknown user and a wrong password (AUTH-02), closes after 3 failures', async () => {
    const u = await f.fx.user('Trần Thị Bình');
    const c = await RawImap.connect(f.port);
    const unknown = (await c.cmd(`LOGIN khongtontai@quangtri.gov.vn "${u.password}"`, 'a')).tagged;
    const wrong = (await c.cmd(`LOGIN ${u.address} "Sai@MatKhau99"`, 'a')).tagged;
    expect(unknown).toMatch(/^a NO \[AUTHENTICATIONFAILED\] /);
    expect(wrong).toBe(unknown);
    const third = await c.cmd(`LOGIN ${u.address} "Sai@MatKhau98"`, 'a');
    expect(third.tagged).toBe(unknown);
    expect(await c.line()).toMatch(/^\* BYE/);
    await c.waitClosed();
  });

  it('AUTHENTICATE PLAIN: SASL-IR, continuation, cancel, foreign authzid (AUTH-05)', async () => {
    const u = await f.fx.user('Lê Văn Cường');
    const c = await RawImap.connect(f.port);
    expect((await c.cmd('AUTHENTICATE CRAM-MD5')).tagged).toMatch(/NO/);
    c.send('a1 AUTHENTICATE PLAIN\r\n');
    expect(await c.line()).toBe('+ ');
    c.send('*\r\n');
    expect((await c.until('a1')).tagged).toMatch(/^a1 BAD /);
    expect(
      (await c.cmd(`AUTHENTICATE PLAIN ${plain('nguyenvanan@quangtri.gov.vn', u.address, u.password)}`))
        .tagged,
    ).toMatch(/NO \[AUTHORIZATIONFAILED\]/);
    c.send('a2 AUTHENTICATE PLAIN\r\n');
    expect(await c.line()).toBe('+ ');
    c.send(`${plain('', u.address, u.password)}\r\n`);
    const ok = await c.until('a2');
    expect(ok.tagged).toMatch(/^a2 OK \[CAPABILITY .*IDLE.*QUOTA/);
    expect((await c.cmd('LOGIN x y')).tagged).toMatch(/BAD/); // already authenticated
    c.end();
  });

  it('refuses suspended, default-password and expired accounts with RFC 5530 codes and bilingual text', async () => {
    const s = await f.fx.user('Hoàng Văn Em');
    await f.fx.system.directory.admin.suspend(operator, s.address, {
      reason: 'inactivity',
      basis: 'Điều 8.2.a',
    });
    const d = await f.fx.system.directory.accounts.createPersonal(operator, {
      name: 'Vũ Thị Giang',
      orgCode: 'sokhcn',
      password: 'Quang@Tri2026',
      mustChange: true,
    });
    const e = await f.fx.user('Đỗ Văn Hải');
    await f.fx.system.store.write(async (tx) => {
      await tx.db.updateTable('accounts').set({ password_changed_at: 0 }).where('id', '=', e.id).execute();
    });
    const c = await RawImap.connect(f.port);
    const suspended = (await c.cmd(`LOGIN ${s.address} "${s.password}"`)).tagged;
    expect(suspended).toMatch(/NO \[CONTACTADMIN\] Hop thu dang bi tam khoa.* \/ The mailbox is suspended/);
    const mustChange = (await c.cmd(`LOGIN ${d.account.address} "Quang@Tri2026"`)).tagged;
    expect(mustChange).toMatch(
      /NO \[EXPIRED\] Phai doi mat khau mac dinh.*http.* \/ The default password must be changed.*http/,
    );
    const expired = (await c.cmd(`LOGIN ${e.address} "${e.password}"`)).tagged;
    expect(expired).toMatch(/NO \[EXPIRED\] Mat khau da het han.* \/ The password has expired/);
    // None of these counted as a wrong password: the connection is still open.
    expect((await c.cmd('NOOP')).tagged).toMatch(/OK/);
    c.end();
  });

  it('records the sign-in and every SELECT/EXAMINE of INBOX (Điều 12)', async () => {
    const u = await f.fx.user('Phan Văn Khoa');
    const c = await RawImap.connect(f.port);
    expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`)).tagged).toMatch(/OK/);
    expect((await c.cmd('SELECT INBOX')).tagged).toMatch(/OK \[READ-WRITE\]/);
    expect((await c.cmd('EXAMINE inbox')).tagged).toMatch(/OK \[READ-ONLY\]/);
    expect((await c.cmd('SELECT Sent')).tagged).toMatch(/OK/);
    const events = await listAccess(f.fx.system.store.db, u.id);
    expect(events.filter((x) => x.protocol === 'imap' && x.kind === 'login')).toHaveLength(1);
    expect(events.filter((x) => x.protocol === 'imap' && x.kind === 'inbox')).toHaveLength(2);
    c.end();
  });
});

describe.each(backends)('IMAP sign-in on %s (production: TLS required)', (backend) => {
  let f: ImapFixture;
  beforeAll(async () => {
    f = await imapFixture(backend, { env: 'production' });
  });
  afterAll(async () => f?.close());

  it('advertises LOGINDISABLED and refuses LOGIN before STARTTLS, allows it after (AUTH-08)', async () => {
    const u = await f.fx.user('Bùi Thị Lan');
    const c = await RawImap.connect(f.port);
    expect(c.greeting).toContain('LOGINDISABLED');
    expect(c.greeting).not.toContain('AUTH=PLAIN');
    expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`)).tagged).toMatch(/NO \[PRIVACYREQUIRED\]/);
    // A synchronising literal with the password is refused before the client sends it.
    expect((await c.cmd(`LOGIN ${u.address} {13}`)).tagged).toMatch(/NO \[PRIVACYREQUIRED\]/);
    expect((await c.cmd(`AUTHENTICATE PLAIN ${plain('', u.address, u.password)}`)).tagged).toMatch(
      /NO \[PRIVACYREQUIRED\]/,
    );
    // Pipelined after STARTTLS: must be thrown away, not run after the handshake.
    c.send('tls STARTTLS\r\nx1 LOGIN a b\r\n');
    expect(await c.line()).toMatch(/^tls OK/);
    c.socket.removeAllListeners('data');
    c.socket.removeAllListeners('close');
    const tls = await import('node:tls');
    const secure = tls.connect({ socket: c.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    let got = '';
    secure.on('data', (d: Buffer) => (got += d.toString()));
    secure.write('c1 CAPABILITY\r\n');
    await new Promise((r) => setTimeout(r, 300));
    expect(got).not.toContain('x1');
    expect(got).toMatch(/AUTH=PLAIN/);
    expect(got).not.toMatch(/LOGINDISABLED|STARTTLS/);
    secure.write(`c2 LOGIN ${u.address} "${u.password}"\r\n`);
    await new Promise((r) => setTimeout(r, 500));
    expect(got).toMatch(/c2 OK/);
    secure.destroy();
  });

  it('allows LOGIN on the implicit-TLS port', async () => {
    const u = await f.fx.user('Đinh Văn Minh');
    const c = await RawImap.connect(f.tlsPort, { tls: true });
    expect(c.greeting).toContain('AUTH=PLAIN');
    expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`)).tagged).toMatch(/OK/);
    c.end();
  });
});
