import { describe, expect, it } from 'vitest';
import { parseError, parseOne } from '../test-support.ts';

describe('ID (RFC 2971)', () => {
  it('parses the RFC examples', () => {
    // RFC 2971 §4: a023 ID ("name" "sodr" "version" "19.34" "vendor" "Pink Floyd Music Limited")
    expect(
      parseOne('a023 ID ("name" "sodr" "version" "19.34" "vendor" "Pink Floyd Music Limited")\r\n'),
    ).toEqual({
      name: 'ID',
      tag: 'a023',
      params: [
        ['name', 'sodr'],
        ['version', '19.34'],
        ['vendor', 'Pink Floyd Music Limited'],
      ],
    });
    expect(parseOne('a ID NIL\r\n')).toEqual({ name: 'ID', tag: 'a', params: null });
    expect(parseOne('a ID ("os" NIL)\r\n')).toMatchObject({ params: [['os', null]] });
    expect(parseOne('a ID ()\r\n')).toMatchObject({ params: [] });
    expect(parseOne('a ID ("__proto__" "x")\r\n')).toMatchObject({ params: [['__proto__', 'x']] });
  });

  it('enforces the RFC 2971 §3.3 limits (huge ID, IMAP-06)', () => {
    const pairs = (n: number): string => Array.from({ length: n }, (_, i) => `"k${i}" "v"`).join(' ');
    expect(parseOne(`a ID (${pairs(30)})\r\n`)).toMatchObject({ name: 'ID' });
    expect(parseError(`a ID (${pairs(31)})\r\n`).status).toBe('BAD');
    expect(parseError(`a ID ("${'k'.repeat(31)}" "v")\r\n`).status).toBe('BAD');
    expect(parseError(`a ID ("k" "${'v'.repeat(1025)}")\r\n`).status).toBe('BAD');
    for (const bad of ['a ID', 'a ID (name sodr)', 'a ID ("name")', 'a ID ("name" "x"', 'a ID (NIL "x")']) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
  });
});
