import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CongthuError } from '../util/errors.ts';
import type { PasswordRule } from './password-policy.ts';
import {
  assertPasswordAcceptable,
  checkPassword,
  normalisePassword,
  PASSWORD_MAX_CODE_POINTS,
  PASSWORD_MIN_CODE_POINTS,
} from './password-policy.ts';

function codes(pw: string, context?: { localPart?: string; fullName?: string }): PasswordRule[] {
  return checkPassword(pw, context).map((v) => v.code);
}

function failure(fn: () => unknown): CongthuError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CongthuError);
    return e as CongthuError;
  }
  throw new Error('expected a CongthuError, nothing was thrown');
}

describe('checkPassword (Điều 9.2.b)', () => {
  it.each<[string, string, PasswordRule[]]>([
    ['all four classes, 8 characters', 'Abcdef1!', []],
    ['each special character counts: @', 'Abcdef1@', []],
    ['each special character counts: #', 'Abcdef1#', []],
    ['each special character counts: %', 'Abcdef1%', []],
    ['each special character counts: $', 'Abcdef1$', []],
    ['each special character counts: *', 'Abcdef1*', []],
    ['each special character counts: &', 'Abcdef1&', []],
    ['7 characters', 'Abcde1!', ['too-short']],
    ['8 code points, 9 UTF-16 units', 'Abcde1!😀', []],
    ['7 code points, 8 UTF-16 units', 'Abcd1!😀', ['too-short']],
    ['no upper-case letter', 'abcdef1!', ['no-upper']],
    ['no lower-case letter', 'ABCDEF1!', ['no-lower']],
    ['no digit', 'Abcdefg!', ['no-digit']],
    ['no special character', 'Abcdefg1', ['no-special']],
    ['other punctuation does not count as special', 'Abcdef1-_.^~+=?', ['no-special']],
    ['space and other printable characters are allowed', 'Ab 1! cd-_ ~', []],
    ['Vietnamese upper-case letters count: Đ', 'đường1!Đ', []],
    ['Vietnamese upper-case letters count: Ư', 'ưởng12!Ư', []],
    ['Vietnamese lower-case letters count', 'ĐƯỜNG12!ư', []],
    ['only Vietnamese lower-case is not upper', 'đường12!ư', ['no-upper']],
    ['letters without case count as neither', '龍龍龍龍1!龍龍', ['no-upper', 'no-lower']],
    ['non-ASCII digits do not count', 'Abcdef!٣', ['no-digit']],
    ['fullwidth special characters do not count', 'Abcdef1！', ['no-special']],
    ['tab', 'Abcdef1!\t', ['control-char']],
    ['line feed', 'Abcdef1!\n', ['control-char']],
    ['NUL', 'Abc\u0000def1!', ['control-char']],
    ['DEL', 'Abcdef1!\u007F', ['control-char']],
    ['C1 control', 'Abcdef1!\u0085', ['control-char']],
    ['zero-width space', 'Abc\u200Bdef1!', ['control-char']],
    ['bidi override', 'Abc\u202Edef1!', ['control-char']],
    ['line separator', 'Abcdef1!\u2028', ['control-char']],
    ['lone surrogate', 'Abcdef1!\uD800', ['control-char']],
    ['private use', 'Abcdef1!\uE000', ['control-char']],
    ['empty', '', ['too-short', 'no-upper', 'no-lower', 'no-digit', 'no-special']],
    ['only spaces', '        ', ['no-upper', 'no-lower', 'no-digit', 'no-special']],
    [
      'several failures, in a fixed order',
      'abc\t',
      ['too-short', 'control-char', 'no-upper', 'no-digit', 'no-special'],
    ],
  ])('%s', (_label, pw, expected) => {
    expect(codes(pw)).toEqual(expected);
  });

  it('accepts 128 code points and refuses 129', () => {
    expect(PASSWORD_MIN_CODE_POINTS).toBe(8);
    expect(PASSWORD_MAX_CODE_POINTS).toBe(128);
    const base = 'Abcdef1!';
    expect(codes(base + 'x'.repeat(120))).toEqual([]);
    expect(codes(base + 'x'.repeat(121))).toEqual(['too-long']);
    // 128 four-octet code points: 512 octets, still accepted (below the 1024-octet cap).
    const astral = base + '😀'.repeat(120);
    expect(Buffer.byteLength(astral, 'utf8')).toBe(488);
    expect(codes(astral)).toEqual([]);
    expect(codes(astral + '😀')).toEqual(['too-long']);
  });

  it('counts code points after NFC, so NFD input is the same password', () => {
    const nfc = 'Ưu1!abcd';
    const nfd = nfc.normalize('NFD');
    expect(nfd.length).toBeGreaterThan(nfc.length);
    expect(normalisePassword(nfd)).toBe(nfc);
    expect(codes(nfd)).toEqual([]);
    expect(codes('Ưu1!abc'.normalize('NFD'))).toEqual(['too-short']);
  });

  describe('contains-account-name', () => {
    it.each<[string, string, { localPart?: string; fullName?: string }, PasswordRule[]]>([
      ['the local part', 'nguyenvanlong1!A', { localPart: 'nguyenvanlong' }, ['contains-account-name']],
      [
        'the local part, other case',
        'NguyenVanLong1!',
        { localPart: 'nguyenvanlong' },
        ['contains-account-name'],
      ],
      [
        'the local part, with diacritics',
        'NguyễnVănLong1!',
        { localPart: 'nguyenvanlong' },
        ['contains-account-name'],
      ],
      [
        'the stem of a suffixed local part',
        'Nguyenvanlong@2026',
        { localPart: 'nguyenvanlong1' },
        ['contains-account-name'],
      ],
      [
        'the whole suffixed local part',
        'X!Nguyenvanlong1',
        { localPart: 'nguyenvanlong1' },
        ['contains-account-name'],
      ],
      ['a sub-unit local part', 'Vp.Skhcn2026!', { localPart: 'vp.skhcn' }, ['contains-account-name']],
      ['an agency local part', 'SKHCN#2026a', { localPart: 'skhcn' }, ['contains-account-name']],
      ['the full name joined', 'LêThịThủy#9', { fullName: 'Lê Thị Thuỷ' }, ['contains-account-name']],
      [
        'the full name, NFD',
        'Lethithuy#9'.normalize('NFD'),
        { fullName: 'Lê Thị Thủy'.normalize('NFD') },
        ['contains-account-name'],
      ],
      ['a local part of 4 characters', 'Xanh1!leno', { localPart: 'leno' }, ['contains-account-name']],
      ['a local part of 3 characters is ignored', 'Xanh1!len', { localPart: 'len' }, []],
      ['a 3-letter stem of a suffixed local part is ignored', 'Xanh1!len', { localPart: 'len12' }, []],
      ['unrelated account', 'Abcdef1!', { localPart: 'nguyenvanlong', fullName: 'Nguyễn Văn Long' }, []],
      [
        'part of the name only',
        'Long2026!a',
        { localPart: 'nguyenvanlong', fullName: 'Nguyễn Văn Long' },
        [],
      ],
      [
        'one violation even if both match',
        'nguyenvanlong1!A',
        { localPart: 'nguyenvanlong', fullName: 'Nguyễn Văn Long' },
        ['contains-account-name'],
      ],
    ])('%s', (_label, pw, context, expected) => {
      expect(codes(pw, context)).toEqual(expected);
    });

    it('is reported last, after the other rules', () => {
      expect(codes('nguyenvanlong', { localPart: 'nguyenvanlong' })).toEqual([
        'no-upper',
        'no-digit',
        'no-special',
        'contains-account-name',
      ]);
    });
  });

  it('gives every violation a Vietnamese and an English message', () => {
    const all = checkPassword('\t'.repeat(200), { localPart: '\t\t\t\t' });
    expect(all.map((v) => v.code)).toEqual([
      'too-long',
      'control-char',
      'no-upper',
      'no-lower',
      'no-digit',
      'no-special',
      'contains-account-name',
    ]);
    const short = checkPassword('');
    for (const v of [...all, ...short]) {
      expect(v.vi).toMatch(/^Mật khẩu /);
      expect(v.en).toMatch(/^The password /);
    }
    expect(short[0]).toEqual({
      code: 'too-short',
      vi: 'Mật khẩu phải dài ít nhất 8 ký tự (hiện có 0).',
      en: 'The password must be at least 8 characters long (it has 0).',
    });
  });
});

