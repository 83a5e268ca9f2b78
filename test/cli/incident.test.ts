// `congthu incident list|show|contain|assess|close|grant-content` on both backends (Điều 10.4,
// 11.3): --json, --help, the state machine at the command line, exit codes 0/1/2, bilingual errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, makeBackend, type TestBackend } from '../support/backends.ts';
import { cli } from '../support/cli.ts';
import { loadConfig } from '../../src/config/index.ts';
import { openSystem } from '../../src/app/index.ts';
import { governanceFor } from '../../src/governance/index.ts';
import type { Caller } from '../../src/directory/index.ts';

const backends = await availableBackends();

describe.each(backends)('congthu incident on %s', (name) => {
  let backend: TestBackend;
  let env: NodeJS.ProcessEnv;
  let number: string;
  let auditor: string;
  let sha256: string;
  const json = async (argv: string[]): Promise<any> => {
    const r = await cli(env, [...argv, '--json']);
    if (r.code !== 0) throw new Error(`congthu ${argv.join(' ')} exited ${r.code}: ${r.stdout} ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    backend = await makeBackend(name);
    env = { CONGTHU_DATA_DIR: backend.dir, CONGTHU_DATABASE_URL: backend.url };
    await json(['init']);
    const an = (await json(['account', 'create', '--name', 'Nguyễn Văn An', '--org', 'sokhcn'])).account;
    auditor = (await json(['account', 'create', '--name', 'Hoàng Kiểm Tra', '--org', 'sokhcn'])).account
      .address;
    await json(['account', 'set-role', auditor, 'auditor']);
    // A message arrives and its holder reports it (through the service, as the REST API does).
    const sys = await openSystem(loadConfig({ env }));
    try {
      const r = await sys.ingest.ingest({
        content: Buffer.from(
          'From: a@example.org\r\nSubject: x\r\nMessage-ID: <cli-1@example.org>\r\n\r\nmật\r\n',
        ),
        deliveries: [{ accountId: an.id }],
        source: 'smtp',
        quota: 'checked-before',
      });
      sha256 = r.blobId;
      const caller: Caller = {
        principal: { accountId: an.id, role: 'user', adminAgencyId: null },
        actor: { id: an.id, label: an.address },
      };
      number = (
        await governanceFor(sys).incidents.report(caller, { folder: 'INBOX', uid: r.delivered[0]!.uid })
      ).number;
    } finally {
      await sys.close();
    }
  });
  afterAll(async () => backend.cleanup());

  it('lists, shows, contains, assesses, grants and closes', async () => {
    expect((await json(['incident', 'list'])).map((i: any) => [i.number, i.state])).toEqual([
      [number, 'reported'],
    ]);
    const human = await cli(env, ['incident', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`${number}\\s+reported\\s+sokhcn`));
    const contained = await json(['incident', 'contain', number]);
    expect(contained).toMatchObject({ state: 'contained', evidence: { copies: 1 } });
    expect(contained.evidence.blobs).toEqual([{ sha256, size: expect.any(Number), copies: 1 }]);
    const shown = await cli(env, ['incident', 'show', number.toLowerCase()]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('đã cách ly / contained');
    expect(shown.stdout).toContain(sha256);
    expect(shown.stdout).toContain('toàn vẹn / intact');
    const granted = await json(['incident', 'grant-content', number, '--auditor', auditor]);
    expect(granted.contentGrants.map((g: any) => g.auditor)).toEqual([auditor]);
    expect((await json(['incident', 'assess', number, '--text', 'Mức độ thấp'])).state).toBe('assessed');
    expect((await json(['incident', 'close', number])).state).toBe('closed');
    expect((await json(['incident', 'list', '--state', 'closed'])).map((i: any) => i.number)).toEqual([
      number,
    ]);
  });

  it('refuses with exit 1 (both languages) and bad usage with exit 2', async () => {
    const late = await cli(env, ['incident', 'contain', number]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/Lỗi: Không thể cách ly sự cố đã đóng/);
    expect(late.stderr).toMatch(/Error: Cannot contain an incident that is closed/);
    const missing = await cli(env, ['incident', 'show', 'SC-MAT-1999-0001', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('incident.not-found');
    expect((await cli(env, ['incident', 'assess', number])).code).toBe(2); // --text missing
    expect((await cli(env, ['incident', 'list', '--state', 'open'])).code).toBe(2);
    expect((await cli(env, ['incident', 'show'])).code).toBe(2);
    const help = await cli(env, ['incident', 'contain', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('congthu incident contain NUMBER');
  });
});
