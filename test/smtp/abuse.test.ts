// No open relay and no smuggling (issue 3 item 6) and the size rules (item 3), on both backends,
// byte-exact over raw sockets: SMTP-01/02 end-of-data variants, SMTP-04 pipelining, SMTP-05 relay
// battery, SMTP-06 STARTTLS injection, SMTP-11 line length, SMTP-12 SIZE, SMTP-18 recipient limit,
// SMTP-20 idle timeout and per-address connection cap; Điều 9.1.b with nodemailer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { availableBackends } from '../support/backends.ts';
import { messageCount, RawSmtp, rfc5322, smtpHarness, type SmtpHarness } from './support.ts';

const backends = await availableBackends();

async function open(h: SmtpHarness, kind: 'mx' | 'submission' = 'mx'): Promise<RawSmtp> {
  const c = await RawSmtp.connect(h.port(kind));
  expect(await c.read()).toMatch(/^220 /);
  expect(await c.cmd('EHLO mail.ext.example')).toMatch(/^250/);
  return c;
}

describe.each(backends)('abuse and limits on %s', (backend) => {
  let h: SmtpHarness;
  let an: { address: string; id: string };
  beforeEach(async () => {
    h = await smtpHarness(backend, {
      smtp: { maxConnectionsPerIp: 5, idleTimeoutSeconds: 1, maxRecipients: 100, maxRecipientErrors: 40 },
    });
    an = await h.fx.user('Nguyễn Văn An');
  });
  afterEach(async () => h.close());

  it('never ends DATA early and never stores a smuggled message (SMTP-01, SMTP-02)', async () => {
    // covers SMTP-01: each ending followed by a complete smuggled transaction
    const endings = [
      '\n.\n',
      '\n.\r\n',
      '\r.\r',
      '\r.\n',
      '\n.\r',
      '\r\n.\n',
      '\r.\r\n',
      '\r\n.\r',
      '\r\n\x00.\r\n',
    ];
    const smuggled = `MAIL FROM:<ceo@bank.example>\r\nRCPT TO:<${an.address}>\r\nDATA\r\nFrom: ceo@bank.example\r\n\r\nsmuggled\r\n.\r\n`;
    for (const end of endings) {
      const c = await open(h);
      expect(await c.cmd('MAIL FROM:<a@ext.example>')).toMatch(/^250/);
      expect(await c.cmd(`RCPT TO:<${an.address}>`)).toMatch(/^250/);
      expect(await c.cmd('DATA')).toMatch(/^354/);
      c.write(`From: a@ext.example\r\n\r\nhi${end}${smuggled}`);
      const reply = await c.read();
      expect(reply, JSON.stringify(end)).toMatch(/^550 5\.(5\.2|6\.0) /); // bare CR/LF, or NUL
      // The smuggled MAIL never runs: the server hangs up instead of answering it.
      expect(await c.rest()).not.toMatch(/^250/m);
      c.end();
    }
    // covers SMTP-02: a header line ending in a bare LF
    const c = await open(h);
    await c.cmd('MAIL FROM:<a@ext.example>');
    await c.cmd(`RCPT TO:<${an.address}>`);
    await c.cmd('DATA');
    c.write('From: a@ext.example\nSubject: x\r\n\r\nbody\r\n.\r\n');
    expect(await c.read()).toMatch(/^550 5\.5\.2 .*CRLF/);
    c.end();
    expect(await messageCount(h)).toBe(0);
  });

  it('refuses data pipelined before the 354 and stores nothing of it (SMTP-04)', async () => {
    const c = await open(h);
    const txn = (subject: string): string =>
      `MAIL FROM:<a@ext.example>\r\nRCPT TO:<${an.address}>\r\nDATA\r\nFrom: a@ext.example\r\nSubject: ${subject}\r\n\r\nx\r\n.\r\n`;
    c.write(txn('one') + txn('two'));
    expect(await c.read()).toMatch(/^250/); // MAIL
    expect(await c.read()).toMatch(/^250/); // RCPT
    expect(await c.read()).toMatch(/^354/);
    expect(await c.read()).toMatch(/^554 5\.5\.0 /);
    const rest = await c.rest();
    expect(rest).not.toMatch(/^(250|354)/m);
    await c.closed;
    expect(await messageCount(h)).toBe(0);
  });

  it('is no open relay: the SMTP-05 battery on port 25', async () => {
    // covers SMTP-05 (nmap smtp-open-relay.nse set plus the additions of the catalogue)
    const refusedAtRcpt = [
      'relaytest@ext.example',
      'relaytest%ext.example@[127.0.0.1]',
      'relaytest%ext.example@quangtri.gov.vn',
      '"relaytest@ext.example"',
      '"relaytest%ext.example"',
      'relaytest@ext.example@[127.0.0.1]',
      '"relaytest@ext.example"@[127.0.0.1]',
      'relaytest@ext.example@quangtri.gov.vn',
      '@[127.0.0.1]:relaytest@ext.example',
      '@quangtri.gov.vn:relaytest@ext.example',
      'ext.example!relaytest',
      'ext.example!relaytest@[127.0.0.1]',
      'ext.example!relaytest@quangtri.gov.vn',
      'relaytest@ext.example.',
      'RELAYTEST@EXT.EXAMPLE',
      '"a@ext.example"@quangtri.gov.vn',
      'relaytest@quangtrі.gov.vn', // Cyrillic і: an IDN look-alike of our domain
      'relaytest@xn--quangtr-3ug.gov.vn',
    ];
    for (const sender of [
      '<>',
      '<antispam@ext.example>',
      '<antispam@quangtri.gov.vn>',
      '<antispam@[127.0.0.1]>',
    ]) {
      const c = await open(h);
      expect(await c.cmd(`MAIL FROM:${sender}`), sender).toMatch(/^250/);
      for (const rcpt of refusedAtRcpt)
        expect(await c.cmd(`RCPT TO:<${rcpt}>`), rcpt).toMatch(/^5[05][0-9] /);
      expect(await c.cmd('RCPT TO:<postmaster>')).toMatch(/^550 5\.1\.1 /); // accepted only when an operator exists
      expect(await c.cmd(`RCPT TO:<${an.address.toUpperCase()}.>`.replace('.>', '>'))).toMatch(/^250/);
      c.end();
    }
    const c = await open(h);
    await c.cmd('MAIL FROM:<a@ext.example>');
    expect(await c.cmd('RCPT TO:<relaytest@ext.example>')).toMatch(/^554 5\.7\.1 /);
    expect(await c.cmd(`RCPT TO:<${an.address.replace('@', '@')}>`)).toMatch(/^250/);
    c.end();
    expect(h.queue.messages).toHaveLength(0);
  });

  it('discards commands injected before the TLS handshake (SMTP-06)', async () => {
    const c = await open(h);
    c.write('STARTTLS\r\nMAIL FROM:<evil@ext.example>\r\n');
    expect(await c.read()).toMatch(/^220/);
    await c.startTls();
    // The injected MAIL did not run inside TLS: a transaction cannot continue, EHLO state is reset.
    expect(await c.cmd(`RCPT TO:<${an.address}>`)).toMatch(/^503 /);
    expect(await c.cmd('EHLO mail.ext.example')).toMatch(/^250/);
    expect(await c.cmd(`RCPT TO:<${an.address}>`)).toMatch(/^503 /);
    expect(await c.cmd('STARTTLS')).toMatch(/^503 /); // second STARTTLS
    c.end();
  });

  it('limits command lines, SIZE, recipients, idle time and connections per address (SMTP-11, 12, 18, 20)', async () => {
    const c = await open(h);
    // covers SMTP-12: declared size over the limit refused at MAIL
    expect(await c.cmd('MAIL FROM:<a@ext.example> SIZE=99999999999')).toMatch(/^552 5\.3\.4 /);
    // covers SMTP-18: RCPT past the limit (100 here) → 452 4.5.3, one at a time
    expect(await c.cmd('MAIL FROM:<a@ext.example>')).toMatch(/^250/);
    expect(await c.cmd(`RCPT TO:<${an.address}>`)).toMatch(/^250/);
    const more = Array.from({ length: 100 }, (_, i) => `RCPT TO:<nobody${i}@quangtri.gov.vn>\r\n`).join('');
    c.write(more); // pipelined; 99 unknown users answered 550, then the limit… of errors is 40
    const replies: string[] = [];
    for (let i = 0; i < 41; i++) replies.push(await c.read());
    expect(replies.slice(0, 40).every((r) => r.startsWith('550 5.1.1'))).toBe(true);
    expect(replies[40]).toMatch(/^421 4\.7\.0 /); // harvesting: closed after 40 unknown recipients
    await c.closed;

    // covers SMTP-11: 513-byte command accepted; a line over the limit closes the connection
    const d = await open(h);
    expect(await d.cmd(`NOOP ${'x'.repeat(508)}`)).toMatch(/^250/);
    d.write(`NOOP ${'x'.repeat(70_000)}`);
    expect(await d.read()).toMatch(/^421 /);
    await d.closed;

    // covers SMTP-20: idle clients are dropped (1 s here), and at most 5 connections per address
    const idle = await open(h);
    expect(await idle.read(4000)).toMatch(/^421 /);
    const conns = await Promise.all(Array.from({ length: 5 }, () => RawSmtp.connect(h.port('mx'))));
    for (const x of conns) expect(await x.read()).toMatch(/^220 /);
    const sixth = await RawSmtp.connect(h.port('submission'));
    expect(await sixth.read()).toMatch(/^421 4\.7\.0 /);
    for (const x of conns) x.end();
  });
});

