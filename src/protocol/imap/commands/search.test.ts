import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytes, parseError, parseOne, text } from '../test-support.ts';
import type { SearchCommand } from './search.ts';
import type { SearchKey } from './search-key.ts';

const search = (line: string | Uint8Array): SearchCommand => {
  const c = parseOne(typeof line === 'string' ? `${line}\r\n` : line);
  if (c.name !== 'SEARCH') throw new Error(c.name);
  return c;
};

/** Strings in keys are octets; show them as text for comparison. */
function show(k: SearchKey): unknown {
  switch (k.type) {
    case 'NOT':
      return { NOT: show(k.key) };
    case 'OR':
      return { OR: [show(k.left), show(k.right)] };
    case 'AND':
      return { AND: k.keys.map(show) };
    default:
      return 'value' in k ? { ...k, value: text(k.value) } : k;
  }
}

describe('SEARCH (RFC 9051 §6.4.4)', () => {
  it('parses the RFC examples', () => {
    // RFC 3501 §6.4.4: A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
    expect(search('A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"').criteria.map(show)).toEqual([
      { type: 'FLAGGED' },
      { type: 'SINCE', date: { year: 1994, month: 2, day: 1 } },
      { NOT: { type: 'FROM', value: 'Smith' } },
    ]);
    // RFC 9051 §6.4.4: A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
    expect(search('A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"')).toMatchObject({
      returnOptions: ['MIN', 'COUNT'],
    });
    // RFC 9051 §6.4.4: A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
    expect(search('A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"').returnOptions).toEqual(
      [],
    );
    expect(search('A284 SEARCH TEXT "string not in mailbox"').criteria.map(show)).toEqual([
      { type: 'TEXT', value: 'string not in mailbox' },
    ]);
    // RFC 3501 §6.4.4: A284 SEARCH CHARSET UTF-8 TEXT {6} … with a literal.
    const withLiteral = search(bytes('A285 SEARCH CHARSET UTF-8 TEXT {7}\r\nTiếng\r\n'));
    expect(withLiteral.charset).toBe('UTF-8');
    expect(withLiteral.criteria.map(show)).toEqual([{ type: 'TEXT', value: 'Tiếng' }]);
    expect(search('a SEARCH ALL')).toEqual({
      name: 'SEARCH',
      tag: 'a',
      uid: false,
      criteria: [{ type: 'ALL' }],
    });
  });

  it('reads every search key', () => {
    const line =
      'a UID SEARCH ALL ANSWERED BCC x BEFORE 1-Jan-2024 BODY "công văn" CC y DELETED DRAFT FLAGGED FROM z ' +
      'HEADER Message-ID "<a@b>" KEYWORD $Forwarded LARGER 100 NEW NOT SEEN OLD ON "29-Feb-2024" ' +
      'OR ANSWERED DRAFT RECENT SEEN SENTBEFORE 2-Jan-2024 SENTON 3-Jan-2024 SENTSINCE 4-Jan-2024 ' +
      'SINCE 5-Jan-2024 SMALLER 9223372036854775807 SUBJECT "Thư mời" TEXT t TO u UID 1:*,5 UNANSWERED ' +
      'UNDELETED UNDRAFT UNFLAGGED UNKEYWORD $Junk UNSEEN 2,4:* $ (SEEN FLAGGED) MODSEQ 0';
    const s = search(line);
    expect(s.uid).toBe(true);
    expect(s.criteria.map((k) => k.type)).toEqual([
      'ALL',
      'ANSWERED',
      'BCC',
      'BEFORE',
      'BODY',
      'CC',
      'DELETED',
      'DRAFT',
      'FLAGGED',
      'FROM',
      'HEADER',
      'KEYWORD',
      'LARGER',
      'NEW',
      'NOT',
      'OLD',
      'ON',
      'OR',
      'RECENT',
      'SEEN',
      'SENTBEFORE',
      'SENTON',
      'SENTSINCE',
      'SINCE',
      'SMALLER',
      'SUBJECT',
      'TEXT',
      'TO',
      'UID',
      'UNANSWERED',
      'UNDELETED',
      'UNDRAFT',
      'UNFLAGGED',
      'UNKEYWORD',
      'UNSEEN',
      'SEQUENCE',
      'SEQUENCE',
      'AND',
      'MODSEQ',
    ]);
    expect(s.criteria.find((k) => k.type === 'HEADER')).toMatchObject({
      type: 'HEADER',
      field: 'Message-ID',
    });
    expect(s.criteria.find((k) => k.type === 'SMALLER')).toEqual({
      type: 'SMALLER',
      size: Number.MAX_SAFE_INTEGER,
    });
    expect(s.criteria.find((k) => k.type === 'ON')).toEqual({
      type: 'ON',
      date: { year: 2024, month: 2, day: 29 },
    });
    expect(s.criteria.filter((k) => k.type === 'SEQUENCE')[1]).toEqual({
      type: 'SEQUENCE',
      set: { kind: 'saved' },
    });
  });

  it('nests NOT, OR and parentheses', () => {
    const s = search('a SEARCH OR (FROM a TO b) NOT (OR SEEN (DELETED)) UNSEEN');
    expect(s.criteria.map(show)).toEqual([
      {
        OR: [
          {
            AND: [
              { type: 'FROM', value: 'a' },
              { type: 'TO', value: 'b' },
            ],
          },
          { NOT: { AND: [{ OR: [{ type: 'SEEN' }, { AND: [{ type: 'DELETED' }] }] }] } },
        ],
      },
      { type: 'UNSEEN' },
    ]);
    expect(search('a SEARCH OR OR SEEN DRAFT NOT NOT 1:5').criteria.map(show)).toEqual([
      {
        OR: [
          { OR: [{ type: 'SEEN' }, { type: 'DRAFT' }] },
          { NOT: { NOT: { type: 'SEQUENCE', set: { kind: 'set', ranges: [{ start: 1, end: 5 }] } } } },
        ],
      },
    ]);
  });

  it('agrees with a recursive reference parser on random key trees (property)', () => {
    const leaf = fc.constantFrom('SEEN', 'ALL', 'DRAFT', 'FROM x', 'LARGER 5', '1:3', 'UID 7');
    const tree = fc.letrec((tie) => ({
      key: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('key')).map(([k]) => `NOT ${k}`),
        fc.tuple(tie('key'), tie('key')).map(([a, b]) => `OR ${a} ${b}`),
        fc.array(tie('key'), { minLength: 1, maxLength: 3 }).map((ks) => `(${ks.join(' ')})`),
      ),
    })).key;
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 3 }), (keys) => {
        const src = keys.join(' ');
        const parsedKeys = search(`a SEARCH ${src}`).criteria;
        expect(parsedKeys.map(render).join(' ')).toBe(src);
      }),
      { numRuns: 300 },
    );
  });

  it('reads MODSEQ with and without an entry (RFC 7162 §3.1.5)', () => {
    // RFC 7162 §3.1.5: a SEARCH MODSEQ "/flags/\\draft" all 620162338
    expect(search('a SEARCH MODSEQ "/flags/\\\\draft" all 620162338').criteria).toEqual([
      { type: 'MODSEQ', modSeq: 620162338n, entry: { flag: '\\draft', entryType: 'all' } },
    ]);
    expect(search('a SEARCH MODSEQ 5').criteria).toEqual([{ type: 'MODSEQ', modSeq: 5n }]);
    expect(parseError('a SEARCH MODSEQ "/flags/\\\\draft" some 1\r\n').status).toBe('BAD');
    expect(parseError('a SEARCH MODSEQ "/other/x" all 1\r\n').status).toBe('BAD');
  });

  it('refuses malformed searches', () => {
    for (const bad of [
      'a SEARCH',
      'a SEARCH ()',
      'a SEARCH (SEEN',
      'a SEARCH SEEN)',
      'a SEARCH NOT',
      'a SEARCH OR SEEN',
      'a SEARCH FOO',
      'a SEARCH FROM',
      'a SEARCH SINCE 31-Feb-2026',
      'a SEARCH SINCE 1-Foo-2026',
      'a SEARCH SINCE 1-Jan-26',
      'a SEARCH SINCE "1-Jan-2026',
      'a SEARCH LARGER -1',
      'a SEARCH LARGER 9223372036854775808',
      'a SEARCH KEYWORD \\Seen',
      'a SEARCH HEADER "a:b" x',
      'a SEARCH UID 0',
      'a SEARCH 0',
      'a SEARCH SEEN  DRAFT',
      'a SEARCH RETURN (MIN FOO) ALL',
      'a SEARCH RETURN MIN ALL',
      'a SEARCH CHARSET',
      'a SEARCH CHARSET UTF-8',
      'a SEARCH SUBJECT "a\\x"',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
  });

  it('keeps 8-bit string octets for the session to decode with the charset', () => {
    const latin = new Uint8Array([
      ...bytes('a SEARCH CHARSET ISO-8859-1 SUBJECT "caf'),
      0xe9,
      0x22,
      0x0d,
      0x0a,
    ]);
    const s = search(latin);
    expect(s.charset).toBe('ISO-8859-1');
    expect(s.criteria[0]).toEqual({ type: 'SUBJECT', value: new Uint8Array([0x63, 0x61, 0x66, 0xe9]) });
  });
});

function render(k: SearchKey): string {
  switch (k.type) {
    case 'NOT':
      return `NOT ${render(k.key)}`;
    case 'OR':
      return `OR ${render(k.left)} ${render(k.right)}`;
    case 'AND':
      return `(${k.keys.map(render).join(' ')})`;
    case 'FROM':
      return `FROM ${text(k.value)}`;
    case 'LARGER':
      return `LARGER ${k.size}`;
    case 'SEQUENCE':
      return k.set.kind === 'set' ? k.set.ranges.map((r) => `${r.start}:${r.end}`).join(',') : '$';
    case 'UID':
      return k.set.kind === 'set'
        ? `UID ${k.set.ranges.map((r) => (r.start === r.end ? r.start : `${r.start}:${r.end}`)).join(',')}`
        : '$';
    default:
      return k.type;
  }
}
