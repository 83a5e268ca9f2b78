// Mailbox requests (Điều 7.2, 8.3) through the governance service on both backends, with a
// simulated clock: deadlines in working days across Tết, roles (an agency administrator files for
// its own agency only and decides nothing), every kind executed on approval in the decision's
// transaction (a failure rolls everything back and consumes no letter number), numbered letters
// gap-free under concurrent decisions, letters and activation links delivered to the agency
// mailbox, one-time activation with the 72-hour expiry, scanned-file checks, reminders and
// overdue alerts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { systemFixture, operator, type SystemFixture } from '../support/system.ts';
import { HOUR_MS, MINUTE_MS, ManualClock } from '../../src/util/clock.ts';
import { isCongthuError } from '../../src/util/errors.ts';
import { resolveAccount, systemCaller, type Caller } from '../../src/directory/index.ts';
import { governanceFor, type Governance, type FileRequestInput } from '../../src/governance/index.ts';

const backends = await availableBackends();
const T0 = '2026-02-12T02:00:00Z'; // Thursday 09:00 in Quảng Trị, the last working day before Tết

export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);
export const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.alloc(64, 2),
  Buffer.from([0xff, 0xd9]),
]);

async function refusal(p: Promise<unknown>): Promise<{ kind: string; code: string; vi: string; en: string }> {
  try {
    await p;
  } catch (e) {
    if (isCongthuError(e)) return { kind: e.kind, code: e.code, vi: e.text.vi, en: e.text.en };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe.each(backends)('mailbox requests on %s', (name) => {
  let fx: SystemFixture;
  let gov: Governance;
  const clock = new ManualClock(T0);
  let adminA: Caller; // agency administrator of sotuphap
  let adminB: Caller; // agency administrator of soyte
  let auditor: Caller;
  let opAddress: string;
  const agencyA = 'sotuphap@quangtri.gov.vn';

  const basis = { number: '15/QĐ-STP', date: '2026-02-10', issuer: 'Giám đốc Sở Tư pháp' };
  const pdf = { content: PDF, type: 'application/pdf', filename: 'QĐ 15-STP.pdf' };
  const file = (caller: Caller, kind: string, details: unknown, over: Partial<FileRequestInput> = {}) =>
    gov.requests.file(caller, { agency: 'sotuphap', kind, details, basis, file: pdf, ...over });
  const decideAll = async (ref: string) => {
    await gov.requests.review(operator, ref);
    return gov.requests.approve(operator, ref);
  };
  const mails = async (address: string) => {
    const db = fx.system.store.db;
    const a = await resolveAccount(db, fx.system.directory.ctx.settings, address);
    const rows = await db
      .selectFrom('messages')
      .innerJoin('folders', 'folders.id', 'messages.folder_id')
      .innerJoin('message_meta', 'message_meta.blob_id', 'messages.blob_id')
      .select(['message_meta.subject', 'messages.blob_id'])
      .where('folders.account_id', '=', a!.id)
      .orderBy('messages.id')
      .execute();
    return Promise.all(
      rows.map(async (r) => ({
        subject: r.subject ?? '',
        raw: (await fx.system.blobs.read(r.blob_id)).toString('utf8').replace(/=\r\n/g, ''),
      })),
    );
  };
  const tokenFor = async (address: string): Promise<string> => {
    const m = (await mails(agencyA)).filter((x) => x.subject.includes(`Kích hoạt hộp thư ${address}`)).pop();
    const t = /\/activate#([A-Za-z0-9_-]{43})/.exec(m?.raw ?? '');
    if (!t) throw new Error(`no activation link for ${address}`);
    return t[1]!;
  };
  const letterNumbers = async () =>
    (await fx.system.store.db.selectFrom('request_letters').select(['year', 'seq', 'number']).execute())
      .map((l) => Number(l.seq))
      .sort((a, b) => a - b);
  const count = async (table: 'requests' | 'request_letters' | 'blobs') =>
    Number(
      (
        await fx.system.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    fx = await systemFixture(name, {}, clock);
    await fx.system.calendar.seed(); // 2026 as announced: Tết off 14/2–22/2
    gov = governanceFor(fx.system);
    const d = fx.system.directory;
    const a = await d.orgs.create(operator, { code: 'sotuphap', name: 'Sở Tư pháp', kind: 'department' });
    const b = await d.orgs.create(operator, { code: 'soyte', name: 'Sở Y tế', kind: 'department' });
    const ha = await fx.user('Trịnh Văn Đầu Mối', 'sotuphap');
    await d.admin.setRole(operator, ha.address, 'agency-admin');
    adminA = {
      principal: { accountId: ha.id, role: 'agency-admin', adminAgencyId: a.org.id },
      actor: { id: ha.id, label: ha.address },
    };
    const hb = await fx.user('Lý Thị Y Tế', 'soyte');
    await d.admin.setRole(operator, hb.address, 'agency-admin');
    adminB = {
      principal: { accountId: hb.id, role: 'agency-admin', adminAgencyId: b.org.id },
      actor: { id: hb.id, label: hb.address },
    };
    auditor = {
      principal: { accountId: 'auditor-1', role: 'auditor', adminAgencyId: null },
      actor: { id: 'auditor-1', label: 'Công an tỉnh' },
    };
    const op = await fx.user('Phạm Quản Trị');
    await d.admin.setRole(operator, op.address, 'operator');
    opAddress = op.address;
  });
  afterAll(async () => fx.close());

  it('a request received before Tết is due 5 working days later, after the holiday (3 for a restore)', async () => {
    clock.set(T0);
    const r = await file(adminA, 'create-personal', { name: 'Nguyễn Văn Mới', title: 'Chuyên viên' });
    expect(r).toMatchObject({
      ref: 'YC-2026-0001',
      kind: 'create-personal',
      state: 'filed',
      agency: { code: 'sotuphap', name: 'Sở Tư pháp' },
      receivedOn: '2026-02-12',
      deadline: '2026-02-26', // 13/2, then Tết 14–22/2, then 23, 24, 25, 26
      remindOn: '2026-02-25',
      daysLeft: 5,
      overdue: false,
      basis: { number: '15/QĐ-STP', date: '2026-02-10', type: 'application/pdf', filename: 'QĐ 15-STP.pdf' },
      filedBy: 'trinhvandaumoi@quangtri.gov.vn',
    });
    const suspended = await fx.user('Hồ Văn Khóa', 'sotuphap');
    await fx.system.directory.admin.suspend(operator, suspended.address, { reason: 'inactivity' });
    const restore = await file(adminA, 'restore', { address: suspended.address });
    expect([restore.deadline, restore.remindOn, restore.daysLeft]).toEqual(['2026-02-24', '2026-02-23', 3]);
    // During Tết the days left do not move.
    clock.set('2026-02-18T02:00:00Z');
    expect((await gov.requests.show(adminA, r.ref)).daysLeft).toBe(4);
    clock.set(T0);
    const audit = await fx.system.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'request.file')
      .where('target_id', '=', r.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe(adminA.actor.id);
  });

  it('an agency administrator files for its own agency only, and decides nothing', async () => {
    const before = [await count('requests'), await count('blobs')];
    const other = await refusal(
      gov.requests.file(adminA, {
        agency: 'soyte',
        kind: 'create-personal',
        details: { name: 'Lê Văn Khác' },
        basis,
        file: pdf,
      }),
    );
    expect([other.kind, other.code, other.vi]).toEqual([
      'forbidden',
      'forbidden',
      'Bạn không có quyền thực hiện thao tác này.',
    ]);
    const theirs = await fx.user('Đặng Thị Khác', 'soyte');
    const foreign = await refusal(file(adminA, 'delete', { address: theirs.address, reason: 'resignation' }));
    expect(foreign.code).toBe('request.other-agency');
    expect(foreign.en).toContain('an agency files requests for its own mailboxes only');
    const agency = await refusal(
      gov.requests.file(adminA, {
        kind: 'create-agency',
        details: { code: 'somoi', name: 'Sở Mới', contact: adminA.actor.label },
        basis,
        file: pdf,
      }),
    );
    expect(agency.kind).toBe('forbidden');
    expect([await count('requests'), await count('blobs')]).toEqual(before);

    const mine = (await gov.requests.list(adminA)).map((r) => r.ref);
    expect(mine).toContain('YC-2026-0001');
    expect(await gov.requests.list(adminB)).toEqual([]);
    expect((await refusal(gov.requests.show(adminB, 'YC-2026-0001'))).kind).toBe('forbidden');
    expect((await refusal(gov.requests.review(adminA, 'YC-2026-0001'))).kind).toBe('forbidden');
    expect((await refusal(gov.requests.approve(adminA, 'YC-2026-0001'))).kind).toBe('forbidden');
    expect((await refusal(gov.requests.letter(adminB, 'YC-2026-0001'))).kind).toBe('forbidden');
    // The auditor reads everything and changes nothing.
    expect((await gov.requests.list(auditor)).map((r) => r.ref)).toContain('YC-2026-0001');
    expect((await refusal(gov.requests.review(auditor, 'YC-2026-0001'))).kind).toBe('forbidden');
    expect((await refusal(gov.requests.sweep(adminA))).kind).toBe('forbidden');
    expect((await gov.requests.show(operator, 'YC-2026-0001')).state).toBe('filed');
  });

  it('approval creates the mailbox without a password; letter 1 and the activation link reach the agency mailbox', async () => {
    clock.set('2026-02-13T03:00:00Z');
    const early = await refusal(gov.requests.approve(operator, 'YC-2026-0001'));
    expect([early.code, early.en]).toEqual([
      'request.bad-transition',
      'Cannot approve a request that is not in review; take it in review first.',
    ]);
    const reviewed = await gov.requests.review(operator, 'YC-2026-0001');
    expect([reviewed.state, reviewed.reviewedBy]).toEqual(['in-review', 'root (CLI)']);
    const r = await gov.requests.approve(operator, 'YC-2026-0001');
    expect(r).toMatchObject({
      state: 'approved',
      result: { address: 'nguyenvanmoi@quangtri.gov.vn' },
      target: 'nguyenvanmoi@quangtri.gov.vn',
      letter: { number: '1/SKHCN-TTCNTT', delivered: true },
      daysLeft: null,
      overdue: false,
      decidedLate: false,
    });
    const acct = await fx.system.directory.accounts.show(operator, 'nguyenvanmoi@quangtri.gov.vn');
    expect([acct.hasPassword, acct.title, acct.org.code]).toEqual([false, 'Chuyên viên', 'sotuphap']);
    const inbox = await mails(agencyA);
    const letter = inbox.find((m) =>
      m.subject.startsWith('[1/SKHCN-TTCNTT] V/v trả lời đề nghị cấp mới hộp thư'),
    );
    expect(letter, inbox.map((m) => m.subject).join('\n')).toBeDefined();
    expect(letter!.subject).toContain('Reply to request YC-2026-0001');
    expect(letter!.raw).toContain('Content-Type: application/pdf');
    expect(letter!.raw).toContain('Content-Type: text/html');
    const activation = inbox.find(
      (m) =>
        m.subject ===
        'Kích hoạt hộp thư nguyenvanmoi@quangtri.gov.vn / Activate the mailbox nguyenvanmoi@quangtri.gov.vn',
    );
    expect(activation).toBeDefined();
    expect(activation!.raw).toMatch(/http:\/\/127\.0\.0\.1:\d+\/activate#[A-Za-z0-9_-]{43}/);
    // The activation mail goes to the agency only, never to the new (password-less) mailbox.
    expect(await mails('nguyenvanmoi@quangtri.gov.vn')).toEqual([]);
    const actions = (
      await fx.system.store.db.selectFrom('audit_events').select('action').orderBy('id').execute()
    ).map((a) => a.action);
    for (const a of ['request.review', 'request.approve', 'account.create', 'activation.issue'])
      expect(actions).toContain(a);
    const stored = await fx.system.store.db.selectFrom('activations').selectAll().execute();
    expect(stored.every((s) => /^[0-9a-f]{64}$/.test(s.token_hash))).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(await tokenFor('nguyenvanmoi@quangtri.gov.vn'));
  });

  it('the activation link shows whom it is for, refuses a weak password, and works exactly once', async () => {
    const token = await tokenFor('nguyenvanmoi@quangtri.gov.vn');
    expect(await gov.activations.inspect(token)).toMatchObject({
      address: 'nguyenvanmoi@quangtri.gov.vn',
      displayName: 'Nguyễn Văn Mới',
      kind: 'personal',
    });
    const weak = await refusal(gov.activations.activate(token, 'password'));
    expect(weak.kind).toBe('invalid');
    const bad = await refusal(gov.activations.activate('x'.repeat(43), 'Quang@Tri2026'));
    expect([bad.kind, bad.code]).toEqual(['not-found', 'activation.invalid']);
    // Two uses at once: exactly one succeeds.
    const both = await Promise.allSettled([
      gov.activations.activate(token, 'Moi@Nguoi2026'),
      gov.activations.activate(token, 'Khac@Nguoi2026'),
    ]);
    expect(both.filter((b) => b.status === 'fulfilled')).toHaveLength(1);
    const acct = await fx.system.directory.accounts.show(operator, 'nguyenvanmoi@quangtri.gov.vn');
    expect([acct.hasPassword, acct.mustChangePassword]).toEqual([true, false]);
    const again = await refusal(gov.activations.activate(token, 'Moi@Nguoi2027'));
    expect([again.code, again.vi]).toEqual([
      'activation.used',
      'Đường dẫn kích hoạt đã được sử dụng; mỗi đường dẫn chỉ dùng một lần.',
    ]);
    const used = await fx.system.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'account.activated')
      .execute();
    expect(used).toHaveLength(1);
  });

  it('an activation link expires after 72 hours', async () => {
    clock.set('2026-02-23T02:00:00Z');
    const r = await file(adminA, 'create-sub-unit', { code: 'vanphong', name: 'Văn phòng Sở Tư pháp' });
    const done = await decideAll(r.ref);
    expect(done.result).toMatchObject({
      address: 'vanphong.sotuphap@quangtri.gov.vn',
      org: 'vanphong.sotuphap',
    });
    const token = await tokenFor('vanphong.sotuphap@quangtri.gov.vn');
    clock.advance(72 * HOUR_MS - MINUTE_MS);
    expect((await gov.activations.inspect(token)).address).toBe('vanphong.sotuphap@quangtri.gov.vn');
    clock.advance(MINUTE_MS);
    const late = await refusal(gov.activations.activate(token, 'Van@Phong2026'));
    expect([late.code, late.en]).toEqual([
      'activation.expired',
      'The activation link has expired (72 hours); ask the operator for a new one.',
    ]);
    const v = await fx.system.directory.accounts.show(operator, 'vanphong.sotuphap@quangtri.gov.vn');
    expect(v.hasPassword).toBe(false);
    // The operator sends a new link (never the agency administrator); the old one stays dead.
    expect((await refusal(gov.activations.reissue(adminA, v.address))).kind).toBe('forbidden');
    const again = await gov.activations.reissue(operator, v.address);
    expect(again.recipients).toEqual([agencyA]);
    const fresh = await tokenFor(v.address);
    expect(fresh).not.toBe(token);
    await gov.activations.activate(fresh, 'Van@Phong2026');
    expect((await refusal(gov.activations.activate(token, 'Van@Phong2027'))).code).toBe(
      'activation.superseded',
    );
    expect((await refusal(gov.activations.reissue(operator, v.address))).code).toBe('activation.not-needed');
  });

  it('every kind of change executes on approval', async () => {
    clock.set('2026-03-02T02:00:00Z');
    const d = fx.system.directory;
    // change: name, title, quota, aliases, then the transfer.
    const p = await fx.user('Trần Văn Đổi', 'sotuphap');
    const change = await file(adminA, 'change', {
      address: p.address,
      name: 'Trần Văn Đổi Tên',
      title: 'Phó Chánh Văn phòng',
      quotaBytes: 3_000_000_000,
      addAliases: ['tranvandoi@quangbinh.gov.vn'],
      transferTo: 'soyte',
    });
    const changed = await decideAll(change.ref);
    expect(changed.result).toMatchObject({
      name: 'Trần Văn Đổi Tên',
      title: 'Phó Chánh Văn phòng',
      quotaBytes: 3_000_000_000,
      transferTo: 'soyte',
    });
    const v = await d.accounts.show(operator, p.address);
    expect([v.displayName, v.title, v.quotaBytes, v.org.code, v.aliases]).toEqual([
      'Trần Văn Đổi Tên',
      'Phó Chánh Văn phòng',
      3_000_000_000,
      'soyte',
      ['tranvandoi@quangbinh.gov.vn'],
    ]);
    // delete: retirement.
    const q = await fx.user('Ngô Thị Hưu', 'sotuphap');
    expect((await refusal(file(adminA, 'delete', { address: q.address, reason: 'dissolution' }))).code).toBe(
      'request.bad-delete-reason',
    );
    const del = await decideAll(
      (await file(adminA, 'delete', { address: q.address, reason: 'retirement' })).ref,
    );
    expect(del.state).toBe('approved');
    expect((await refusal(d.accounts.show(operator, q.address))).code).toBe('account.not-found');
    // restore after inactivity: the password stays.
    const s = await fx.user('Lê Văn Ngủ', 'sotuphap');
    await d.admin.suspend(operator, s.address, { reason: 'inactivity' });
    await decideAll((await file(adminA, 'restore', { address: s.address })).ref);
    expect((await d.accounts.show(operator, s.address)).state).toBe('active');
    expect(
      (
        await d.auth.authenticate({
          username: s.address,
          password: s.password,
          protocol: 'imap',
          clientIp: null,
        })
      ).status,
    ).toBe('ok');
    // restore after a compromise: the leaked password is gone; a link goes to the agency.
    const c = await fx.user('Phan Văn Lộ', 'sotuphap');
    await gov.compromise.report(operator, c.address);
    const rc = await decideAll((await file(adminA, 'restore', { address: c.address })).ref);
    expect(rc.result).toMatchObject({ address: c.address, passwordReset: true });
    const cv = await d.accounts.show(operator, c.address);
    expect([cv.state, cv.hasPassword]).toEqual(['active', false]);
    expect(
      (
        await d.auth.authenticate({
          username: c.address,
          password: c.password,
          protocol: 'imap',
          clientIp: null,
        })
      ).status,
    ).not.toBe('ok');
    await gov.activations.activate(await tokenFor(c.address), 'Moi@Matkhau2026');
    expect(
      (
        await d.auth.authenticate({
          username: c.address,
          password: 'Moi@Matkhau2026',
          protocol: 'imap',
          clientIp: null,
        })
      ).status,
    ).toBe('ok');
    // A new agency, filed by the operator from the founding decision, answered to a contact mailbox.
    const na = await gov.requests.file(operator, {
      kind: 'create-agency',
      details: {
        code: 'sonnmt',
        name: 'Sở Nông nghiệp và Môi trường',
        category: 'department',
        contact: opAddress,
      },
      basis: { number: '120/QĐ-UBND', date: '2026-02-27', issuer: 'Ủy ban nhân dân tỉnh Quảng Trị' },
      file: { content: PNG, filename: 'qd-thanh-lap.png' },
    });
    expect([na.agency, na.basis.type]).toEqual([null, 'image/png']);
    expect((await gov.requests.list(adminA)).map((r) => r.ref)).not.toContain(na.ref);
    const nad = await decideAll(na.ref);
    expect(nad.result).toMatchObject({ address: 'sonnmt@quangtri.gov.vn', org: 'sonnmt' });
    const opInbox = (await mails(opAddress)).map((m) => m.subject);
    expect(opInbox.some((s) => s.startsWith(`[${nad.letter!.number}] `))).toBe(true);
    expect(opInbox).toContain(
      'Kích hoạt hộp thư sonnmt@quangtri.gov.vn / Activate the mailbox sonnmt@quangtri.gov.vn',
    );
  });

  it('a failing approval rolls back the change and the decision, and consumes no letter number', async () => {
    const numbers = await letterNumbers();
    const r = await file(adminA, 'create-personal', { name: 'Đinh Văn Trùng', personId: '044099000123' });
    await gov.requests.review(operator, r.ref);
    // Meanwhile the same person got a mailbox another way.
    await fx.system.directory.accounts.createPersonal(operator, {
      name: 'Đinh Văn Trùng',
      orgCode: 'soyte',
      personId: '044099000123',
    });
    const accounts = await count('requests');
    const failed = await refusal(gov.requests.approve(operator, r.ref));
    expect(failed.code).toBe('account.person-has-mailbox');
    const after = await gov.requests.show(operator, r.ref);
    expect([after.state, after.letter, after.result]).toEqual(['in-review', null, null]);
    expect(await letterNumbers()).toEqual(numbers);
    expect(await count('requests')).toBe(accounts);
    expect(
      await resolveAccount(
        fx.system.store.db,
        fx.system.directory.ctx.settings,
        'dinhvantrung1@quangtri.gov.vn',
      ),
    ).toBeNull();
    // Rejected instead: the reason is required and written in the letter, whose number follows on.
    expect((await refusal(gov.requests.reject(operator, r.ref, '  '))).code).toBe('request.reason-required');
    const rej = await gov.requests.reject(operator, r.ref, 'Người này đã có hộp thư tại Sở Y tế (Điều 3.2).');
    expect(rej.state).toBe('rejected');
    expect(rej.letter!.number).toBe(`${numbers.length + 1}/SKHCN-TTCNTT`);
    const l = await gov.requests.letter(operator, r.ref);
    expect(l.html).toContain('Lý do: Người này đã có hộp thư tại Sở Y tế (Điều 3.2).');
    expect(await letterNumbers()).toEqual([...numbers, numbers.length + 1]);
  });

  it('requests in a final state accept no transition; a filer may withdraw an open one', async () => {
    const done = await refusal(gov.requests.reject(operator, 'YC-2026-0001', 'muộn'));
    expect([done.code, done.vi]).toEqual([
      'request.bad-transition',
      'Không thể từ chối đề nghị đã chấp thuận.',
    ]);
    const r = await file(adminA, 'create-personal', { name: 'Vũ Văn Rút' });
    expect((await refusal(gov.requests.withdraw(adminB, r.ref))).kind).toBe('forbidden');
    const w = await gov.requests.withdraw(adminA, r.ref, 'Nộp nhầm');
    expect([w.state, w.decisionReason, w.daysLeft, w.letter]).toEqual(['withdrawn', 'Nộp nhầm', null, null]);
    expect((await refusal(gov.requests.review(operator, r.ref))).code).toBe('request.bad-transition');
  });

  it('checks the scanned legal basis: PDF, JPEG or PNG by content, within the size limit', async () => {
    const before = [await count('requests'), await count('blobs')];
    const try_ = (content: Buffer, type?: string) =>
      refusal(
        file(
          adminA,
          'create-personal',
          { name: 'Phí Văn Tệp' },
          { file: { content, ...(type ? { type } : {}) } },
        ),
      );
    expect((await try_(Buffer.from('hello, not a scan'))).code).toBe('request.basis-bad-type');
    expect((await try_(Buffer.from('MZ\x90\x00 an executable'), 'application/pdf')).code).toBe(
      'request.basis-bad-type',
    );
    expect((await try_(PDF, 'image/png')).code).toBe('request.basis-type-mismatch');
    expect((await try_(PDF.subarray(0, 30))).code).toBe('request.basis-truncated');
    expect((await try_(Buffer.alloc(0))).code).toBe('request.basis-empty');
    const big = Buffer.concat([PDF.subarray(0, 9), Buffer.alloc(20 * 1024 * 1024), Buffer.from('\n%%EOF\n')]);
    const tooBig = await try_(big);
    expect([tooBig.code, tooBig.en]).toEqual([
      'request.basis-too-large',
      'The legal-basis file is too large: 20 MB, at most 20 MB.'.replace(
        '20 MB,',
        `${(big.length / 1024 / 1024).toFixed(1)} MB,`,
      ),
    ]);
    expect(
      (
        await refusal(
          file(
            adminA,
            'create-personal',
            { name: 'Phí Văn Tệp' },
            { basis: { ...basis, date: '2099-01-01' } },
          ),
        )
      ).code,
    ).toBe('request.bad-basis-date');
    expect((await refusal(file(adminA, 'create-personal', { name: 'Phí Văn Tệp', salary: 1 }))).code).toBe(
      'request.bad-details',
    );
    expect((await refusal(file(adminA, 'create-personal', { name: 'Nguyễn 3' }))).kind).toBe('invalid');
    expect([await count('requests'), await count('blobs')]).toEqual(before);
    const jpeg = await file(
      adminA,
      'create-personal',
      { name: 'Phí Văn Tệp' },
      { file: { content: JPEG, type: 'image/jpeg', filename: 'C:\\scan\\qd.jpg' } },
    );
    expect(jpeg.basis).toMatchObject({ type: 'image/jpeg', size: JPEG.length, filename: 'qd.jpg' });
    const back = await gov.requests.basisFile(adminA, jpeg.ref);
    expect(back.content.equals(JPEG)).toBe(true);
    await gov.requests.withdraw(adminA, jpeg.ref);
  });

  it('letter numbers stay unique and gap-free under concurrent decisions', async () => {
    const names = ['Âu Văn Một', 'Bế Văn Hai', 'Cù Văn Ba', 'Đàm Văn Bốn', 'Giáp Văn Năm', 'Hà Văn Sáu'];
    const refs: string[] = [];
    for (const n of names) refs.push((await file(adminA, 'create-personal', { name: n })).ref);
    await Promise.all(refs.map((r) => gov.requests.review(operator, r)));
    const decided = await Promise.all(
      refs.map((r, i) =>
        i % 2 ? gov.requests.approve(operator, r) : gov.requests.reject(operator, r, 'Thiếu hồ sơ'),
      ),
    );
    const seqs = await letterNumbers();
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(new Set(decided.map((d) => d.letter!.number)).size).toBe(names.length);
  });

  it('reminds the operators one working day before the deadline, then flags and reports it overdue', async () => {
    clock.set('2026-03-09T02:00:00Z'); // Monday
    const r = await file(adminA, 'create-personal', { name: 'Kiều Văn Hạn' });
    expect([r.deadline, r.remindOn, r.daysLeft]).toEqual(['2026-03-16', '2026-03-13', 5]);
    await gov.requests.sweep(systemCaller); // older open requests get their own alerts
    clock.set('2026-03-12T02:00:00Z');
    expect((await gov.requests.sweep(systemCaller)).reminders).not.toContain(r.ref);
    clock.set('2026-03-13T01:00:00Z'); // Friday 08:00: one working day left
    const s1 = await gov.requests.sweep(systemCaller);
    expect(s1.reminders).toEqual([r.ref]);
    expect((await gov.requests.sweep(systemCaller)).reminders).toEqual([]);
    const subjects = (await mails(opAddress)).map((m) => m.subject);
    expect(
      subjects.some((s) => s.includes(`Nhắc hạn: đề nghị ${r.ref} phải trả lời chậm nhất ngày 16/03/2026`)),
    ).toBe(true);
    expect((await gov.requests.show(operator, r.ref)).daysLeft).toBe(1);
    clock.set('2026-03-14T02:00:00Z'); // Saturday
    expect((await gov.requests.show(operator, r.ref)).daysLeft).toBe(1);
    clock.set('2026-03-16T09:00:00Z'); // Monday 16:00, the deadline itself
    expect(await gov.requests.show(operator, r.ref)).toMatchObject({ daysLeft: 0, overdue: false });
    expect((await gov.requests.sweep(systemCaller)).overdue).not.toContain(r.ref);
    clock.set('2026-03-17T02:00:00Z');
    expect(await gov.requests.show(adminA, r.ref)).toMatchObject({ daysLeft: -1, overdue: true });
    expect((await gov.requests.list(operator, { overdue: true })).map((x) => x.ref)).toContain(r.ref);
    const s2 = await gov.requests.sweep(systemCaller);
    expect(s2.overdue).toEqual([r.ref]);
    expect(
      (await mails(opAddress)).some((m) =>
        m.subject.includes(`Quá hạn: đề nghị ${r.ref} chưa được trả lời (hạn 16/03/2026)`),
      ),
    ).toBe(true);
    const audit = await fx.system.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', r.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['request.file', 'request.remind', 'request.overdue']);
    const late = await decideAll(r.ref);
    expect([late.decidedLate, late.overdue]).toEqual([true, false]);
  });

  it('a letter whose delivery was interrupted is delivered by the next sweep, once', async () => {
    const r = await file(adminA, 'restore', {
      address: (await fx.user('Mạc Văn Lỡ', 'sotuphap')).address,
    }).catch(() => null);
    expect(r).toBeNull(); // not suspended: refused at filing
    const u = await fx.user('Mạc Văn Lỡ Hẹn', 'sotuphap');
    await fx.system.directory.admin.suspend(operator, u.address, { reason: 'other' });
    const req = await file(adminA, 'restore', { address: u.address });
    await decideAll(req.ref);
    const letter = await fx.system.store.db
      .selectFrom('request_letters')
      .selectAll()
      .where('request_id', '=', req.id)
      .executeTakeFirstOrThrow();
    // Simulate a crash after the commit, before the delivery was recorded.
    await fx.system.store.write((tx) =>
      tx.db.updateTable('request_letters').set({ delivered_at: null }).where('id', '=', letter.id).execute(),
    );
    const s = await gov.requests.sweep(systemCaller);
    expect(s.lettersDelivered).toBe(1);
    const copies = (await mails(agencyA)).filter((m) => m.subject.startsWith(`[${letter.number}] `));
    expect(copies).toHaveLength(1);
  });
});
