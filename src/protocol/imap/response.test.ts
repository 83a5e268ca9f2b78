import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ImapProtocolError } from './errors.ts';
import {
  astr,
  atom,
  continuation,
  continuationBase64,
  errorResponse,
  formatResponseCode,
  list,
  literal,
  literal8,
  mailboxValue,
  NIL,
  nstr,
  num,
  raw,
  sanitizeText,
  seqSet,
  serializeValue,
  serializeValues,
  SIMPLE_RESPONSE_CODES,
  str,
  taggedResponse,
  toAsciiText,
  untaggedData,
  untaggedStatus,
  type ImapValue,
} from './response.ts';
import { sequenceSetFromNumbers } from './sequence.ts';
import { bytes, drive, errorsOf, parseOne, text } from './test-support.ts';

const out = (v: ImapValue, utf8 = false): string =>
  Buffer.from(serializeValue(v, { utf8 })).toString('latin1');

describe('serializer', () => {
  it('quotes with escaping', () => {
    expect(out(str('hello'))).toBe('"hello"');
    expect(out(str('a"b\\c'))).toBe('"a\\"b\\\\c"');
    expect(out(str(''))).toBe('""');
  });

  it('falls back to a literal when a quoted string would not be exact', () => {
    expect(out(str('a\r\nb'))).toBe('{4}\r\na\r\nb');
    expect(out(str('x'.repeat(1025)))).toBe(`{1025}\r\n${'x'.repeat(1025)}`);
    expect(out(str('x'.repeat(1024)))).toBe(`"${'x'.repeat(1024)}"`);
    // 8-bit: a literal unless UTF-8 is allowed, and then only if it is valid UTF-8.
    expect(text(serializeValue(str('Thư mời')))).toBe(`{${bytes('Thư mời').length}}\r\nThư mời`);
    expect(text(serializeValue(str('Thư mời'), { utf8: true }))).toBe('"Thư mời"');
    expect(out(str(new Uint8Array([0x61, 0xff])), true)).toBe('{2}\r\na\xff');
  });

  it('never sends NUL outside literal8', () => {
    expect(out(str(new Uint8Array([0x61, 0, 0x62])))).toBe('{3}\r\na\x80b');
    expect(out(literal(new Uint8Array([0])))).toBe('{1}\r\n\x80');
    expect(out(literal8(new Uint8Array([0, 1])))).toBe('~{2}\r\n\x00\x01');
    expect(out(literal('abc'))).toBe('{3}\r\nabc');
  });

  it('writes NIL as an atom and the string "NIL" quoted', () => {
    expect(out(NIL)).toBe('NIL');
    expect(out(nstr(null))).toBe('NIL');
    expect(out(nstr(undefined))).toBe('NIL');
    expect(out(nstr('NIL'))).toBe('"NIL"');
    expect(out(astr('NIL'))).toBe('"NIL"');
    expect(out(astr('nil'))).toBe('"nil"');
  });

  it('writes atoms only when they are atoms', () => {
    expect(out(atom('\\Seen'))).toBe('\\Seen');
    expect(out(atom('\\*'))).toBe('\\*');
    expect(out(atom('a b'))).toBe('"a b"');
    expect(out(atom('a(b'))).toBe('"a(b"');
    expect(out(atom(''))).toBe('""');
    expect(out(astr('INBOX'))).toBe('INBOX');
    expect(out(astr('Sent Items'))).toBe('"Sent Items"');
    expect(out(astr('a%b'))).toBe('"a%b"');
    expect(out(astr('a]b'))).toBe('a]b');
  });

  it('writes numbers, including 63-bit mod-sequences, and refuses non-numbers', () => {
    expect(out(num(0))).toBe('0');
    expect(out(num(4294967295))).toBe('4294967295');
    expect(out(num(9223372036854775807n))).toBe('9223372036854775807');
    expect(() => out(num(-1))).toThrow(RangeError);
    expect(() => out(num(1.5))).toThrow(RangeError);
    expect(() => out(num(-1n))).toThrow(RangeError);
  });

  it('writes nested lists iteratively', () => {
    expect(out(list([atom('FLAGS'), list([atom('\\Seen'), atom('$Junk')]), atom('UID'), num(4)]))).toBe(
      '(FLAGS (\\Seen $Junk) UID 4)',
    );
    expect(out(list([]))).toBe('()');
    let deep: ImapValue = atom('x');
    for (let i = 0; i < 20_000; i++) deep = list([deep]);
    expect(out(deep)).toBe(`${'('.repeat(20_000)}x${')'.repeat(20_000)}`);
    expect(
      Buffer.from(
        serializeValues([raw('(BODY ("TEXT" "PLAIN"))'), seqSet(sequenceSetFromNumbers([1, 2, 3, 7]))]),
      ).toString(),
    ).toBe('(BODY ("TEXT" "PLAIN")) 1:3,7');
  });

  it('encodes mailbox names in modified UTF-7 or UTF-8', () => {
    expect(out(mailboxValue('Thư đã gửi'))).toBe('"Th&AbA- &AREA4w- g&Hu0-i"');
    expect(text(serializeValue(mailboxValue('Thư đã gửi', { utf8: true }), { utf8: true }))).toBe(
      '"Thư đã gửi"',
    );
    expect(out(mailboxValue('inbox'))).toBe('INBOX');
    expect(out(mailboxValue('Drafts'))).toBe('Drafts');
  });

  it('round-trips any octets through the command parser as a string (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1100 }), fc.boolean(), (value, utf8) => {
        const clean = value.map((b) => (b === 0 ? 1 : b));
        const wire = new Uint8Array([
          ...bytes('a SEARCH SUBJECT '),
          ...serializeValue(str(clean), { utf8 }),
          13,
          10,
        ]);
        const c = parseOne(wire);
        expect(c.name === 'SEARCH' && c.criteria[0]).toEqual({ type: 'SUBJECT', value: clean });
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any mailbox name through SELECT (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        fc.boolean(),
        (name, utf8) => {
          const wire = new Uint8Array([
            ...bytes('a SELECT '),
            ...serializeValue(mailboxValue(name, { utf8 }), { utf8 }),
            13,
            10,
          ]);
          const c = parseOne(wire, { utf8 });
          expect(c.name === 'SELECT' && c.mailbox).toBe(name.toUpperCase() === 'INBOX' ? 'INBOX' : name);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('status text', () => {
  it('removes CR, LF and controls so text cannot inject responses', () => {
    expect(text(taggedResponse('a1', 'OK', 'done\r\n* 1 EXPUNGE'))).toBe('a1 OK done * 1 EXPUNGE\r\n');
    expect(sanitizeText('')).toBe('Done');
    expect(sanitizeText('a\0b\tc')).toBe('a b c');
    expect(sanitizeText('a\u2028b', true)).toBe('a b');
  });

  it('folds Vietnamese to ASCII unless UTF-8 is allowed', () => {
    expect(toAsciiText('Đăng nhập thành công, hộp thư đã đầy')).toBe('Dang nhap thanh cong, hop thu da day');
    expect(toAsciiText('日本')).toBe('??');
    expect(text(untaggedStatus('NO', 'Hộp thư đã đầy', { code: { code: 'OVERQUOTA' } }))).toBe(
      '* NO [OVERQUOTA] Hop thu da day\r\n',
    );
    expect(text(untaggedStatus('OK', 'Hộp thư', { utf8: true }))).toBe('* OK Hộp thư\r\n');
  });
});

describe('responses', () => {
  it('tagged and untagged status responses with codes (RFC 9051 §7.1)', () => {
    expect(text(taggedResponse('A142', 'OK', 'SELECT completed', { code: { code: 'READ-WRITE' } }))).toBe(
      'A142 OK [READ-WRITE] SELECT completed\r\n',
    );
    expect(text(taggedResponse('bad tag', 'BAD', 'x'))).toBe('* BAD x\r\n');
    expect(text(taggedResponse('a+', 'BAD', 'x'))).toBe('* BAD x\r\n');
    expect(text(untaggedStatus('PREAUTH', 'welcome'))).toBe('* PREAUTH welcome\r\n');
    expect(text(untaggedStatus('BYE', 'Autologout; idle for too long'))).toBe(
      '* BYE Autologout; idle for too long\r\n',
    );
  });

  it('formats every response code', () => {
    for (const code of SIMPLE_RESPONSE_CODES) expect(formatResponseCode({ code })).toBe(code);
    expect(
      formatResponseCode({
        code: 'CAPABILITY',
        capabilities: ['IMAP4rev2', 'IMAP4rev1', 'AUTH=PLAIN', 'LITERAL-'],
      }),
    ).toBe('CAPABILITY IMAP4rev2 IMAP4rev1 AUTH=PLAIN LITERAL-');
    expect(formatResponseCode({ code: 'PERMANENTFLAGS', flags: ['\\Deleted', '\\Seen', '\\*'] })).toBe(
      'PERMANENTFLAGS (\\Deleted \\Seen \\*)',
    );
    expect(formatResponseCode({ code: 'UIDNEXT', value: 4392 })).toBe('UIDNEXT 4392');
    expect(formatResponseCode({ code: 'UIDVALIDITY', value: 3857529045 })).toBe('UIDVALIDITY 3857529045');
    expect(formatResponseCode({ code: 'UNSEEN', value: 12 })).toBe('UNSEEN 12');
    expect(formatResponseCode({ code: 'HIGHESTMODSEQ', value: 715194045007n })).toBe(
      'HIGHESTMODSEQ 715194045007',
    );
    // RFC 4315 §3 examples
    expect(formatResponseCode({ code: 'APPENDUID', uidValidity: 38505, uids: '3955' })).toBe(
      'APPENDUID 38505 3955',
    );
    expect(
      formatResponseCode({
        code: 'COPYUID',
        uidValidity: 38505,
        source: sequenceSetFromNumbers([304, 319, 320]),
        destination: '3956:3958',
      }),
    ).toBe('COPYUID 38505 304,319:320 3956:3958');
    expect(formatResponseCode({ code: 'MODIFIED', set: '7,9' })).toBe('MODIFIED 7,9');
    expect(formatResponseCode({ code: 'BADCHARSET', charsets: ['UTF-8', 'US-ASCII'] })).toBe(
      'BADCHARSET (UTF-8 US-ASCII)',
    );
    expect(formatResponseCode({ code: 'BADCHARSET' })).toBe('BADCHARSET');
    expect(() => formatResponseCode({ code: 'MODIFIED', set: '1] x' })).toThrow(RangeError);
  });

  it('continuation requests', () => {
    expect(text(continuation())).toBe('+ Ready\r\n');
    expect(text(continuation('idling'))).toBe('+ idling\r\n');
    expect(text(continuationBase64(new Uint8Array(0)))).toBe('+ \r\n');
    expect(text(continuationBase64(bytes('abc')))).toBe('+ YWJj\r\n');
  });

  it('untagged data keeps big literals as their own chunks', () => {
    const body = bytes('x'.repeat(100_000));
    const chunks = untaggedData([
      num(12),
      atom('FETCH'),
      list([atom('UID'), num(7), raw('BODY[]'), literal(body)]),
    ]);
    expect(chunks).toContain(body);
    expect(text(Buffer.concat(chunks)).startsWith('* 12 FETCH (UID 7 BODY[] {100000}\r\nxxx')).toBe(true);
    expect(text(Buffer.concat(chunks)).endsWith('x)\r\n')).toBe(true);
  });

  it('answers parser errors: tagged, untagged, BYE', () => {
    const [tooBig] = errorsOf(drive('a LOGIN {999999999}\r\n'));
    expect(text(errorResponse(tooBig!))).toBe('a BAD [TOOBIG] Literal too large (limit 65536 octets)\r\n');
    const [untagged] = errorsOf(drive('+ NOOP\r\n'));
    expect(text(errorResponse(untagged!))).toMatch(/^\* BAD Syntax error: expected a tag/);
    const bye = new ImapProtocolError({
      reason: 'literal-too-large',
      tag: 'a',
      status: 'BYE',
      code: 'TOOBIG',
      message: 'x',
    });
    expect(bye.fatal).toBe(true);
    expect(text(errorResponse(bye))).toBe('* BYE [TOOBIG] x\r\n');
    const limit = errorsOf(drive(`a SEARCH ${'('.repeat(200)}ALL${')'.repeat(200)}\r\n`))[0]!;
    expect(text(errorResponse(limit))).toMatch(/^a NO \[LIMIT\] /);
  });
});
