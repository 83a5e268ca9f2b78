import { describe, expect, it } from 'vitest';
import { indexMessage } from './structure.ts';
import { decodeEntities, extractText, htmlToText, makePreview } from './text.ts';
import type { ExtractOptions } from './text.ts';

const crlf = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');
const extract = (raw: Buffer, o?: ExtractOptions): ReturnType<typeof extractText> =>
  extractText(raw, indexMessage(raw), o);

describe('extractText: a Vietnamese office message', () => {
  const raw = crlf(
    'From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?= <nva@quangtri.gov.vn>',
    'To: "Phòng Nội vụ" <pnv@quangtri.gov.vn>, Lãnh đạo: gd@quangtri.gov.vn;',
    'Cc: =?utf-8?Q?V=C4=83n_ph=C3=B2ng?= <vp@quangtri.gov.vn>',
    'Subject: =?UTF-8?Q?Gi=E1=BA=A5y_m=E1=BB=9Di_h=E1=BB=8Dp?= =?UTF-8?B?IHPhu5EgMTIz?=',
    'Content-Type: multipart/mixed; boundary=m',
    '',
    '--m',
    'Content-Type: multipart/alternative; boundary=a',
    '',
    '--a',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'K=C3=ADnh g=E1=BB=ADi c=C3=A1c =C4=91=E1=BB=93ng ch=C3=AD,',
    '',
    '> tr=C3=ADch d=E1=BA=ABn th=C6=B0 c=C5=A9',
    'H=E1=BB=8Dp l=C3=BAc 8h.',
    '--a',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>HTML version</p>',
    '--a--',
    '--m',
    'Content-Type: application/pdf',
    "Content-Disposition: attachment; filename*=utf-8''Gi%E1%BA%A5y%20m%E1%BB%9Di.pdf",
    'Content-Transfer-Encoding: base64',
    '',
    'JVBERi0xLjQK',
    '--m',
    'Content-Type: text/plain; name="=?UTF-8?B?Z2hpIGNow7oudHh0?="',
    'Content-Disposition: attachment',
    '',
    'attached text is not body text',
    '--m',
    'Content-Type: message/rfc822',
    '',
    'Subject: fwd',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('Nội dung chuyển tiếp').toString('base64'),
    '--m--',
  );
  const out = extract(raw);

  it('decodes subject and addresses', () => {
    expect(out.subject).toBe('Giấy mời họp số 123');
    expect(out.from).toBe('Nguyễn Văn A <nva@quangtri.gov.vn>');
    expect(out.to).toBe('Phòng Nội vụ <pnv@quangtri.gov.vn>, gd@quangtri.gov.vn');
    expect(out.cc).toBe('Văn phòng <vp@quangtri.gov.vn>');
  });

  it('prefers text/plain, skips attachments, includes the forwarded message', () => {
    expect(out.text).toBe(
      'Kính gửi các đồng chí,\n\n> trích dẫn thư cũ\nHọp lúc 8h.\n\nNội dung chuyển tiếp',
    );
    expect(out.attachmentNames).toEqual(['Giấy mời.pdf', 'ghi chú.txt']);
    expect(out.truncated).toBe(false);
  });

  it('builds an RFC 8970 preview without quoted lines', () => {
    expect(out.preview).toBe('Kính gửi các đồng chí, Họp lúc 8h. Nội dung chuyển tiếp');
  });
});