describe('assertPasswordAcceptable', () => {
  it('returns for an acceptable password', () => {
    expect(assertPasswordAcceptable('Quảng Trị 2026!', { localPart: 'nguyenvanlong' })).toBeUndefined();
  });

  it('lists exactly the failed rules, in Vietnamese then English', () => {
    const e = failure(() => assertPasswordAcceptable('abc'));
    expect(e.code).toBe('password.policy');
    expect(e.kind).toBe('invalid');
    expect(e.details['violations']).toEqual(['too-short', 'no-upper', 'no-digit', 'no-special']);
    expect(e.text.vi).toBe(
      'Mật khẩu chưa đạt yêu cầu (Điều 9.2.b): Mật khẩu phải dài ít nhất 8 ký tự (hiện có 3). ' +
        'Mật khẩu phải có ít nhất một chữ in hoa. ' +
        'Mật khẩu phải có ít nhất một chữ số (0–9). ' +
        'Mật khẩu phải có ít nhất một ký tự đặc biệt trong số: ! @ # % $ * &.',
    );
    expect(e.text.en).toBe(
      'The password does not meet the rules (Điều 9.2.b): The password must be at least 8 characters long (it has 3). ' +
        'The password must contain at least one upper-case letter. ' +
        'The password must contain at least one digit (0–9). ' +
        'The password must contain at least one special character from: ! @ # % $ * &.',
    );
    expect(e.message).toBe(`${e.text.vi} / ${e.text.en}`);
  });

  it('mentions the account name and control characters when they fail', () => {
    const e = failure(() => assertPasswordAcceptable('Nguyenvanlong1!\n', { localPart: 'nguyenvanlong' }));
    expect(e.details['violations']).toEqual(['control-char', 'contains-account-name']);
    expect(e.text.vi).toBe(
      'Mật khẩu chưa đạt yêu cầu (Điều 9.2.b): ' +
        'Mật khẩu không được chứa ký tự điều khiển hoặc ký tự ẩn (xuống dòng, tab, ký tự độ rộng bằng không…). ' +
        'Mật khẩu không được chứa tên tài khoản hoặc họ và tên của người dùng.',
    );
    expect(e.text.en).toBe(
      'The password does not meet the rules (Điều 9.2.b): ' +
        'The password must not contain control or invisible characters (line breaks, tabs, zero-width characters…). ' +
        "The password must not contain the account name or the user's full name.",
    );
  });

  it('mentions a single failure alone', () => {
    const e = failure(() => assertPasswordAcceptable('Abcdefg1'));
    expect(e.details['violations']).toEqual(['no-special']);
    expect(e.text.vi).not.toContain('in hoa');
    expect(e.text.en).toContain('special character');
    expect(e.text.en).not.toContain('digit');
  });
});

