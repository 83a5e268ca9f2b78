/** A Directory on a fresh backend, with a manual clock and fast (test-only) Argon2 parameters. */
import { ManualClock } from '../../src/util/clock.ts';
import {
  Directory,
  defaultDirectorySettings,
  cliCaller,
  type AuthSettings,
} from '../../src/directory/index.ts';
import { freshStore, type BackendName, type TestBackend } from './backends.ts';
import type { DataStore } from '../../src/store/index.ts';

export const TEST_AUTH: AuthSettings = {
  ipFailuresBeforeDelay: 3,
  ipFailuresBeforeBlock: 30,
  accountFailuresBeforeDelay: 5,
  accountLockFailures: 100,
  windowMinutes: 60,
  lockMinutes: 15,
  maxDelayMs: 15_000,
  verifiedCacheSeconds: 600,
};

export interface DirectoryFixture {
  dir: Directory;
  store: DataStore;
  backend: TestBackend;
  clock: ManualClock;
  /** Delays the auth service asked for (instead of sleeping). */
  delays: number[];
  close(): Promise<void>;
}

export async function directoryFixture(
  name: BackendName,
  opts: { auth?: Partial<AuthSettings>; extraDomains?: string[]; realisticHash?: boolean } = {},
): Promise<DirectoryFixture> {
  const { store, backend } = await freshStore(name);
  const clock = new ManualClock('2026-11-02T02:00:00Z'); // a Monday, 09:00 in Quảng Trị
  const settings = defaultDirectorySettings('quangtri.gov.vn');
  settings.localDomains.push(...(opts.extraDomains ?? []));
  const dir = new Directory({
    store,
    clock,
    settings,
    hash: opts.realisticHash
      ? { memoryKiB: 19456, iterations: 2, parallelism: 1, maxConcurrent: 4 } // the production minimum
      : { memoryKiB: 1024, iterations: 1, parallelism: 1, maxConcurrent: 4 },
    auth: { ...TEST_AUTH, ...opts.auth },
    webUrl: 'https://mail.quangtri.gov.vn',
  });
  const delays: number[] = [];
  dir.auth.sleep = async (ms) => {
    delays.push(ms);
  };
  await dir.orgs.ensureProvince();
  return {
    dir,
    store,
    backend,
    clock,
    delays,
    close: async () => {
      await store.close();
      await backend.cleanup();
    },
  };
}

export const operator = cliCaller('root');