describe('extractText: charsets (MIME-05)', () => {
  it('decodes windows-1258 and composes its combining marks to NFC', () => {
    // "Hội nghị tổng kết" in windows-1258: ô (F4) + dot below (F2); i + dot below; ô + hook above (D2).
    const body = Buffer.from([
      0x48, 0xf4, 0xf2, 0x69, 0x20, 0x6e, 0x67, 0x68, 0x69, 0xf2, 0x20, 0x74, 0xf4, 0xd2, 0x6e, 0x67, 0x20,
      0x6b, 0xea, 0xec, 0x74,
    ]);
    const raw = Buffer.concat([crlf('Content-Type: text/plain; charset=windows-1258', '', ''), body]);
    const text = extract(raw).text;
    expect(text).toBe('Hội nghị tổng kết');
    expect(text).toBe(text.normalize('NFC'));
    expect(text.length).toBe(17);
  });

  it('reads undeclared 8-bit text as UTF-8 when valid, else as the fallback charset', () => {
    expect(extract(crlf('', 'Thông báo')).text).toBe('Thông báo');
    const latin = Buffer.concat([crlf('', ''), Buffer.from([0x54, 0x68, 0xf4, 0x6e, 0x67])]);
    expect(extract(latin).text).toBe('Thông');
    expect(extract(latin, { fallbackCharset: 'iso-8859-1' }).text).toBe('Thông');
  });

  it('never decodes UTF-7 and replaces unknown charsets', () => {
    const utf7 = crlf(
      'Content-Type: text/plain; charset=UTF-7',
      '',
      '+ADw-script+AD4-alert(1)+ADw-/script+AD4-',
    );
    expect(extract(utf7).text).toBe('+ADw-script+AD4-alert(1)+ADw-/script+AD4-');
    const evil = Buffer.concat([
      crlf('Content-Type: text/plain; charset=x-evil', '', 'a'),
      Buffer.from([0xff]),
    ]);
    expect(extract(evil).text).toBe('a\ufffd');
  });

  it('unwraps format=flowed (RFC 3676)', () => {
    const raw = crlf(
      'Content-Type: text/plain; charset=utf-8; format=flowed',
      '',
      'Một dòng ',
      'dài.',
      'Hết.',
    );
    expect(extract(raw).text).toBe('Một dòng dài.\nHết.');
  });
});

describe('HTML to text', () => {
  it('drops scripts, styles, head and comments, and decodes entities', () => {
    const html =
      '<html><head><title>T</title><style>p{color:red}</style></head><body>' +
      '<script type="text/javascript">alert("<p>x</p>")</script><!-- hidden -->' +
      '<p>Th&ocirc;ng b&aacute;o&nbsp;&amp; <b>h&#7885;p</b></p><div>Ng&agrave;y&#x20;5</div>' +
      '<a href="x>y">link</a> 1 &lt; 2 &bogus; &#0;</body></html>';
    expect(htmlToText(html)).toBe('Thông báo & họp\n\nNgày 5\nlink 1 < 2 &bogus; \ufffd');
  });

  it('is used for html-only messages, decoded from quoted-printable', () => {
    const raw = crlf(
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>K=C3=ADnh g=E1=BB=ADi</p><p>=C4=90=E1=BB=93ng =',
      'ch=C3=AD</p>',
    );
    expect(extract(raw).text).toBe('Kính gửi\n\nĐồng chí');
  });

  it('stays fast on hostile HTML', () => {
    const hostile = [
      '<script>'.repeat(50_000),
      `<a '${'<b '.repeat(30_000)}`,
      '<!--'.repeat(30_000),
      `${'&#x'.repeat(30_000)}`,
      `<p title="${'"'.repeat(30_000)}`,
    ];
    const started = Date.now();
    for (const h of hostile) expect(typeof htmlToText(h)).toBe('string');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('decodes numeric and named references only when valid', () => {
    expect(decodeEntities('&#272;&#xE0;&Dstrok;&dstrok;&nope;&#xD800;')).toBe('ĐàĐđ&nope;\ufffd');
  });
});

describe('bounds', () => {
  it('stops after maxTextChars', () => {
    const raw = crlf('', 'x'.repeat(10_000));
    const out = extract(raw, { maxTextChars: 100 });
    expect(out.text.length).toBe(100);
    expect(out.truncated).toBe(true);
  });

  it('keeps the preview within 256 characters without splitting a character', () => {
    const long = '😀'.repeat(300);
    const preview = makePreview(long);
    expect(Array.from(preview)).toHaveLength(256);
    expect(preview).toBe('😀'.repeat(256));
    expect(makePreview('  a \n\n b\t c  ')).toBe('a b c');
    expect(makePreview('> only quoted')).toBe('');
  });

  it('handles a message without text', () => {
    const out = extract(Buffer.alloc(0));
    expect(out).toEqual({
      subject: '',
      from: '',
      to: '',
      cc: '',
      text: '',
      attachmentNames: [],
      preview: '',
      truncated: false,
    });
  });
});
