/**
 * Applies the numbered migrations in ./migrations, once each, in order, in ONE transaction that
 * holds the `migrations` lock, recording each in `congthu_migrations`. Several processes may start
 * at once (server, CLI, scale-out nodes): one applies, the others then find nothing to do.
 * Both SQLite and PostgreSQL run DDL inside transactions, so a failed migration leaves nothing.
 * (Kysely's own migrator is not used: it inspects every schema of the database, which races with
 * other tenants' schemas being dropped and grows slow with their number.)
 */
import { sql, type Kysely } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { DataStore } from './datastore.ts';

export interface MigrationReport {
  applied: string[];
  current: string[];
}

export async function migrateToLatest(store: DataStore): Promise<MigrationReport> {
  const i64 = store.dialect === 'postgres' ? 'bigint' : 'integer';
  await sql
    .raw(`CREATE TABLE IF NOT EXISTS congthu_migrations (name text PRIMARY KEY, applied_at ${i64} NOT NULL)`)
    .execute(store.db);
  return store.write(async (tx) => {
    await tx.lock('migrations');
    const done = await sql<{ name: string }>`SELECT name FROM congthu_migrations ORDER BY name`.execute(
      tx.db,
    );
    const have = new Set(done.rows.map((r) => r.name));
    const known = new Set(migrations.map((m) => m.name));
    const unknown = [...have].filter((n) => !known.has(n));
    if (unknown.length > 0)
      throw new Error(
        `The database has migrations this version does not know (${unknown.join(', ')}): it was used by a newer Congthu.`,
      );
    const applied: string[] = [];
    for (const m of migrations) {
      if (have.has(m.name)) continue;
      await m.up(tx.db as unknown as Kysely<unknown>, tx.dialect);
      await sql`INSERT INTO congthu_migrations (name, applied_at) VALUES (${m.name}, ${Date.now()})`.execute(
        tx.db,
      );
      applied.push(m.name);
    }
    return { applied, current: migrations.map((m) => m.name) };
  });
}
