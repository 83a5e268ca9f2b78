// The store contract: the same behaviour on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { availableBackends, freshStore, type TestBackend } from '../support/backends.ts';
import {
  openStore,
  migrateToLatest,
  appendAudit,
  listAudit,
  isUniqueViolation,
  type DataStore,
} from '../../src/store/index.ts';

const backends = await availableBackends();

describe.each(backends)('store contract on %s', (name) => {
  let store: DataStore;
  let backend: TestBackend;
  beforeAll(async () => {
    ({ store, backend } = await freshStore(name));
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('applies migrations once; a second run applies nothing', async () => {
    const again = await migrateToLatest(store);
    expect(again.applied).toEqual([]);
    expect(again.current).toContain('0001-initial');
  });

  it('migrates several databases at once without mixing them up (one schema each on PostgreSQL)', async () => {
    const made = await Promise.all([freshStore(name), freshStore(name), freshStore(name)]);
    try {
      for (const m of made) expect((await migrateToLatest(m.store)).current).toContain('0001-initial');
    } finally {
      for (const m of made) {
        await m.store.close();
        await m.backend.cleanup();
      }
    }
  });

  it('a second process (the CLI beside the server) sees the same database', async () => {
    const other = await openStore({ url: backend.url });
    try {
      await store.write(async (tx) => {
        await tx.db.insertInto('meta').values({ key: 'shared', value: 'x' }).execute();
      });
      const row = await other.db
        .selectFrom('meta')
        .selectAll()
        .where('key', '=', 'shared')
        .executeTakeFirst();
      expect(row?.value).toBe('x');
      // Both write at once: neither deadlocks nor loses its row.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? store : other).write(async (tx) => {
            await tx.db
              .insertInto('meta')
              .values({ key: `both-${i}`, value: String(i) })
              .execute();
          }),
        ),
      );
      const n = await store.db
        .selectFrom('meta')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('key', 'like', 'both-%')
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(20);
    } finally {
      await other.close();
    }
  });

  it('commits, then runs on-commit hooks in order', async () => {
    const seen: string[] = [];
    await store.write(async (tx) => {
      await tx.db.insertInto('meta').values({ key: 'k1', value: 'v1' }).execute();
      tx.onCommit(async () => {
        // The hook sees committed data from a separate read.
        const row = await store.db.selectFrom('meta').selectAll().where('key', '=', 'k1').executeTakeFirst();
        seen.push(`a:${row?.value}`);
      });
      tx.onCommit(() => void seen.push('b'));
      seen.push('body');
    });
    expect(seen).toEqual(['body', 'a:v1', 'b']);
  });

  it('rolls back everything and runs no hook when the body throws', async () => {
    let hookRan = false;
    await expect(
      store.write(async (tx) => {
        await tx.db.insertInto('meta').values({ key: 'k2', value: 'v2' }).execute();
        tx.onCommit(() => {
          hookRan = true;
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(hookRan).toBe(false);
    const row = await store.db.selectFrom('meta').selectAll().where('key', '=', 'k2').executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('refuses nested writes instead of deadlocking', async () => {
    await expect(store.write(async () => store.write(async () => 1))).rejects.toThrow(/nested/);
  });

  it('a hook failure is reported, not thrown: the data is committed', async () => {
    const errors: unknown[] = [];
    store.onHookError = (e) => errors.push(e);
    await store.write(async (tx) => {
      await tx.db.insertInto('meta').values({ key: 'k3', value: 'v3' }).execute();
      tx.onCommit(() => {
        throw new Error('hook failed');
      });
    });
    store.onHookError = () => {};
    expect(errors).toHaveLength(1);
    expect(
      await store.db.selectFrom('meta').select('value').where('key', '=', 'k3').executeTakeFirst(),
    ).toEqual({
      value: 'v3',
    });
  });

  it('tx.lock serialises read-modify-write across concurrent transactions', async () => {
    await store.write(async (tx) => {
      await tx.db.insertInto('meta').values({ key: 'counter', value: '0' }).execute();
    });
    await Promise.all(
      Array.from({ length: 25 }, () =>
        store.write(async (tx) => {
          await tx.lock('counter');
          const row = await tx.db
            .selectFrom('meta')
            .select('value')
            .where('key', '=', 'counter')
            .executeTakeFirstOrThrow();
          await tx.db
            .updateTable('meta')
            .set({ value: String(Number(row.value) + 1) })
            .where('key', '=', 'counter')
            .execute();
        }),
      ),
    );
    const row = await store.db
      .selectFrom('meta')
      .select('value')
      .where('key', '=', 'counter')
      .executeTakeFirstOrThrow();
    expect(row.value).toBe('25');
  });

  it('unique violations are recognised in both dialects', async () => {
    const err = await store
      .write(async (tx) => {
        await tx.db.insertInto('meta').values({ key: 'dup', value: '1' }).execute();
        await tx.db.insertInto('meta').values({ key: 'dup', value: '2' }).execute();
      })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
  });

  it('keeps the audit log append-only: UPDATE and DELETE are refused by the database', async () => {
    await store.write(async (tx) => {
      await appendAudit(
        tx,
        { id: 'system', sourceIp: '127.0.0.1' },
        {
          action: 'test.event',
          targetType: 'test',
          targetId: 't1',
          details: { password: 'Secret@123', n: 1 },
        },
        new Date('2026-11-28T00:00:00Z'),
      );
    });
    const [ev] = await listAudit(store.db, { targetType: 'test', targetId: 't1' });
    expect(ev?.action).toBe('test.event');
    expect(ev?.details).toEqual({ password: '[redacted]', n: 1 });
    await expect(
      store.write(async (tx) => sql`UPDATE audit_events SET action = 'x'`.execute(tx.db)),
    ).rejects.toThrow(/append-only/);
    await expect(store.write(async (tx) => sql`DELETE FROM audit_events`.execute(tx.db))).rejects.toThrow(
      /append-only/,
    );
    expect(await listAudit(store.db, { targetType: 'test' })).toHaveLength(1);
  });
});
