/**
 * PREVIEW (RFC 8970), SAVEDATE (RFC 8514) and OBJECTID (RFC 8474): the codec's new FETCH, STATUS
 * and SEARCH items and the MAILBOXID response code, then the server over real sockets on every
 * backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResponseCode } from '../../src/protocol/imap/index.ts';
import type { FetchCommand } from '../../src/protocol/imap/commands/fetch.ts';
import type { SearchCommand } from '../../src/protocol/imap/commands/search.ts';
import type { StatusCommand } from '../../src/protocol/imap/commands/status.ts';
import { parseError, parseOne } from '../../src/protocol/imap/test-support.ts';
import { availableBackends } from '../support/backends.ts';
import { imapFixture, message, RawImap, type ImapFixture } from './support.ts';

const backends = await availableBackends();

const parse = <N extends string>(name: N, line: string): { name: N } & Record<string, unknown> => {
  const c = parseOne(`${line}\r\n`);
  if (c.name !== name) throw new Error(c.name);
  return c as unknown as { name: N } & Record<string, unknown>;
};
const fetchCmd = (line: string): FetchCommand => parse('FETCH', line) as unknown as FetchCommand;
const searchCmd = (line: string): SearchCommand => parse('SEARCH', line) as unknown as SearchCommand;
const statusCmd = (line: string): StatusCommand => parse('STATUS', line) as unknown as StatusCommand;

describe('codec: PREVIEW, SAVEDATE and OBJECTID items', () => {
  it('parses FETCH PREVIEW, PREVIEW (LAZY), SAVEDATE, EMAILID and THREADID', () => {
    expect(fetchCmd('a FETCH 1 (PREVIEW savedate EMAILID THREADID)').attributes).toEqual([
      { type: 'PREVIEW', lazy: false },
      { type: 'SAVEDATE' },
      { type: 'EMAILID' },
      { type: 'THREADID' },
    ]);
    expect(fetchCmd('a FETCH 1 (UID PREVIEW (lazy) FLAGS)').attributes).toEqual([
      { type: 'UID' },
      { type: 'PREVIEW', lazy: true },
      { type: 'FLAGS' },
    ]);
    expect(fetchCmd('a FETCH 1 PREVIEW (LAZY)').attributes).toEqual([{ type: 'PREVIEW', lazy: true }]);
    expect(fetchCmd('a UID FETCH 1:* (PREVIEW (LAZY)) (CHANGEDSINCE 5)')).toMatchObject({
      attributes: [{ type: 'PREVIEW', lazy: true }],
      changedSince: 5n,
    });
  });

  it('keeps fetch modifiers after a bare PREVIEW', () => {
    expect(fetchCmd('a FETCH 1 PREVIEW (CHANGEDSINCE 7)')).toMatchObject({
      attributes: [{ type: 'PREVIEW', lazy: false }],
      changedSince: 7n,
    });
  });

  it('refuses unknown, repeated or empty preview modifiers and bracketed items', () => {
    expect(parseError('a FETCH 1 (PREVIEW (LAZY LAZY))\r\n').status).toBe('BAD');
    expect(parseError('a FETCH 1 (PREVIEW (LAZY FUZZY))\r\n').status).toBe('BAD');
    expect(parseError('a FETCH 1 (PREVIEW ())\r\n').status).toBe('BAD');
    expect(parseError('a FETCH 1 (SAVEDATE[])\r\n').status).toBe('BAD');
    expect(parseError('a FETCH 1 (PREVIEW[1])\r\n').status).toBe('BAD');
  });

  it('parses STATUS MAILBOXID', () => {
    expect(statusCmd('a STATUS INBOX (MESSAGES mailboxid)').items).toEqual(['MESSAGES', 'MAILBOXID']);
  });

  it('parses SEARCH SAVEDBEFORE, SAVEDON and SAVEDSINCE', () => {
    expect(
      searchCmd('a SEARCH SAVEDBEFORE 1-Feb-2026 savedon 2-Mar-2026 NOT SAVEDSINCE 3-Apr-2026').criteria,
    ).toEqual([
      { type: 'SAVEDBEFORE', date: { year: 2026, month: 2, day: 1 } },
      { type: 'SAVEDON', date: { year: 2026, month: 3, day: 2 } },
      { type: 'NOT', key: { type: 'SAVEDSINCE', date: { year: 2026, month: 4, day: 3 } } },
    ]);
    expect(parseError('a SEARCH SAVEDON\r\n').status).toBe('BAD');
    expect(parseError('a SEARCH SAVEDSINCE yesterday\r\n').status).toBe('BAD');
  });

  it('formats the MAILBOXID response code and refuses ids outside the objectid grammar', () => {
    expect(formatResponseCode({ code: 'MAILBOXID', id: 'F2c_9-x' })).toBe('MAILBOXID (F2c_9-x)');
    expect(() => formatResponseCode({ code: 'MAILBOXID', id: 'a b' })).toThrow(RangeError);
    expect(() => formatResponseCode({ code: 'MAILBOXID', id: '' })).toThrow(RangeError);
    expect(() => formatResponseCode({ code: 'MAILBOXID', id: 'x'.repeat(256) })).toThrow(RangeError);
  });
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The IMAP date of `ms` in Asia/Ho_Chi_Minh (UTC+7), plus `days`. */
const imapDay = (ms: number, days = 0): string => {
  const d = new Date(ms + 7 * 3600_000 + days * 86_400_000);
  return `${d.getUTCDate()}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()}`;
};
const OBJECTID = /^[A-Za-z0-9_-]{1,255}$/;

