import { describe, expect, it } from 'vitest';
import { parseError, parseOne } from '../test-support.ts';

describe('SELECT and EXAMINE (RFC 9051 §6.3.2–3, RFC 7162)', () => {
  it('parses the RFC examples', () => {
    expect(parseOne('A142 SELECT INBOX\r\n')).toEqual({
      name: 'SELECT',
      tag: 'A142',
      mailbox: 'INBOX',
      condstore: false,
    });
    expect(parseOne('A932 EXAMINE blurdybloop\r\n')).toEqual({
      name: 'EXAMINE',
      tag: 'A932',
      mailbox: 'blurdybloop',
      condstore: false,
    });
    expect(parseOne('a SELECT inbox\r\n')).toMatchObject({ mailbox: 'INBOX' });
    expect(parseOne('a SELECT "Th&AbA- &AREA4w- g&Hu0-i"\r\n')).toMatchObject({ mailbox: 'Thư đã gửi' });
  });

  it('reads CONDSTORE (RFC 7162 §3.1.8)', () => {
    // RFC 7162: a103 SELECT INBOX (CONDSTORE)
    expect(parseOne('a103 SELECT INBOX (CONDSTORE)\r\n')).toMatchObject({ condstore: true });
    expect(parseOne('a EXAMINE INBOX (condstore)\r\n')).toMatchObject({ name: 'EXAMINE', condstore: true });
  });

  it('reads QRESYNC (RFC 7162 §3.2.5)', () => {
    // RFC 7162 §3.2.5.2: A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))
    expect(
      parseOne('A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))\r\n'),
    ).toMatchObject({
      qresync: {
        uidValidity: 67890007,
        modSeq: 20050715194045000n,
        knownUids: {
          kind: 'set',
          ranges: [
            { start: 41, end: 41 },
            { start: 43, end: 211 },
            { start: 214, end: 541 },
          ],
        },
      },
    });
    const withMatch = parseOne(
      'B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))\r\n',
    );
    expect(withMatch.name === 'SELECT' && withMatch.qresync?.seqMatch?.sequenceNumbers).toEqual({
      kind: 'set',
      ranges: [
        { start: 5000, end: 5000 },
        { start: 7500, end: 7500 },
        { start: 9000, end: 9000 },
        { start: 9990, end: 9999 },
      ],
    });
    expect(parseOne('a SELECT INBOX (QRESYNC (1 2))\r\n')).toMatchObject({
      qresync: { uidValidity: 1, modSeq: 2n },
    });
    expect(parseOne('a SELECT INBOX (QRESYNC (1 2 (1:2 3:4)) CONDSTORE)\r\n')).toMatchObject({
      condstore: true,
      qresync: { seqMatch: { uids: { kind: 'set' } } },
    });
  });

  it('refuses malformed parameters', () => {
    for (const bad of [
      'a SELECT',
      'a SELECT INBOX ()',
      'a SELECT INBOX (FOO)',
      'a SELECT INBOX (CONDSTORE CONDSTORE)',
      'a SELECT INBOX (QRESYNC (0 1))',
      'a SELECT INBOX (QRESYNC (1 0))',
      'a SELECT INBOX (QRESYNC (1 2 1:*))', // no "*" in known-uids
      'a SELECT INBOX (QRESYNC (1 2 1:5 (1:* 1:5)))',
      'a SELECT INBOX (QRESYNC (1 2 1:5 5))',
      'a SELECT INBOX (QRESYNC 1 2)',
      'a SELECT INBOX CONDSTORE',
      'a SELECT "&AGE-"',
      'a SELECT "a" "b"',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
  });
});
