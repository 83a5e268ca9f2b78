import { describe, expect, it } from 'vitest';
import { body, bodyStructure, renderBodyStructure } from './imap-bodystructure.ts';
import { indexMessage } from './structure.ts';

const crlf = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');
const ascii = { utf8: false } as const;
const utf8 = { utf8: true } as const;

describe('BODYSTRUCTURE and BODY of a single text part', () => {
  // 22 lines of 50 octets + CRLF and "final." + CRLF: 22 × 52 + 8 = 1152 octets, 23 lines.
  const text = `${Array.from({ length: 22 }, () => 'y'.repeat(50)).join('\r\n')}\r\nfinal.\r\n`;
  const raw = crlf('From: a@b.vn', 'Content-Type: text/plain; charset=UTF-8', '', text);
  const idx = indexMessage(raw);

  it('matches the RFC 9051 §7.5.2 shape', () => {
    expect(bodyStructure(idx, ascii)).toBe(
      '("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "7BIT" 1152 23 NIL NIL NIL NIL)',
    );
    expect(body(idx, ascii)).toBe('("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "7BIT" 1152 23)');
  });

  it('uses the RFC 2045 default for a message without MIME headers', () => {
    const plain = indexMessage(crlf('Subject: x', '', 'one', 'two'));
    expect(bodyStructure(plain, ascii)).toBe(
      '("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 8 1 NIL NIL NIL NIL)',
    );
  });

  it('sends id, description, md5, disposition, language and location', () => {
    const raw2 = crlf(
      'Content-Type: Application/Octet-Stream; Name="a b.bin"',
      'Content-ID: <part1@quangtri.gov.vn>',
      'Content-Description: =?UTF-8?Q?T=C3=A0i_li=E1=BB=87u?=',
      'Content-Transfer-Encoding: Base64',
      'Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==',
      'Content-Disposition: INLINE',
      'Content-Language: vi, en (English)',
      'Content-Location: http://quangtri.gov.vn/',
      '  a.bin',
      '',
      'AAAA',
    );
    expect(bodyStructure(indexMessage(raw2), ascii)).toBe(
      '("APPLICATION" "OCTET-STREAM" ("NAME" "a b.bin") "<part1@quangtri.gov.vn>" ' +
        '"=?UTF-8?Q?T=C3=A0i_li=E1=BB=87u?=" "BASE64" 4 "Q2hlY2sgSW50ZWdyaXR5IQ==" ("INLINE" NIL) ("vi" "en") ' +
        '"http://quangtri.gov.vn/a.bin")',
    );
  });
});

describe('BODYSTRUCTURE of a multipart message with a forwarded message', () => {
  const inner = [
    'From: b@x.vn',
    'Subject: Fwd',
    'Content-Type: multipart/mixed; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain',
    '',
    'ok',
    '--inner',
    'Content-Type: image/png; name=a.png',
    'Content-Transfer-Encoding: base64',
    '',
    'iVBORw0KGgo=',
    '--inner--',
  ].join('\r\n');
  const raw = crlf(
    'From: "Nguyễn Văn A" <nva@quangtri.gov.vn>',
    'Subject: =?UTF-8?Q?B=C3=A1o_c=C3=A1o?=',
    'Content-Type: multipart/mixed; boundary="==mixed=="',
    '',
    'preamble',
    '--==mixed==',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Kính gửi các đồng chí,\r\nBáo cáo đính kèm.', // 32 + 22 = 54 octets, 1 LF
    '--alt',
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    '<p>K=C3=ADnh g=E1=BB=ADi</p>', // 28 octets
    '--alt--',
    '--==mixed==',
    'Content-Type: application/pdf; name="bao-cao.pdf"',
    'Content-Disposition: attachment; filename="bao-cao.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    'JVBERi0xLjQK',
    '--==mixed==',
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    inner, // 224 octets, 13 LFs
    '--==mixed==--',
    '',
  );
  const idx = indexMessage(raw);
  const alt =
    '(("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "8BIT" 54 1 NIL NIL NIL NIL)' +
    '("TEXT" "HTML" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 28 0 NIL NIL NIL NIL)' +
    ' "ALTERNATIVE" ("BOUNDARY" "alt") NIL NIL NIL)';
  const pdf =
    '("APPLICATION" "PDF" ("NAME" "bao-cao.pdf") NIL NIL "BASE64" 12 NIL ("ATTACHMENT" ("FILENAME" "bao-cao.pdf")) NIL NIL)';
  const innerEnvelope =
    '(NIL "Fwd" ((NIL NIL "b" "x.vn")) ((NIL NIL "b" "x.vn")) ((NIL NIL "b" "x.vn")) NIL NIL NIL NIL NIL)';
  const innerBody =
    '(("TEXT" "PLAIN" NIL NIL NIL "7BIT" 2 0 NIL NIL NIL NIL)("IMAGE" "PNG" ("NAME" "a.png") NIL NIL "BASE64" 12 NIL NIL NIL NIL)' +
    ' "MIXED" ("BOUNDARY" "inner") NIL NIL NIL)';
  const msg = `("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 224 ${innerEnvelope} ${innerBody} 13 NIL ("INLINE" NIL) NIL NIL)`;

  it('renders the whole tree per the RFC 9051 grammar', () => {
    expect(bodyStructure(idx, ascii)).toBe(
      `(${alt}${pdf}${msg} "MIXED" ("BOUNDARY" "==mixed==") NIL NIL NIL)`,
    );
  });

  it('renders BODY without any extension data, also inside message/rfc822', () => {
    expect(body(idx, ascii)).toBe(
      '((("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "8BIT" 54 1)("TEXT" "HTML" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 28 0) "ALTERNATIVE")' +
        '("APPLICATION" "PDF" ("NAME" "bao-cao.pdf") NIL NIL "BASE64" 12)' +
        `("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 224 ${innerEnvelope} (("TEXT" "PLAIN" NIL NIL NIL "7BIT" 2 0)` +
        '("IMAGE" "PNG" ("NAME" "a.png") NIL NIL "BASE64" 12) "MIXED") 13) "MIXED")',
    );
  });

  it('renders a sub-tree', () => {
    const part = idx.root.children[1];
    expect(part && renderBodyStructure(part, { utf8: false, extensible: true })).toBe(pdf);
  });
});

