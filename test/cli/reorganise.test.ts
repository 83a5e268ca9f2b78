// `congthu org merge|dissolve|move-unit` on both backends (issue 7 item 7): --dry-run prints the
// plan and changes nothing; the merge moves people and keeps the old address as an alias; --json,
// --help, exit codes 0/1/2, bilingual errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, makeBackend, type TestBackend } from '../support/backends.ts';
import { cli } from '../support/cli.ts';
import { listAudit, openStore } from '../../src/store/index.ts';

const backends = await availableBackends();

describe.each(backends)('congthu org merge|dissolve|move-unit on %s', (name) => {
  let backend: TestBackend;
  let env: NodeJS.ProcessEnv;
  let an: string;
  const json = async (argv: string[]): Promise<any> => {
    const r = await cli(env, [...argv, '--json']);
    if (r.code !== 0) throw new Error(`congthu ${argv.join(' ')} exited ${r.code}: ${r.stdout} ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    backend = await makeBackend(name);
    env = { CONGTHU_DATA_DIR: backend.dir, CONGTHU_DATABASE_URL: backend.url };
    await json(['init']);
    await json(['org', 'create', '--code', 'xacamlo', '--name', 'UBND xã Cam Lộ', '--kind', 'commune']);
    await json(['org', 'create', '--code', 'xacamhieu', '--name', 'UBND xã Cam Hiếu', '--kind', 'commune']);
    await json(['org', 'create', '--code', 'vanphong', '--name', 'Văn phòng', '--parent', 'xacamhieu']);
    an = (await json(['account', 'create', '--name', 'Nguyễn Văn An', '--org', 'xacamhieu'])).account.address;
  });
  afterAll(async () => backend.cleanup());

  it('--dry-run prints the plan in Vietnamese then English and changes nothing', async () => {
    const r = await cli(env, ['org', 'merge', 'xacamhieu', '--into', 'xacamlo', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Chạy thử: chưa thay đổi gì/);
    expect(r.stdout).toMatch(
      /Giữ xacamhieu@quangtri\.gov\.vn làm bí danh của hộp thư xacamlo@quangtri\.gov\.vn\n\s+Keep/,
    );
    expect((await json(['org', 'show', 'vanphong.xacamhieu'])).parentCode).toBe('xacamhieu');
    expect((await json(['account', 'show', an])).org.code).toBe('xacamhieu');
  });

  it('refuses bad usage (exit 2) and impossible plans (exit 1), bilingual', async () => {
    const noInto = await cli(env, ['org', 'merge', 'xacamhieu', '--basis', 'QĐ 1']);
    expect(noInto.code).toBe(2);
    expect(noInto.stderr).toMatch(/Thiếu --into[\s\S]*Missing --into/);
    const noBasis = await cli(env, ['org', 'merge', 'xacamhieu', '--into', 'xacamlo']);
    expect(noBasis.code).toBe(2);
    const self = await cli(env, ['org', 'merge', 'xacamlo', '--into', 'xacamlo', '--basis', 'QĐ 1']);
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/chính nó[\s\S]*itself/);
    const help = await cli(env, ['org', 'merge', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--dry-run/);
  });

  it('merges: people keep their addresses in the new agency; the old address is an alias', async () => {
    const r = await json([
      'org',
      'merge',
      'xacamhieu',
      '--into',
      'xacamlo',
      '--basis',
      'NQ 1680/NQ-UBTVQH15',
    ]);
    expect(r.dryRun).toBe(false);
    expect(r.steps.map((s: any) => s.step.kind)).toEqual([
      'move-unit',
      'move-account',
      'close-mailbox',
      'alias-address',
      'dissolve-org',
    ]);
    const acc = await json(['account', 'show', an]);
    expect(acc.address).toBe(an);
    expect(acc.org.code).toBe('xacamlo');
    const lo = await json(['account', 'show', 'xacamhieu@quangtri.gov.vn']);
    expect(lo.address).toBe('xacamlo@quangtri.gov.vn');
    expect((await json(['org', 'show', 'vanphong.xacamlo'])).parentCode).toBe('xacamlo');
    const store = await openStore({ url: backend.url });
    try {
      const audit = await listAudit(store.db, { targetType: 'reorganisation' });
      const op = audit.find((a) => a.action === 'org.reorganise')!;
      expect(op.reason).toBe('NQ 1680/NQ-UBTVQH15');
      expect(audit.filter((a) => a.action === 'org.reorganise.step')).toHaveLength(5);
    } finally {
      await store.close();
    }
  });

  it('moves a sub-unit and dissolves an agency with a successor', async () => {
    await json(['org', 'create', '--code', 'sotp', '--name', 'Sở Tư pháp', '--kind', 'department']);
    await json(['org', 'move-unit', 'vanphong.xacamlo', '--to', 'sotp', '--basis', 'QĐ 2']);
    expect((await json(['org', 'show', 'vanphong.sotp'])).parentCode).toBe('sotp');
    const d = await json([
      'org',
      'dissolve',
      'sotp',
      '--people-to',
      'sokhcn',
      '--successor',
      'sokhcn',
      '--basis',
      'QĐ 3',
    ]);
    expect(d.steps.at(-1).step).toEqual({ kind: 'dissolve-org', code: 'sotp', successor: 'sokhcn' });
    expect((await json(['account', 'show', 'sotp@quangtri.gov.vn'])).address).toBe('sokhcn@quangtri.gov.vn');
  });
});
