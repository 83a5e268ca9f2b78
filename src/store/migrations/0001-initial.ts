/**
 * 0001: the directory (organisations, accounts, the address namespace, password history), the
 * append-only audit log, access events for the governance rules, blob reference counts, meta.
 */
import { sql, type Kysely } from 'kysely';
import { int64, type Dialect, type Migration } from './types.ts';

async function appendOnly(db: Kysely<unknown>, dialect: Dialect, table: string): Promise<void> {
  // Audit and access events are evidence: the database itself refuses to change or delete them.
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} ` +
            `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
        )
        .execute(db);
    }
  } else {
    await sql
      .raw(
        `CREATE OR REPLACE FUNCTION ${table}_append_only() RETURNS trigger LANGUAGE plpgsql AS ` +
          `$$ BEGIN RAISE EXCEPTION '${table} is append-only'; END $$`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} ` +
          `FOR EACH ROW EXECUTE FUNCTION ${table}_append_only()`,
      )
      .execute(db);
  }
}

export const migration0001: Migration = {
  name: '0001-initial',
  async up(db, dialect) {
    const i64 = int64(dialect);
    const identity = (col: string): string =>
      dialect === 'postgres'
        ? `${col} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`
        : `${col} integer PRIMARY KEY AUTOINCREMENT`;

    await db.schema
      .createTable('organisations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('abbrev', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('province', 'agency', 'sub-unit')`))
      .addColumn('category', 'text')
      .addColumn('parent_id', 'text', (c) => c.references('organisations.id'))
      .addColumn('created_at', i64, (c) => c.notNull())
      .addColumn('updated_at', i64, (c) => c.notNull())
      .addColumn('dissolved_at', i64)
      .execute();
    await db.schema.createIndex('organisations_parent').on('organisations').column('parent_id').execute();
    // Exactly one province root.
    await sql`CREATE UNIQUE INDEX organisations_one_province ON organisations (kind) WHERE kind = 'province'`.execute(
      db,
    );

    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('agency', 'sub-unit', 'personal')`))
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
      .addColumn('person_id', 'text')
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('local_part', 'text', (c) => c.notNull())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'suspended', 'deleted')`))
      .addColumn('state_reason', 'text')
      .addColumn('state_basis', 'text')
      .addColumn('state_changed_at', i64, (c) => c.notNull())
      .addColumn('purge_after', i64)
      .addColumn('role', 'text', (c) =>
        c.notNull().check(sql`role in ('operator', 'auditor', 'agency-admin', 'user')`),
      )
      .addColumn('admin_org_id', 'text', (c) => c.references('organisations.id'))
      .addColumn('password_hash', 'text')
      .addColumn('password_changed_at', i64)
      .addColumn('password_must_change', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('quota_bytes', i64)
      .addColumn('used_bytes', i64, (c) => c.notNull().defaultTo(0))
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', i64)
      .addColumn('last_access_at', i64)
      .addColumn('created_at', i64, (c) => c.notNull())
      .addColumn('updated_at', i64, (c) => c.notNull())
      .execute();
    // Điều 3.2: one mailbox per person, per agency, per sub-unit.
    await sql`CREATE UNIQUE INDEX accounts_one_per_person ON accounts (person_id) WHERE person_id IS NOT NULL`.execute(
      db,
    );
    await sql`CREATE UNIQUE INDEX accounts_one_per_org ON accounts (org_id) WHERE kind <> 'personal'`.execute(
      db,
    );
    await db.schema.createIndex('accounts_org').on('accounts').column('org_id').execute();
    await db.schema
      .createIndex('accounts_state')
      .on('accounts')
      .columns(['state', 'last_access_at'])
      .execute();

    await db.schema
      .createTable('addresses')
      .addColumn('local_part', 'text', (c) => c.notNull())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('primary', 'alias')`))
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'retired')`))
      .addColumn('created_at', i64, (c) => c.notNull())
      .addColumn('retired_at', i64)
      .addPrimaryKeyConstraint('addresses_pk', ['local_part', 'domain'])
      .execute();
    await db.schema.createIndex('addresses_account').on('addresses').column('account_id').execute();

    await sql
      .raw(
        `CREATE TABLE password_history (${identity('id')}, account_id text NOT NULL REFERENCES accounts(id), ` +
          `hash text NOT NULL, created_at ${i64} NOT NULL)`,
      )
      .execute(db);
    await db.schema
      .createIndex('password_history_account')
      .on('password_history')
      .column('account_id')
      .execute();

    await sql
      .raw(
        `CREATE TABLE audit_events (${identity('id')}, at ${i64} NOT NULL, actor text NOT NULL, actor_label text, ` +
          `action text NOT NULL, target_type text NOT NULL, target_id text, source_ip text, reason text, details text)`,
      )
      .execute(db);
    await db.schema
      .createIndex('audit_events_target')
      .on('audit_events')
      .columns(['target_type', 'target_id'])
      .execute();
    await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
    await appendOnly(db, dialect, 'audit_events');

    await sql
      .raw(
        `CREATE TABLE access_events (${identity('id')}, at ${i64} NOT NULL, account_id text NOT NULL, ` +
          `mailbox_id text NOT NULL, protocol text NOT NULL, kind text NOT NULL, client_ip text)`,
      )
      .execute(db);
    await db.schema
      .createIndex('access_events_mailbox_at')
      .on('access_events')
      .columns(['mailbox_id', 'at'])
      .execute();
    await appendOnly(db, dialect, 'access_events');

    await db.schema
      .createTable('blobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('size', i64, (c) => c.notNull())
      .addColumn('refcount', i64, (c) => c.notNull().check(sql`refcount >= 0`))
      .addColumn('created_at', i64, (c) => c.notNull())
      .addColumn('zero_since', i64)
      .execute();
    await sql`CREATE INDEX blobs_unreferenced ON blobs (zero_since) WHERE refcount = 0`.execute(db);

    await db.schema
      .createTable('meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
