// The MX listener (issue 3 item 1) on both backends, driven over real sockets by nodemailer,
// Python's smtplib and curl: local recipients only, refusals at RCPT, trace and authentication
// fields, our domains protected by DMARC p=reject, one blob per message, loops.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { dkimSign } from 'mailauth';
import { availableBackends } from '../support/backends.ts';
import { operator } from '../support/system.ts';
import { messageCount, RawSmtp, rfc5322, smtpHarness, storedMessages, type SmtpHarness } from './support.ts';
import { indexMessage } from '../../src/mail/index.ts';

const backends = await availableBackends();

function mx(port: number) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    name: 'mail.ext.example',
    tls: { rejectUnauthorized: false },
  });
}

function run(
  cmd: string,
  args: string[],
  input?: string,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'pipe' });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}

describe.each(backends)('MX listener on %s', (backend) => {
  let h: SmtpHarness;
  let an: { address: string; id: string };
  let binh: { address: string; id: string };
  beforeEach(async () => {
    h = await smtpHarness(backend);
    an = await h.fx.user('Nguyễn Văn An');
    binh = await h.fx.user('Trần Thị Bình');
  });
  afterEach(async () => h.close());

  it('delivers to local addresses and aliases once, with Received and Authentication-Results (nodemailer)', async () => {
    await h.fx.system.directory.admin.addAlias(operator, an.address, 'nguyenvanan@quangbinh.gov.vn');
    h.dns.txt('ext.example', 'v=spf1 ip4:127.0.0.1 -all');
    const info = await mx(h.port('mx')).sendMail({
      envelope: {
        from: 'sender@ext.example',
        to: [an.address, 'NguyenVanAn@QuangBinh.gov.vn.', binh.address],
      },
      raw: rfc5322({ from: 'Người gửi <sender@ext.example>', to: an.address, messageId: 'one@ext.example' }),
    });
    expect(info.response).toMatch(/^250 2\.0\.0 Đã nhận thư \/ Message accepted/);
    const a = await storedMessages(h, an.id);
    const b = await storedMessages(h, binh.id);
    expect(a).toHaveLength(1); // primary + alias of one account: one copy
    expect(b).toHaveLength(1);
    expect(a[0]!.blobId).toBe(b[0]!.blobId); // one blob for all recipients
    expect(a[0]!.source).toBe('smtp');
    const msg = a[0]!.content;
    expect(msg).toMatch(
      /^Received: from mail\.ext\.example \(\[127\.0\.0\.1\]\)\r\n\tby mail\.quangtri\.gov\.vn/,
    );
    expect(msg).not.toMatch(/for </); // three recipients: no "for" clause (Bcc privacy)
    expect(msg).toMatch(/Authentication-Results: mail\.quangtri\.gov\.vn;[\s\S]*spf=pass/);
    expect(msg).toMatch(/Received-SPF: pass/);
    // The MIME index made once by the SMTP server is the index of the stored bytes (trace headers
    // included), so IMAP offsets and sizes are right without indexing the message twice.
    const meta = await h.fx.system.store.db
      .selectFrom('message_meta')
      .select('index_json')
      .where('blob_id', '=', a[0]!.blobId)
      .executeTakeFirstOrThrow();
    expect(meta.index_json).toBe(JSON.stringify(indexMessage(Buffer.from(msg, 'utf8'))));
  });

  it('refuses unknown and deleted recipients at RCPT with 550 5.1.1, keeps mail for a suspended mailbox', async () => {
    const cuong = await h.fx.user('Lê Văn Cường');
    await h.fx.system.directory.admin.delete(operator, cuong.address, { reason: 'nghỉ hưu' });
    await h.fx.system.directory.admin.suspend(operator, binh.address, { reason: 'inactivity' });
    const c = await RawSmtp.connect(h.port('mx'));
    expect(await c.read()).toMatch(/^220 /);
    expect(await c.cmd('EHLO mail.ext.example')).toMatch(/^250/);
    expect(await c.cmd('MAIL FROM:<a@ext.example>')).toMatch(/^250/);
    expect(await c.cmd('RCPT TO:<khongtontai@quangtri.gov.vn>')).toBe(
      '550 5.1.1 Không có hộp thư này / No such mailbox',
    );
    expect(await c.cmd(`RCPT TO:<${cuong.address}>`)).toMatch(/^550 5\.1\.1 /);
    expect(await c.cmd(`RCPT TO:<${binh.address}>`)).toMatch(/^250/); // suspended still receives
    expect(await c.cmd('DATA')).toMatch(/^354/);
    c.write(rfc5322({ from: 'a@ext.example', to: binh.address }) + '.\r\n');
    expect(await c.read()).toMatch(/^250 2\.0\.0/);
    c.end();
    expect(await storedMessages(h, binh.id)).toHaveLength(1);
    expect(await storedMessages(h, cuong.id)).toHaveLength(0);
  });

  it('answers 452 4.2.2 at RCPT for a full mailbox and 503 to AUTH on port 25', async () => {
    await h.fx.system.store.write(async (tx) => {
      await tx.db
        .updateTable('accounts')
        .set({ used_bytes: 2 * 1024 ** 3 })
        .where('id', '=', an.id)
        .execute();
    });
    const c = await RawSmtp.connect(h.port('mx'));
    await c.read();
    const ehlo = await c.cmd('EHLO mail.ext.example');
    expect(ehlo).toMatch(/SIZE 75000000/);
    expect(ehlo).not.toMatch(/AUTH/);
    // covers AUTH-05 (AUTH on port 25 → 503)
    expect(await c.cmd('AUTH PLAIN AGFuAHB3')).toMatch(/^503 5\.5\.1 /);
    expect(await c.cmd('MAIL FROM:<a@ext.example>')).toMatch(/^250/);
    expect(await c.cmd(`RCPT TO:<${an.address}>`)).toMatch(/^452 4\.2\.2 /);
    expect(await c.cmd(`RCPT TO:<${binh.address}>`)).toMatch(/^250/);
    c.end();
  });

  it('refuses an outsider forging our domain (550 5.7.1) and strips forged Authentication-Results (SMTP-16)', async () => {
    // covers SMTP-16: no SPF for us in the fake DNS, no DKIM: DMARC cannot pass, our policy is p=reject.
    await expect(
      mx(h.port('mx')).sendMail({
        envelope: { from: binh.address, to: [an.address] },
        raw: rfc5322({ from: binh.address, to: an.address }),
      }),
    ).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringMatching(/^550 5\.7\.1 .*mạo danh/),
    });
    expect(await messageCount(h)).toBe(0);

    // A genuine external message that carries a forged "dmarc=pass" in our name keeps its own, not ours.
    const raw = rfc5322({
      from: 'x@ext.example',
      to: an.address,
      extra: [
        'Authentication-Results: mail.quangtri.gov.vn; dmarc=pass header.from=quangtri.gov.vn',
        'Authentication-Results: MAIL.QUANGTRI.GOV.VN (comment); spf=pass',
        'Authentication-Results: other.example; spf=fail',
      ],
    });
    await mx(h.port('mx')).sendMail({ envelope: { from: 'x@ext.example', to: [an.address] }, raw });
    const [m] = await storedMessages(h, an.id);
    const ours = m!.content.match(/^Authentication-Results: mail\.quangtri\.gov\.vn;/gim) ?? [];
    expect(ours).toHaveLength(1); // only the one we added
    expect(m!.content).not.toMatch(/dmarc=pass header\.from=quangtri/);
    expect(m!.content).toMatch(/Authentication-Results: other\.example; spf=fail/);
  });

  it('accepts our domain from outside when DKIM passes aligned, and answers 451 when DNS fails (FLT-13)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    h.dns.txt('s1._domainkey.quangtri.gov.vn', `v=DKIM1; k=rsa; p=${pub}`);
    const raw = rfc5322({ from: binh.address, to: an.address, subject: 'Có chữ ký' });
    // mailauth's type declarations lag its API: several signatures go in signatureData.
    const signed = await dkimSign(raw, {
      signatureData: [
        {
          signingDomain: 'quangtri.gov.vn',
          selector: 's1',
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
      ],
    } as unknown as Parameters<typeof dkimSign>[1]);
    expect(signed.signatures).toMatch(/^DKIM-Signature: /);
    await mx(h.port('mx')).sendMail({
      envelope: { from: 'bounce@list.example', to: [an.address] },
      raw: signed.signatures + raw,
    });
    const [m] = await storedMessages(h, an.id);
    expect(m!.content).toMatch(/dkim=pass/);

    h.dns.broken.add('quangtri.gov.vn');
    h.dns.broken.add('s1._domainkey.quangtri.gov.vn');
    await expect(
      mx(h.port('mx')).sendMail({
        envelope: { from: binh.address, to: [an.address] },
        raw: rfc5322({ from: binh.address, to: an.address }),
      }),
    ).rejects.toMatchObject({ responseCode: 451 });
  });

  it('accepts postmaster without a domain for the operators (RFC 5321 §4.5.1), refuses loops 554 5.4.6 (SMTP-21)', async () => {
    await h.fx.system.directory.admin.setRole(operator, binh.address, 'operator');
    const c = await RawSmtp.connect(h.port('mx'));
    await c.read();
    await c.cmd('EHLO mail.ext.example');
    expect(await c.cmd('MAIL FROM:<>')).toMatch(/^250/);
    expect(await c.cmd('RCPT TO:<postmaster>')).toMatch(/^250/);
    expect(await c.cmd('RCPT TO:<Abuse@quangtri.gov.vn>')).toMatch(/^250/);
    expect(await c.cmd('DATA')).toMatch(/^354/);
    c.write(rfc5322({ from: 'mailer-daemon@ext.example', to: 'postmaster' }) + '.\r\n');
    expect(await c.read()).toMatch(/^250/);
    expect(await storedMessages(h, binh.id)).toHaveLength(1);

    // covers SMTP-21: 51 Received fields
    const hops = Array.from(
      { length: 51 },
      (_, i) =>
        `Received: from hop${i}.ext.example by hop${i + 1}.ext.example; Mon, 2 Nov 2026 09:00:00 +0700`,
    );
    expect(await c.cmd('MAIL FROM:<a@ext.example>')).toMatch(/^250/);
    expect(await c.cmd(`RCPT TO:<${an.address}>`)).toMatch(/^250/);
    expect(await c.cmd('DATA')).toMatch(/^354/);
    c.write(hops.join('\r\n') + '\r\n' + rfc5322({ from: 'a@ext.example', to: an.address }) + '.\r\n');
    expect(await c.read()).toMatch(/^554 5\.4\.6 /);
    expect(await storedMessages(h, an.id)).toHaveLength(0);
    c.end();
  });

  it('takes mail from Python smtplib and from curl', async () => {
    h.dns.txt('ext.example', 'v=spf1 ip4:127.0.0.1 -all');
    const py = [
      'import smtplib, sys',
      `s = smtplib.SMTP("127.0.0.1", ${h.port('mx')}, local_hostname="py.ext.example", timeout=10)`,
      `msg = "From: py@ext.example\\r\\nTo: ${an.address}\\r\\nSubject: smtplib\\r\\nMessage-ID: <py@ext.example>\\r\\n\\r\\nXin chao\\r\\n"`,
      `refused = s.sendmail("py@ext.example", ["${an.address}", "nobody@quangtri.gov.vn"], msg)`,
      'print(sorted(refused.keys()), refused.get("nobody@quangtri.gov.vn", (0,))[0])',
      's.quit()',
    ].join('\n');
    const r = await run('python3', ['-c', py]);
    expect(r.err).toBe('');
    expect(r.out.trim()).toBe("['nobody@quangtri.gov.vn'] 550");

    const dir = mkdtempSync(path.join(os.tmpdir(), 'congthu-curl-'));
    const file = path.join(dir, 'msg.eml');
    writeFileSync(file, rfc5322({ from: 'curl@ext.example', to: binh.address, subject: 'curl' }));
    const c = await run('curl', [
      '-sS',
      `smtp://127.0.0.1:${h.port('mx')}/mail.ext.example`,
      '--mail-from',
      'curl@ext.example',
      '--mail-rcpt',
      binh.address,
      '--upload-file',
      file,
    ]);
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
    const [pm] = await storedMessages(h, an.id);
    expect(pm!.content).toContain('Subject: smtplib');
    const [cm] = await storedMessages(h, binh.id);
    expect(cm!.content).toContain('Subject: curl');
  });
});
