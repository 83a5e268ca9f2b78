// Submission (issue 3 items 2 and 7) on both backends: AUTH only over TLS (587 STARTTLS, 465
// implicit), the directory's refusals as 535 5.7.8 in Vietnamese and English, the send-as rules of
// SMTP-15, local delivery plus the outbound queue, and the records kept for governance and audit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { availableBackends } from '../support/backends.ts';
import { operator, TEST_PASSWORD } from '../support/system.ts';
import { listAudit } from '../../src/store/index.ts';
import { RawSmtp, smtpHarness, storedMessages, type SmtpHarness } from './support.ts';

const backends = await availableBackends();

function submit(
  h: SmtpHarness,
  user: string,
  opts: { implicit?: boolean; pass?: string; method?: string } = {},
) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: h.port(opts.implicit ? 'submissions' : 'submission'),
    secure: opts.implicit ?? false,
    requireTLS: !opts.implicit,
    auth: { user, pass: opts.pass ?? TEST_PASSWORD },
    ...(opts.method ? { authMethod: opts.method } : {}),
    tls: { rejectUnauthorized: false },
  });
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe.each(backends)('submission on %s', (backend) => {
  let h: SmtpHarness;
  let an: { address: string; id: string };
  let binh: { address: string; id: string };
  beforeEach(async () => {
    h = await smtpHarness(backend, { env: 'production' });
    an = await h.fx.user('Nguyễn Văn An');
    binh = await h.fx.user('Trần Thị Bình');
  });
  afterEach(async () => h.close());

  it('offers AUTH only after STARTTLS in production, then delivers locally and queues remote mail (587)', async () => {
    // covers AUTH-08: no AUTH advertised or accepted in plain text
    const c = await RawSmtp.connect(h.port('submission'));
    await c.read();
    const ehlo = await c.cmd('EHLO client.example');
    expect(ehlo).toMatch(/STARTTLS/);
    expect(ehlo).not.toMatch(/AUTH/);
    expect(await c.cmd(`AUTH PLAIN ${b64(`\0${an.address}\0${TEST_PASSWORD}`)}`)).toMatch(/^538 5\.7\.11 /);
    expect(await c.cmd('MAIL FROM:<x@ext.example>')).toMatch(/^530 5\.7\.0 /);
    expect(await c.cmd('STARTTLS')).toMatch(/^220/);
    await c.startTls();
    expect(await c.cmd('EHLO client.example')).toMatch(/AUTH PLAIN LOGIN/);
    c.end();

    const info = await submit(h, an.address).sendMail({
      from: `"Nguyễn Văn An" <${an.address}>`,
      to: [binh.address, 'doitac@ext.example'],
      cc: 'Khach@Other.Example',
      subject: 'Giấy mời họp',
      text: 'Kính mời đồng chí dự họp.',
      messageId: '<moi-hop@quangtri.gov.vn>',
    });
    expect(info.response).toMatch(/^250 2\.0\.0 /);
    const [m] = await storedMessages(h, binh.id);
    expect(m!.content).toMatch(/with ESMTPSA id [0-9A-F]+\r\n\t\(using TLSv1\.3 with cipher /);
    expect(m!.content).toContain(`(authenticated sender: ${an.address})`);
    expect(h.queue.messages).toHaveLength(1);
    expect(h.queue.messages[0]).toMatchObject({
      mailFrom: an.address,
      recipients: ['doitac@ext.example', 'Khach@other.example'],
      submittedBy: an.id,
    });
    expect(h.queue.messages[0]!.content.equals(Buffer.from(m!.content, 'utf8'))).toBe(true);
    // No copy in the sender's own folders: clients APPEND it to Sent themselves.
    expect(await storedMessages(h, an.id)).toHaveLength(0);
    // Item 7: the sign-in (access event, last access) and the submission (audit) are recorded.
    const access = await h.fx.system.store.db
      .selectFrom('access_events')
      .selectAll()
      .where('account_id', '=', an.id)
      .where('protocol', '=', 'smtp')
      .execute();
    expect(access.length).toBeGreaterThanOrEqual(1);
    const audit = await listAudit(h.fx.system.store.db, { action: 'mail.submit' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: an.id, sourceIp: '127.0.0.1' });
    expect(audit[0]!.details).toMatchObject({
      messageId: '<moi-hop@quangtri.gov.vn>',
      localRecipients: 1,
      remoteRecipients: 2,
      outboundId: 'q1',
    });
  });

  it('accepts AUTH LOGIN on implicit TLS (465) and sending from an alias', async () => {
    await h.fx.system.directory.admin.addAlias(operator, an.address, 'nguyenvanan@quangbinh.gov.vn');
    await submit(h, an.address, { implicit: true, method: 'LOGIN' }).sendMail({
      from: 'nguyenvanan@quangbinh.gov.vn',
      to: binh.address,
      subject: 'Từ bí danh',
      text: 'x',
    });
    expect(await storedMessages(h, binh.id)).toHaveLength(1);
  });

  it('refuses wrong passwords and unusable accounts with 535 5.7.8 saying why, in Vietnamese and English', async () => {
    await expect(submit(h, an.address, { pass: 'Sai@Matkhau1' }).verify()).rejects.toMatchObject({
      responseCode: 535,
      response: '535 5.7.8 Tên đăng nhập hoặc mật khẩu không đúng. / Wrong user name or password.',
    });
    const cuong = await h.fx.user('Lê Văn Cường');
    await h.fx.system.store.write(async (tx) => {
      await tx.db
        .updateTable('accounts')
        .set({ password_must_change: 1 })
        .where('id', '=', cuong.id)
        .execute();
    });
    await expect(submit(h, cuong.address).verify()).rejects.toMatchObject({
      responseCode: 535,
      response: expect.stringMatching(
        /^535 5\.7\.8 Phải đổi mật khẩu mặc định .*Điều 9\.2\.a.*https:\/\/mail\.quangtri\.gov\.vn.* \/ The default password must be changed/,
      ),
    });
    await h.fx.system.directory.admin.suspend(operator, binh.address, { reason: 'compromised' });
    await expect(submit(h, binh.address).verify()).rejects.toMatchObject({
      response: expect.stringMatching(/^535 5\.7\.8 Hộp thư đang bị tạm khóa .* \/ The mailbox is suspended/),
    });
  });

  it('enforces the send-as rules of SMTP-15 (a)–(j)', async () => {
    const tls = await RawSmtp.connect(h.port('submissions'), { tls: true });
    await tls.read();
    await tls.cmd('EHLO client.example');
    // (j) authzid = bob with alice's password (AUTH-05)
    expect(await tls.cmd(`AUTH PLAIN ${b64(`${binh.address}\0${an.address}\0${TEST_PASSWORD}`)}`)).toMatch(
      /^535 5\.7\.8 /,
    );
    expect(await tls.cmd(`AUTH PLAIN ${b64(`\0${an.address}\0${TEST_PASSWORD}`)}`)).toMatch(/^235/);
    // (a) envelope sender of someone else; (h) the null sender
    expect(await tls.cmd(`MAIL FROM:<${binh.address}>`)).toMatch(/^553 5\.7\.1 /);
    expect(await tls.cmd('MAIL FROM:<>')).toMatch(/^553 5\.7\.1 /);
    const attempt = async (headers: string[], mailFrom = an.address, params = ''): Promise<string> => {
      expect(await tls.cmd(`MAIL FROM:<${mailFrom}>${params}`)).toMatch(/^250/);
      expect(await tls.cmd(`RCPT TO:<${binh.address}>`)).toMatch(/^250/);
      expect(await tls.cmd('DATA')).toMatch(/^354/);
      tls.write([...headers, `To: ${binh.address}`, 'Subject: t', '', 'body', '.', ''].join('\r\n'));
      return tls.read();
    };
    expect(await attempt([`From: ${binh.address}`])).toMatch(/^550 5\.7\.1 /); // (b)
    expect(await attempt([`From: <${an.address}>, <${binh.address}>`])).toMatch(/^550 5\.7\.1 /); // (c)
    expect(await attempt([`From: ${an.address}`, `From: ${binh.address}`])).toMatch(/^550 5\.7\.1 /); // (d)
    expect(await attempt([`From: ${an.address}`, `Sender: ${binh.address}`])).toMatch(/^550 5\.7\.1 /); // (g)
    expect(await attempt([`From: "${binh.address}" <${an.address}>`])).toMatch(/^250/); // (e)
    expect(await attempt([`From: =?utf-8?b?${b64(binh.address)}?= <${an.address}>`])).toMatch(/^250/); // (f)
    expect(
      await attempt([`From: ${an.address.toUpperCase()}`], an.address, ` AUTH=<${binh.address}>`),
    ).toMatch(/^250/); // (i)
    tls.end();
    expect(await storedMessages(h, binh.id)).toHaveLength(3);
  });

  it('refuses the relay battery without AUTH on 587 and 465 with 530 5.7.0 (SMTP-05)', async () => {
    for (const port of [h.port('submission'), h.port('submissions')]) {
      const c = await RawSmtp.connect(port, { tls: port === h.port('submissions') });
      await c.read();
      await c.cmd('EHLO client.example');
      expect(await c.cmd('MAIL FROM:<antispam@ext.example>')).toMatch(/^530 5\.7\.0 /);
      expect(await c.cmd('RCPT TO:<relaytest@ext.example>')).toMatch(/^530 5\.7\.0 /);
      expect(await c.cmd(`RCPT TO:<${binh.address}>`)).toMatch(/^530 5\.7\.0 /);
      expect(await c.cmd('DATA')).toMatch(/^530 5\.7\.0 /);
      c.end();
    }
    expect(h.queue.messages).toHaveLength(0);
  });
});

describe.each(backends)('submission in development on %s', (backend) => {
  let h: SmtpHarness;
  beforeEach(async () => {
    h = await smtpHarness(backend);
  });
  afterEach(async () => h.close());

  it('allows plain-text AUTH from loopback in development only', async () => {
    const an = await h.fx.user('Nguyễn Văn An');
    const c = await RawSmtp.connect(h.port('submission'));
    await c.read();
    expect(await c.cmd('EHLO client.example')).toMatch(/AUTH PLAIN LOGIN/);
    expect(await c.cmd(`AUTH PLAIN ${b64(`\0${an.address}\0${TEST_PASSWORD}`)}`)).toMatch(/^235/);
    c.end();
  });
});
