/**
 * Applies the numbered migrations in ./migrations, once each, in order, recording them in
 * `kysely_migration`. Safe to run from several processes at once (Kysely takes a lock).
 */
import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { DataStore } from './datastore.ts';

export interface MigrationReport {
  applied: string[];
  current: string[];
}

export async function migrateToLatest(store: DataStore): Promise<MigrationReport> {
  const dialect = store.dialect;
  const provider: MigrationProvider = {
    async getMigrations() {
      return Object.fromEntries(
        migrations.map((m) => [m.name, { up: (db: Kysely<unknown>) => m.up(db, dialect) }]),
      );
    },
  };
  // With a schema, Kysely must look for its own tables there: otherwise it finds another schema's
  // kysely_migration table and concludes that this one exists too.
  const migrator = new Migrator({
    db: store.db as unknown as Kysely<unknown>,
    provider,
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  const all = await migrator.getMigrations();
  return { applied, current: all.filter((m) => m.executedAt !== undefined).map((m) => m.name) };
}
