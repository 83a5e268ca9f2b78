/**
 * A whole Congthu system (store, blobs, directory, mailbox ingest) on a fresh backend, built from
 * the real configuration loader, for tests that start protocol servers on 127.0.0.1.
 */
import { loadConfig, type ResolvedConfig } from '../../src/config/index.ts';
import { openSystem, ensureTls, type SystemContext, type TlsMaterial } from '../../src/app/index.ts';
import { cliCaller } from '../../src/directory/index.ts';
import type { Clock } from '../../src/util/clock.ts';
import { makeBackend, type BackendName, type TestBackend } from './backends.ts';

export const operator = cliCaller('root');

export interface SystemFixture {
  system: SystemContext;
  config: ResolvedConfig;
  tls: TlsMaterial;
  backend: TestBackend;
  /** Create a personal account with a usable (non-default) password; returns its address. */
  user(
    name: string,
    orgCode?: string,
    password?: string,
  ): Promise<{ address: string; id: string; password: string }>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'Quang@Tri2026';

export async function systemFixture(
  name: BackendName,
  overrides: Record<string, unknown> = {},
  /** The system's clock (default: real time); a ManualClock for simulated time. */
  clock?: Clock,
): Promise<SystemFixture> {
  const backend = await makeBackend(name);
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: backend.dir,
      databaseUrl: backend.url,
      extraDomains: ['quangbinh.gov.vn'],
      log: { level: 'silent' },
      ...overrides,
    },
  });
  const system = await openSystem(config, clock);
  const tls = await ensureTls(config);
  await system.directory.orgs.ensureProvince();
  await system.directory.orgs.create(operator, {
    code: 'sokhcn',
    name: 'Sở Khoa học và Công nghệ',
    kind: 'department',
  });
  return {
    system,
    config,
    tls,
    backend,
    async user(displayName, orgCode = 'sokhcn', password = TEST_PASSWORD) {
      const r = await system.directory.accounts.createPersonal(operator, {
        name: displayName,
        orgCode,
        password,
        mustChange: false,
      });
      return { address: r.account.address, id: r.account.id, password };
    },
    async close() {
      await system.close();
      await backend.cleanup();
    },
  };
}
