// `congthu delegate grant|revoke|list|history` on both backends (Điều 10.1): --json, --help,
// the rules (agency mailbox, same agency, personal delegate), exit codes 0/1/2, bilingual errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, makeBackend, type TestBackend } from '../support/backends.ts';
import { cli } from '../support/cli.ts';

const backends = await availableBackends();

describe.each(backends)('congthu delegate on %s', (name) => {
  let backend: TestBackend;
  let env: NodeJS.ProcessEnv;
  let an: string; // a person of sokhcn
  let binh: string; // a person of sotuphap
  const json = async (argv: string[]): Promise<any> => {
    const r = await cli(env, [...argv, '--json']);
    if (r.code !== 0) throw new Error(`congthu ${argv.join(' ')} exited ${r.code}: ${r.stdout} ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    backend = await makeBackend(name);
    env = { CONGTHU_DATA_DIR: backend.dir, CONGTHU_DATABASE_URL: backend.url };
    await json(['init']);
    // init makes the operator's agency, sokhcn, with its mailbox sokhcn@quangtri.gov.vn.
    await json(['org', 'create', '--code', 'vanphong', '--name', 'Văn phòng Sở', '--parent', 'sokhcn']);
    await json(['org', 'create', '--code', 'sotuphap', '--name', 'Sở Tư pháp', '--kind', 'department']);
    an = (await json(['account', 'create', '--name', 'Nguyễn Văn An', '--org', 'vanphong.sokhcn'])).account
      .address;
    binh = (await json(['account', 'create', '--name', 'Lê Văn Bình', '--org', 'sotuphap'])).account.address;
  });
  afterAll(async () => backend.cleanup());

  it('grants, lists, changes and revokes, with the history', async () => {
    const g = await json(['delegate', 'grant', 'sokhcn@quangtri.gov.vn', an, '--rights', 'read']);
    expect(g).toMatchObject({
      mailbox: { address: 'sokhcn@quangtri.gov.vn', kind: 'agency' },
      delegate: { address: an },
      rights: 'read',
      acl: 'lrs',
      sendAs: false,
    });
    // A sub-unit's mailbox, to a person of the same agency.
    await json(['delegate', 'grant', 'vanphong.sokhcn', an, '--rights', 'manage', '--send-as']);
    const list = await json(['delegate', 'list', '--delegate', an]);
    expect(list.map((d: any) => [d.mailbox.address, d.rights, d.sendAs])).toEqual([
      ['sokhcn@quangtri.gov.vn', 'read', false],
      ['vanphong.sokhcn@quangtri.gov.vn', 'manage', true],
    ]);
    const changed = await json(['delegate', 'grant', 'sokhcn@quangtri.gov.vn', an, '--rights', 'manage']);
    expect(changed.acl).toBe('lrswikxte');
    const human = await cli(env, ['delegate', 'list', '--mailbox', 'sokhcn@quangtri.gov.vn']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/sokhcn@quangtri\.gov\.vn\s+\S+\s+manage\s+no/);
    const r = await cli(env, ['delegate', 'revoke', 'sokhcn@quangtri.gov.vn', an]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Đã thu hồi');
    expect(await json(['delegate', 'list', '--mailbox', 'sokhcn@quangtri.gov.vn'])).toEqual([]);
    const history = await json(['delegate', 'history', 'sokhcn@quangtri.gov.vn']);
    expect(history.map((h: any) => h.action)).toEqual([
      'delegation.revoke',
      'delegation.grant',
      'delegation.grant',
    ]);
    expect(history[1].details.previous).toEqual({ rights: 'read', sendAs: false });
  });

  it('refuses what Điều 10.1 does not allow, with exit code 1 and both languages', async () => {
    const cases: Array<[string[], string]> = [
      [['delegate', 'grant', 'sokhcn@quangtri.gov.vn', binh, '--rights', 'read'], 'delegation.other-agency'],
      [['delegate', 'grant', an, binh, '--rights', 'read'], 'delegation.not-agency-mailbox'],
      [
        [
          'delegate',
          'grant',
          'sokhcn@quangtri.gov.vn',
          'vanphong.sokhcn@quangtri.gov.vn',
          '--rights',
          'read',
        ],
        'delegation.not-person',
      ],
      [['delegate', 'revoke', 'sotuphap@quangtri.gov.vn', binh], 'delegation.not-found'],
      [['delegate', 'grant', 'khongco@quangtri.gov.vn', an, '--rights', 'read'], 'account.not-found'],
    ];
    for (const [argv, code] of cases) {
      const r = await cli(env, [...argv, '--json']);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(JSON.parse(r.stdout).error.code).toBe(code);
    }
    const human = await cli(env, ['delegate', 'grant', 'sokhcn@quangtri.gov.vn', binh, '--rights', 'read']);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('Lỗi: Chỉ ủy quyền cho người trong cùng cơ quan, đơn vị (Điều 10.1).');
    expect(human.stderr).toContain('Error: The delegate must belong to the same agency');
  });

  it('bad usage exits 2; --help explains the presets', async () => {
    const noRights = await cli(env, ['delegate', 'grant', 'sokhcn@quangtri.gov.vn', an]);
    expect(noRights.code).toBe(2);
    expect(noRights.stderr).toContain('Thiếu --rights');
    const bad = await cli(env, ['delegate', 'grant', 'sokhcn@quangtri.gov.vn', an, '--rights', 'all']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--rights phải là read');
    expect((await cli(env, ['delegate', 'revoke', 'sokhcn@quangtri.gov.vn'])).code).toBe(2);
    const help = await cli(env, ['delegate', 'grant', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--send-as');
    expect(help.stdout).toContain('lrswikxte');
    const group = await cli(env, ['delegate']);
    expect(group.stdout).toContain('delegate history');
  });

  it('moving the delegate to another agency revokes its delegations', async () => {
    await json(['delegate', 'grant', 'vanphong.sokhcn', an, '--rights', 'read']);
    await json(['account', 'move', an, '--org', 'sokhcn']); // same agency: kept
    expect(await json(['delegate', 'list', '--delegate', an])).toHaveLength(1);
    await json(['account', 'move', an, '--org', 'sotuphap']); // another agency: revoked
    expect(await json(['delegate', 'list', '--delegate', an])).toEqual([]);
    const history = await json(['delegate', 'history', 'vanphong.sokhcn']);
    expect(history[0]).toMatchObject({ action: 'delegation.auto-revoke', reason: 'account.move' });
  });
});
