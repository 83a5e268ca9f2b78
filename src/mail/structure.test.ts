import { describe, expect, it } from 'vitest';
import { normalizeCrlf } from './multipart.ts';
import { findPart, indexMessage, listParts } from './structure.ts';
import type { MessageIndex, MimePart } from './structure.ts';

const crlf = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');
const lf = (...lines: string[]): Buffer => Buffer.from(lines.join('\n'), 'utf8');
const slice = (raw: Buffer, a: number, b: number): string => raw.subarray(a, b).toString('utf8');
const bodyOf = (raw: Buffer, p: MimePart | undefined): string =>
  p ? slice(raw, p.bodyStart, p.end) : '<none>';
const headerOf = (raw: Buffer, p: MimePart | undefined): string =>
  p ? slice(raw, p.headerStart, p.bodyStart) : '<none>';
const numbers = (idx: MessageIndex): string[] =>
  listParts(idx).map((p) => `${p.partNumber}:${p.type}/${p.subtype}`);

/** Every offset inside the buffer and ordered, children inside their parent. */
function checkOffsets(idx: MessageIndex, size: number): void {
  const stack: Array<[MimePart, number, number]> = [[idx.root, 0, size]];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    const [p, lo, hi] = e;
    expect(p.headerStart).toBeGreaterThanOrEqual(lo);
    expect(p.headerStart).toBeLessThanOrEqual(p.bodyStart);
    expect(p.bodyStart).toBeLessThanOrEqual(p.end);
    expect(p.end).toBeLessThanOrEqual(hi);
    expect(p.size).toBe(p.end - p.bodyStart);
    for (const c of p.children) stack.push([c, p.bodyStart, p.end]);
  }
}

