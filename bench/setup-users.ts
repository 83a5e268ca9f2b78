/**
 * Benchmark fixture: the users of ../shared/bench (user1..userN@quangtri.gov.vn, password Test@1234,
 * no forced change), created in-process through the directory API, like `congthu account create`
 * but without starting one CLI process per account.
 *
 * Điều 6.2 refuses digits in a name, so "User 1" cannot become `user1`. Instead every account is
 * named "User": the first holder of a name gets the bare stem (`user`), every later one the next
 * suffix (Điều 6.2.b), so N+1 accounts named "User" give `user`, `user1` … `userN` — exactly the
 * addresses the load tool and the peer use, with no change to the address rules and no
 * `--user-format`. The script checks that the last address really is `user<N>`.
 *
 *   CONGTHU_DATA_DIR=/var/tmp/x node --import tsx bench/setup-users.ts [--users 1000] [--org bench]
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.ts';
import { initialise, openSystem } from '../src/app/index.ts';
import { cliCaller } from '../src/directory/index.ts';

const PASSWORD = 'Test@1234';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '1000' },
      org: { type: 'string', default: 'bench' },
    },
  });
  const count = Number(values.users);
  if (!Number.isInteger(count) || count < 1) throw new Error('--users must be a positive whole number');
  const orgCode = values.org!;
  const config = loadConfig({ overrides: { log: { level: 'silent' } } });
  const caller = cliCaller('bench');
  const started = Date.now();
  const system = await openSystem(config);
  try {
    await initialise(system.directory, system.calendar);
    await system.directory.orgs.create(caller, { code: orgCode, name: 'Đơn vị đo hiệu năng' });
    let last = '';
    // count + 1 accounts: the first one takes the bare stem `user`.
    for (let i = 0; i <= count; i++) {
      const r = await system.directory.accounts.createPersonal(caller, {
        name: 'User',
        orgCode,
        password: PASSWORD,
        mustChange: false,
      });
      last = r.account.address;
      const want = i === 0 ? `user@${config.domain}` : `user${i}@${config.domain}`;
      if (last !== want) throw new Error(`expected ${want}, the directory issued ${last}`);
    }
    console.log(
      `setup-users: ${count} users user1..${last} (+ user@${config.domain}) in ${config.dataDir}, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await system.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error('setup-users:', e instanceof Error ? e.message : e);
    process.exitCode = 1;
  },
);
