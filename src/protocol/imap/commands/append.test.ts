import { describe, expect, it } from 'vitest';
import { bytes, drive, errorsOf, parseError, parseOne, text } from '../test-support.ts';
import type { AppendCommand } from './append.ts';

const append = (input: string | Uint8Array, options = {}): AppendCommand => {
  const c = parseOne(input, options);
  if (c.name !== 'APPEND') throw new Error(c.name);
  return c;
};

const MESSAGE =
  'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.example>\r\n' +
  'Subject: afternoon meeting\r\nTo: mooch@owatagu.siam.edu.example\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n';

describe('APPEND (RFC 9051 §6.3.12)', () => {
  it('parses the RFC example with a synchronising literal', () => {
    const n = bytes(MESSAGE).length;
    const a = append(`A003 APPEND saved-messages (\\Seen) {${n}}\r\n${MESSAGE}\r\n`);
    expect(a.mailbox).toBe('saved-messages');
    expect(a.messages.length).toBe(1);
    const m = a.messages[0]!;
    expect(m.flags).toEqual(['\\Seen']);
    expect(m.internalDate).toBeUndefined();
    expect([m.size, m.binary, m.utf8]).toEqual([n, false, false]);
    expect(m.content.kind === 'buffered' && text(m.content.bytes)).toBe(MESSAGE);
  });

  it('reads the date-time and checks it against the calendar (IMAP-12)', () => {
    const a = append('a APPEND INBOX " 7-Feb-1994 21:52:25 -0800" {1}\r\nx\r\n');
    expect(a.messages[0]!.internalDate).toEqual({
      year: 1994,
      month: 2,
      day: 7,
      hour: 21,
      minute: 52,
      second: 25,
      zoneMinutes: -480,
      epochMs: Date.UTC(1994, 1, 8, 5, 52, 25),
    });
    expect(
      append('a APPEND INBOX "07-feb-1994 21:52:25 +0700" {1}\r\nx\r\n').messages[0]!.internalDate?.epochMs,
    ).toBe(Date.UTC(1994, 1, 7, 14, 52, 25));
    for (const bad of [
      '"31-Feb-2026 25:61:61 +9999"',
      '"31-Feb-2026 10:00:00 +0000"',
      '"29-Feb-2025 10:00:00 +0000"',
      '"1-Jan-2026 24:00:00 +0000"',
      '"1-Jan-2026 10:00:00 +0060"',
      '"1-Jan-2026 10:00:00 0000"',
      '"1-Jan-2026 10:00 +0000"',
      '1-Jan-2026',
    ]) {
      expect(parseError(`a APPEND INBOX ${bad} {1}\r\nx\r\n`).status, bad).toBe('BAD');
    }
  });

  it('reads MULTIAPPEND (RFC 3502) with flags and dates per message', () => {
    const a = append(
      'A003 APPEND saved-messages (\\Seen) {5}\r\nfirst (\\Seen $MDNSent) " 1-Aug-2002 22:00:00 -0700" {6}\r\nsecond {5}\r\nthird\r\n',
    );
    expect(a.messages.map((m) => [m.flags, m.content.kind === 'buffered' && text(m.content.bytes)])).toEqual([
      [['\\Seen'], 'first'],
      [['\\Seen', '$MDNSent'], 'second'],
      [[], 'third'],
    ]);
    expect(a.messages[1]!.internalDate?.day).toBe(1);
  });

  it('reads literal8 (RFC 3516) and UTF8 (~{n}) when UTF8=ACCEPT is on (RFC 6855 §4)', () => {
    const bin = append(new Uint8Array([...bytes('a APPEND INBOX ~{2}\r\n'), 0, 1, 13, 10]));
    expect(bin.messages[0]).toMatchObject({ binary: true, utf8: false, size: 2 });
    const header = 'Subject: Tư\r\n';
    const n = bytes(header).length;
    const utf8 = append(`a APPEND INBOX UTF8 (~{${n}}\r\n${header})\r\n`, { utf8: true });
    expect(utf8.messages[0]).toMatchObject({ utf8: true, binary: true, size: 14 });
    expect(parseError('a APPEND INBOX UTF8 (~{2}\r\nab)\r\n').status).toBe('BAD'); // not enabled
    expect(parseError('a APPEND INBOX UTF8 ({2}\r\nab)\r\n', { utf8: true }).status).toBe('BAD'); // must be literal8
    expect(parseError('a APPEND INBOX UTF8 (~{2}\r\nab\r\n', { utf8: true }).status).toBe('BAD');
  });

  it('refuses \\Recent, quoted messages and missing messages', () => {
    for (const bad of [
      'a APPEND INBOX (\\Recent) {1}\r\nx\r\n',
      'a APPEND INBOX "hello"\r\n',
      'a APPEND INBOX\r\n',
      'a APPEND INBOX (\\Seen)\r\n',
      'a APPEND INBOX {1}\r\nx{1}\r\ny\r\n', // the next message needs a space before it
      'a APPEND INBOX (\\Seen) {1}\r\nxx\r\n',
      'a APPEND INBOX (\\Seen] {1}\r\nx\r\n',
    ]) {
      const errors = errorsOf(drive(bad));
      expect(errors.length, bad).toBe(1);
      expect(errors[0]!.status, bad).toBe('BAD');
    }
  });

  it('takes the mailbox name as a literal too', () => {
    expect(append('a APPEND {6}\r\nDrafts {1}\r\nx\r\n').mailbox).toBe('Drafts');
  });
});
