/**
 * CONDSTORE and QRESYNC (RFC 7162) over real sockets on every backend: every response form with
 * a raw client (HIGHESTMODSEQ, MODSEQ, CHANGEDSINCE, UNCHANGEDSINCE/[MODIFIED], SEARCH MODSEQ,
 * STATUS HIGHESTMODSEQ, VANISHED and VANISHED (EARLIER), the QRESYNC select parameter and its
 * errors), the resynchronisation of imapflow after an absence, and IMAP-13: UIDNEXT and
 * HIGHESTMODSEQ never go backwards when the store is closed and opened again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { availableBackends } from '../support/backends.ts';
import { systemFixture } from '../support/system.ts';
import { openSystem } from '../../src/app/index.ts';
import { startImapService } from '../../src/app/services/imap.ts';
import { createLogger } from '../../src/telemetry/index.ts';
import { imapFixture, message, NO_THROTTLE, RawImap, type ImapFixture } from './support.ts';

const backends = await availableBackends();

type User = { address: string; id: string; password: string };

const num = (lines: string[], re: RegExp): number => {
  for (const l of lines) {
    const m = re.exec(l);
    if (m) return Number(m[1]);
  }
  throw new Error(`no ${String(re)} in ${JSON.stringify(lines)}`);
};

describe.each(backends)('CONDSTORE and QRESYNC (%s)', (backend) => {
  let f: ImapFixture;
  let n = 0;
  const newUser = async (messages: number): Promise<User> => {
    const u = await f.fx.user(`Trần Thị Bình ${String.fromCharCode(65 + n++)}`);
    for (let i = 1; i <= messages; i++) await f.deliver(u.id, message(`Thư ${i}`, `Nội dung ${i}.\r\n`));
    return u;
  };
  const login = async (u: User): Promise<RawImap> => {
    const c = await RawImap.connect(f.port);
    expect((await c.cmd(`LOGIN ${u.address} "${u.password}"`)).tagged).toMatch(/OK/);
    return c;
  };

  beforeAll(async () => {
    f = await imapFixture(backend);
  });
  afterAll(async () => f?.close());

  it('advertises CONDSTORE and QRESYNC and enables them with ENABLE (RFC 7162 §3.1, §3.2.3)', async () => {
    const u = await newUser(0);
    const c = await login(u);
    const caps = (await c.cmd('CAPABILITY')).untagged.join(' ');
    expect(caps).toMatch(/ CONDSTORE( |$)/);
    expect(caps).toMatch(/ QRESYNC( |$)/);
    expect((await c.cmd('ENABLE CONDSTORE QRESYNC')).untagged).toEqual(['* ENABLED CONDSTORE QRESYNC']);
    expect((await c.cmd('ENABLE QRESYNC')).untagged).toEqual(['* ENABLED']);
    c.end();
  });

  it('sends HIGHESTMODSEQ on SELECT/EXAMINE/STATUS and MODSEQ with CHANGEDSINCE on FETCH', async () => {
    const u = await newUser(3);
    const c = await login(u);
    const st = await c.cmd('STATUS INBOX (HIGHESTMODSEQ MESSAGES)');
    const statusModseq = num(st.untagged, /HIGHESTMODSEQ (\d+)/);
    expect(statusModseq).toBeGreaterThanOrEqual(4); // created at 1, then one per delivery
    const ex = await c.cmd('EXAMINE INBOX');
    expect(num(ex.untagged, /^\* OK \[HIGHESTMODSEQ (\d+)\]/)).toBe(statusModseq);
    const sel = await c.cmd('SELECT INBOX (CONDSTORE)');
    expect(sel.tagged).toMatch(/OK \[READ-WRITE\]/);
    const h0 = num(sel.untagged, /^\* OK \[HIGHESTMODSEQ (\d+)\]/);
    expect(h0).toBe(statusModseq);
    const all = await c.cmd('FETCH 1:* (MODSEQ)');
    const modseqs = all.untagged.map((l) => Number(/MODSEQ \((\d+)\)/.exec(l)![1]));
    expect(modseqs).toHaveLength(3);
    expect(Math.max(...modseqs)).toBe(h0);
    const s = await c.cmd('STORE 2 +FLAGS (\\Flagged)');
    const m2 = num(s.untagged, /^\* 2 FETCH .*MODSEQ \((\d+)\)/);
    expect(m2).toBe(h0 + 1);
    const changed = await c.cmd(`FETCH 1:* (FLAGS) (CHANGEDSINCE ${h0})`);
    expect(changed.untagged).toHaveLength(1);
    expect(changed.untagged[0]).toMatch(/^\* 2 FETCH \(FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$/);
    expect((await c.cmd(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${m2})`)).untagged).toEqual([]);
    // SELECT (CONDSTORE) again reports the new value.
    expect(num((await c.cmd('SELECT INBOX')).untagged, /HIGHESTMODSEQ (\d+)/)).toBe(m2);
    expect(num((await c.cmd('STATUS INBOX (HIGHESTMODSEQ)')).untagged, /HIGHESTMODSEQ (\d+)/)).toBe(m2);
    c.end();
  });

  it('answers STORE UNCHANGEDSINCE with [MODIFIED] and sends MODSEQ even with .SILENT (§3.1.3)', async () => {
    const u = await newUser(3);
    const c = await login(u);
    const h0 = num((await c.cmd('SELECT INBOX')).untagged, /HIGHESTMODSEQ (\d+)/);
    await c.cmd('STORE 1 +FLAGS.SILENT (\\Answered)'); // CONDSTORE not yet on: nothing comes back
    const m1 = h0 + 1;
    const r = await c.cmd(`STORE 1:3 (UNCHANGEDSINCE ${h0}) +FLAGS.SILENT (\\Seen)`);
    expect(r.tagged).toMatch(/^t\d+ OK \[MODIFIED 1\] /);
    // RFC 7162 §3.1: each STORE command gets its own mod-sequence, shared by the messages it changes.
    expect(r.untagged).toEqual([
      `* 2 FETCH (UID 2 MODSEQ (${m1 + 1}))`,
      `* 3 FETCH (UID 3 MODSEQ (${m1 + 1}))`,
    ]);
    const uid = await c.cmd(`UID STORE 1:3 (UNCHANGEDSINCE ${m1}) FLAGS (\\Draft)`);
    expect(uid.tagged).toMatch(/OK \[MODIFIED 2:3\]/);
    expect(uid.untagged).toEqual([`* 1 FETCH (FLAGS (\\Draft) UID 1 MODSEQ (${m1 + 2}))`]);
    // RFC 7162 §3.1.3: UNCHANGEDSINCE 0 always fails for a message that exists.
    expect((await c.cmd('STORE 1 (UNCHANGEDSINCE 0) +FLAGS (\\Flagged)')).tagged).toMatch(/\[MODIFIED 1\]/);
    expect((await c.cmd('FETCH 1 (FLAGS)')).untagged[0]).not.toMatch(/Flagged/);
    c.end();
  });

  it('answers SEARCH MODSEQ with the highest modseq of the result (§3.1.5), also in ESEARCH', async () => {
    const u = await newUser(4);
    const c = await login(u);
    const h0 = num((await c.cmd('SELECT INBOX')).untagged, /HIGHESTMODSEQ (\d+)/);
    await c.cmd('STORE 2 +FLAGS (\\Flagged)');
    await c.cmd('STORE 4 +FLAGS (\\Flagged)');
    expect((await c.cmd(`SEARCH MODSEQ ${h0 + 1}`)).untagged).toEqual([`* SEARCH 2 4 (MODSEQ ${h0 + 2})`]);
    expect((await c.cmd(`UID SEARCH MODSEQ ${h0 + 2}`)).untagged).toEqual([`* SEARCH 4 (MODSEQ ${h0 + 2})`]);
    expect((await c.cmd(`SEARCH MODSEQ ${h0 + 3}`)).untagged).toEqual(['* SEARCH']);
    expect((await c.cmd(`SEARCH MODSEQ "/flags/\\\\flagged" all ${h0 + 1} UNSEEN`)).untagged).toEqual([
      `* SEARCH 2 4 (MODSEQ ${h0 + 2})`,
    ]);
    const es = await c.cmd(`SEARCH RETURN (COUNT) MODSEQ ${h0 + 1}`, 'es');
    expect(es.untagged).toEqual([`* ESEARCH (TAG "es") COUNT 2 MODSEQ ${h0 + 2}`]);
    expect((await c.cmd('SEARCH 1:2')).untagged).toEqual(['* SEARCH 1 2']); // no MODSEQ key: no MODSEQ
    c.end();
  });

  it('sends other sessions’ changes with MODSEQ, and VANISHED instead of EXPUNGE under QRESYNC', async () => {
    const u = await newUser(5);
    const a = await login(u);
    const b = await login(u);
    expect((await a.cmd('ENABLE QRESYNC')).untagged).toEqual(['* ENABLED QRESYNC']);
    await a.cmd('SELECT INBOX');
    await b.cmd('SELECT INBOX');
    const plain = await login(u); // neither CONDSTORE nor QRESYNC
    await plain.cmd('SELECT INBOX');
    await b.cmd('STORE 1 +FLAGS.SILENT (\\Flagged)');
    await b.cmd('STORE 2,4 +FLAGS.SILENT (\\Deleted)');
    await b.cmd('EXPUNGE');
    const na = await a.cmd('NOOP');
    expect(na.untagged).toContain('* VANISHED 2,4');
    expect(na.untagged.some((l) => /EXPUNGE/.test(l))).toBe(false);
    expect(na.untagged.find((l) => /^\* 1 FETCH/.test(l))).toMatch(
      /^\* 1 FETCH \(UID 1 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$/,
    );
    const np = await plain.cmd('NOOP');
    expect(np.untagged).toEqual(expect.arrayContaining(['* 4 EXPUNGE', '* 2 EXPUNGE']));
    expect(np.untagged.find((l) => /FETCH/.test(l))).toBe('* 1 FETCH (UID 1 FLAGS (\\Flagged))');
    // Its own EXPUNGE under QRESYNC: VANISHED of the UIDs (RFC 7162 §3.2.10); numbers shift as usual.
    await a.cmd('STORE 2 +FLAGS.SILENT (\\Deleted)'); // sequence 2 is UID 3 now
    const ex = await a.cmd('EXPUNGE');
    expect(ex.untagged).toEqual(['* VANISHED 3']);
    const mv = await a.cmd('MOVE 1 Archive');
    expect(mv.untagged.filter((l) => !l.startsWith('* OK [COPYUID'))).toEqual(['* VANISHED 1']);
    expect((await a.cmd('FETCH 1 (UID)')).untagged).toEqual(['* 1 FETCH (UID 5)']);
    a.end();
    b.end();
    plain.end();
  });

  it('tells a waiting expunge by a lower HIGHESTMODSEQ while FETCH sends MODSEQ (§3.2)', async () => {
    const u = await newUser(3);
    const a = await login(u);
    const b = await login(u);
    await a.cmd('ENABLE CONDSTORE');
    await a.cmd('SELECT INBOX');
    await b.cmd('SELECT INBOX');
    await b.cmd('STORE 3 +FLAGS.SILENT (\\Deleted)');
    const e = await b.cmd('EXPUNGE');
    expect(e.untagged).toEqual(['* 3 EXPUNGE']);
    const expungeModseq = num((await b.cmd('STATUS INBOX (HIGHESTMODSEQ)')).untagged, /HIGHESTMODSEQ (\d+)/);
    const r = await a.cmd('FETCH 1:2 (MODSEQ)');
    expect(r.untagged).toContain(`* OK [HIGHESTMODSEQ ${expungeModseq - 1}] Expunges pending`);
    expect(r.untagged.some((l) => /EXPUNGE/.test(l))).toBe(false);
    expect((await a.cmd('NOOP')).untagged).toEqual(['* 3 EXPUNGE']);
    a.end();
    b.end();
  });

  it('resynchronises with SELECT (QRESYNC …): VANISHED (EARLIER) and changed flags only (§3.2.5)', async () => {
    const u = await newUser(8);
    const c = await login(u);
    await c.cmd('ENABLE QRESYNC');
    const sel = await c.cmd('SELECT INBOX');
    const validity = num(sel.untagged, /UIDVALIDITY (\d+)/);
    const h0 = num(sel.untagged, /HIGHESTMODSEQ (\d+)/);
    await c.cmd('STORE 2,7 +FLAGS.SILENT (\\Flagged)');
    await c.cmd('STORE 3,5,8 +FLAGS.SILENT (\\Deleted)');
    await c.cmd('EXPUNGE');
    await c.cmd('UNSELECT');
    const r = await c.cmd(`SELECT INBOX (QRESYNC (${validity} ${h0}))`);
    expect(r.tagged).toMatch(/OK/);
    expect(r.untagged).toContain('* 5 EXISTS');
    const vanished = r.untagged.filter((l) => l.startsWith('* VANISHED'));
    expect(vanished).toEqual(['* VANISHED (EARLIER) 3,5,8']);
    const fetches = r.untagged.filter((l) => / FETCH /.test(l));
    expect(fetches).toHaveLength(2);
    expect(fetches[0]).toMatch(/^\* 2 FETCH \(UID 2 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$/);
    expect(fetches[1]).toMatch(/^\* 5 FETCH \(UID 7 FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$/);
    // VANISHED comes before the FETCH responses.
    expect(r.untagged.indexOf(vanished[0]!)).toBeLessThan(r.untagged.indexOf(fetches[0]!));
    // Known UIDs narrow both answers; seq-match data of the right shape is accepted.
    const k = await c.cmd(`EXAMINE INBOX (QRESYNC (${validity} ${h0} 1:4 (1:2 1:2)))`);
    expect(k.untagged.filter((l) => l.startsWith('* VANISHED'))).toEqual(['* VANISHED (EARLIER) 3']);
    expect(k.untagged.filter((l) => / FETCH /.test(l))).toHaveLength(1);
    // Up to date: nothing but the usual answer.
    const h1 = num(k.untagged, /HIGHESTMODSEQ (\d+)/);
    const same = await c.cmd(`SELECT INBOX (QRESYNC (${validity} ${h1}))`);
    expect(same.untagged.filter((l) => /VANISHED| FETCH /.test(l))).toEqual([]);
    // Another UIDVALIDITY: the parameters are ignored (§3.2.5.1).
    const other = await c.cmd(`SELECT INBOX (QRESYNC (${validity + 1} ${h0}))`);
    expect(other.tagged).toMatch(/OK/);
    expect(other.untagged.filter((l) => /VANISHED| FETCH /.test(l))).toEqual([]);
    c.end();
  });

  it('answers UID FETCH … (CHANGEDSINCE n VANISHED) with VANISHED (EARLIER) first (§3.2.6)', async () => {
    const u = await newUser(6);
    const c = await login(u);
    await c.cmd('ENABLE QRESYNC');
    const h0 = num((await c.cmd('SELECT INBOX')).untagged, /HIGHESTMODSEQ (\d+)/);
    await c.cmd('UID STORE 1,6 +FLAGS.SILENT (\\Deleted)');
    await c.cmd('UID EXPUNGE 1,6');
    await c.cmd('UID STORE 3 +FLAGS.SILENT (\\Seen)');
    const r = await c.cmd(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${h0} VANISHED)`);
    expect(r.untagged[0]).toBe('* VANISHED (EARLIER) 1,6');
    expect(r.untagged.slice(1)).toHaveLength(1);
    expect(r.untagged[1]).toMatch(/^\* 2 FETCH \(FLAGS \(\\Seen\) UID 3 MODSEQ \(\d+\)\)$/);
    const narrow = await c.cmd(`UID FETCH 2:5 (FLAGS) (CHANGEDSINCE ${h0} VANISHED)`);
    expect(narrow.untagged.filter((l) => l.startsWith('* VANISHED'))).toEqual([]);
    c.end();
  });

  it('refuses QRESYNC misuse with BAD', async () => {
    const u = await newUser(2);
    const c = await login(u);
    await c.cmd('ENABLE CONDSTORE');
    const sel = await c.cmd('SELECT INBOX');
    const validity = num(sel.untagged, /UIDVALIDITY (\d+)/);
    // QRESYNC parameter and VANISHED modifier before ENABLE QRESYNC (RFC 7162 §3.2.5, §3.2.6).
    expect((await c.cmd(`SELECT INBOX (QRESYNC (${validity} 1))`)).tagged).toMatch(/^t\d+ BAD /);
    expect((await c.cmd('UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)')).tagged).toMatch(/^t\d+ BAD /);
    // VANISHED needs UID FETCH and CHANGEDSINCE (the codec's grammar).
    expect((await c.cmd('FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)')).tagged).toMatch(/^t\d+ BAD /);
    await c.cmd('UNSELECT');
    await c.cmd('ENABLE QRESYNC');
    // seq-match data whose two sets differ in size, and `*` in known UIDs.
    expect((await c.cmd(`SELECT INBOX (QRESYNC (${validity} 1 1:2 (1:2 1:3)))`)).tagged).toMatch(/BAD/);
    expect((await c.cmd(`SELECT INBOX (QRESYNC (${validity} 1 1:*))`)).tagged).toMatch(/BAD/);
    expect((await c.cmd(`SELECT INBOX (QRESYNC (${validity} 0))`)).tagged).toMatch(/BAD/);
    expect((await c.cmd(`SELECT INBOX (QRESYNC (${validity} 1))`)).tagged).toMatch(/OK/);
    c.end();
  });

  it('resynchronises imapflow after an absence: exactly the vanished and the changed messages', async () => {
    const u = await newUser(10);
    const connect = async (): Promise<ImapFlow> => {
      const c = new ImapFlow({
        host: '127.0.0.1',
        port: f.tlsPort,
        secure: true,
        tls: { rejectUnauthorized: false },
        auth: { user: u.address, pass: u.password },
        logger: false,
        qresync: true,
      });
      c.on('error', () => undefined);
      await c.connect();
      return c;
    };
    // First visit: a full sync; the client keeps UIDVALIDITY and HIGHESTMODSEQ.
    const first = await connect();
    const box = await first.mailboxOpen('INBOX');
    expect(first.enabled.has('QRESYNC')).toBe(true);
    const cache = new Map<number, string[]>();
    for await (const m of first.fetch('1:*', { uid: true, flags: true }))
      cache.set(m.uid, [...(m.flags ?? [])]);
    expect(cache.size).toBe(10);
    const uidValidity = box.uidValidity;
    const highestModseq = box.highestModseq!;
    await first.logout();

    // Meanwhile another client flags 2 and 9, expunges 4, 5 and 10, and new mail arrives.
    const other = await login(u);
    await other.cmd('SELECT INBOX');
    await other.cmd('UID STORE 2,9 +FLAGS (\\Flagged)');
    await other.cmd('UID STORE 4,5,10 +FLAGS (\\Deleted)');
    await other.cmd('UID EXPUNGE 4,5,10');
    other.end();
    await f.deliver(u.id, message('Thư mới', 'Mới.\r\n'));

    const again = await connect();
    const vanished: number[] = [];
    const flagged = new Map<number, string[]>();
    again.on('expunge', (e: { uid?: number; vanished: boolean; earlier?: boolean }) => {
      if (e.vanished && e.earlier && e.uid) vanished.push(e.uid);
    });
    again.on('flags', (e: { uid?: number; flags: Set<string> }) => {
      if (e.uid) flagged.set(e.uid, [...e.flags]);
    });
    const reopened = await again.mailboxOpen('INBOX', { uidValidity, changedSince: highestModseq });
    expect(vanished.sort((a, b) => a - b)).toEqual([4, 5, 10]);
    // The flags changed on 2 and 9, and the new message 11 is newer than the client's modseq too.
    expect([...flagged.keys()].sort((a, b) => a - b)).toEqual([2, 9, 11]);
    expect(flagged.get(2)).toContain('\\Flagged');
    expect(reopened.highestModseq! > highestModseq).toBe(true);
    expect(reopened.exists).toBe(8);
    // The new message is found through CHANGEDSINCE too, with nothing else.
    const since: number[] = [];
    for await (const m of again.fetch(
      '1:*',
      { uid: true, flags: true },
      { uid: true, changedSince: highestModseq },
    ))
      since.push(m.uid);
    expect(since.sort((a, b) => a - b)).toEqual([2, 9, 11]);
    await again.logout();
  });
});

describe.each(backends)('UIDNEXT and HIGHESTMODSEQ across a restart (IMAP-13, %s)', (backend) => {
  it('never go backwards when the store is closed and opened again', async () => {
    const fx = await systemFixture(backend, {
      ...NO_THROTTLE,
      listen: ['127.0.0.1'],
      ports: { imap: 0, imaps: 0 },
    });
    const log = createLogger({ level: 'silent' });
    const u = await fx.user('Lê Văn Cường');
    let system = fx.system;
    const reopen = async (): Promise<void> => {
      await system.close();
      system = await openSystem(fx.config);
    };
    try {
      const deliver = (s: string) =>
        system.ingest.ingest({
          content: Buffer.from(message(s, 'x\r\n').replace(/\r?\n/g, '\r\n')),
          deliveries: [{ accountId: u.id }],
          source: 'smtp',
          quota: 'checked-before',
        });
      for (let i = 0; i < 4; i++) await deliver(`Thư ${i}`);
      const state = async (): Promise<{ uidNext: number; modseq: number; validity: number }> => {
        const services = await startImapService({ system, tls: fx.tls, log });
        try {
          const port = services.find((s) => s.mode === 'starttls')!.address.port;
          const c = await RawImap.connect(port);
          await c.cmd(`LOGIN ${u.address} "${u.password}"`);
          const st = await c.cmd('STATUS INBOX (UIDNEXT HIGHESTMODSEQ UIDVALIDITY)');
          c.end();
          return {
            uidNext: num(st.untagged, /UIDNEXT (\d+)/),
            modseq: num(st.untagged, /HIGHESTMODSEQ (\d+)/),
            validity: num(st.untagged, /UIDVALIDITY (\d+)/),
          };
        } finally {
          for (const s of services) await s.stop();
        }
      };
      // Expunge the highest messages: their UIDs and modseqs must not come back.
      const services = await startImapService({ system, tls: fx.tls, log });
      const port = services.find((s) => s.mode === 'starttls')!.address.port;
      const c = await RawImap.connect(port);
      await c.cmd(`LOGIN ${u.address} "${u.password}"`);
      await c.cmd('SELECT INBOX');
      await c.cmd('UID STORE 3:4 +FLAGS (\\Deleted)');
      await c.cmd('EXPUNGE');
      c.end();
      for (const s of services) await s.stop();
      const before = await state();
      expect(before.uidNext).toBe(5);
      await reopen();
      const after = await state();
      expect(after).toEqual(before);
      const r = await deliver('Sau khi mở lại');
      expect(r.delivered[0]!.uid).toBe(5);
      const later = await state();
      expect(later.uidNext).toBe(6);
      expect(later.modseq).toBeGreaterThan(before.modseq);
      expect(later.validity).toBe(before.validity);
    } finally {
      await system.close();
      await fx.backend.cleanup();
    }
  });
});
