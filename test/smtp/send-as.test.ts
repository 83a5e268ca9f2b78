// Send-as on submission for delegated agency mailboxes (Điều 10.1; RFC 6409 §6.1; SMTP-15), on
// both backends, with nodemailer over real TLS: a delegate with the send-as right may use the
// agency address as envelope sender and From; without it, or after revocation, 553/550 5.7.1;
// each message sent as the agency is audited (mail.submit onBehalfOf, delegation.send-as).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { availableBackends } from '../support/backends.ts';
import { operator, TEST_PASSWORD } from '../support/system.ts';
import { listAudit } from '../../src/store/index.ts';
import { RawSmtp, smtpHarness, storedMessages, type SmtpHarness } from './support.ts';

const backends = await availableBackends();
const AGENCY = 'sokhcn@quangtri.gov.vn';
const SUBUNIT = 'vanphong.sokhcn@quangtri.gov.vn';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe.each(backends)('send-as a delegated mailbox on %s', (backend) => {
  let h: SmtpHarness;
  let sender: { address: string; id: string }; // delegated with send-as
  let reader: { address: string; id: string }; // delegated without send-as
  let rcpt: { address: string; id: string };
  let agencyId: string;

  const transport = (user: string) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: h.port('submissions'),
      secure: true,
      auth: { user, pass: TEST_PASSWORD },
      tls: { rejectUnauthorized: false },
    });
  /** MAIL FROM and From as given; the SMTP reply of the step that failed, or the 250 of DATA. */
  const rawSend = async (user: string, mailFrom: string, from: string): Promise<string> => {
    const c = await RawSmtp.connect(h.port('submissions'), { tls: true });
    await c.read();
    await c.cmd('EHLO client.example');
    expect(await c.cmd(`AUTH PLAIN ${b64(`\0${user}\0${TEST_PASSWORD}`)}`)).toMatch(/^235/);
    const mail = await c.cmd(`MAIL FROM:<${mailFrom}>`);
    if (!mail.startsWith('250')) {
      c.end();
      return mail;
    }
    expect(await c.cmd(`RCPT TO:<${rcpt.address}>`)).toMatch(/^250/);
    expect(await c.cmd('DATA')).toMatch(/^354/);
    c.write([`From: ${from}`, `To: ${rcpt.address}`, 'Subject: t', '', 'body', '.', ''].join('\r\n'));
    const r = await c.read();
    c.end();
    return r;
  };

  beforeAll(async () => {
    h = await smtpHarness(backend, { env: 'production' });
    const d = h.fx.system.directory;
    await d.orgs.create(operator, { code: 'vanphong', name: 'Văn phòng Sở', parentCode: 'sokhcn' });
    sender = await h.fx.user('Nguyễn Văn Thư');
    reader = await h.fx.user('Trần Chỉ Đọc');
    rcpt = await h.fx.user('Lê Người Nhận');
    await d.delegations.grant(operator, AGENCY, sender.address, { rights: 'manage', sendAs: true });
    await d.delegations.grant(operator, AGENCY, reader.address, { rights: 'manage' });
    agencyId = (await d.accounts.show(operator, AGENCY)).id;
  });
  afterAll(async () => h?.close());

  it('a delegate with send-as sends as the agency (envelope and From), audited under the agency', async () => {
    const info = await transport(sender.address).sendMail({
      from: `"Sở Khoa học và Công nghệ" <${AGENCY}>`,
      to: rcpt.address,
      subject: 'Công văn gửi thay',
      text: 'Nội dung.',
    });
    expect(info.response).toMatch(/^250/);
    expect(info.envelope.from).toBe(AGENCY);
    const stored = await storedMessages(h, rcpt.id);
    expect(stored.at(-1)!.content).toContain(`From: =?UTF-8?`); // the display name, encoded
    expect(stored.at(-1)!.content).toContain(`<${AGENCY}>`);
    const submit = (await listAudit(h.fx.system.store.db, { action: 'mail.submit' }))[0]!;
    expect(submit).toMatchObject({ actor: sender.id });
    expect(submit.details).toMatchObject({ envelopeFrom: AGENCY, onBehalfOf: AGENCY });
    const sendAs = await listAudit(h.fx.system.store.db, {
      action: 'delegation.send-as',
      targetId: agencyId,
    });
    expect(sendAs).toHaveLength(1);
    expect(sendAs[0]).toMatchObject({ actor: sender.id, targetType: 'account' });
    expect(sendAs[0]!.details).toMatchObject({ mailbox: AGENCY, from: AGENCY, envelopeFrom: AGENCY });
    // The head reads it in the mailbox's delegation history.
    const history = await h.fx.system.directory.delegations.history(operator, AGENCY);
    expect(history[0]!.action).toBe('delegation.send-as');
    // Mail from its own address is not "on behalf of" anyone.
    await transport(sender.address).sendMail({
      from: sender.address,
      to: rcpt.address,
      subject: 'Riêng',
      text: 'x',
    });
    const own = (await listAudit(h.fx.system.store.db, { action: 'mail.submit' }))[0]!;
    expect(own.details).not.toHaveProperty('onBehalfOf');
    expect(await listAudit(h.fx.system.store.db, { action: 'delegation.send-as' })).toHaveLength(1);
  });

  it('own envelope with the agency From (and the reverse) is allowed to the delegate with send-as', async () => {
    expect(await rawSend(sender.address, sender.address, AGENCY)).toMatch(/^250/);
    expect(await rawSend(sender.address, AGENCY, sender.address)).toMatch(/^250/);
  });

  it('without send-as, or for a mailbox not delegated, 553/550 5.7.1', async () => {
    expect(await rawSend(reader.address, AGENCY, AGENCY)).toMatch(/^553 5\.7\.1 /);
    expect(await rawSend(reader.address, reader.address, AGENCY)).toMatch(/^550 5\.7\.1 /);
    expect(await rawSend(rcpt.address, AGENCY, AGENCY)).toMatch(/^553 5\.7\.1 /);
    // Send-as on the agency mailbox does not reach its sub-unit's mailbox.
    expect(await rawSend(sender.address, SUBUNIT, SUBUNIT)).toMatch(/^553 5\.7\.1 /);
    expect(await rawSend(sender.address, sender.address, SUBUNIT)).toMatch(/^550 5\.7\.1 /);
    await expect(
      transport(reader.address).sendMail({ from: AGENCY, to: rcpt.address, subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 553 });
  });

  it('a revocation holds for the next transaction of an open connection', async () => {
    const c = await RawSmtp.connect(h.port('submissions'), { tls: true });
    await c.read();
    await c.cmd('EHLO client.example');
    expect(await c.cmd(`AUTH PLAIN ${b64(`\0${sender.address}\0${TEST_PASSWORD}`)}`)).toMatch(/^235/);
    expect(await c.cmd(`MAIL FROM:<${AGENCY}>`)).toMatch(/^250/);
    expect(await c.cmd('RSET')).toMatch(/^250/);
    await h.fx.system.directory.delegations.revoke(operator, AGENCY, sender.address);
    expect(await c.cmd(`MAIL FROM:<${AGENCY}>`)).toMatch(/^553 5\.7\.1 /);
    c.end();
    await expect(
      transport(sender.address).sendMail({ from: AGENCY, to: rcpt.address, subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 553 });
    // Granted again without send-as: still refused.
    await h.fx.system.directory.delegations.grant(operator, AGENCY, sender.address, { rights: 'read' });
    expect(await rawSend(sender.address, AGENCY, AGENCY)).toMatch(/^553 5\.7\.1 /);
  });
});
