/**
 * Fuzzing the IMAP server (reliability-security.md §8 item 4, IMAP-01..03, G2): fast-check
 * generates command lines — real commands with mangled arguments, literals, sequence sets at the
 * 32-bit edges, deep nesting, junk bytes — and replays them over a real socket in every session
 * state (not authenticated, authenticated, selected, idling). After each run the server must still
 * serve a fresh session, every session must be gone once its socket closes, and the heap must stay
 * bounded. Fixed seed and budget, so the run is repeatable and fast.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapFixture, message, RawImap, type ImapFixture } from './support.ts';

const VERBS = [
  'CAPABILITY',
  'NOOP',
  'LOGOUT',
  'STARTTLS',
  'AUTHENTICATE',
  'LOGIN',
  'ENABLE',
  'SELECT',
  'EXAMINE',
  'CREATE',
  'DELETE',
  'RENAME',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'LIST',
  'LSUB',
  'NAMESPACE',
  'STATUS',
  'APPEND',
  'IDLE',
  'CHECK',
  'CLOSE',
  'UNSELECT',
  'EXPUNGE',
  'SEARCH',
  'FETCH',
  'STORE',
  'COPY',
  'MOVE',
  'UID FETCH',
  'UID SEARCH',
  'UID STORE',
  'UID EXPUNGE',
  'UID COPY',
  'UID MOVE',
  'ID',
  'GETQUOTA',
  'GETQUOTAROOT',
  'SETQUOTA',
  'COMPRESS',
  'GETACL',
  'SETACL',
  'DELETEACL',
  'LISTRIGHTS',
  'MYRIGHTS',
  'XYZZY',
  'DONE',
];
const ARGS = [
  'INBOX',
  '""',
  '"*"',
  '%',
  '*',
  '1',
  '0',
  '*',
  '1:*',
  '4294967295',
  '4294967296',
  '4294967295:*',
  '1,2,3',
  '(FLAGS)',
  '(BODY[])',
  'BODY.PEEK[1.2.3]<0.4294967295>',
  'BODY[HEADER.FIELDS (SUBJECT)]',
  'BINARY[1]',
  'ALL',
  'FULL',
  '(\\Seen)',
  '+FLAGS',
  '-FLAGS.SILENT',
  '(\\Recent)',
  '(__proto__)',
  'TEXT',
  '"thông báo"',
  'OR',
  'NOT',
  '(',
  ')',
  '{3}',
  '{3+}',
  '~{2}',
  '{4294967295}',
  '{99999999999999999999}',
  'abc',
  '"',
  'CHARSET',
  'UTF-8',
  'RETURN',
  '(MIN MAX)',
  '$',
  '"../x"',
  '&Jjo',
  'UTF8=ACCEPT',
  'IMAP4rev2',
  'PLAIN',
  'dGVzdA==',
  '=',
  'NIL',
  '(USE (\\Sent))',
  'Trash',
  '"Công văn"',
];

const line = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]{1,4}$/),
    fc.constantFrom(...VERBS),
    fc.array(fc.oneof(fc.constantFrom(...ARGS), fc.string({ maxLength: 12 })), { maxLength: 6 }),
    fc.oneof(
      { weight: 8, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constant(`${'('.repeat(500)}ALL${')'.repeat(500)}`) },
      { weight: 1, arbitrary: fc.constant(`${'OR '.repeat(300)}${'ALL '.repeat(301)}`) },
    ),
  )
  .map(([tag, verb, args, tail]) => `${tag} ${verb} ${args.join(' ')}${tail}`.trimEnd());

type Start = 'not-authenticated' | 'authenticated' | 'selected' | 'idle';

describe('IMAP fuzz (sqlite)', () => {
  let f: ImapFixture;
  let u: { address: string; id: string; password: string };
  beforeAll(async () => {
    f = await imapFixture('sqlite');
    u = await f.fx.user('Nguyễn Văn An');
    for (let i = 0; i < 3; i++) await f.deliver(u.id, message(`Thư ${i}`, `Nội dung ${i}\r\n`));
  });
  afterAll(async () => f?.close());

  const open = async (start: Start): Promise<RawImap> => {
    const c = await RawImap.connect(f.port);
    if (start === 'not-authenticated') return c;
    expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`, 'L')).tagged).toMatch(/^L OK/);
    if (start === 'authenticated') return c;
    expect((await c.cmd('SELECT INBOX', 'S')).tagged).toMatch(/^S OK/);
    if (start === 'idle') {
      c.send('I IDLE\r\n');
      expect(await c.line()).toBe('+ idling');
    }
    return c;
  };

  const quiet = (c: RawImap, ms: number): Promise<void> =>
    new Promise((resolve) => {
      let t = setTimeout(resolve, ms);
      c.socket.on('data', () => {
        clearTimeout(t);
        t = setTimeout(resolve, ms);
      });
      c.socket.on('close', () => {
        clearTimeout(t);
        resolve();
      });
    });

  it.each<Start>(['not-authenticated', 'authenticated', 'selected', 'idle'])(
    'replays generated input in the %s state without harm',
    async (start) => {
      const heapBefore = process.memoryUsage().heapUsed;
      await fc.assert(
        fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (lines) => {
          const c = await open(start);
          let heard = '';
          c.socket.on('data', (d: Buffer) => (heard += d.toString('latin1')));
          c.send(`${lines.join('\r\n')}\r\n`);
          await quiet(c, 40);
          c.end();
          // Hostile input is answered as such, never as a server bug (errors.ts mapping).
          expect(heard).not.toContain('SERVERBUG');
          // The server still works for a fresh session.
          const probe = await RawImap.connect(f.port);
          expect((await probe.cmd('NOOP', 'P')).tagged).toMatch(/^P OK/);
          probe.end();
        }),
        { seed: 20260302, numRuns: 40, endOnFailure: true },
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(f.services.reduce((n, s) => n + s.sessions, 0)).toBe(0);
      // Bounded: 40 sessions of hostile input leave no large residue (generous for GC timing).
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
      // The mailbox is intact: the fuzz never wrote outside its session's rules.
      const c = await open('selected');
      expect((await c.cmd('UID SEARCH ALL', 'Q')).tagged).toMatch(/^Q OK/);
      c.end();
    },
    60_000,
  );
});
