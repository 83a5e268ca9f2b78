// `congthu directory hide|unhide|hidden|search` on both backends (Điều 11.1): the operator hides
// an entry of the public directory with a reason and shows it again (audited); --json, --help,
// exit codes 0/1/2, bilingual errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, makeBackend, type TestBackend } from '../support/backends.ts';
import { cli } from '../support/cli.ts';
import { listAudit, openStore } from '../../src/store/index.ts';

const backends = await availableBackends();

describe.each(backends)('congthu directory on %s', (name) => {
  let backend: TestBackend;
  let env: NodeJS.ProcessEnv;
  let long: string;
  const json = async (argv: string[]): Promise<any> => {
    const r = await cli(env, [...argv, '--json']);
    if (r.code !== 0) throw new Error(`congthu ${argv.join(' ')} exited ${r.code}: ${r.stdout} ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    backend = await makeBackend(name);
    env = { CONGTHU_DATA_DIR: backend.dir, CONGTHU_DATABASE_URL: backend.url };
    await json(['init']);
    long = (await json(['account', 'create', '--name', 'Nguyễn Văn Long', '--org', 'sokhcn'])).account
      .address;
  });
  afterAll(async () => backend.cleanup());

  it('hides with a reason, lists, shows again; the search follows; audited', async () => {
    expect(
      (await json(['directory', 'search', 'nguyen van long'])).results.map((e: any) => e.address),
    ).toEqual([long]);
    const h = await json(['directory', 'hide', long, '--reason', 'Yêu cầu của Sở']);
    expect(h).toMatchObject({ address: long, name: 'Nguyễn Văn Long', reason: 'Yêu cầu của Sở' });
    expect(await json(['directory', 'search', 'nguyen van long'])).toEqual({
      query: 'nguyen van long',
      results: [],
      truncated: false,
    });
    const list = await json(['directory', 'hidden']);
    expect(list.map((e: any) => [e.address, e.reason])).toEqual([[long, 'Yêu cầu của Sở']]);
    const human = await cli(env, ['directory', 'hidden']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(long);
    expect(human.stdout).toContain('Yêu cầu của Sở');

    const twice = await cli(env, ['directory', 'hide', long, '--reason', 'lần nữa']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('đã được ẩn khỏi danh bạ công khai');
    expect(twice.stderr).toContain('already hidden');

    const shown = await cli(env, ['directory', 'unhide', long, '--reason', 'Hết thời hạn']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Đã hiện lại');
    expect(await json(['directory', 'hidden'])).toEqual([]);
    const found = await cli(env, ['directory', 'search', 'Nguyễn Văn Long']);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain(long);

    const store = await openStore({ url: backend.url });
    try {
      const audit = await listAudit(store.db, { targetType: 'account' });
      expect(
        audit.filter((a) => a.action.startsWith('directory.')).map((a) => [a.action, a.reason, a.actor]),
      ).toEqual([
        ['directory.unhide', 'Hết thời hạn', expect.stringMatching(/^cli:/)],
        ['directory.hide', 'Yêu cầu của Sở', expect.stringMatching(/^cli:/)],
      ]);
    } finally {
      await store.close();
    }
  });

  it('refuses bad usage with exit code 2 and refused operations with 1, bilingually', async () => {
    const noReason = await cli(env, ['directory', 'hide', long]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('Thiếu --reason');
    expect(noReason.stderr).toContain('Missing --reason');
    const noAddress = await cli(env, ['directory', 'hide', '--reason', 'x']);
    expect(noAddress.code).toBe(2);
    const unknown = await cli(env, ['directory', 'hide', 'khongco@quangtri.gov.vn', '--reason', 'x']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Không tìm thấy hộp thư');
    const notHidden = await cli(env, ['directory', 'unhide', long]);
    expect(notHidden.code).toBe(1);
    expect(notHidden.stderr).toContain('không bị ẩn');
    const short = await cli(env, ['directory', 'search', 'ab']);
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('ít nhất 3 chữ cái');
  });

  it('has --help for every subcommand', async () => {
    for (const sub of ['hide', 'unhide', 'hidden', 'search']) {
      const r = await cli(env, ['directory', sub, '--help']);
      expect(r.code, sub).toBe(0);
      expect(r.stdout, sub).toContain(`congthu directory ${sub}`);
      expect(r.stdout, sub).toContain('danh bạ công khai');
    }
    const overview = await cli(env, ['directory', '--help']);
    expect(overview.stdout).toContain('directory hide');
  });
});