describe('parameters, RFC 2231 and 8-bit text', () => {
  it('joins continuations and sends charset-encoded values as NAME* utf-8 ext-values', () => {
    const raw = crlf(
      'Content-Type: application/msword; name*0="Bao cao "; name*1="thang 5.doc"',
      "Content-Disposition: attachment; filename*0*=utf-8''B%C3%A1o%20c; filename*1*=%C3%A1o.doc",
      '',
      'x',
    );
    expect(bodyStructure(indexMessage(raw), ascii)).toBe(
      '("APPLICATION" "MSWORD" ("NAME" "Bao cao thang 5.doc") NIL NIL "7BIT" 1 NIL ' +
        '("ATTACHMENT" ("FILENAME*" "utf-8\'\'B%C3%A1o%20c%C3%A1o.doc")) NIL NIL)',
    );
  });

  it('converts a windows-1258 RFC 2231 value to UTF-8 and sends plain ASCII ones unstarred', () => {
    const raw = crlf(
      "Content-Type: text/plain; charset*=us-ascii'en'utf-8; name*=windows-1258''Th%F4ng%20b%E1o.txt",
      '',
      '',
    );
    expect(bodyStructure(indexMessage(raw), ascii)).toBe(
      '("TEXT" "PLAIN" ("CHARSET" "utf-8" "NAME*" "utf-8\'\'Th%C3%B4ng%20b%C3%A1o.txt") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL)',
    );
  });

  it('sends 8-bit parameter values as literals, or quoted under UTF8=ACCEPT', () => {
    const raw = crlf('Content-Type: image/jpeg; name="ảnh.jpg"', '', '');
    const idx = indexMessage(raw);
    // "ảnh.jpg": ả is 3 octets, so 9 octets.
    expect(bodyStructure(idx, ascii)).toBe(
      '("IMAGE" "JPEG" ("NAME" {9}\r\nảnh.jpg) NIL NIL "7BIT" 0 NIL NIL NIL NIL)',
    );
    expect(bodyStructure(idx, utf8)).toBe(
      '("IMAGE" "JPEG" ("NAME" "ảnh.jpg") NIL NIL "7BIT" 0 NIL NIL NIL NIL)',
    );
  });

  it('escapes quotes and backslashes', () => {
    const raw = crlf('Content-Type: text/plain; name="a\\\\b\\"c"', '', '');
    expect(bodyStructure(indexMessage(raw), ascii)).toBe(
      '("TEXT" "PLAIN" ("NAME" "a\\\\b\\"c") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL)',
    );
  });
});

describe('corner cases (MIME-08)', () => {
  it('renders an empty message/rfc822 part', () => {
    const raw = crlf(
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: message/rfc822',
      '',
      '--b--',
    );
    expect(bodyStructure(indexMessage(raw), ascii)).toBe(
      '(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 0 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ' +
        '("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL) 0 NIL NIL NIL NIL)' +
        ' "MIXED" ("BOUNDARY" "b") NIL NIL NIL)',
    );
  });

  it('renders a multipart without boundary as opaque text', () => {
    const raw = crlf('Content-Type: multipart/mixed', '', 'a', 'b');
    expect(bodyStructure(indexMessage(raw), ascii)).toBe(
      '("TEXT" "PLAIN" NIL NIL NIL "7BIT" 4 1 NIL NIL NIL NIL)',
    );
  });

  it('stays bounded for 1000-deep nesting', () => {
    let s = 'leaf';
    for (let i = 999; i >= 0; i--)
      s = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${s}\r\n--b${i}--`;
    const bs = bodyStructure(indexMessage(Buffer.from(s)), ascii);
    expect(bs.startsWith('('.repeat(100))).toBe(true);
    expect(bs.length).toBeLessThan(20_000);
  });
});
