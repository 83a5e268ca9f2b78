/**
 * 0012: classified-document incidents (Điều 10.4, 11.3): a recipient reports a received message as
 * containing state-secret content; the operator contains it (every local copy leaves the users'
 * mailboxes for a quarantine no user can reach); the authorities assess it; it is closed.
 *
 * - `incidents`: one per report, numbered per year ("SC-MAT-2026-0001"), with the message
 *   reference at report time (blob id = SHA-256 of the bytes, Message-ID, mailbox, folder, UID).
 * - `incident_events`: the timeline and chain of custody, append-only (the database refuses UPDATE
 *   and DELETE); each row carries the SHA-256 of the previous row's hash and its own content, so a
 *   removed or altered row breaks the chain.
 * - `incident_quarantine`: one row per removed copy, with everything the message row held (owner,
 *   folder, UID, UIDVALIDITY, flags, dates, size); each row holds one reference in `blobs`, so the
 *   garbage collector never deletes the evidence.
 * - `incident_content_grants`: the operator lets one security auditor read one incident's content.
 */
import { sql, type Kysely } from 'kysely';
import { int64, type Dialect, type Migration } from './types.ts';

async function appendOnly(db: Kysely<unknown>, dialect: Dialect, table: string): Promise<void> {
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE'])
      await sql
        .raw(
          `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} ` +
            `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
        )
        .execute(db);
    return;
  }
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

export const migration0012: Migration = {
  name: '0012-incidents',
  async up(db, dialect) {
    const i64 = int64(dialect);
    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull().unique()) // "SC-MAT-2026-0001"
      .addColumn('kind', 'text', (c) => c.notNull()) // 'state-secret'
      .addColumn('state', 'text', (c) =>
        c.notNull().check(sql`state in ('reported', 'contained', 'assessed', 'closed')`),
      )
      .addColumn('agency_id', 'text', (c) => c.references('organisations.id')) // where it was found
      .addColumn('reporter_id', 'text', (c) => c.notNull())
      .addColumn('reporter_label', 'text')
      .addColumn('mailbox_id', 'text', (c) => c.notNull()) // the account whose mailbox held it
      .addColumn('mailbox_address', 'text', (c) => c.notNull())
      .addColumn('folder_name', 'text', (c) => c.notNull())
      .addColumn('uid', i64, (c) => c.notNull())
      .addColumn('uid_validity', i64, (c) => c.notNull())
      .addColumn('blob_id', 'text', (c) => c.notNull()) // SHA-256 of the reported bytes
      .addColumn('size', i64, (c) => c.notNull())
      .addColumn('message_id', 'text') // the Message-ID field, or null
      .addColumn('sender', 'text') // the From address, or null
      .addColumn('note', 'text')
      .addColumn('assessment', 'text')
      .addColumn('reported_at', i64, (c) => c.notNull())
      .addColumn('contained_at', i64)
      .addColumn('assessed_at', i64)
      .addColumn('closed_at', i64)
      .addColumn('updated_at', i64, (c) => c.notNull())
      .addUniqueConstraint('incidents_year_seq', ['year', 'seq'])
      .execute();
    await db.schema.createIndex('incidents_agency').on('incidents').columns(['agency_id', 'state']).execute();
    await db.schema.createIndex('incidents_blob').on('incidents').column('blob_id').execute();

    await db.schema
      .createTable('incident_events')
      .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', i64, (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('actor_label', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull()) // JSON
      .addColumn('prev_hash', 'text', (c) => c.notNull()) // '' for the first event
      .addColumn('hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_events_pk', ['incident_id', 'seq'])
      .execute();
    await appendOnly(db, dialect, 'incident_events');

    await db.schema
      .createTable('incident_quarantine')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
      .addColumn('blob_id', 'text', (c) => c.notNull()) // holds one reference in `blobs`
      .addColumn('sha256', 'text', (c) => c.notNull()) // computed from the bytes at containment
      .addColumn('size', i64, (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('folder_name', 'text', (c) => c.notNull())
      .addColumn('uid', i64, (c) => c.notNull())
      .addColumn('uid_validity', i64, (c) => c.notNull())
      .addColumn('flags', 'text', (c) => c.notNull())
      .addColumn('internal_date', i64, (c) => c.notNull())
      .addColumn('saved_at', i64, (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('quarantined_at', i64, (c) => c.notNull())
      .addColumn('quarantined_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('incident_quarantine_incident')
      .on('incident_quarantine')
      .column('incident_id')
      .execute();
    await db.schema
      .createIndex('incident_quarantine_blob')
      .on('incident_quarantine')
      .column('blob_id')
      .execute();

    await db.schema
      .createTable('incident_content_grants')
      .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
      .addColumn('auditor_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('granted_by', 'text', (c) => c.notNull())
      .addColumn('granted_by_label', 'text')
      .addColumn('granted_at', i64, (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_content_grants_pk', ['incident_id', 'auditor_id'])
      .execute();
  },
};