describe.each(backends)('message size on %s', (backend) => {
  let h: SmtpHarness;
  beforeEach(async () => {
    h = await smtpHarness(backend);
  });
  afterEach(async () => h.close());

  it('accepts 50 MB of attachments (≈68 MB encoded) and refuses more with 552 5.3.4 (Điều 9.1.b, SMTP-12)', async () => {
    const an = await h.fx.user('Nguyễn Văn An');
    const t = nodemailer.createTransport({
      host: '127.0.0.1',
      port: h.port('mx'),
      tls: { rejectUnauthorized: false },
    });
    const file = (n: number): Buffer => Buffer.alloc(n, 0x5a);
    const info = await t.sendMail({
      from: 'a@ext.example',
      to: an.address,
      subject: 'Hồ sơ',
      text: 'Gửi kèm hồ sơ.',
      attachments: [
        { filename: 'ho-so-1.pdf', content: file(25_000_000) },
        { filename: 'ho-so-2.pdf', content: file(25_000_000) },
      ],
    });
    expect(info.response).toMatch(/^250 /);
    await expect(
      t.sendMail({
        from: 'a@ext.example',
        to: an.address,
        subject: 'Quá lớn',
        text: 'x',
        attachments: [{ filename: 'lon.zip', content: file(50_500_000) }],
      }),
    ).rejects.toMatchObject({
      responseCode: 552,
      response: expect.stringMatching(
        /^552 5\.3\.4 Tổng dung lượng tệp đính kèm là 50\.5 MB, vượt quá 50\.0 MB .*Điều 9\.1\.b/,
      ),
    });
    // A message over SIZE without a SIZE declaration: consumed to the end, 552, nothing stored.
    const c = await RawSmtp.connect(h.port('mx'));
    await c.read();
    await c.cmd('EHLO x.example');
    await c.cmd('MAIL FROM:<a@ext.example>');
    await c.cmd(`RCPT TO:<${an.address}>`);
    await c.cmd('DATA');
    c.write(rfc5322({ from: 'a@ext.example', to: an.address }));
    const line = `${'A'.repeat(998)}\r\n`.repeat(1000);
    for (let i = 0; i < 76; i++) c.write(line);
    c.write('.\r\n');
    expect(await c.read(20_000)).toMatch(/^552 5\.3\.4 /);
    expect(await c.cmd('NOOP')).toMatch(/^250/);
    c.end();
    expect(await messageCount(h)).toBe(1);
  }, 120_000);
});