describe('property: a password built to satisfy every rule', () => {
  const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZĐƯƠÂĂÊÔÁÀẢÃẠỄỲ');
  const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzđươâăêôáàảãạễỳ');
  const digit = fc.constantFrom(...'0123456789');
  const special = fc.constantFrom('!', '@', '#', '%', '$', '*', '&');
  // Anything printable that is not a special character.
  const filler = fc.oneof(
    upper,
    lower,
    digit,
    fc.constantFrom(' ', '-', '_', '.', '^', '~', '+', '=', '?', '/', '龍', '😀'),
  );
  const parts = fc.tuple(
    upper,
    lower,
    digit,
    special,
    fc.array(filler, { minLength: 5, maxLength: 100 }),
    fc.nat(),
  );

  function assemble([u, l, d, s, rest, seed]: [string, string, string, string, string[], number]): string[] {
    const chars = [u, l, d, s, ...rest];
    // Deterministic shuffle driven by the generated seed.
    let x = seed;
    for (let i = chars.length - 1; i > 0; i--) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const j = x % (i + 1);
      [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
    }
    return chars;
  }

  it('passes, and fails with exactly no-special once the special character is removed', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const chars = assemble(p);
        const pw = chars.join('');
        expect(checkPassword(pw)).toEqual([]);
        expect(() => assertPasswordAcceptable(pw)).not.toThrow();
        const without = chars.filter((c) => c !== p[3]).join('');
        expect(codes(without)).toEqual(['no-special']);
        expect(failure(() => assertPasswordAcceptable(without)).details['violations']).toEqual([
          'no-special',
        ]);
      }),
      { numRuns: 500 },
    );
  });

  it('fails with too-short when cut below 8 code points, whatever else holds', () => {
    fc.assert(
      fc.property(parts, fc.integer({ min: 0, max: 7 }), (p, keep) => {
        const pw = assemble(p).slice(0, keep).join('');
        expect(codes(pw)).toContain('too-short');
      }),
    );
  });

  it('never throws anything but a password.policy CongthuError, for any string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.string({ maxLength: 20 }),
        (pw, local) => {
          const violations = checkPassword(pw, { localPart: local, fullName: local });
          try {
            assertPasswordAcceptable(pw, { localPart: local, fullName: local });
            expect(violations).toEqual([]);
          } catch (e) {
            expect(e).toBeInstanceOf(CongthuError);
            expect((e as CongthuError).code).toBe('password.policy');
            expect((e as CongthuError).details['violations']).toEqual(violations.map((v) => v.code));
          }
        },
      ),
    );
  });
});
