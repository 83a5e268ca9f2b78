/**
 * 0003: the outbound queue (src/queue). One row per queued message, holding one reference to its
 * content blob (so the blob collector never removes it while it waits), and one row per remote
 * recipient with its delivery state:
 *   queued → (deferred)* → delivered | failed
 * `lease_until` marks a recipient claimed by a runner (PostgreSQL: claimed with FOR UPDATE SKIP
 * LOCKED); a runner that dies leaves a lease that simply expires, and the recipient is tried again
 * (at-least-once, like Postfix moving `active` back to `incoming`, catalogue REF-02, FLT-03).
 * `dsn_pending` is set in the same transaction as the state change that calls for a delivery
 * status notification (RFC 3464), so a crash between the two never loses the notice.
 */
import { sql } from 'kysely';
import { int64, type Migration } from './types.ts';

export const migration0003: Migration = {
  name: '0003-queue',
  async up(db, dialect) {
    const i64 = int64(dialect);
    const identity =
      dialect === 'postgres'
        ? 'id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
        : 'id integer PRIMARY KEY AUTOINCREMENT';

    await db.schema
      .createTable('queue_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('blob_id', 'text', (c) => c.notNull().references('blobs.id'))
      .addColumn('size', i64, (c) => c.notNull())
      .addColumn('mail_from', 'text', (c) => c.notNull())
      .addColumn('submitted_by', 'text')
      .addColumn('subject', 'text')
      .addColumn('created_at', i64, (c) => c.notNull())
      .addColumn('dsn_lease_until', i64)
      .execute();

    await sql
      .raw(
        `CREATE TABLE queue_recipients (${identity}, ` +
          `message_id text NOT NULL REFERENCES queue_messages(id) ON DELETE CASCADE, ` +
          `address text NOT NULL, domain text NOT NULL, state text NOT NULL, ` +
          `attempts integer NOT NULL DEFAULT 0, next_attempt_at ${i64} NOT NULL, lease_until ${i64}, ` +
          `last_attempt_at ${i64}, last_reply text, last_status text, remote_mta text, ` +
          `delay_notified integer NOT NULL DEFAULT 0, dsn_pending text, updated_at ${i64} NOT NULL, ` +
          `UNIQUE (message_id, address))`,
      )
      .execute(db);
    await db.schema
      .createIndex('queue_recipients_due')
      .on('queue_recipients')
      .columns(['state', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('queue_recipients_dsn')
      .on('queue_recipients')
      .column('dsn_pending')
      .execute();
  },
};
