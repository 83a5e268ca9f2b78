import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64DecodedLength,
  decodeBody,
  decodeQuotedPrintable,
  decodedLength,
  knownEncoding,
  quotedPrintableDecodedLength,
} from './transfer-encoding.ts';

const qp = (s: string): string => decodeQuotedPrintable(Buffer.from(s, 'latin1')).toString('latin1');

describe('base64 (RFC 2045 §6.8)', () => {
  it('counts decoded bytes like the decoder, junk and padding included', () => {
    const cases: Array<[string, number]> = [
      ['', 0],
      ['QUJD', 3],
      ['QUJ', 2],
      ['QQ==', 1],
      ['QQ==QUJD', 1], // decoding stops at the first "="
      ['QU JD\r\n', 3],
      ['QU*JD', 3],
      ['Q', 0],
      ['QU-_', 3], // the URL-safe alphabet is accepted
    ];
    for (const [s, n] of cases) {
      expect(base64DecodedLength(Buffer.from(s)), s).toBe(n);
      expect(decodeBody(Buffer.from(s), 'base64')?.length, s).toBe(n);
    }
  });

  it('equals the decoded length for any input (property)', () => {
    const b64ish = fc
      .array(
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \r\n*!é'),
        {
          maxLength: 200,
        },
      )
      .map((a) => Buffer.from(a.join(''), 'utf8'));
    fc.assert(
      fc.property(
        fc.oneof(
          b64ish,
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
        ),
        (buf) => {
          expect(base64DecodedLength(buf)).toBe(Buffer.from(buf.toString('latin1'), 'base64').length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('counts a subrange', () => {
    expect(base64DecodedLength(Buffer.from('xxQUJDxx'), 2, 6)).toBe(3);
  });
});

describe('quoted-printable (RFC 2045 §6.7)', () => {
  it('decodes escapes, soft breaks and tolerates junk (MIME-06)', () => {
    expect(qp('Th=C3=B4ng b=c3=a1o')).toBe('Th\xc3\xb4ng b\xc3\xa1o');
    expect(qp('soft=\r\nbreak=\nlf=  \r\nws')).toBe('softbreaklfws');
    expect(qp('a=ZZb=4')).toBe('a=ZZb=4');
    expect(qp('end=')).toBe('end');
    expect(qp('trailing   \r\nspace\t\nend  ')).toBe('trailing\r\nspace\nend');
    expect(qp('keep  =\r\ninner')).toBe('keep  inner');
    expect(qp('a =3D b')).toBe('a = b');
    expect(qp('')).toBe('');
  });

  it('counts exactly what it decodes (property)', () => {
    const qpish = fc
      .array(fc.constantFrom('=', '3D', 'A', 'f', ' ', '\t', '\r\n', '\n', '\r', 'x', '=\r\n', 'é'), {
        maxLength: 100,
      })
      .map((a) => Buffer.from(a.join(''), 'utf8'));
    fc.assert(
      fc.property(qpish, (buf) => {
        expect(quotedPrintableDecodedLength(buf)).toBe(decodeQuotedPrintable(buf).length);
        expect(decodeQuotedPrintable(buf).length).toBeLessThanOrEqual(buf.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('identity and unknown encodings', () => {
  it('passes identity encodings through and refuses unknown ones', () => {
    const b = Buffer.from('=41');
    expect(decodeBody(b, '7BIT')).toBe(b);
    expect(decodedLength(b, 'binary')).toBe(3);
    expect(decodedLength(b, 'Quoted-Printable')).toBe(1);
    expect(decodeBody(b, 'x-uuencode')).toBeNull();
    expect(decodedLength(b, 'x-uuencode')).toBeNull();
    expect(knownEncoding('BASE64')).toBe('base64');
    expect(knownEncoding('garbage')).toBeNull();
  });
});
