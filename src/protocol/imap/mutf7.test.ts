import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CongthuError } from '../../util/errors.ts';
import {
  decodeMailboxName,
  decodeMutf7,
  decodeMutf7Result,
  encodeMailboxName,
  encodeMutf7,
  isValidMutf7,
} from './mutf7.ts';

/** An independent encoder for cross-checking: Node's UTF-16 and base64, then RFC 3501's changes. */
function oracle(name: string): string {
  let out = '';
  let run = '';
  const flush = (): void => {
    if (!run) return;
    const le = Buffer.from(run, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
      be[i] = le[i + 1]!;
      be[i + 1] = le[i]!;
    }
    out += '&' + be.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
    run = '';
  };
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c <= 0x7e) {
      flush();
      out += ch === '&' ? '&-' : ch;
    } else {
      run += ch;
    }
  }
  flush();
  return out;
}

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

describe('modified UTF-7 (RFC 3501 §5.1.3)', () => {
  it('encodes and decodes the RFC examples', () => {
    // RFC 3501 §5.1.3 / RFC 9051 A.1: "~peter/mail/台北/日本語".
    expect(encodeMutf7('~peter/mail/台北/日本語')).toBe('~peter/mail/&U,BTFw-/&ZeVnLIqe-');
    expect(decodeMutf7('~peter/mail/&U,BTFw-/&ZeVnLIqe-')).toBe('~peter/mail/台北/日本語');
    expect(encodeMutf7('&&x&&')).toBe('&-&-x&-&-');
    expect(decodeMutf7('&-&-x&-&-')).toBe('&&x&&');
    expect(encodeMutf7('tietäjä')).toBe('tiet&AOQ-j&AOQ-');
    expect(decodeMutf7('&Jjo-&-')).toBe('☺&'); // a run, then "&-": not a null shift
  });

  it('round-trips Vietnamese mailbox names and matches an independent encoder', () => {
    for (const name of [
      'Thư đã gửi',
      'Hộp thư đến',
      'Thư nháp',
      'Thùng rác',
      'Văn bản đến/Sở Nội vụ',
      'Đã xử lý',
    ]) {
      const wire = encodeMutf7(name);
      expect(wire).toBe(oracle(name));
      expect(wire).toMatch(/^[\x20-\x7e]*$/);
      expect(decodeMutf7(wire)).toBe(name);
    }
    expect(encodeMutf7('Thư đã gửi')).toBe('Th&AbA- &AREA4w- g&Hu0-i');
  });

  it('refuses every invalid encoding strictly (IMAP-07)', () => {
    const invalid = [
      '&', // unterminated
      '&Jjo', // unfinished
      '&Jjo!', // invalid char in BASE64
      'abc&Jjo', // unfinished at end
      '&AGE-', // "a" needlessly shifted
      '&ACY-', // "&" shifted
      '&AGgAZQBsAGwAbw-', // "hello" shifted
      '&U,BTFw-&ZeVnLIqe-', // null shift, the RFC's own counter-example
      '&AGE-&Jjo-',
      '&YQ-', // odd size
      '&2ADc-', // a high surrogate and a partial unit
      '&2ABOAA-', // high surrogate followed by U+4E00
      '&3AA-', // lone low surrogate
      '&3ADYAA-', // swapped surrogates
      '&2D0-', // high surrogate at the end
      '&AAAAHw=-', // padding
      '&Jj/-', // "/" is not modified BASE64
      '&Jjp-', // non-zero padding bits
      'a\u00e9', // 8-bit
      'tab\there', // control character must be shifted
      '&ZeVnLIqe -',
    ];
    for (const s of invalid) {
      expect(decodeMutf7Result(s).ok, JSON.stringify(s)).toBe(false);
      expect(isValidMutf7(s)).toBe(false);
    }
    // A valid supplementary character followed by "&-": 😊&
    expect(decodeMutf7('&2D3eCg-&-')).toBe('\u{1F60A}&');
  });

  it('throws a CongthuError from decodeMutf7 on invalid input', () => {
    expect(() => decodeMutf7('&Jjo')).toThrow(CongthuError);
    try {
      decodeMutf7('&AGE-');
    } catch (e) {
      expect((e as CongthuError).code).toBe('imap.mutf7');
      expect((e as CongthuError).kind).toBe('invalid');
    }
  });

  it('round-trips any Unicode string, and every encoding is canonical (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (name) => {
        const wire = encodeMutf7(name);
        expect(wire).toMatch(/^[\x20-\x7e]*$/);
        expect(decodeMutf7(wire)).toBe(name);
        expect(wire).toBe(oracle(name));
      }),
      { numRuns: 300 },
    );
  });

  it('never accepts two spellings of one name (property over printable ASCII input)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'&-AGEJjoZeVnLIqe,+a/'.split('')), maxLength: 14 }),
        (s) => {
          const r = decodeMutf7Result(s);
          if (r.ok) expect(encodeMutf7(r.value)).toBe(s);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('replaces lone surrogates when encoding', () => {
    expect(decodeMutf7(encodeMutf7('a\ud800b'))).toBe('a\ufffdb');
  });
});

describe('decodeMailboxName / encodeMailboxName', () => {
  it('decodes modified UTF-7 and normalises INBOX', () => {
    expect(decodeMailboxName(ascii('inbox'), { utf8: false })).toEqual({ ok: true, value: 'INBOX' });
    expect(decodeMailboxName(ascii('Th&AbA- &AREA4w- g&Hu0-i'), { utf8: false })).toEqual({
      ok: true,
      value: 'Thư đã gửi',
    });
    expect(decodeMailboxName(ascii('INBOX/child'), { utf8: false })).toEqual({
      ok: true,
      value: 'INBOX/child',
    });
  });

  it('refuses 8-bit names without UTF8=ACCEPT, and invalid UTF-8 with it (RFC 6855 §3)', () => {
    expect(decodeMailboxName(utf8('Hộp thư đến'), { utf8: false }).ok).toBe(false);
    expect(decodeMailboxName(utf8('Hộp thư đến'), { utf8: true })).toEqual({
      ok: true,
      value: 'Hộp thư đến',
    });
    expect(decodeMailboxName(new Uint8Array([0x61, 0xc3]), { utf8: true }).ok).toBe(false);
    // In UTF-8 mode "&" is an ordinary character.
    expect(decodeMailboxName(ascii('&Jjo-'), { utf8: true })).toEqual({ ok: true, value: '&Jjo-' });
  });

  it('encodes for responses', () => {
    expect(encodeMailboxName('Hộp thư đến', { utf8: false })).toBe(encodeMutf7('Hộp thư đến'));
    expect(encodeMailboxName('Hộp thư đến', { utf8: true })).toBe('Hộp thư đến');
    expect(encodeMailboxName('inbox', { utf8: false })).toBe('INBOX');
  });
});
