// curl as an IMAP and POP3 client (issue 4 item 7): the URLs an operator or a script would use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { availableBackends } from '../support/backends.ts';
import { imapFixture, message, type ImapFixture } from '../imap/support.ts';
import { startPop3Service, type Pop3Service } from '../../src/app/services/pop3.ts';
import { createLogger } from '../../src/telemetry/index.ts';

const backends = await availableBackends();

/** Runs curl without blocking the event loop (the servers under test live in this process). */
function curl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-sS', '--max-time', '20', '-k', ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe.each(backends)('curl against IMAP and POP3 on %s', (backend) => {
  let f: ImapFixture;
  let pop3: Pop3Service[];
  let u: { address: string; id: string; password: string };
  let user: string;
  beforeAll(async () => {
    f = await imapFixture(backend, { ports: { imap: 0, imaps: 0, pop3: 0, pop3s: 0 } });
    pop3 = await startPop3Service({
      system: f.fx.system,
      tls: f.fx.tls,
      log: createLogger({ level: 'silent' }),
    });
    u = await f.fx.user('Nguyễn Thị Hạnh');
    user = `${u.address}:${u.password}`;
    await f.deliver(u.id, message('Giấy mời họp', 'Kính mời đồng chí dự họp lúc 8 giờ.\r\n'));
    await f.deliver(u.id, message('Báo cáo tháng', 'Báo cáo tình hình tháng 11.\r\n'));
  });
  afterAll(async () => {
    for (const s of pop3 ?? []) await s.stop();
    await f?.close();
  });

  it('lists folders and fetches a message by UID over IMAPS', async () => {
    const list = await curl(['--user', user, `imaps://127.0.0.1:${f.tlsPort}/`]);
    expect(list.code, list.err).toBe(0);
    for (const name of ['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk', 'Archive'])
      expect(list.out).toContain(name);
    const msg = await curl(['--user', user, `imaps://127.0.0.1:${f.tlsPort}/INBOX;UID=2`]);
    expect(msg.code, msg.err).toBe(0);
    expect(msg.out).toContain('Báo cáo tình hình tháng 11.');
  });

  // curl sends the search key as it is: raw UTF-8 in an atom is refused (RFC 9051 §9 grammar),
  // so the term here is ASCII; clients send Vietnamese terms as literals with CHARSET UTF-8.
  it('searches over IMAP with STARTTLS required by --ssl-reqd', async () => {
    const r = await curl(['--ssl-reqd', '--user', user, `imap://127.0.0.1:${f.port}/INBOX?BODY%2011`]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toBe('* SEARCH 2');
  });

  it('refuses a wrong password without revealing anything', async () => {
    const r = await curl([
      '--user',
      `${u.address}:Sai@MatKhau1`,
      `imaps://127.0.0.1:${f.tlsPort}/INBOX;UID=1`,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
  });

  it('lists and retrieves over POP3S and POP3 with STLS', async () => {
    const tlsPort = pop3.find((s) => s.mode === 'implicit-tls')!.address.port;
    const stlsPort = pop3.find((s) => s.mode === 'stls')!.address.port;
    const list = await curl(['--user', user, `pop3s://127.0.0.1:${tlsPort}/`]);
    expect(list.code, list.err).toBe(0);
    expect(list.out.trim().split(/\r?\n/)).toHaveLength(2);
    const msg = await curl(['--ssl-reqd', '--user', user, `pop3://127.0.0.1:${stlsPort}/1`]);
    expect(msg.code, msg.err).toBe(0);
    expect(msg.out).toContain('Kính mời đồng chí dự họp lúc 8 giờ.');
  });
});
