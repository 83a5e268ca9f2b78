import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress, formatAddressList, parseAddressList } from './address-list.ts';
import type { ParsedAddress } from './address-list.ts';

const mb = (
  name: string | null,
  mailbox: string,
  host: string | null,
  route: string | null = null,
): ParsedAddress => ({
  kind: 'mailbox',
  name,
  route,
  mailbox,
  host,
});
const start = (name: string): ParsedAddress => ({
  kind: 'group-start',
  name,
  route: null,
  mailbox: null,
  host: null,
});
const end: ParsedAddress = { kind: 'group-end', name: null, route: null, mailbox: null, host: null };

describe('parseAddressList (RFC 5322 §3.4)', () => {
  it('reads name-addr, addr-spec and quoted display names', () => {
    expect(parseAddressList('"Nguyễn Văn A" <nva@quangtri.gov.vn>, b@x.vn')).toEqual([
      mb('Nguyễn Văn A', 'nva', 'quangtri.gov.vn'),
      mb(null, 'b', 'x.vn'),
    ]);
    expect(parseAddressList('Trần   Thị  B <ttb@quangtri.gov.vn>')).toEqual([
      mb('Trần Thị B', 'ttb', 'quangtri.gov.vn'),
    ]);
    expect(parseAddressList('"A \\"B\\" C" <a@b>')).toEqual([mb('A "B" C', 'a', 'b')]);
  });

  it('keeps encoded words raw in names and never decodes them in an addr-spec', () => {
    expect(parseAddressList('=?UTF-8?B?UGjDsm5nIE7hu5lpIHbhu6U=?= <pnv@quangtri.gov.vn>')).toEqual([
      mb('=?UTF-8?B?UGjDsm5nIE7hu5lpIHbhu6U=?=', 'pnv', 'quangtri.gov.vn'),
    ]);
    const sploit = parseAddressList(
      '=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?=@attacker.example',
    );
    expect(sploit).toEqual([
      mb(null, '=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?=', 'attacker.example'),
    ]);
    expect(formatAddressList(sploit)).toBe(
      '=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?=@attacker.example',
    );
    // A display name that decodes to an address does not change the real one.
    const spoof = parseAddressList('=?utf-8?B?PGFkbWluQGJhbmsuY29tPg==?= <attacker@evil.example>');
    expect(formatAddressList(spoof)).toBe('<admin@bank.com> <attacker@evil.example>');
  });

  it('reads groups, the empty group and an unclosed group', () => {
    expect(parseAddressList('Lãnh đạo: gd@quangtri.gov.vn, pgd@quangtri.gov.vn;, x@y')).toEqual([
      start('Lãnh đạo'),
      mb(null, 'gd', 'quangtri.gov.vn'),
      mb(null, 'pgd', 'quangtri.gov.vn'),
      end,
      mb(null, 'x', 'y'),
    ]);
    expect(parseAddressList('undisclosed-recipients:;')).toEqual([start('undisclosed-recipients'), end]);
    expect(parseAddressList('G: a@b')).toEqual([start('G'), mb(null, 'a', 'b'), end]);
  });

  it('handles comments, CFWS and the obsolete forms of RFC 5322 §4.4', () => {
    expect(parseAddressList('user@host (Trần Thị B)')).toEqual([mb('Trần Thị B', 'user', 'host')]);
    expect(parseAddressList('(c1) John (c2) <john (x) . doe @ example (y) . vn> (c3)')).toEqual([
      mb('John', 'john.doe', 'example.vn'),
    ]);
    expect(parseAddressList('<@relay.vn,@gw.vn:user@quangtri.gov.vn>')).toEqual([
      mb(null, 'user', 'quangtri.gov.vn', '@relay.vn,@gw.vn'),
    ]);
    expect(parseAddressList('John Q. Public <jqp@x.vn>,, , a@b')).toEqual([
      mb('John Q. Public', 'jqp', 'x.vn'),
      mb(null, 'a', 'b'),
    ]);
    expect(parseAddressList('"john smith"@x.vn, a@[192.0.2.1]')).toEqual([
      mb(null, '"john smith"', 'x.vn'),
      mb(null, 'a', '[192.0.2.1]'),
    ]);
  });

  it('returns what it can from garbage', () => {
    expect(parseAddressList('root')).toEqual([mb(null, 'root', null)]);
    expect(parseAddressList('a@b <c@d>')).toEqual([mb('a@b', 'c', 'd')]);
    expect(parseAddressList('<a@b, c@d')).toEqual([mb(null, 'a', 'b'), mb(null, 'c', 'd')]);
    expect(parseAddressList('"unterminated <a@b>')).toEqual([mb(null, 'unterminated <a@b>', null)]);
    expect(parseAddressList('(open comment a@b')).toEqual([]);
    expect(parseAddressList('<>, ;, >, ')).toEqual([]);
    expect(parseAddressList('')).toEqual([]);
  });

  it('caps the number of addresses', () => {
    const list = Array.from({ length: 50 }, (_, i) => `u${i}@x`).join(',');
    expect(parseAddressList(list, { maxAddresses: 10 })).toHaveLength(10);
  });

  it('never throws and keeps group markers balanced on random input', () => {
    const piece = fc.constantFrom(
      'a',
      'b@c',
      '<',
      '>',
      '"',
      '(',
      ')',
      ',',
      ';',
      ':',
      '@',
      '.',
      '[',
      ']',
      '\\',
      ' ',
      'é',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.array(piece, { maxLength: 40 }).map((a) => a.join('')),
        ),
        (s) => {
          const out = parseAddressList(s);
          let open = 0;
          for (const a of out) {
            if (a.kind === 'group-start') open++;
            if (a.kind === 'group-end') open--;
            expect(open === 0 || open === 1).toBe(true);
            if (a.kind === 'mailbox') expect(typeof a.mailbox).toBe('string');
          }
          expect(open).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('formatAddress', () => {
  it('decodes names for display', () => {
    expect(formatAddress(mb('=?UTF-8?B?UGjDsm5nIE7hu5lpIHbhu6U=?=', 'pnv', 'quangtri.gov.vn'))).toBe(
      'Phòng Nội vụ <pnv@quangtri.gov.vn>',
    );
    expect(formatAddress(start('Nhóm'))).toBe('Nhóm:');
    expect(formatAddress(end)).toBe('');
    expect(formatAddress(mb(null, 'root', null))).toBe('root');
  });
});
