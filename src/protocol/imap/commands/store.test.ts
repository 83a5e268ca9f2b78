import { describe, expect, it } from 'vitest';
import { commandsOf, drive, errorsOf, parseError, parseOne } from '../test-support.ts';

describe('STORE (RFC 9051 §6.4.6, RFC 7162 §3.1.3)', () => {
  it('parses the RFC example', () => {
    // RFC 9051 §6.4.6: A003 STORE 2:4 +FLAGS (\Deleted)
    expect(parseOne('A003 STORE 2:4 +FLAGS (\\Deleted)\r\n')).toEqual({
      name: 'STORE',
      tag: 'A003',
      uid: false,
      set: { kind: 'set', ranges: [{ start: 2, end: 4 }] },
      operation: 'add',
      silent: false,
      flags: ['\\Deleted'],
    });
  });

  it('reads every form of store-att-flags', () => {
    expect(parseOne('a STORE 1 FLAGS \\seen $Forwarded \\Custom\r\n')).toMatchObject({
      operation: 'replace',
      flags: ['\\Seen', '$Forwarded', '\\Custom'],
    });
    expect(parseOne('a UID STORE 1:* -FLAGS.SILENT ()\r\n')).toMatchObject({
      uid: true,
      operation: 'remove',
      silent: true,
      flags: [],
    });
    expect(parseOne('a STORE 1 flags.silent (\\ANSWERED \\Flagged \\Draft)\r\n')).toMatchObject({
      flags: ['\\Answered', '\\Flagged', '\\Draft'],
    });
  });

  it('reads UNCHANGEDSINCE (RFC 7162 §3.1.3)', () => {
    // RFC 7162: d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\Deleted)
    expect(
      parseOne('d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)\r\n'),
    ).toMatchObject({
      unchangedSince: 320162338n,
      operation: 'add',
      silent: true,
    });
    expect(parseOne('a STORE 1 (UNCHANGEDSINCE 0) FLAGS ()\r\n')).toMatchObject({ unchangedSince: 0n });
  });

  it('refuses bad flags and forms (IMAP-09)', () => {
    // A CRLF inside a flag list ends the command: the rest is a line of its own, refused too.
    const injected = drive('a STORE 1 FLAGS (\\Seen\r\n* 1 EXPUNGE)\r\n');
    expect(commandsOf(injected)).toEqual([]);
    expect(errorsOf(injected).map((e) => [e.tag, e.status])).toEqual([
      ['a', 'BAD'],
      [null, 'BAD'],
    ]);
    for (const bad of [
      'a STORE 1 FLAGS (\\Recent)',
      'a STORE 1 FLAGS (\\*)',
      'a STORE 1 FLAGS (a]b)',
      'a STORE 1 FLAGS (a%b)',
      'a STORE 1 FLAGS ("quoted")',
      'a STORE 1 FLAGS (\\)',
      'a STORE 1 *FLAGS (\\Seen)',
      'a STORE 1 +FLAGS.LOUD (\\Seen)',
      'a STORE 1 +FLAGS',
      'a STORE 1 +FLAGS ',
      'a STORE 1 (UNCHANGEDSINCE) FLAGS ()',
      'a STORE 1 (FOO 1) FLAGS ()',
      'a STORE 1 (UNCHANGEDSINCE 1 UNCHANGEDSINCE 2) FLAGS ()',
      'a STORE 0 FLAGS ()',
      'a STORE 1 FLAGS (\\Seen',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
  });

  it('keeps keywords such as __proto__ as plain strings (IMAP-09)', () => {
    expect(parseOne('a STORE 1 +FLAGS (__proto__ constructor)\r\n')).toMatchObject({
      flags: ['__proto__', 'constructor'],
    });
  });
});