// The Vietnamese office message of the BODYSTRUCTURE tests: mixed(alternative(plain, html), pdf, rfc822(mixed(plain, png))).
const PLAIN = 'Kính gửi các đồng chí,\r\nBáo cáo đính kèm.';
const HTML_QP = '<p>K=C3=ADnh g=E1=BB=ADi</p>';
const INNER = [
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
const TOP_HEADER = [
  'From: "Nguyễn Văn A" <nva@quangtri.gov.vn>',
  'To: =?UTF-8?B?UGjDsm5nIE7hu5lpIHbhu6U=?= <pnv@quangtri.gov.vn>, Lãnh đạo: gd@quangtri.gov.vn,',
  ' pgd@quangtri.gov.vn;',
  'Cc: undisclosed-recipients:;',
  'Subject: =?UTF-8?Q?B=C3=A1o_c=C3=A1o_th=C3=A1ng_5?=',
  'Date: Tue, 14 May 2024 08:30:00 +0700',
  'Message-ID: <20240514083000.1@quangtri.gov.vn>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="==mixed=="',
  '',
  '',
].join('\r\n');
const OFFICE = crlf(
  TOP_HEADER + 'This is a multi-part message in MIME format.',
  '--==mixed==',
  'Content-Type: multipart/alternative; boundary="alt"',
  '',
  '--alt',
  'Content-Type: text/plain; charset=UTF-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  PLAIN,
  '--alt',
  'Content-Type: text/html; charset=UTF-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  HTML_QP,
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
  INNER,
  '--==mixed==--',
  '',
);

describe('indexMessage: a Vietnamese office message', () => {
  const idx = indexMessage(OFFICE);

  it('numbers the parts per RFC 9051 §6.4.5, message/rfc822 nesting included', () => {
    expect(numbers(idx)).toEqual([
      ':multipart/mixed',
      '1:multipart/alternative',
      '1.1:text/plain',
      '1.2:text/html',
      '2:application/pdf',
      '3:message/rfc822',
      '3:multipart/mixed', // the encapsulated multipart message shares the number of its part
      '3.1:text/plain',
      '3.2:image/png',
    ]);
    expect(idx.partCount).toBe(9);
    expect(idx.limited).toBe(false);
    expect(idx.bareLf).toBe(false);
  });

  it('has offsets that slice out exactly each header and body', () => {
    const root = idx.root;
    expect(root.headerStart).toBe(0);
    expect(headerOf(OFFICE, root)).toBe(TOP_HEADER);
    expect(root.end).toBe(OFFICE.length);
    expect(bodyOf(OFFICE, findPart(idx, '1.1'))).toBe(PLAIN);
    expect(headerOf(OFFICE, findPart(idx, '1.1'))).toBe(
      'Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n',
    );
    expect(bodyOf(OFFICE, findPart(idx, '1.2'))).toBe(HTML_QP);
    expect(bodyOf(OFFICE, findPart(idx, '2'))).toBe('JVBERi0xLjQK');
    expect(bodyOf(OFFICE, findPart(idx, '3'))).toBe(INNER);
    expect(bodyOf(OFFICE, findPart(idx, '3.1'))).toBe('ok');
    expect(bodyOf(OFFICE, findPart(idx, '3.2'))).toBe('iVBORw0KGgo=');
    // The multipart/alternative body runs from its first delimiter to its close delimiter.
    expect(bodyOf(OFFICE, findPart(idx, '1'))).toMatch(/^--alt\r\n[\s\S]*\r\n--alt--$/);
    checkOffsets(idx, OFFICE.length);
  });

  it('fills sizes, lines, encodings, dispositions and file names', () => {
    const plain = findPart(idx, '1.1');
    expect([plain?.size, plain?.lines, plain?.encoding]).toEqual([54, 1, '8bit']);
    const pdf = findPart(idx, '2');
    expect([pdf?.size, pdf?.decodedSize, pdf?.filename, pdf?.disposition?.type]).toEqual([
      12,
      9,
      'bao-cao.pdf',
      'attachment',
    ]);
    const msg = findPart(idx, '3');
    expect([msg?.size, msg?.lines, msg?.disposition?.type]).toEqual([224, 13, 'inline']);
    expect(findPart(idx, '3.2')?.decodedSize).toBe(8);
    // pdf (attachment) 9 + png (a non-text leaf with a file name, inside an inline forward) 8
    expect(idx.attachmentsDecodedBytes).toBe(17);
  });

  it('keeps the envelope of the top-level and the encapsulated message', () => {
    expect(idx.root.envelope?.subject).toBe('=?UTF-8?Q?B=C3=A1o_c=C3=A1o_th=C3=A1ng_5?=');
    expect(idx.root.envelope?.to?.map((a) => a.kind)).toEqual([
      'mailbox',
      'group-start',
      'mailbox',
      'mailbox',
      'group-end',
    ]);
    const inner = findPart(idx, '3')?.children[0];
    expect(inner?.envelope?.subject).toBe('Fwd');
    expect(inner?.envelope?.from).toEqual([
      { kind: 'mailbox', name: null, route: null, mailbox: 'b', host: 'x.vn' },
    ]);
    expect(findPart(idx, '1')?.envelope).toBeNull();
  });

  it('resolves section numbers like Dovecot and rejects the rest', () => {
    expect(findPart(idx, '3.2')?.subtype).toBe('png');
    for (const bad of ['', '0', '4', '1.3', '2.1.1', '01', '1..2', 'x', '3.3', '1.2.1.1']) {
      expect(findPart(idx, bad), bad).toBeUndefined();
    }
    // Dovecot's leniency, kept for compatibility: a trailing ".1" on a leaf is the leaf itself.
    expect(findPart(idx, '2.1')).toBe(findPart(idx, '2'));
    expect(findPart(idx, '1.1.1')).toBe(findPart(idx, '1.1'));
  });
});

describe('indexMessage: single-part messages', () => {
  // 22 lines of 50 characters and one of 6: 22 × 52 + 8 = 1152 octets, 23 lines.
  it('treats the body of a non-multipart message as part 1', () => {
    const line = 'x'.repeat(50);
    const text = `${Array.from({ length: 22 }, () => line).join('\r\n')}\r\nfinal.\r\n`;
    const raw = crlf('Subject: test', 'Content-Type: text/plain; charset=UTF-8', '', text);
    const idx = indexMessage(raw);
    expect(idx.root.partNumber).toBe('1');
    expect([idx.root.size, idx.root.lines]).toEqual([1152, 23]);
    expect(findPart(idx, '1')).toBe(idx.root);
    expect(findPart(idx, '1.1')).toBeUndefined();
    expect(idx.root.bodyStart).toBe(
      'Subject: test\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n'.length,
    );
  });

  it('applies the RFC 2045 defaults when there is no Content-Type', () => {
    const raw = crlf('Subject: x', '', 'hi');
    const idx = indexMessage(raw);
    expect([idx.root.type, idx.root.subtype, idx.root.encoding]).toEqual(['text', 'plain', '7bit']);
    expect(idx.root.params).toEqual([{ name: 'charset', value: 'US-ASCII', extended: false }]);
  });

  it('handles an empty body, a header-only message and an empty buffer', () => {
    const empty = crlf('Subject: x', '', '');
    let idx = indexMessage(empty);
    expect([idx.root.bodyStart, idx.root.end, idx.root.size, idx.root.lines]).toEqual([14, 14, 0, 0]);

    const headerOnly = Buffer.from('Subject: x\r\nFrom: a@b\r\n');
    idx = indexMessage(headerOnly);
    expect([idx.root.bodyStart, idx.root.end]).toEqual([headerOnly.length, headerOnly.length]);
    expect(idx.root.envelope?.from?.[0]?.host).toBe('b');

    idx = indexMessage(Buffer.from('Subject: no line end at all'));
    expect(idx.root.bodyStart).toBe(27);
    expect(idx.root.envelope?.subject).toBe('no line end at all');

    idx = indexMessage(Buffer.alloc(0));
    expect([idx.root.headerStart, idx.root.bodyStart, idx.root.end, idx.root.partNumber]).toEqual([
      0,
      0,
      0,
      '1',
    ]);
    expect(idx.root.envelope?.subject).toBeNull();
  });

  it('starts the body right away when the header is empty', () => {
    const idx = indexMessage(Buffer.from('\r\nbody'));
    expect([idx.root.bodyStart, bodyOf(Buffer.from('\r\nbody'), idx.root)]).toEqual([2, 'body']);
  });

  it('numbers a top-level message/rfc822 body as 1 and its parts 1.x', () => {
    const raw = crlf('Content-Type: message/rfc822', '', 'Subject: in', '', 'inner body');
    const idx = indexMessage(raw);
    expect(numbers(idx)).toEqual(['1:message/rfc822', '1.1:text/plain']);
    expect(bodyOf(raw, findPart(idx, '1.1'))).toBe('inner body');
  });
});

describe('indexMessage: multipart edge cases (RFC 2046 §5.1.1)', () => {
  it('tolerates a missing close delimiter: the last part runs to the end', () => {
    const raw = crlf(
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      '',
      'one',
      '--b',
      '',
      'two',
      'three',
    );
    const idx = indexMessage(raw);
    expect(numbers(idx)).toEqual([':multipart/mixed', '1:text/plain', '2:text/plain']);
    expect(bodyOf(raw, findPart(idx, '1'))).toBe('one');
    expect(bodyOf(raw, findPart(idx, '2'))).toBe('two\r\nthree');
    expect(findPart(idx, '2')?.end).toBe(raw.length);
  });

  it('ignores boundary lookalikes and takes trailing whitespace on delimiter lines', () => {
    const part1 = [
      '--b1 is not our boundary',
      ' --b indented',
      'text --b inline',
      'ends with --b',
      'mid --b--',
      '--bx',
      '--b-',
    ].join('\r\n');
    const raw = crlf(
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b  ',
      '',
      part1,
      '--b\t',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      'LS1iCg==',
      '--b--  ',
      'epilogue --b',
    );
    const idx = indexMessage(raw);
    expect(numbers(idx)).toEqual([':multipart/mixed', '1:text/plain', '2:application/octet-stream']);
    expect(bodyOf(raw, findPart(idx, '1'))).toBe(part1);
    expect(bodyOf(raw, findPart(idx, '2'))).toBe('LS1iCg==');
    expect(findPart(idx, '2')?.decodedSize).toBe(4);
  });

  it('excludes preamble and epilogue, keeps empty parts, and an inner part never crosses an outer delimiter', () => {
    const raw = crlf(
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      'preamble',
      '--outer',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      '',
      'unterminated inner',
      '--outer',
      '',
      'last',
      '--outer--',
      'epilogue',
    );
    const idx = indexMessage(raw);
    expect(numbers(idx)).toEqual([
      ':multipart/mixed',
      '1:text/plain',
      '2:multipart/alternative',
      '2.1:text/plain',
      '3:text/plain',
    ]);
    expect(findPart(idx, '1')?.size).toBe(0);
    expect(bodyOf(raw, findPart(idx, '2.1'))).toBe('unterminated inner');
    expect(bodyOf(raw, findPart(idx, '3'))).toBe('last');
  });

  it('accepts bare LF line endings with the same structure', () => {
    const raw = lf(
      'Subject: LF',
      'Content-Type: multipart/mixed; boundary="x y"',
      '',
      '--x y',
      'Content-Type: text/plain',
      '',
      'a',
      'b',
      '--x y',
      '',
      'c',
      '--x y--',
      '',
    );
    const idx = indexMessage(raw);
    expect(idx.bareLf).toBe(true);
    expect(bodyOf(raw, findPart(idx, '1'))).toBe('a\nb');
    expect(findPart(idx, '1')?.lines).toBe(1);
    expect(headerOf(raw, findPart(idx, '1'))).toBe('Content-Type: text/plain\n\n');
    expect(bodyOf(raw, findPart(idx, '2'))).toBe('c');
    const fixed = normalizeCrlf(raw);
    expect(fixed.toString()).toBe(raw.toString().replace(/\n/g, '\r\n'));
    expect(indexMessage(fixed).bareLf).toBe(false);
    const clean = crlf('a', 'b');
    expect(normalizeCrlf(clean)).toBe(clean);
  });

  it('defaults parts of multipart/digest to message/rfc822 (RFC 2046 §5.1.5)', () => {
    const raw = crlf(
      'Content-Type: multipart/digest; boundary=d',
      '',
      '--d',
      '',
      'Subject: one',
      '',
      'body 1',
      '--d--',
    );
    const idx = indexMessage(raw);
    expect(numbers(idx)).toEqual([':multipart/digest', '1:message/rfc822', '1.1:text/plain']);
    expect(findPart(idx, '1')?.children[0]?.envelope?.subject).toBe('one');
  });

  it('turns composites it cannot expand into opaque leaves', () => {
    const noBoundary = indexMessage(crlf('Content-Type: multipart/mixed', '', 'x'));
    expect([noBoundary.root.type, noBoundary.root.declaredType]).toEqual(['text', 'multipart/mixed']);
    const noDelimiter = indexMessage(crlf('Content-Type: multipart/mixed; boundary=q', '', 'no parts'));
    expect(noDelimiter.root.subtype).toBe('plain');
    const b64Message = indexMessage(
      crlf('Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', '', 'U3ViamVjdDogeA0KDQp4'),
    );
    expect([b64Message.root.type, b64Message.root.subtype, b64Message.root.children.length]).toEqual([
      'application',
      'octet-stream',
      0,
    ]);
    expect(b64Message.root.declaredType).toBe('message/rfc822');
  });

  it('uses the first of two Content-Type fields', () => {
    const raw = crlf(
      'Content-Type: multipart/mixed; boundary=a',
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--a',
      '',
      'A',
      '--b',
      '',
      'B',
      '--a--',
    );
    const idx = indexMessage(raw);
    expect(numbers(idx)).toEqual([':multipart/mixed', '1:text/plain']);
    expect(bodyOf(raw, findPart(idx, '1'))).toBe('A\r\n--b\r\n\r\nB');
  });
});

describe('indexMessage: attachments', () => {
  it('counts a 3,000,000-byte base64 attachment as exactly 3000000 decoded bytes', () => {
    const data = Buffer.alloc(3_000_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff;
    const b64 = data.toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = crlf(
      'Content-Type: multipart/mixed; boundary=z',
      '',
      '--z',
      'Content-Type: text/plain',
      '',
      'see attachment',
      '--z',
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="du-lieu.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      b64,
      '--z--',
    );
    const idx = indexMessage(raw);
    expect(idx.attachmentsDecodedBytes).toBe(3_000_000);
    expect(findPart(idx, '2')?.decodedSize).toBe(3_000_000);
    expect(findPart(idx, '2')?.size).toBe(b64.length);
  });

  it('counts quoted-printable decoded, forwarded messages once, and not inline text', () => {
    const raw = crlf(
      'Content-Type: multipart/mixed; boundary=z',
      '',
      '--z',
      'Content-Type: text/plain; name="note.txt"',
      '',
      'inline text with a name does not count',
      '--z',
      'Content-Type: text/csv',
      'Content-Disposition: attachment; filename=a.csv',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'a=3Db,=',
      'c', // "a=b,c": 5 bytes
      '--z',
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment',
      '',
      'Content-Type: image/png; name=x.png',
      '',
      '12345',
      '--z--',
    );
    const idx = indexMessage(raw);
    const fwd = findPart(idx, '3');
    // a.csv 5 + the forwarded message's whole body, not again its png
    expect(idx.attachmentsDecodedBytes).toBe(5 + (fwd?.size ?? NaN));
    expect(fwd?.size).toBe('Content-Type: image/png; name=x.png\r\n\r\n12345'.length);
  });
});
