// The `congthu` command on both backends: every subcommand, --json, --help, and clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, makeBackend, type TestBackend } from '../support/backends.ts';
import { cli } from '../support/cli.ts';
import { COMMANDS } from '../../src/cli/main.ts';
import { envBindings } from '../../src/config/index.ts';

const backends = await availableBackends();

describe.each(backends)('congthu CLI on %s', (name) => {
  let backend: TestBackend;
  let env: NodeJS.ProcessEnv;
  const json = async (argv: string[], stdin = ''): Promise<any> => {
    const r = await cli(env, [...argv, '--json'], stdin);
    if (r.code !== 0) throw new Error(`congthu ${argv.join(' ')} exited ${r.code}: ${r.stdout} ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    backend = await makeBackend(name);
    env = { CONGTHU_DATA_DIR: backend.dir, CONGTHU_DATABASE_URL: backend.url };
  });
  afterAll(async () => backend.cleanup());

  it('init creates the first operator once, with a one-time password', async () => {
    const first = await json(['init']);
    expect(first.database).toBe(name);
    expect(first.firstOperator.address).toBe('quantrihethong@quangtri.gov.vn');
    expect(first.firstOperator.oneTimePassword).toMatch(
      /^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[!@#%$*&]).{14}$/,
    );
    const again = await json(['init']);
    expect(again.firstOperator).toBeNull();
    const human = await cli(env, ['init']);
    expect(human.stdout).toContain('Đã khởi tạo từ trước / Already initialised.');
  });

  it('creates, lists, shows and renames organisations with their mailboxes', async () => {
    const agency = await json([
      'org',
      'create',
      '--code',
      'sotuphap',
      '--name',
      'Sở Tư pháp',
      '--kind',
      'department',
    ]);
    expect(agency.mailbox.address).toBe('sotuphap@quangtri.gov.vn');
    const unit = await json([
      'org',
      'create',
      '--code',
      'vanphong',
      '--name',
      'Văn phòng Sở',
      '--parent',
      'sotuphap',
    ]);
    expect(unit.org.code).toBe('vanphong.sotuphap');
    expect(unit.mailbox.address).toBe('vanphong.sotuphap@quangtri.gov.vn');
    const list = await json(['org', 'list']);
    expect(list.map((o: { code: string }) => o.code)).toEqual(['sokhcn', 'sotuphap', 'vanphong.sotuphap']);
    expect((await json(['org', 'show', 'sotuphap'])).children).toHaveLength(1);
    expect((await json(['org', 'rename', 'sotuphap', '--name', 'Sở Tư pháp tỉnh Quảng Trị'])).name).toBe(
      'Sở Tư pháp tỉnh Quảng Trị',
    );
    const human = await cli(env, ['org', 'list']);
    expect(human.stdout).toMatch(/vanphong\.sotuphap\s+sub-unit/);
  });

  it('creates personal accounts by Điều 6 and manages them', async () => {
    const a = await json([
      'account',
      'create',
      '--name',
      'Trần Thị Thu Hà',
      '--org',
      'sotuphap',
      '--person-id',
      '045190000001',
    ]);
    expect(a.account.address).toBe('tranthithuha@quangtri.gov.vn');
    expect(a.oneTimePassword).toBeDefined();
    const b = await json(
      ['account', 'create', '--name', 'Trần Thị Thu Hà', '--org', 'vanphong.sotuphap', '--password-stdin'],
      'Thu@Ha2026x\n',
    );
    expect(b.account.address).toBe('tranthithuha1@quangtri.gov.vn');
    expect(b.oneTimePassword).toBeUndefined();
    const human = await cli(env, ['account', 'create', '--name', 'Lê Đức Thọ', '--org', 'sotuphap']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('leductho@quangtri.gov.vn');
    expect(human.stdout).toMatch(/Mật khẩu dùng một lần \/ One-time password: \S{14}/);

    await json(['account', 'alias', 'add', 'tranthithuha', 'hatt@quangbinh.gov.vn']).catch((e: Error) => {
      expect(e.message).toContain('alias.foreign-domain'); // quangbinh.gov.vn is not configured here
    });
    expect((await json(['account', 'alias', 'add', 'tranthithuha', 'hatt'])).aliases).toEqual([
      'hatt@quangtri.gov.vn',
    ]);
    expect((await json(['account', 'show', 'hatt@quangtri.gov.vn'])).address).toBe(
      'tranthithuha@quangtri.gov.vn',
    );
    expect((await json(['account', 'alias', 'remove', 'tranthithuha', 'hatt'])).aliases).toEqual([]);
    expect((await json(['account', 'set-quota', 'tranthithuha', '3GB'])).quotaBytes).toBe(3e9);
    expect((await json(['account', 'set-quota', 'tranthithuha', 'default'])).quotaBytes).toBe(2 * 1024 ** 3);
    expect(
      (await json(['account', 'suspend', 'tranthithuha', '--reason', 'compromised', '--basis', 'Điều 8.2.b']))
        .state,
    ).toBe('suspended');
    expect((await json(['account', 'restore', 'tranthithuha', '--basis', 'CV 12/STP'])).state).toBe('active');
    const moved = await json([
      'account',
      'move',
      'tranthithuha',
      '--org',
      'sokhcn',
      '--basis',
      'QĐ 7/QĐ-SNV',
    ]);
    expect(moved).toMatchObject({ address: 'tranthithuha@quangtri.gov.vn', org: { code: 'sokhcn' } });
    expect((await json(['account', 'set-role', 'tranthithuha', 'agency-admin'])).role).toBe('agency-admin');
    const p = await json(['account', 'passwd', 'leductho']);
    expect(p.oneTimePassword).toBeDefined();
    expect((await json(['account', 'delete', 'leductho', '--reason', 'nghỉ hưu'])).state).toBe('deleted');
    const deletedList = await json(['account', 'list', '--state', 'deleted']);
    expect(deletedList.map((x: { address: string }) => x.address)).toEqual(['leductho@quangtri.gov.vn']);
    const again = await json(['account', 'create', '--name', 'Lê Đức Thọ', '--org', 'sotuphap']);
    expect(again.account.address).toBe('leductho1@quangtri.gov.vn');
  });

  it('refuses bad input with the reason in Vietnamese and English and the right exit code', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['account', 'create', '--name', 'Nguyễn Văn A-Long', '--org', 'sotuphap'], 1, /ký tự|character/],
      [
        ['account', 'create', '--name', 'Phan Văn Khải', '--org', 'khongco'],
        1,
        /Không tìm thấy.*\n.*No organisation/,
      ],
      [['account', 'create', '--name', 'Phan Văn Khải'], 2, /Thiếu --org\nError: Missing --org/],
      [
        ['account', 'create', '--name', 'Phan Văn Khải', '--org', 'sotuphap', '--password', 'abc'],
        1,
        /Điều 9\.2\.b/,
      ],
      [
        ['account', 'create', '--name', 'X Y', '--org', 'sotuphap', '--person-id', '045190000001'],
        1,
        /một hộp thư|one mailbox/,
      ],
      [['account', 'set-quota', 'tranthithuha', '1GB'], 1, /2 GB/],
      [['account', 'set-quota', 'tranthithuha', 'lots'], 2, /Invalid size/],
      [['account', 'suspend', 'tranthithuha', '--reason', 'tired'], 1, /inactivity/],
      [['account', 'restore', 'tranthithuha'], 1, /Không thể khôi phục.*\n.*Cannot restore/],
      [['account', 'show', 'nobody'], 1, /Không tìm thấy hộp thư/],
      [['account', 'show'], 2, /Wrong number of arguments/],
      [['account', 'list', '--state', 'sleeping'], 2, /--state/],
      [['org', 'create', '--code', 'sở y tế', '--name', 'Sở Y tế'], 1, /without spaces/],
      [['account', 'create', '--bogus'], 2, /Unknown option '--bogus'/],
      [['nonsense'], 2, /Unknown command/],
    ];
    for (const [argv, code, pattern] of cases) {
      const r = await cli(env, argv);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.stderr, argv.join(' ')).toMatch(pattern);
      const j = await cli(env, [...argv, '--json']);
      expect(j.code).toBe(code);
      const parsed = JSON.parse(j.stdout) as { error: { code: string; vi: string; en: string } };
      expect(parsed.error.vi.length).toBeGreaterThan(0);
      expect(parsed.error.en.length).toBeGreaterThan(0);
    }
    // Nothing was changed by the refused commands.
    const people = await json(['account', 'list', '--kind', 'personal']);
    expect(people.map((x: { address: string }) => x.address).sort()).toEqual([
      'leductho1@quangtri.gov.vn',
      'leductho@quangtri.gov.vn',
      'quantrihethong@quangtri.gov.vn',
      'tranthithuha1@quangtri.gov.vn',
      'tranthithuha@quangtri.gov.vn',
    ]);
  });

  it('has --help for every command', async () => {
    for (const c of COMMANDS) {
      const r = await cli(env, [...c.path, '--help']);
      expect(r.code, c.path.join(' ')).toBe(0);
      expect(r.stdout).toContain(`congthu ${c.path.join(' ')}`);
      expect(r.stdout).toContain('--json');
    }
    expect((await cli(env, [])).stdout).toContain('account create');
    expect((await cli(env, ['org'])).stdout).toContain('org rename');
  });

  it('describes every configuration option, including every environment variable of DESIGN.md', async () => {
    const rows = await json(['config', 'describe']);
    const envs = rows.map((r: { env: string | null }) => r.env);
    for (const b of envBindings) expect(envs).toContain(b.env);
    for (const e of [
      'CONGTHU_DATA_DIR',
      'CONGTHU_DOMAIN',
      'CONGTHU_DATABASE_URL',
      'CONGTHU_LISTEN',
      'CONGTHU_SMTP_PORT',
      'CONGTHU_HTTP_PORT',
    ])
      expect(envs).toContain(e);
    expect(rows.every((r: { description: string }) => r.description.length > 10)).toBe(true);
  });

  it('reports bad configuration naming the option, with exit code 2', async () => {
    const r = await cli({ ...env, CONGTHU_SMTP_PORT: '70000' }, ['account', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ports.smtp');
    expect(r.stderr).toContain('CONGTHU_SMTP_PORT');
    const r2 = await cli({ ...env, CONGTHU_DATABASE_URL: 'mysql://x' }, ['account', 'list']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/postgres:\/\/ hoặc sqlite:/);
  });
});
