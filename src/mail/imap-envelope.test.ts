import { describe, expect, it } from 'vitest';
import { renderAddressList, renderEnvelope } from './imap-envelope.ts';
import { imapString } from './imap-string.ts';
import { indexMessage } from './structure.ts';

const crlf = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');
const envelopeOf = (raw: Buffer, utf8 = false): string =>
  renderEnvelope(indexMessage(raw).root.envelope, { utf8 });

describe('ENVELOPE (RFC 9051 §7.5.2)', () => {
  const raw = crlf(
    'Date: Tue, 14 May 2024 08:30:00 +0700',
    'From: "Nguyễn Văn A" <nva@quangtri.gov.vn>',
    'To: =?UTF-8?B?UGjDsm5nIE7hu5lpIHbhu6U=?= <pnv@quangtri.gov.vn>, Lãnh đạo: gd@quangtri.gov.vn,',
    ' pgd@quangtri.gov.vn;',
    'Cc: undisclosed-recipients:;',
    'Subject: =?UTF-8?Q?B=C3=A1o_c=C3=A1o_th=C3=A1ng_5?=',
    'In-Reply-To: <a@quangtri.gov.vn>',
    'Message-ID: <20240514083000.1@quangtri.gov.vn>',
    '',
    'body',
  );
  const from = '(({15}\r\nNguyễn Văn A NIL "nva" "quangtri.gov.vn"))';
  const to =
    '(("=?UTF-8?B?UGjDsm5nIE7hu5lpIHbhu6U=?=" NIL "pnv" "quangtri.gov.vn")(NIL NIL {12}\r\nLãnh đạo NIL)' +
    '(NIL NIL "gd" "quangtri.gov.vn")(NIL NIL "pgd" "quangtri.gov.vn")(NIL NIL NIL NIL))';

  it('carries raw header text, groups, and defaults sender and reply-to to from', () => {
    expect(envelopeOf(raw)).toBe(
      `("Tue, 14 May 2024 08:30:00 +0700" "=?UTF-8?Q?B=C3=A1o_c=C3=A1o_th=C3=A1ng_5?=" ${from} ${from} ${from} ${to}` +
        ' ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) NIL "<a@quangtri.gov.vn>"' +
        ' "<20240514083000.1@quangtri.gov.vn>")',
    );
  });

  it('sends UTF-8 quoted when the client enabled UTF8=ACCEPT', () => {
    const env = envelopeOf(raw, true);
    expect(env).toContain('(("Nguyễn Văn A" NIL "nva" "quangtri.gov.vn"))');
    expect(env).toContain('(NIL NIL "Lãnh đạo" NIL)');
    expect(env).not.toContain('{');
  });

  it('gives NIL for absent fields, "" for empty ones, and keeps explicit Sender and Reply-To', () => {
    const r = crlf('Subject:', 'From: a@b.vn', 'Sender: s@b.vn', 'Reply-To:', 'Message-ID:   ', '', '');
    expect(envelopeOf(r)).toBe(
      '(NIL "" ((NIL NIL "a" "b.vn")) ((NIL NIL "s" "b.vn")) ((NIL NIL "a" "b.vn")) NIL NIL NIL NIL "")',
    );
  });

  it('is all NIL for an empty message', () => {
    expect(envelopeOf(Buffer.alloc(0))).toBe('(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)');
    expect(renderEnvelope(null, { utf8: false })).toBe('(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)');
  });

  it('renders routes, comments as names, quoted local parts and missing hosts', () => {
    const r = crlf(
      'From: <@relay.vn,@gw.vn:user@quangtri.gov.vn>',
      'To: root, user@host (Trần Thị B), "john smith"@x.vn',
      '',
      '',
    );
    const idx = indexMessage(r);
    const o = { utf8: false };
    expect(renderAddressList(idx.root.envelope?.from ?? null, o)).toBe(
      '((NIL "@relay.vn,@gw.vn" "user" "quangtri.gov.vn"))',
    );
    expect(renderAddressList(idx.root.envelope?.to ?? null, { utf8: true })).toBe(
      '((NIL NIL "root" ".MISSING-HOST-NAME.")("Trần Thị B" NIL "user" "host")(NIL NIL "\\"john smith\\"" "x.vn"))',
    );
  });

  it('keeps a 1000-address To list and a Mailsploit From exactly', () => {
    const list = Array.from({ length: 1000 }, (_, i) => `u${i}@quangtri.gov.vn`).join(', ');
    const r = crlf(
      `To: ${list}`,
      'From: =?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?=@attacker.example',
      '',
      '',
    );
    const env = envelopeOf(r);
    expect(env.match(/\(NIL NIL "u\d+" "quangtri\.gov\.vn"\)/g)?.length).toBe(1000);
    expect(env).toContain(
      '((NIL NIL "=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?=" "attacker.example"))',
    );
  });
});

describe('imapString (RFC 9051 §4.3)', () => {
  it('quotes, escapes, and falls back to literals', () => {
    const o = { utf8: false };
    expect(imapString(null, o)).toBe('NIL');
    expect(imapString('', o)).toBe('""');
    expect(imapString('a"b\\c', o)).toBe('"a\\"b\\\\c"');
    expect(imapString('a\r\nb', o)).toBe('{4}\r\na\r\nb');
    expect(imapString('x'.repeat(1025), o)).toBe(`{1025}\r\n${'x'.repeat(1025)}`);
    expect(imapString('x'.repeat(1024), o)).toBe(`"${'x'.repeat(1024)}"`);
    expect(imapString('đ', o)).toBe('{2}\r\nđ');
    expect(imapString('đ', { utf8: true })).toBe('"đ"');
    expect(imapString('a\u0000b', o)).toBe('"ab"');
    expect(imapString('\ud800', { utf8: true })).toBe('"\ufffd"');
  });
});
