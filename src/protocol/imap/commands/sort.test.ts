import { describe, expect, it } from 'vitest';
import { parseError, parseOne } from '../test-support.ts';

describe('SORT and THREAD (RFC 5256, RFC 5267, RFC 5957)', () => {
  it('parses the RFC examples, ESORT return options and DISPLAY keys', () => {
    expect(parseOne('A282 SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994\r\n')).toMatchObject({
      name: 'SORT',
      uid: false,
      criteria: [{ key: 'SUBJECT', reverse: false }],
      charset: 'UTF-8',
      search: [{ type: 'SINCE', date: { year: 1994, month: 2, day: 1 } }],
    });
    expect(parseOne('A285 UID SORT (REVERSE DATE DISPLAYFROM) US-ASCII ALL\r\n')).toMatchObject({
      uid: true,
      criteria: [
        { key: 'DATE', reverse: true },
        { key: 'DISPLAYFROM', reverse: false },
      ],
    });
    expect(parseOne('a SORT RETURN (MIN COUNT) (ARRIVAL) UTF-8 ALL\r\n')).toMatchObject({
      returnOptions: ['MIN', 'COUNT'],
    });
    expect(parseOne('A283 THREAD REFERENCES UTF-8 TEXT "gewp"\r\n')).toMatchObject({
      name: 'THREAD',
      algorithm: 'REFERENCES',
      charset: 'UTF-8',
    });
    expect(parseOne('a UID THREAD orderedsubject UTF-8 ALL\r\n')).toMatchObject({
      uid: true,
      algorithm: 'ORDEREDSUBJECT',
    });
  });

  it('refuses malformed arguments', () => {
    for (const line of [
      'a SORT (DATE) ALL', // charset required
      'a SORT () UTF-8 ALL',
      'a SORT (NAME) UTF-8 ALL',
      'a SORT (REVERSE) UTF-8 ALL',
      'a SORT RETURN (SAVE) (DATE) UTF-8 ALL',
      'a SORT DATE UTF-8 ALL',
      'a THREAD REFERENCES',
      'a THREAD REFERENCES UTF-8',
    ])
      expect(parseError(`${line}\r\n`).status, line).toBe('BAD');
  });
});
