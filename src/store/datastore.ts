/**
 * DataStore: the one way the rest of Congthu reaches the database.
 *
 * - `read(fn)` runs fn with a query builder; `write(fn)` runs fn inside one transaction and only
 *   then runs the hooks fn registered with `tx.onCommit` (DESIGN.md: commit first, then broadcast).
 * - SQLite (better-sqlite3): WAL, synchronous=FULL (a committed write survives power loss).
 *   The server and the CLI can use one file at once: writes start with BEGIN IMMEDIATE (two
 *   writers never deadlock upgrading a read lock) and SQLITE_BUSY is retried asynchronously
 *   with backoff for up to 20 s, so a waiting writer never blocks the event loop.
 * - PostgreSQL (pg): READ COMMITTED, with `tx.lock(name)` (a transaction-scoped advisory lock) where
 *   a rule needs serialising (issuing addresses); serialisation failures and deadlocks are retried.
 * - Writes may not nest: a nested write would deadlock on SQLite's single connection, so it throws.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import { withStatementCache } from './sqlite-statements.ts';
import pg from 'pg';
import type { Database } from './schema.ts';
import type { Dialect } from './migrations/index.ts';

export type Db = Kysely<Database>;

export interface Tx {
  /** The query builder bound to this transaction. */
  readonly db: Db;
  readonly dialect: Dialect;
  /** Run after a successful COMMIT, in order; errors are logged by the caller's hook, never thrown back. */
  onCommit(hook: () => void | Promise<void>): void;
  /** Serialise with every other transaction taking the same named lock (no-op on SQLite: writes are serial). */
  lock(name: string): Promise<void>;
}

export interface DataStore {
  readonly dialect: Dialect;
  /** PostgreSQL: the schema holding every table (from `?schema=`), or null for the default. */
  readonly schema: string | null;
  /** For reads outside a transaction. */
  readonly db: Db;
  read<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Called with errors thrown by on-commit hooks (the data is committed; the hook failed). */
  onHookError: (err: unknown) => void;
}

export interface OpenStoreOptions {
  /** `sqlite:/abs/path.db`, `sqlite::memory:`, or `postgres://…` (optional `?schema=name`). */
  url: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

const inWrite = new AsyncLocalStorage<boolean>();

function isRetryable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY';
}

/** Unique-constraint violation, in either dialect. */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

let pgTypesSet = false;
function setPgTypes(): void {
  if (pgTypesSet) return;
  pgTypesSet = true;
  // int8 (times in ms, sizes in bytes, counts): all far below 2^53.
  pg.types.setTypeParser(20, (v: string) => Number(v));
  pg.types.setTypeParser(1700, (v: string) => Number(v));
}

function hashLockName(name: string): number {
  // FNV-1a 32-bit, as a signed int for pg_advisory_xact_lock(int).
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export async function openStore(options: OpenStoreOptions): Promise<DataStore> {
  const { url } = options;
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options.poolSize ?? 10);
  throw new Error(
    `Unsupported database URL (expected sqlite: or postgres://): ${url.replace(/:[^:@/]*@/, ':***@')}`,
  );
}

function openSqlite(file: string): DataStore {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  // Short: better-sqlite3 waits synchronously, which would stall the event loop; longer waits
  // are retried asynchronously by write().
  raw.pragma('busy_timeout = 50');
  raw.pragma('foreign_keys = ON');
  // The default page cache (2 MiB) holds a fraction of the indexes of one large mailbox; every
  // miss is a read system call on the event loop's thread.
  raw.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  return makeStore(db, 'sqlite', null, async () => {
    await db.destroy();
  });
}

async function openPostgres(url: string, poolSize: number): Promise<DataStore> {
  setPgTypes();
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: u.toString(),
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => {
    /* an idle client died; the pool replaces it */
  });
  if (schema) {
    const c = await pool.connect();
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      c.release();
    }
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return makeStore(db, 'postgres', schema, async () => {
    await db.destroy();
  });
}

function makeStore(db: Db, dialect: Dialect, schema: string | null, destroy: () => Promise<void>): DataStore {
  const store: DataStore = {
    dialect,
    schema,
    db,
    onHookError: () => {},
    async read(fn) {
      return fn(db);
    },
    async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      if (inWrite.getStore()) throw new Error('DataStore.write() may not be nested');
      const deadline = Date.now() + 20_000;
      for (let attempt = 0; ; attempt++) {
        const hooks: Array<() => void | Promise<void>> = [];
        try {
          const result = await inWrite.run(true, () => runTransaction(db, dialect, hooks, fn));
          for (const hook of hooks) {
            try {
              await hook();
            } catch (e) {
              store.onHookError(e);
            }
          }
          return result;
        } catch (e) {
          if (isRetryable(e) && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, Math.min(200, 2 ** attempt) * (0.5 + Math.random())));
            continue;
          }
          throw e;
        }
      }
    },
    close: destroy,
  };
  return store;
}

async function runTransaction<T>(
  db: Db,
  dialect: Dialect,
  hooks: Array<() => void | Promise<void>>,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(dialect === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN').execute(conn);
    const tx: Tx = {
      db: conn as unknown as Transaction<Database>,
      dialect,
      onCommit: (h) => {
        hooks.push(h);
      },
      lock: async (name) => {
        if (dialect === 'postgres')
          await sql`SELECT pg_advisory_xact_lock(${hashLockName(name)})`.execute(conn);
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (e) {
      await sql
        .raw('ROLLBACK')
        .execute(conn)
        .catch(() => undefined);
      throw e;
    }
    try {
      await sql.raw('COMMIT').execute(conn);
    } catch (e) {
      await sql
        .raw('ROLLBACK')
        .execute(conn)
        .catch(() => undefined);
      throw e;
    }
    return result;
  });
}
