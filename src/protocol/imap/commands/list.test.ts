import { describe, expect, it } from 'vitest';
import { encodeMutf7 } from '../mutf7.ts';
import { parseError, parseOne } from '../test-support.ts';
import type { ListCommand } from './list.ts';

const list = (line: string, options = {}): ListCommand => {
  const c = parseOne(`${line}\r\n`, options);
  if (c.name !== 'LIST') throw new Error(c.name);
  return c;
};

const NONE = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
const NO_RETURN = { subscribed: false, children: false, specialUse: false };

describe('LIST (RFC 9051 §6.3.9, RFC 5258, RFC 5819)', () => {
  it('parses the basic RFC examples', () => {
    expect(list('A101 LIST "" ""')).toEqual({
      name: 'LIST',
      tag: 'A101',
      reference: '',
      patterns: [''],
      select: NONE,
      return: NO_RETURN,
      extended: false,
    });
    expect(list('A102 LIST #news.comp.mail.misc ""')).toMatchObject({
      reference: '#news.comp.mail.misc',
      patterns: [''],
    });
    expect(list('A103 LIST /usr/staff/jones ""')).toMatchObject({ reference: '/usr/staff/jones' });
    expect(list('A202 LIST ~/Mail/ %')).toMatchObject({ reference: '~/Mail/', patterns: ['%'] });
    expect(list('a LIST "" *')).toMatchObject({ patterns: ['*'] });
    expect(list('a LIST "" INBOX.]%*')).toMatchObject({ patterns: ['INBOX.]%*'] });
  });

  it('parses the LIST-EXTENDED examples (RFC 5258 §5)', () => {
    expect(list('A02 LIST (SUBSCRIBED) "" "*"')).toMatchObject({
      select: { ...NONE, subscribed: true },
      extended: true,
    });
    expect(list('A03 LIST () "" "%" RETURN (CHILDREN)')).toMatchObject({
      select: NONE,
      return: { ...NO_RETURN, children: true },
      extended: true,
    });
    expect(list('A04 LIST (REMOTE) "" "%" RETURN (CHILDREN)').select.remote).toBe(true);
    expect(list('A05 LIST (REMOTE SUBSCRIBED) "/" "*"').select).toEqual({
      ...NONE,
      remote: true,
      subscribed: true,
    });
    expect(list('A06 LIST (SUBSCRIBED RECURSIVEMATCH) "" "%" RETURN (CHILDREN)').select).toEqual({
      ...NONE,
      subscribed: true,
      recursiveMatch: true,
    });
    expect(list('A01 LIST "" ("INBOX" "Drafts" "Sent/%")').patterns).toEqual(['INBOX', 'Drafts', 'Sent/%']);
    expect(list('a LIST (SPECIAL-USE) "" "*" RETURN (SPECIAL-USE SUBSCRIBED)')).toMatchObject({
      select: { ...NONE, specialUse: true },
      return: { ...NO_RETURN, specialUse: true, subscribed: true },
    });
  });

  it('parses LIST-STATUS (RFC 5819)', () => {
    expect(list('A01 LIST "" % RETURN (STATUS (MESSAGES UNSEEN))').return).toEqual({
      ...NO_RETURN,
      status: ['MESSAGES', 'UNSEEN'],
    });
  });

  it('decodes modified UTF-7 patterns and references', () => {
    const wire = encodeMutf7('Văn bản đến');
    expect(list(`a LIST "${wire}/" "${encodeMutf7('Thư')}*"`)).toMatchObject({
      reference: 'Văn bản đến/',
      patterns: ['Thư*'],
    });
    expect(list('a LIST "" "Hộp thư/*"', { utf8: true }).patterns).toEqual(['Hộp thư/*']);
  });

  it('keeps regex metacharacters as plain text (IMAP-08)', () => {
    expect(list('a LIST "" "(.*"').patterns).toEqual(['(.*']);
    expect(list('a LIST "" "[a-"').patterns).toEqual(['[a-']);
    expect(list('a LIST "" "\\\\"').patterns).toEqual(['\\']);
  });

  it('refuses malformed LIST commands', () => {
    for (const bad of [
      'a LIST ""',
      'a LIST "" "*" RETURN',
      'a LIST "" "*" RETURN (FOO)',
      'a LIST "" "*" (CHILDREN)',
      'a LIST (RECURSIVEMATCH) "" "*"',
      'a LIST (REMOTE RECURSIVEMATCH) "" "*"',
      'a LIST (BOGUS) "" "*"',
      'a LIST "" ()',
      'a LIST "" "*" RETURN (STATUS (MESSAGES FOO))',
      'a LIST "" "*" RETURN (STATUS ())',
      'a LIST "" "&Jjo"',
      'a LIST "" "é"',
    ]) {
      expect(parseError(`${bad}\r\n`).status, bad).toBe('BAD');
    }
  });
});
