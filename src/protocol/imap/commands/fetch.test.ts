import { describe, expect, it } from 'vitest';
import { parseError, parseOne } from '../test-support.ts';
import type { FetchCommand } from './fetch.ts';

const fetch = (line: string): FetchCommand => {
  const c = parseOne(`${line}\r\n`);
  if (c.name !== 'FETCH') throw new Error(c.name);
  return c;
};

describe('FETCH (RFC 9051 §6.4.5)', () => {
  it('parses the RFC example', () => {
    // RFC 9051 §6.4.5: A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])
    expect(fetch('A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])')).toEqual({
      name: 'FETCH',
      tag: 'A654',
      uid: false,
      set: { kind: 'set', ranges: [{ start: 2, end: 4 }] },
      attributes: [
        { type: 'FLAGS' },
        {
          type: 'BODY[]',
          peek: false,
          section: { part: [], text: { kind: 'HEADER.FIELDS', fields: ['DATE', 'FROM'] } },
        },
      ],
      vanished: false,
    });
  });

  it('expands the macros ALL, FAST and FULL', () => {
    expect(fetch('a FETCH 1 ALL')).toMatchObject({
      macro: 'ALL',
      attributes: [
        { type: 'FLAGS' },
        { type: 'INTERNALDATE' },
        { type: 'RFC822.SIZE' },
        { type: 'ENVELOPE' },
      ],
    });
    expect(fetch('a FETCH 1 fast').attributes.length).toBe(3);
    expect(fetch('a FETCH 1 FULL').attributes.map((a) => a.type)).toContain('BODY');
    expect(parseError('a FETCH 1 (ALL)\r\n').reason).toBe('syntax');
  });

  it('reads every simple item, alone or in a list, case-insensitively', () => {
    const items = [
      'ENVELOPE',
      'FLAGS',
      'INTERNALDATE',
      'RFC822.SIZE',
      'BODY',
      'BODYSTRUCTURE',
      'UID',
      'MODSEQ',
    ];
    expect(
      fetch(`a FETCH 1 (${items.join(' ').toLowerCase()} RFC822 RFC822.HEADER RFC822.TEXT)`).attributes.map(
        (a) => a.type,
      ),
    ).toEqual([...items, 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT']);
    expect(fetch('a FETCH 1 UID').attributes).toEqual([{ type: 'UID' }]);
  });

  it('reads sections and partials', () => {
    const f = fetch(
      'a FETCH 1 (BODY[] BODY.PEEK[1.2.MIME] BODY[3.HEADER.FIELDS.NOT (X-A "X-B")]<10.200> BODY[TEXT] BODY[4.1.TEXT] BODY[HEADER] BODY[2])',
    );
    expect(f.attributes).toEqual([
      { type: 'BODY[]', peek: false, section: { part: [] } },
      { type: 'BODY[]', peek: true, section: { part: [1, 2], text: { kind: 'MIME' } } },
      {
        type: 'BODY[]',
        peek: false,
        section: { part: [3], text: { kind: 'HEADER.FIELDS.NOT', fields: ['X-A', 'X-B'] } },
        partial: { offset: 10, length: 200 },
      },
      { type: 'BODY[]', peek: false, section: { part: [], text: { kind: 'TEXT' } } },
      { type: 'BODY[]', peek: false, section: { part: [4, 1], text: { kind: 'TEXT' } } },
      { type: 'BODY[]', peek: false, section: { part: [], text: { kind: 'HEADER' } } },
      { type: 'BODY[]', peek: false, section: { part: [2] } },
    ]);
  });

  it('handles the partial edges of IMAP-05', () => {
    expect(fetch('a FETCH 1 BODY[]<0.4294967295>').attributes[0]).toMatchObject({
      partial: { offset: 0, length: 4294967295 },
    });
    expect(fetch('a FETCH 1 BODY[]<4294967295.1>').attributes[0]).toMatchObject({
      partial: { offset: 4294967295, length: 1 },
    });
    expect(fetch('a FETCH 1 BODY[]<9223372036854775807.1>').attributes[0]).toMatchObject({
      partial: { offset: Number.MAX_SAFE_INTEGER, length: 1 },
    });
    for (const bad of [
      'BODY[]<10.0>', // nz-number64
      'BODY[]<9223372036854775808.1>',
      'BODY[]<1>',
      'BODY[]<-1.5>',
      'BODY[0]',
      'BODY[1.0]',
      'BODY[01]',
      'BODY[HEADER.FIELDS ()]',
      'BODY[MIME]', // MIME needs a part
      'BODY[1.]',
      'BODY[HEADER.FIELDS (Fro:m)]',
      'BODY[1',
      'BODY.PEEK',
      'BODY[]<0.1',
      'BINARY[HEADER]',
      'BINARY.SIZE[1]<0.1>',
      'BODYSTRUCTURE[1]',
      'RFC822.BOGUS',
      'FLAGS[]',
    ]) {
      expect(parseError(`a FETCH 1 ${bad}\r\n`).status, bad).toBe('BAD');
    }
  });

  it('reads BINARY, BINARY.PEEK and BINARY.SIZE (RFC 3516 §4.2)', () => {
    expect(fetch('a FETCH 1 (BINARY[1.2] BINARY.PEEK[]<0.1024> BINARY.SIZE[3])').attributes).toEqual([
      { type: 'BINARY[]', peek: false, part: [1, 2] },
      { type: 'BINARY[]', peek: true, part: [], partial: { offset: 0, length: 1024 } },
      { type: 'BINARY.SIZE[]', part: [3] },
    ]);
  });

  it('reads UID FETCH with CHANGEDSINCE and VANISHED (RFC 7162 §3.1.4, §3.2.6)', () => {
    // RFC 7162 §3.1.4.2: s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)
    expect(fetch('s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)')).toMatchObject({
      uid: true,
      set: { kind: 'set', ranges: [{ start: 1, end: '*' }] },
      changedSince: 12345n,
      vanished: false,
    });
    // RFC 7162 §3.2.6: s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)
    expect(fetch('s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)')).toMatchObject({
      changedSince: 12345n,
      vanished: true,
    });
    expect(fetch('a FETCH 1 ALL (CHANGEDSINCE 9223372036854775807)').changedSince).toBe(9223372036854775807n);
    for (const bad of [
      'a FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)', // VANISHED needs UID FETCH
      'a UID FETCH 1:* (FLAGS) (VANISHED)', // …and CHANGEDSINCE
      'a FETCH 1 FLAGS (CHANGEDSINCE 0)',
      'a FETCH 1 FLAGS (CHANGEDSINCE 9223372036854775808)',
      'a FETCH 1 FLAGS (CHANGEDSINCE 1 CHANGEDSINCE 2)',
      'a FETCH 1 FLAGS (FOO)',
      'a FETCH 1 FLAGS ()',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
  });

  it('refuses bad sequence sets, empty lists and stray spaces', () => {
    for (const bad of [
      'a FETCH 0 FLAGS',
      'a FETCH 4294967296 FLAGS',
      'a FETCH 1 ()',
      'a FETCH 1 (FLAGS  UID)',
      'a FETCH 1 (FLAGS )',
      'a FETCH 1 FLAGS UID',
      'a FETCH  1 FLAGS',
      'a FETCH 1',
      'a FETCH 1 FLAGS ',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
    expect(fetch('a FETCH 4294967295 FLAGS').set).toEqual({
      kind: 'set',
      ranges: [{ start: 4294967295, end: 4294967295 }],
    });
    expect(fetch('a UID FETCH $ FLAGS').set).toEqual({ kind: 'saved' });
  });
});