describe.each(backends)('PREVIEW, SAVEDATE and OBJECTID (%s)', (backend) => {
  let f: ImapFixture;
  let n = 0;
  const body = 'Kính gửi các đồng chí,\r\n\r\nHọp giao ban lúc 8h sáng thứ Hai tại phòng họp số 2.\r\n';
  const preview = 'Kính gửi các đồng chí, Họp giao ban lúc 8h sáng thứ Hai tại phòng họp số 2.';
  const login = async (): Promise<RawImap> => {
    const u = await f.fx.user(`Trần Thị Hoa ${String.fromCharCode(65 + n++)}`);
    await f.deliver(u.id, message('Thông báo họp giao ban', body));
    await f.deliver(u.id, message('Thư thứ hai', 'Nội dung khác hẳn.\r\n'));
    const c = await RawImap.connect(f.port);
    expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`)).tagged).toMatch(/OK/);
    return c;
  };

  beforeAll(async () => {
    f = await imapFixture(backend);
  });
  afterAll(async () => f?.close());

  it('advertises PREVIEW, SAVEDATE and OBJECTID after sign-in', async () => {
    const c = await login();
    const caps = (await c.cmd('CAPABILITY')).untagged.join(' ').split(' ');
    expect(caps).toEqual(expect.arrayContaining(['PREVIEW', 'SAVEDATE', 'OBJECTID']));
    c.end();
  });

  it('FETCH PREVIEW returns the Vietnamese preview text (RFC 8970)', async () => {
    const c = await login();
    await c.cmd('SELECT INBOX');
    // Without UTF8=ACCEPT the 8-bit preview is a literal.
    const lit = (await c.cmd('FETCH 1 (PREVIEW)')).untagged;
    expect(lit).toHaveLength(1);
    const m = /^\* 1 FETCH \(PREVIEW \{(\d+)\}\r\n([\s\S]*)\)$/.exec(lit[0]!);
    expect(m).not.toBeNull();
    const text = Buffer.from(m![2]!, 'latin1').toString('utf8');
    expect(text).toBe(preview);
    expect(Number(m![1])).toBe(Buffer.byteLength(preview));
    // With UTF8=ACCEPT (enabled before SELECT) it is a quoted string; LAZY returns it too.
    await c.cmd('UNSELECT');
    expect((await c.cmd('ENABLE UTF8=ACCEPT')).tagged).toMatch(/OK/);
    await c.cmd('SELECT INBOX');
    expect((await c.cmd('UID FETCH 1 (UID PREVIEW (LAZY))')).untagged).toEqual([
      `* 1 FETCH (UID 1 PREVIEW "${preview}")`,
    ]);
    expect((await c.cmd('FETCH 2 PREVIEW')).untagged).toEqual(['* 2 FETCH (PREVIEW "Nội dung khác hẳn.")']);
    c.end();
  });

  it('FETCH PREVIEW is NIL for a message without text', async () => {
    const u = await f.fx.user(`Lê Văn Nam ${String.fromCharCode(65 + n++)}`);
    await f.deliver(u.id, message('Trống', ''));
    const c = await RawImap.connect(f.port);
    await c.cmd(`LOGIN ${u.address} "${u.password}"`);
    await c.cmd('SELECT INBOX');
    expect((await c.cmd('FETCH 1 (PREVIEW)')).untagged).toEqual(['* 1 FETCH (PREVIEW NIL)']);
    c.end();
  });

  it('FETCH SAVEDATE is a +0700 date-time and SEARCH SAVEDON/SAVEDSINCE/SAVEDBEFORE use it (RFC 8514)', async () => {
    const before = Date.now();
    const c = await login();
    await c.cmd('SELECT INBOX');
    const r = (await c.cmd('FETCH 1:2 (SAVEDATE)')).untagged;
    expect(r).toHaveLength(2);
    const m = /^\* 1 FETCH \(SAVEDATE "([ \d]\d)-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) \+0700"\)$/.exec(r[0]!);
    expect(m).not.toBeNull();
    const [, dd, mon, yyyy, hh, mi, ss] = m!;
    const saved =
      Date.UTC(Number(yyyy), MONTHS.indexOf(mon!), Number(dd), Number(hh), Number(mi), Number(ss)) -
      7 * 3600_000;
    expect(saved).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(saved).toBeLessThanOrEqual(Date.now());
    const today = imapDay(saved);
    expect((await c.cmd(`SEARCH SAVEDON ${today}`)).untagged).toEqual(['* SEARCH 1 2']);
    expect((await c.cmd(`SEARCH SAVEDSINCE ${today}`)).untagged).toEqual(['* SEARCH 1 2']);
    expect((await c.cmd(`SEARCH SAVEDBEFORE ${today}`)).untagged).toEqual(['* SEARCH']);
    expect((await c.cmd(`SEARCH SAVEDBEFORE ${imapDay(saved, 1)}`)).untagged).toEqual(['* SEARCH 1 2']);
    expect((await c.cmd(`SEARCH SAVEDSINCE ${imapDay(saved, 1)}`)).untagged).toEqual(['* SEARCH']);
    expect((await c.cmd(`SEARCH SAVEDON ${imapDay(saved, -1)}`)).untagged).toEqual(['* SEARCH']);
    expect((await c.cmd(`UID SEARCH NOT SAVEDBEFORE ${today} SUBJECT "thứ hai"`)).untagged).toEqual([
      '* SEARCH 2',
    ]);
    c.end();
  });

  it('EMAILID is the same for a message and its COPY, different for other messages; THREADID is NIL (RFC 8474)', async () => {
    const c = await login();
    await c.cmd('SELECT INBOX');
    const ids = (await c.cmd('FETCH 1:2 (EMAILID THREADID)')).untagged.map((l) => {
      const m = /^\* \d FETCH \(EMAILID \(([^)]*)\) THREADID NIL\)$/.exec(l);
      expect(m).not.toBeNull();
      return m![1]!;
    });
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(OBJECTID);
    expect(ids[0]).not.toBe(ids[1]);
    expect((await c.cmd('COPY 1 Archive')).tagged).toMatch(/OK/);
    await c.cmd('SELECT Archive');
    expect((await c.cmd('FETCH 1 (EMAILID)')).untagged).toEqual([`* 1 FETCH (EMAILID (${ids[0]}))`]);
    c.end();
  });

  it('MAILBOXID is sent on SELECT and EXAMINE and in STATUS, different per folder (RFC 8474)', async () => {
    const c = await login();
    const idOf = (lines: string[]): string => {
      const l = lines.find((x) => x.includes('[MAILBOXID'));
      const m = /^\* OK \[MAILBOXID \(([^)]*)\)\]/.exec(l ?? '');
      expect(m).not.toBeNull();
      return m![1]!;
    };
    const inbox = idOf((await c.cmd('SELECT INBOX')).untagged);
    expect(inbox).toMatch(OBJECTID);
    const archive = idOf((await c.cmd('EXAMINE Archive')).untagged);
    expect(archive).toMatch(OBJECTID);
    expect(archive).not.toBe(inbox);
    expect(idOf((await c.cmd('SELECT INBOX')).untagged)).toBe(inbox);
    expect((await c.cmd('STATUS INBOX (MAILBOXID MESSAGES)')).untagged).toEqual([
      `* STATUS INBOX (MAILBOXID (${inbox}) MESSAGES 2)`,
    ]);
    expect((await c.cmd('STATUS Archive (MAILBOXID)')).untagged).toEqual([
      `* STATUS Archive (MAILBOXID (${archive}))`,
    ]);
    // Stable across RENAME (§4.2).
    expect((await c.cmd('CREATE "Ho so"')).tagged).toMatch(/OK/);
    const created = (await c.cmd('STATUS "Ho so" (MAILBOXID)')).untagged[0]!;
    const id = /MAILBOXID \(([^)]*)\)/.exec(created)![1]!;
    expect(id).not.toBe(inbox);
    expect((await c.cmd('RENAME "Ho so" "Luu tru"')).tagged).toMatch(/OK/);
    expect((await c.cmd('STATUS "Luu tru" (MAILBOXID)')).untagged[0]).toContain(`MAILBOXID (${id})`);
    c.end();
  });
});
