// `congthu report checking` and `congthu fault …` on both backends: the readable table, --json,
// --csv (BOM, header), exit codes (0 done, 1 refused, 2 bad usage), --help; the operator
// acknowledges, resolves and closes a fault a user reported, and reads its timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.ts';
import { cli } from '../support/cli.ts';
import { systemFixture, type SystemFixture } from '../support/system.ts';
import { recordAccess, resolveAccount, type Caller } from '../../src/directory/index.ts';
import { governanceFor } from '../../src/governance/index.ts';

const backends = await availableBackends();
const local = (t: string): Date => new Date(`${t}+07:00`);

describe.each(backends)('congthu report checking and congthu fault on %s', (name) => {
  let fx: SystemFixture;
  let env: NodeJS.ProcessEnv;
  let number: string;
  const json = async (argv: string[]): Promise<any> => {
    const r = await cli(env, [...argv, '--json']);
    if (r.code !== 0) throw new Error(`congthu ${argv.join(' ')} exited ${r.code}: ${r.stdout} ${r.stderr}`);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    fx = await systemFixture(name);
    env = { CONGTHU_DATA_DIR: fx.backend.dir, CONGTHU_DATABASE_URL: fx.backend.url };
    const s = fx.system;
    const agency = (await resolveAccount(s.store.db, s.directory.ctx.settings, 'sokhcn@quangtri.gov.vn'))!;
    // Every mailbox so far dates from before the period (they were created today).
    await s.store.db
      .updateTable('accounts')
      .set({ created_at: local('2026-04-01T08:00:00').getTime() })
      .execute();
    for (const at of ['2026-04-24T08:00:00', '2026-04-24T14:00:00', '2026-04-28T09:00:00'])
      await s.store.write((tx) =>
        recordAccess(tx, {
          accountId: agency.id,
          protocol: 'imap',
          kind: 'inbox',
          clientIp: null,
          at: local(at),
        }),
      );
    const u = await fx.user('Nguyễn Văn An');
    const user: Caller = {
      principal: { accountId: u.id, role: 'user', adminAgencyId: null },
      actor: { id: u.id, label: u.address },
    };
    number = (
      await governanceFor(s).faults.report(user, {
        subject: 'Không nhận được thư từ bên ngoài',
        description: 'Từ sáng nay không nhận được thư từ gmail.com.',
      })
    ).number;
  });
  afterAll(async () => fx.close());

  it('report checking prints a table, the agency mailboxes below the requirement, and --json', async () => {
    const r = await cli(env, [
      'report',
      'checking',
      '--agency',
      'sokhcn',
      '--from',
      '2026-04-24',
      '--to',
      '2026-04-29',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Tần suất kiểm tra hộp thư (Điều 12) / Mailbox checking frequency: Sở Khoa học và Công nghệ (sokhcn)',
    );
    expect(r.stdout).toContain('3 ngày làm việc / working days');
    expect(r.stdout).toMatch(
      /sokhcn@quangtri\.gov\.vn\s+agency\s+6\s+3\s+50\.0%\s+x\s+2026-04-28 chiều\/afternoon; 2026-04-29 sáng\/morning\+chiều\/afternoon/,
    );
    expect(r.stdout).toContain(
      'Hộp thư cơ quan, đơn vị dưới yêu cầu (tỷ lệ < 100.0%) / Agency mailboxes below the requirement: sokhcn@quangtri.gov.vn',
    );
    const j = await json([
      'report',
      'checking',
      '--agency',
      'sokhcn',
      '--from',
      '2026-04-24',
      '--to',
      '2026-04-29',
    ]);
    expect(j.mailboxes[0]).toMatchObject({
      address: 'sokhcn@quangtri.gov.vn',
      required: 6,
      met: 3,
      rate: 0.5,
    });
    expect(j.belowRequirement).toEqual(['sokhcn@quangtri.gov.vn']);
  });

  it('report checking --csv: BOM, header row, one row per mailbox', async () => {
    const r = await cli(env, [
      'report',
      'checking',
      '--agency',
      'sokhcn',
      '--from',
      '2026-04-24',
      '--to',
      '2026-04-29',
      '--csv',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.charCodeAt(0)).toBe(0xfeff);
    const lines = r.stdout.slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^Hộp thư \/ Mailbox,/);
    expect(lines[1]).toMatch(
      /^sokhcn@quangtri\.gov\.vn,agency,Sở Khoa học và Công nghệ,sokhcn,windows,3,6,3,0\.5,x,/,
    );
  });

  it('report checking: bad usage exits 2, a refused report exits 1, --help explains', async () => {
    const bad = await cli(env, [
      'report',
      'checking',
      '--agency',
      'sokhcn',
      '--from',
      '24/04/2026',
      '--to',
      '2026-04-29',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid --from: "24/04/2026" (format YYYY-MM-DD)');
    expect((await cli(env, ['report', 'checking', '--from', '2026-04-24'])).code).toBe(2);
    const both = await cli(env, [
      'report',
      'checking',
      '--from',
      '2026-04-24',
      '--to',
      '2026-04-29',
      '--csv',
      '--json',
    ]);
    expect(both.code).toBe(2);
    const unknown = await cli(env, [
      'report',
      'checking',
      '--agency',
      'khongco',
      '--from',
      '2026-04-24',
      '--to',
      '2026-04-29',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Không tìm thấy cơ quan, đơn vị có mã "khongco".');
    const period = await cli(env, ['report', 'checking', '--from', '2026-04-29', '--to', '2026-04-24']);
    expect(period.code).toBe(1);
    expect(period.stderr).toContain('Error: The end date must not be before the start date.');
    const help = await cli(env, ['report', 'checking', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'congthu report checking --from YYYY-MM-DD --to YYYY-MM-DD [--agency MÃ] [--csv]',
    );
  });

  it('fault list, show, acknowledge, resolve, close; refusals exit 1 or 2', async () => {
    const list = await cli(env, ['fault', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${number}\\s+reported\\s+operator\\s+sokhcn`));
    // No IT contact in sokhcn: the fault went straight to the operator's level.
    const ack = await json(['fault', 'acknowledge', number, '--note', 'Đã tiếp nhận']);
    expect(ack).toMatchObject({
      state: 'acknowledged',
      assignee: { label: expect.stringContaining('(CLI)') },
    });
    const res = await cli(env, ['fault', 'resolve', number, '--note', 'Sửa bản ghi MX']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('đã khắc phục / resolved');
    expect(res.stdout).toMatch(/resolve\s+acknowledged → resolved\s+Sửa bản ghi MX/);
    expect((await json(['fault', 'close', number])).state).toBe('closed');
    const again = await cli(env, ['fault', 'close', number]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Error: Cannot close a fault that is closed.');
    const show = await json(['fault', 'show', number]);
    expect(show.timeline.map((e: any) => e.action)).toEqual(['report', 'acknowledge', 'resolve', 'close']);
    expect((await json(['fault', 'list', '--state', 'closed'])).map((f: any) => f.number)).toEqual([number]);
    expect((await cli(env, ['fault', 'list', '--state', 'open'])).code).toBe(2);
    expect((await cli(env, ['fault', 'show', 'SC-1999-0001'])).code).toBe(1);
    const help = await cli(env, ['fault', 'resolve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('congthu fault resolve SỐ [--note "GHI CHÚ"]');
  });
});
