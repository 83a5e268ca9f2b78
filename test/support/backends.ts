/**
 * Runs a test suite on every storage backend (DESIGN.md: same tests, every backend).
 * SQLite always; PostgreSQL at CONGTHU_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test),
 * each store in its own schema so parallel runs never collide. With CI set, an unreachable
 * PostgreSQL fails the run instead of skipping it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openStore, migrateToLatest, type DataStore } from '../../src/store/index.ts';

export const PG_URL = process.env.CONGTHU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgReachable: boolean | undefined;
export async function postgresAvailable(): Promise<boolean> {
  if (pgReachable !== undefined) return pgReachable;
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    pgReachable = true;
  } catch (e) {
    if (process.env.CI)
      throw new Error(`PostgreSQL is required in CI but ${PG_URL} is unreachable: ${String(e)}`, {
        cause: e,
      });
    pgReachable = false;
  }
  return pgReachable;
}

export type BackendName = 'sqlite' | 'postgres';
export const BACKENDS: BackendName[] = ['sqlite', 'postgres'];

export interface TestBackend {
  name: BackendName;
  /** Database URL for this test's private database (a new SQLite file or PostgreSQL schema). */
  url: string;
  dir: string;
  cleanup(): Promise<void>;
}

/** A fresh, empty database of the given kind and a private temp folder. */
export async function makeBackend(name: BackendName): Promise<TestBackend> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'congthu-test-'));
  if (name === 'sqlite') {
    return {
      name,
      dir,
      url: `sqlite:${path.join(dir, 'congthu.db')}`,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  return {
    name,
    dir,
    url: u.toString(),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Open and migrate a store on a fresh backend. */
export async function freshStore(name: BackendName): Promise<{ store: DataStore; backend: TestBackend }> {
  const backend = await makeBackend(name);
  const store = await openStore({ url: backend.url });
  await migrateToLatest(store);
  return { store, backend };
}

/** The backends to run on: PostgreSQL is left out only outside CI when it is unreachable. */
export async function availableBackends(): Promise<BackendName[]> {
  return (await postgresAvailable()) ? BACKENDS : ['sqlite'];
}
