// `congthu lifecycle …` and `congthu account compromised` on both backends: the dry run as of
// another moment (address, action, legal basis; nothing changed), --json, --help, bilingual
// refusals that change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, makeBackend, type TestBackend } from '../support/backends.ts';
import { cli } from '../support/cli.ts';

const backends = await availableBackends();

describe.each(backends)('congthu lifecycle on %s', (name) => {
  let backend: TestBackend;
  let env: NodeJS.ProcessEnv;
  let address: string;
  const json = async (argv: string[]): Promise<any> => {
    const r = await cli(env, [...argv, '--json']);
    if (r.code !== 0) throw new Error(`congthu ${argv.join(' ')} exited ${r.code}: ${r.stdout} ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    backend = await makeBackend(name);
    env = { CONGTHU_DATA_DIR: backend.dir, CONGTHU_DATABASE_URL: backend.url };
    await json(['init']);
    await json(['org', 'create', '--code', 'sotuphap', '--name', 'Sở Tư pháp', '--kind', 'department']);
    address = (await json(['account', 'create', '--name', 'Ngô Văn Vắng', '--org', 'sotuphap'])).account
      .address;
  });
  afterAll(async () => backend.cleanup());

  it('lifecycle run --dry-run --now prints each action with address, action and legal basis', async () => {
    const r = await cli(env, ['lifecycle', 'run', '--dry-run', '--now', '2099-01-01T09:00:00+07:00']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Chạy thử, không thay đổi gì / Dry run, nothing changed: 2099-01-01T02:00:00.000Z',
    );
    expect(r.stdout).toMatch(
      new RegExp(`${address.replace('.', '\\.')}\\s+suspend-inactive\\s+Điều 8\\.2\\.a`),
    );
    expect(r.stdout).toMatch(/sotuphap@quangtri\.gov\.vn\s+report-inactive\s+Điều 8\.2\.a/);
    const j = await json(['lifecycle', 'run', '--dry-run', '--now', '2099-01-01T09:00:00+07:00']);
    expect(j.dryRun).toBe(true);
    expect(j.actions).toContainEqual({
      address,
      action: 'suspend-inactive',
      legalBasis: 'Điều 8.2.a',
      at: '2099-01-01T02:00:00.000Z',
    });
    expect((await json(['account', 'show', address])).state).toBe('active');
  });

  it('refuses a future --now without --dry-run, and a malformed one, changing nothing', async () => {
    const r = await cli(env, ['lifecycle', 'run', '--now', '2099-01-01T09:00:00+07:00']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Lỗi: Chỉ được chạy thử (--dry-run) với một thời điểm trong tương lai.');
    expect(r.stderr).toContain('Error: A time in the future is allowed only with a dry run (--dry-run).');
    const bad = await cli(env, ['lifecycle', 'run', '--dry-run', '--now', 'tomorrow']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid --now: "tomorrow"');
    expect((await json(['account', 'show', address])).state).toBe('active');
  });

  it('lifecycle run (now) does nothing to fresh mailboxes; --help explains', async () => {
    expect((await json(['lifecycle', 'run'])).actions).toEqual([]);
    const help = await cli(env, ['lifecycle', 'run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('congthu lifecycle run [--dry-run] [--now ISO-TIME]');
  });

  it('lifecycle exempt files an exemption; a bad date is refused in both languages', async () => {
    const bad = await cli(env, [
      'lifecycle',
      'exempt',
      address,
      '--reason',
      'Đi học',
      '--until',
      '2099-13-01',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Ngày kết thúc không hợp lệ');
    expect(bad.stderr).toContain('Invalid end date');
    expect(await json(['lifecycle', 'exemptions', address])).toEqual([]);
    const e = await json([
      'lifecycle',
      'exempt',
      address,
      '--reason',
      'Đi học dài hạn',
      '--from',
      '2099-01-01',
      '--until',
      '2099-06-30',
    ]);
    expect(e).toMatchObject({ address, reason: 'Đi học dài hạn', from: '2099-01-01', until: '2099-06-30' });
    // Inside the exemption the dry run proposes nothing for that mailbox.
    const j = await json(['lifecycle', 'run', '--dry-run', '--now', '2099-03-01T09:00:00+07:00']);
    expect(j.actions.filter((a: { address: string }) => a.address === address)).toEqual([]);
  });

  it('account compromised suspends at once and alerts the agency mailbox', async () => {
    const r = await json(['account', 'compromised', address]);
    expect(r).toMatchObject({ address, state: 'suspended', legalBasis: 'Điều 8.2.b' });
    const shown = await json(['account', 'show', address]);
    expect([shown.state, shown.stateReason]).toEqual(['suspended', 'compromised']);
    const again = await cli(env, ['account', 'compromised', address]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Cannot suspend a mailbox that is suspended.');
    const restored = await json(['account', 'restore-compromised', address]);
    expect(restored.oneTimePassword).toMatch(/^.{14}$/);
    expect((await json(['account', 'show', address])).mustChangePassword).toBe(true);
  });
});
