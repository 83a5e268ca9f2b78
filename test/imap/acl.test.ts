/**
 * Delegated agency mailboxes over IMAP (Điều 10.1; RFC 4314 ACL, RFC 2342 NAMESPACE), on every
 * backend, over real sockets: the whole rights matrix (no grant, `read` "lrs", `manage`
 * "lrswikxte") × every command that touches a folder; "no grant" answers byte for byte as a
 * mailbox that does not exist; a revocation ends a selected session at its next command (and
 * during IDLE); a rights change applies to the next command; imapflow opens the shared INBOX and
 * reads a message; the access and the audit event `delegation.use` are recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { operator } from '../support/system.ts';
import { imapFixture, message, RawImap, type ImapFixture } from './support.ts';
import { listAudit } from '../../src/store/index.ts';
import { resolveAccount } from '../../src/directory/index.ts';

const backends = await availableBackends();

const AGENCY = 'sokhcn@quangtri.gov.vn';
const SH = `Shared/${AGENCY}`;
const INBOX = `${SH}/INBOX`;
const MISSING_SH = 'Shared/khongco@quangtri.gov.vn';
type Preset = 'none' | 'read' | 'manage';
type User = { address: string; id: string; password: string };

describe.each(backends)('IMAP ACL and shared namespace (%s)', (backend) => {
  let f: ImapFixture;
  let agencyId: string;
  const users = {} as Record<Preset, User>;
  let other: User; // an ordinary colleague with no delegation, to compare LIST with

  const login = async (u: User): Promise<RawImap> => {
    const c = await RawImap.connect(f.port);
    const r = await c.cmd(`LOGIN ${u.address} "${u.password}"`);
    expect(r.tagged).toMatch(/OK/);
    return c;
  };
  const grant = (u: User, rights: 'read' | 'manage', sendAs = false) =>
    f.fx.system.directory.delegations.grant(operator, AGENCY, u.address, { rights, sendAs });
  const deliverAgency = (subject: string) => f.deliver(agencyId, message(subject, `${subject}.\r\n`));

  /** One command's answer as text, with the tag fixed so two answers can be compared byte for byte. */
  const answer = async (c: RawImap, command: string): Promise<string> => {
    const r = await c.cmd(command, 'x');
    return [...r.untagged, r.tagged].join('\r\n');
  };

  beforeAll(async () => {
    f = await imapFixture(backend);
    for (const p of ['none', 'read', 'manage'] as Preset[]) users[p] = await f.fx.user(`Người ${p}`);
    other = await f.fx.user('Đồng Nghiệp');
    agencyId = (await resolveAccount(f.fx.system.store.db, f.fx.system.directory.ctx.settings, AGENCY))!.id;
    await grant(users.read, 'read');
    await grant(users.manage, 'manage');
    await deliverAgency('Công văn một');
    await deliverAgency('Công văn hai');
  });
  afterAll(async () => f?.close());

  it('advertises ACL and RIGHTS=texk, and the shared namespace', async () => {
    const c = await login(users.none);
    const caps = (await c.cmd('CAPABILITY')).untagged.join(' ').split(' ');
    expect(caps).toContain('ACL');
    expect(caps).toContain('RIGHTS=texk');
    expect((await c.cmd('NAMESPACE')).untagged).toEqual(['* NAMESPACE (("" "/")) NIL (("Shared/" "/"))']);
    c.end();
  });

  it('LIST and LSUB show the delegated mailbox only to its delegates, without special-use', async () => {
    const names = async (u: User, cmd: string): Promise<string[]> => {
      const c = await login(u);
      const r = await c.cmd(cmd);
      c.end();
      return r.untagged;
    };
    const baseline = await names(other, 'LIST "" "*"');
    expect(await names(users.none, 'LIST "" "*"')).toEqual(baseline);
    expect(await names(users.none, 'LSUB "" "*"')).toEqual(await names(other, 'LSUB "" "*"'));
    for (const p of ['read', 'manage'] as const) {
      const list = await names(users[p], 'LIST "" "*"');
      expect(list).toContain('* LIST (\\Noselect \\HasChildren) "/" Shared');
      expect(list).toContain(`* LIST (\\Noselect \\HasChildren) "/" ${SH}`);
      expect(list).toContain(`* LIST (\\HasNoChildren) "/" ${INBOX}`);
      expect(list).toContain(`* LIST (\\HasNoChildren) "/" ${SH}/Sent`); // no \Sent attribute
      expect(list.filter((l) => !l.includes('Shared'))).toEqual(baseline);
      const lsub = await names(users[p], 'LSUB "" "Shared/*"');
      expect(lsub).toContain(`* LSUB (\\HasNoChildren) "/" ${INBOX}`);
      const status = await names(users[p], `LIST "" "${INBOX}" RETURN (STATUS (MESSAGES))`);
      expect(status.some((l) => l.startsWith(`* STATUS ${INBOX} (MESSAGES `))).toBe(true);
    }
  });

  it('without a grant every command answers exactly as for a mailbox that does not exist', async () => {
    await f.deliver(users.none.id, message('Riêng', 'Riêng.\r\n'));
    const c = await login(users.none);
    await c.cmd('SELECT INBOX');
    const commands = (mb: string): string[] => [
      `STATUS "${mb}/INBOX" (MESSAGES)`,
      `SELECT "${mb}/INBOX"`,
      `EXAMINE "${mb}/INBOX"`,
      `APPEND "${mb}/INBOX" {3+}\r\nx\r\n`,
      `COPY 1 "${mb}/INBOX"`,
      `MOVE 1 "${mb}/INBOX"`,
      `CREATE "${mb}/Moi"`,
      `DELETE "${mb}/Sent"`,
      `RENAME "${mb}/Sent" "${mb}/Gui"`,
      `RENAME "${mb}/Sent" "Gui"`,
      `SUBSCRIBE "${mb}/INBOX"`,
      `UNSUBSCRIBE "${mb}/INBOX"`,
      `GETACL "${mb}/INBOX"`,
      `MYRIGHTS "${mb}/INBOX"`,
      `LISTRIGHTS "${mb}/INBOX" ${users.none.address}`,
      `SETACL "${mb}/INBOX" ${users.none.address} +lrs`,
      `DELETEACL "${mb}/INBOX" ${users.none.address}`,
      `GETQUOTAROOT "${mb}/INBOX"`,
      `GETQUOTA "${mb}"`,
      `LIST "" "${mb}/*"`,
      `LIST "" "${mb}"`,
    ];
    const existing = commands(SH);
    const missing = commands(MISSING_SH);
    for (let i = 0; i < existing.length; i++) {
      await c.cmd('SELECT INBOX'); // the same session state before each of the two
      const a = (await answer(c, existing[i]!)).replaceAll(SH, '@');
      await c.cmd('SELECT INBOX');
      const b = (await answer(c, missing[i]!)).replaceAll(MISSING_SH, '@');
      expect(a, existing[i]).toBe(b);
      if (!/^(LIST|SUBSCRIBE|UNSUBSCRIBE)/.test(existing[i]!)) expect(a, existing[i]).toMatch(/^x NO /m);
    }
    // The agency mailbox is untouched by all of that.
    const owner = await f.fx.system.store.db
      .selectFrom('folders')
      .select('name')
      .where('account_id', '=', agencyId)
      .execute();
    expect(owner.map((r) => r.name).sort()).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
    c.end();
  });

  it('read ("lrs"): look, read and keep \\Seen; everything else NO [NOPERM]', async () => {
    const c = await login(users.read);
    expect((await c.cmd(`STATUS "${INBOX}" (MESSAGES UNSEEN)`)).untagged[0]).toMatch(
      /^\* STATUS .*INBOX \(MESSAGES \d+ UNSEEN \d+\)/,
    );
    expect((await c.cmd(`MYRIGHTS "${INBOX}"`)).untagged).toEqual([`* MYRIGHTS ${INBOX} lrs`]);
    for (const cmd of [
      `GETACL "${INBOX}"`,
      `LISTRIGHTS "${INBOX}" ${users.read.address}`,
      `SETACL "${INBOX}" ${users.read.address} +w`,
      `DELETEACL "${INBOX}" ${users.read.address}`,
      `APPEND "${INBOX}" {3+}\r\nx\r\n`,
      `CREATE "${SH}/Moi"`,
      `DELETE "${SH}/Archive"`,
      `RENAME "${SH}/Archive" "${SH}/Luu"`,
    ])
      expect((await c.cmd(cmd)).tagged, cmd).toMatch(/^t\d+ NO \[NOPERM\]/);
    const ex = await c.cmd(`EXAMINE "${INBOX}"`);
    expect(ex.tagged).toMatch(/OK \[READ-ONLY\]/);
    const sel = await c.cmd(`SELECT "${INBOX}"`);
    expect(sel.tagged).toMatch(/OK \[READ-WRITE\]/);
    expect(sel.untagged).toContain('* OK [PERMANENTFLAGS (\\Seen)] Flags permitted');
    expect(sel.untagged.some((l) => /^\* LIST/.test(l) || /^\* \d+ EXISTS/.test(l))).toBe(true);
    const fetched = await c.cmd('FETCH 1 (FLAGS BODY[HEADER.FIELDS (SUBJECT)])');
    expect(fetched.tagged).toMatch(/OK/);
    expect(fetched.untagged.join('\n')).toContain('Subject:');
    expect(fetched.untagged.join('\n')).toContain('\\Seen'); // kept: right "s"
    expect((await c.cmd('SEARCH ALL')).tagged).toMatch(/OK/);
    expect((await c.cmd('STORE 1 -FLAGS (\\Seen)')).tagged).toMatch(/OK/);
    expect((await c.cmd('STORE 1 +FLAGS (\\Flagged)')).tagged).toMatch(/NO \[NOPERM\]/);
    expect((await c.cmd('STORE 1 +FLAGS (\\Deleted)')).tagged).toMatch(/NO \[NOPERM\]/);
    // Mixed: the flags it may change are changed, the others left alone (RFC 4314 §4).
    const mixed = await c.cmd('STORE 1 +FLAGS (\\Seen \\Flagged)');
    expect(mixed.tagged).toMatch(/OK/);
    expect(mixed.untagged.join(' ')).not.toContain('\\Flagged');
    expect((await c.cmd('STORE 1 FLAGS (\\Answered)')).tagged).toMatch(/OK/); // only \Seen taken away
    expect((await c.cmd('FETCH 1 FLAGS')).untagged[0]).toMatch(/FLAGS \(\)/);
    expect((await c.cmd('EXPUNGE')).tagged).toMatch(/NO \[NOPERM\]/);
    expect((await c.cmd('UID EXPUNGE 1:*')).tagged).toMatch(/NO \[NOPERM\]/);
    expect((await c.cmd('MOVE 1 INBOX')).tagged).toMatch(/NO \[NOPERM\]/);
    // COPY out of it into the delegate's own mailbox: "r" is enough there.
    expect((await c.cmd('COPY 1 INBOX')).tagged).toMatch(/OK \[COPYUID/);
    // COPY into it: needs "i".
    await c.cmd('SELECT INBOX');
    expect((await c.cmd(`COPY 1 "${INBOX}"`)).tagged).toMatch(/NO \[NOPERM\]/);
    c.end();
  });

  it('manage ("lrswikxte"): file, flag, delete, expunge, create and remove folders', async () => {
    const uid = await deliverAgency('Công văn quản lý');
    const c = await login(users.manage);
    expect((await c.cmd(`MYRIGHTS "${INBOX}"`)).untagged).toEqual([`* MYRIGHTS ${INBOX} lrswikxte`]);
    for (const cmd of [
      `GETACL "${INBOX}"`,
      `LISTRIGHTS "${INBOX}" ${users.manage.address}`,
      `SETACL "${INBOX}" ${users.manage.address} +a`,
      `DELETEACL "${INBOX}" ${users.manage.address}`,
    ])
      expect((await c.cmd(cmd)).tagged, cmd).toMatch(/NO \[NOPERM\]/);
    expect((await c.cmd(`APPEND "${INBOX}" (\\Flagged) {14+}\r\nSubject: a\r\n\r\n`)).tagged).toMatch(
      /OK \[APPENDUID/,
    );
    expect((await c.cmd(`CREATE "${SH}/Luu tru 2026"`)).tagged).toMatch(/OK/);
    expect((await c.cmd(`CREATE "${SH}/Xoa"`)).tagged).toMatch(/OK/);
    expect((await c.cmd(`RENAME "${SH}/Xoa" "${SH}/Xoa2"`)).tagged).toMatch(/OK/);
    expect((await c.cmd(`RENAME "${SH}/Xoa2" "Xoa3"`)).tagged).toMatch(/NO \[CANNOT\]/); // not into another mailbox
    expect((await c.cmd(`DELETE "${SH}/Xoa2"`)).tagged).toMatch(/OK/);
    expect((await c.cmd(`CREATE "${SH}/Sent/Con" (USE (\\Sent))`)).tagged).toMatch(/NO \[NOPERM\]/);
    const sel = await c.cmd(`SELECT "${INBOX}"`);
    expect(sel.untagged).toContain(
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted',
    );
    expect((await c.cmd(`UID STORE ${uid} +FLAGS (\\Flagged $Da_xu_ly)`)).tagged).toMatch(/OK/);
    expect((await c.cmd(`UID MOVE ${uid} "${SH}/Luu tru 2026"`)).tagged).toMatch(/OK/);
    expect((await c.cmd('STORE 1 +FLAGS (\\Deleted)')).tagged).toMatch(/OK/);
    const ex = await c.cmd('EXPUNGE');
    expect(ex.tagged).toMatch(/OK/);
    expect(ex.untagged).toContain('* 1 EXPUNGE');
    // COPY into it from the delegate's own INBOX; MOVE out of it into the delegate's INBOX.
    await f.deliver(users.manage.id, message('Riêng', 'Riêng.\r\n'));
    await c.cmd('SELECT INBOX');
    expect((await c.cmd(`COPY 1 "${INBOX}"`)).tagged).toMatch(/OK \[COPYUID/);
    await c.cmd(`SELECT "${INBOX}"`);
    const before = await f.fx.system.store.db
      .selectFrom('accounts')
      .select(['id', 'used_bytes'])
      .where('id', 'in', [agencyId, users.manage.id])
      .execute();
    expect((await c.cmd('MOVE 1 INBOX')).tagged).toMatch(/OK/);
    const after = await f.fx.system.store.db
      .selectFrom('accounts')
      .select(['id', 'used_bytes'])
      .where('id', 'in', [agencyId, users.manage.id])
      .execute();
    const used = (rows: typeof before, id: string) => Number(rows.find((r) => r.id === id)!.used_bytes);
    // The bytes moved with the message from the agency's quota to the delegate's.
    expect(used(after, agencyId)).toBeLessThan(used(before, agencyId));
    expect(used(after, users.manage.id) - used(before, users.manage.id)).toBe(
      used(before, agencyId) - used(after, agencyId),
    );
    expect((await c.cmd(`GETQUOTAROOT "${INBOX}"`)).untagged[0]).toBe(`* QUOTAROOT ${INBOX} "${SH}"`);
    c.end();
  });

  it('the owner sees its delegates in GETACL; SETACL is refused even to the owner', async () => {
    const c = await login(users.read);
    expect((await c.cmd('GETACL INBOX')).untagged).toEqual([`* ACL INBOX ${users.read.address} lrswipkxtea`]);
    expect((await c.cmd(`LISTRIGHTS INBOX ${users.read.address}`)).untagged).toEqual([
      `* LISTRIGHTS INBOX ${users.read.address} lrswipkxtea`,
    ]);
    expect((await c.cmd(`LISTRIGHTS INBOX ${other.address}`)).untagged).toEqual([
      `* LISTRIGHTS INBOX ${other.address} ""`,
    ]);
    expect((await c.cmd(`SETACL INBOX ${other.address} lrs`)).tagged).toMatch(/NO \[NOPERM\]/);
    expect((await c.cmd(`DELETEACL INBOX ${other.address}`)).tagged).toMatch(/NO \[NOPERM\]/);
    expect((await c.cmd('CREATE Shared')).tagged).toMatch(/NO \[CANNOT\]/); // the namespace is reserved
    expect((await c.cmd('CREATE shared/x')).tagged).toMatch(/NO \[CANNOT\]/);
    c.end();
    const acl = await f.fx.system.directory.delegations.list(operator, { mailbox: AGENCY });
    expect(acl.map((d) => [d.delegate.address, d.acl]).sort()).toEqual(
      [
        [users.manage.address, 'lrswikxte'],
        [users.read.address, 'lrs'],
      ].sort(),
    );
  });

  it('records the access and audits delegation.use once per session', async () => {
    const c = await login(users.read);
    await c.cmd(`EXAMINE "${INBOX}"`);
    await c.cmd(`SELECT "${INBOX}"`);
    c.end();
    const uses = await listAudit(f.fx.system.store.db, { action: 'delegation.use', targetId: agencyId });
    expect(uses.filter((u) => u.actor === users.read.id).length).toBeGreaterThanOrEqual(1);
    const byThisSession = uses.filter((u) => u.actor === users.read.id);
    expect(byThisSession[0]!.details).toMatchObject({ mailbox: AGENCY, protocol: 'imap', folder: 'INBOX' });
    const access = await f.fx.system.store.db
      .selectFrom('access_events')
      .selectAll()
      .where('account_id', '=', users.read.id)
      .where('mailbox_id', '=', agencyId)
      .execute();
    expect(access.length).toBeGreaterThanOrEqual(2);
    // Two SELECTs in one session: one audit event for that session.
    const n = (await listAudit(f.fx.system.store.db, { action: 'delegation.use', targetId: agencyId }))
      .length;
    const d = await login(users.read);
    await d.cmd(`SELECT "${INBOX}"`);
    await d.cmd(`SELECT "${INBOX}"`);
    d.end();
    expect(
      (await listAudit(f.fx.system.store.db, { action: 'delegation.use', targetId: agencyId })).length,
    ).toBe(n + 1);
  });

  it('a revocation takes effect on the next command of an open session', async () => {
    const u = await f.fx.user('Người tạm');
    await f.fx.system.directory.delegations.grant(operator, AGENCY, u.address, { rights: 'manage' });
    const a = await login(u); // will have the shared INBOX selected
    const b = await login(u); // only authenticated
    expect((await a.cmd(`SELECT "${INBOX}"`)).tagged).toMatch(/OK/);
    expect((await a.cmd('FETCH 1 FLAGS')).tagged).toMatch(/OK/);
    expect((await b.cmd(`STATUS "${INBOX}" (MESSAGES)`)).tagged).toMatch(/OK/);
    // Rights reduced to read: the next STORE \Flagged is refused, the session stays.
    await f.fx.system.directory.delegations.grant(operator, AGENCY, u.address, { rights: 'read' });
    expect((await a.cmd('STORE 1 +FLAGS (\\Flagged)')).tagged).toMatch(/NO \[NOPERM\]/);
    await f.fx.system.directory.delegations.revoke(operator, AGENCY, u.address);
    a.send('r1 FETCH 1 FLAGS\r\n');
    expect(await a.line()).toMatch(/^\* BYE .*revoked/);
    await a.waitClosed();
    expect((await b.cmd(`STATUS "${INBOX}" (MESSAGES)`)).tagged).toMatch(/NO \[NONEXISTENT\]/);
    expect((await b.cmd('LIST "" "Shared*"')).untagged).toEqual([]);
    b.end();
  });

  it('a revocation ends IDLE on the shared INBOX when the next change comes', async () => {
    const u = await f.fx.user('Người chờ');
    await f.fx.system.directory.delegations.grant(operator, AGENCY, u.address, { rights: 'read' });
    const c = await login(u);
    await c.cmd(`SELECT "${INBOX}"`);
    c.send('i1 IDLE\r\n');
    expect(await c.line()).toMatch(/^\+ /);
    await deliverAgency('Trong khi chờ');
    expect(await c.line()).toMatch(/^\* \d+ EXISTS/); // the owner's changes reach the delegate
    expect(await c.line()).toBe('* 0 RECENT'); // IMAP4rev1 session
    await f.fx.system.directory.delegations.revoke(operator, AGENCY, u.address);
    await deliverAgency('Sau khi thu hồi');
    expect(await c.line()).toMatch(/^\* BYE/);
    await c.waitClosed();
  });

  it('suspending the delegate revokes its delegation (audited as delegation.auto-revoke)', async () => {
    const u = await f.fx.user('Người bị khóa');
    await f.fx.system.directory.delegations.grant(operator, AGENCY, u.address, { rights: 'read' });
    await f.fx.system.directory.admin.suspend(operator, u.address, { reason: 'other' });
    expect(await f.fx.system.directory.delegations.list(operator, { delegate: u.address })).toEqual([]);
    const auto = await listAudit(f.fx.system.store.db, {
      action: 'delegation.auto-revoke',
      targetId: agencyId,
    });
    expect(auto.some((a) => (a.details as { delegate: string }).delegate === u.address)).toBe(true);
  });

  it('imapflow opens the shared INBOX and reads a message', async () => {
    await deliverAgency('Công văn cho imapflow');
    const c = await f.client(users.read.address, users.read.password);
    const boxes = await c.list();
    expect(boxes.map((b) => b.path)).toContain(INBOX);
    const lock = await c.getMailboxLock(INBOX);
    try {
      const all = await c.fetchAll('1:*', { envelope: true, source: true, uid: true });
      const msg = all.find((m) => m.envelope?.subject === 'Công văn cho imapflow');
      expect(msg?.source?.toString()).toContain('Công văn cho imapflow.');
    } finally {
      lock.release();
    }
    await c.logout();
  });
});
