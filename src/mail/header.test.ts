import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HeaderIndex,
  decodeHeaderValue,
  decodeHeaderWords,
  findHeaderEnd,
  getField,
  getFields,
  headerText,
  parseContentDisposition,
  parseContentType,
  parseHeaderBlock,
} from './header.ts';

const text = (b: Buffer): string => b.toString('utf8');

describe('parseHeaderBlock (RFC 5322 §2.2)', () => {
  const block = [
    'Subject: =?UTF-8?B?VGjDtG5nIGLDoW8gaOG7jXA=?=',
    'To: a@b.vn,',
    '\tc@d.vn,',
    '   e@f.vn',
    'X-Broken line without colon',
    'Tiêu-đề: not a valid name',
    'Comments  : spaced name',
    'Chủ-đề-8bit: x',
    'From: Nguyễn Văn A <nva@quangtri.gov.vn>',
    '',
    'body: not a header',
  ].join('\r\n');
  const buf = Buffer.from(block, 'utf8');
  const hb = parseHeaderBlock(buf);

  it('splits fields, unfolds values and skips malformed lines', () => {
    expect(hb.fields.map((f) => f.name)).toEqual(['Subject', 'To', 'Comments', 'From']);
    expect(text(hb.fields[1]?.value ?? Buffer.alloc(0))).toBe('a@b.vn,\tc@d.vn,   e@f.vn');
    expect(text(hb.fields[2]?.value ?? Buffer.alloc(0))).toBe('spaced name');
    expect(text(hb.fields[3]?.value ?? Buffer.alloc(0))).toBe('Nguyễn Văn A <nva@quangtri.gov.vn>');
    expect(hb.truncated).toBe(false);
  });

  it('keeps the raw bytes of each field, folding and line ending included', () => {
    const to = hb.fields[1];
    expect(to && text(buf.subarray(to.start, to.end))).toBe('To: a@b.vn,\r\n\tc@d.vn,\r\n   e@f.vn\r\n');
    expect(text(buf.subarray(hb.bodyStart))).toBe('body: not a header');
  });

  it('looks fields up case-insensitively, first one first', () => {
    const b = Buffer.from('X-A: 1\r\nx-a: 2\r\nX-B: 3\r\n\r\n');
    const fields = parseHeaderBlock(b).fields;
    expect(text(getField(fields, 'x-A')?.value ?? Buffer.alloc(0))).toBe('1');
    expect(getFields(fields, 'X-A').map((f) => text(f.value))).toEqual(['1', '2']);
    const index = new HeaderIndex(fields);
    expect(text(index.get('X-B')?.value ?? Buffer.alloc(0))).toBe('3');
    expect(index.getAll('x-a')).toHaveLength(2);
    expect(index.get('missing')).toBeUndefined();
  });

  it('accepts bare LF and a block without a blank line', () => {
    const b = Buffer.from('A: 1\n  2\nB: 3\n\nbody');
    const lfBlock = parseHeaderBlock(b);
    expect(lfBlock.fields.map((f) => `${f.name}=${text(f.value)}`)).toEqual(['A=1  2', 'B=3']);
    expect(lfBlock.bodyStart).toBe(b.length - 4);
    const noBlank = Buffer.from('A: 1\r\nB: 2');
    expect(parseHeaderBlock(noBlank).bodyStart).toBe(noBlank.length);
    expect(parseHeaderBlock(noBlank).fields).toHaveLength(2);
  });

  it('finds the end of a header only inside its range', () => {
    const b = Buffer.from('A: 1\r\nB: 2\r\n\r\nbody');
    expect(findHeaderEnd(b, 0, b.length)).toBe(14);
    expect(findHeaderEnd(b, 0, 10)).toBe(10);
    expect(findHeaderEnd(b, 12, b.length)).toBe(14);
    expect(findHeaderEnd(b, 5, 5)).toBe(5);
  });

  it('parses only the first maxBytes and drops a field cut by the limit', () => {
    const b = Buffer.from(`A: 1\r\nB: ${'x'.repeat(100)}\r\nC: 3\r\n\r\nbody`);
    const cut = parseHeaderBlock(b, 0, b.length, { maxBytes: 50 });
    expect(cut.fields.map((f) => f.name)).toEqual(['A']);
    expect(cut.truncated).toBe(true);
    expect(cut.bodyStart).toBe(b.length - 4);
    const folded = Buffer.from(`A: 1\r\nB: 2${'\r\n x'.repeat(30)}\r\n\r\nbody`);
    expect(parseHeaderBlock(folded, 0, folded.length, { maxBytes: 40 }).fields.map((f) => f.name)).toEqual([
      'A',
    ]);
  });

  it('never throws and keeps fields inside the block for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (a) => {
        const b = Buffer.from(a);
        const hb2 = parseHeaderBlock(b);
        expect(hb2.bodyStart).toBeLessThanOrEqual(b.length);
        for (const f of hb2.fields) {
          expect(f.start).toBeLessThan(f.end);
          expect(f.end).toBeLessThanOrEqual(hb2.bodyStart);
          expect(f.value.includes(0x0a)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('header text decoding', () => {
  it('decodes RFC 2047 B and Q words in Vietnamese (RFC 2047 §4)', () => {
    expect(decodeHeaderWords('=?UTF-8?B?VGjDtG5nIGLDoW8gaOG7jXA=?=')).toBe('Thông báo họp');
    expect(decodeHeaderWords('=?utf-8?Q?Gi=E1=BA=A5y_m=E1=BB=9Di_h=E1=BB=8Dp?=')).toBe('Giấy mời họp');
    // Whitespace between adjacent encoded words is not displayed (RFC 2047 §6.2).
    expect(decodeHeaderWords('=?UTF-8?Q?Ph=C3=B2ng?= =?UTF-8?Q?_N=E1=BB=99i_v=E1=BB=A5?=')).toBe(
      'Phòng Nội vụ',
    );
    expect(decodeHeaderWords('=?windows-1258?Q?Th=F4ng_b=E1o?=')).toBe('Thông báo');
    expect(decodeHeaderWords('plain text')).toBe('plain text');
  });

  it('removes control and bidi characters and normalises to NFC (MIME-04)', () => {
    expect(decodeHeaderWords('=?UTF-8?Q?a=0D=0Ab=00c=1Bd?=')).toBe('a bcd');
    expect(decodeHeaderWords('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    const decomposed = 'Ho\u0323\u0302i nghi\u0323'; // "Hội nghị" in decomposed form
    expect(decodeHeaderWords(decomposed)).toBe('Hội nghị');
  });

  it('reads raw 8-bit headers as UTF-8 (RFC 6532) or through the legacy fallback', () => {
    expect(headerText(Buffer.from('Thông báo', 'utf8'))).toBe('Thông báo');
    const cp1258 = Buffer.from([0x54, 0x68, 0xf4, 0x6e, 0x67, 0x20, 0x62, 0xe1, 0x6f]); // "Thông báo"
    expect(headerText(cp1258)).toBe('Thông báo');
    expect(headerText(Buffer.from([0x48, 0xf4, 0xf2, 0x69]))).toBe('H\u00f4\u0323i'); // ô + combining dot below
    expect(decodeHeaderValue(Buffer.from([0x48, 0xf4, 0xf2, 0x69]))).toBe('Hội');
    expect(headerText(Buffer.from([0xe9]), 'iso-8859-1')).toBe('é');
  });
});

describe('Content-Type and Content-Disposition (RFC 2045 §5.1, RFC 2183, RFC 2231)', () => {
  it('parses type, subtype and parameters with quotes and comments', () => {
    expect(parseContentType('Multipart/Mixed; (comment) boundary="----=_Part_1"; charset=UTF-8 (x)')).toEqual(
      {
        type: 'multipart',
        subtype: 'mixed',
        params: [
          { name: 'boundary', value: '----=_Part_1', extended: false },
          { name: 'charset', value: 'UTF-8', extended: false },
        ],
      },
    );
  });

  it('joins RFC 2231 continuations and decodes charsets', () => {
    const ct = parseContentType(
      "application/pdf; name*0*=utf-8''B%C3%A1o%20c; name*1*=%C3%A1o_th%C3%A1ng.pdf",
    );
    expect(ct?.params).toEqual([{ name: 'name', value: 'Báo cáo_tháng.pdf', extended: true }]);
    const cd = parseContentDisposition("attachment; filename*=windows-1258''Th%F4ng%20b%E1o.doc; size=12");
    expect(cd).toEqual({
      type: 'attachment',
      params: [
        { name: 'size', value: '12', extended: false },
        { name: 'filename', value: 'Thông báo.doc', extended: true },
      ],
    });
  });

  it('keeps RFC 2047 words in ordinary parameters for the caller to decode', () => {
    expect(parseContentType('text/plain; name="=?UTF-8?B?VGjDtG5n?="')?.params[0]?.value).toBe(
      '=?UTF-8?B?VGjDtG5n?=',
    );
  });

  it('rejects values that are not a media type', () => {
    for (const bad of ['', 'text', '/plain', 'text/', 'te xt/plain', 'text/pl@in'])
      expect(parseContentType(bad)).toBeNull();
    expect(parseContentDisposition('')).toBeNull();
    expect(parseContentDisposition('in line')).toBeNull();
  });
});
