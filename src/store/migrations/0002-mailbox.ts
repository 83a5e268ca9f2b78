/**
 * 0002: the mail store. Folders per account with IMAP's UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ
 * (RFC 9051 §2.3.1.1, RFC 7162 §3.1); messages as rows pointing at shared blobs; tombstones of
 * expunged UIDs for QRESYNC (RFC 7162 §3.2.5); the per-blob index computed once at ingest.
 */
import { sql } from 'kysely';
import { int64, type Migration } from './types.ts';

export const migration0002: Migration = {
  name: '0002-mailbox',
  async up(db, dialect) {
    const i64 = int64(dialect);
    const identity =
      dialect === 'postgres'
        ? 'id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
        : 'id integer PRIMARY KEY AUTOINCREMENT';

    await db.schema
      .createTable('folders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('special_use', 'text')
      .addColumn('uid_validity', i64, (c) => c.notNull())
      .addColumn('uid_next', i64, (c) => c.notNull())
      .addColumn('highest_modseq', i64, (c) => c.notNull())
      .addColumn('subscribed', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', i64, (c) => c.notNull())
      .addUniqueConstraint('folders_account_name', ['account_id', 'name'])
      .execute();

    await db.schema
      .createTable('message_meta')
      .addColumn('blob_id', 'text', (c) => c.primaryKey().references('blobs.id').onDelete('cascade')) // goes with its blob
      .addColumn('index_json', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('from_addr', 'text')
      .addColumn('message_id', 'text')
      .addColumn('sent_at', i64)
      .addColumn('preview', 'text')
      .addColumn('attachments_bytes', i64, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('message_meta_message_id').on('message_meta').column('message_id').execute();

    await sql
      .raw(
        `CREATE TABLE messages (${identity}, folder_id text NOT NULL REFERENCES folders(id), uid ${i64} NOT NULL, ` +
          `blob_id text NOT NULL REFERENCES blobs(id), size ${i64} NOT NULL, internal_date ${i64} NOT NULL, ` +
          `saved_at ${i64} NOT NULL, modseq ${i64} NOT NULL, flags text NOT NULL DEFAULT '', ` +
          `seen integer NOT NULL DEFAULT 0, deleted integer NOT NULL DEFAULT 0, source text NOT NULL, ` +
          `UNIQUE (folder_id, uid))`,
      )
      .execute(db);
    await db.schema
      .createIndex('messages_folder_modseq')
      .on('messages')
      .columns(['folder_id', 'modseq'])
      .execute();
    await db.schema.createIndex('messages_blob').on('messages').column('blob_id').execute();

    await db.schema
      .createTable('expunged')
      .addColumn('folder_id', 'text', (c) => c.notNull().references('folders.id'))
      .addColumn('uid', i64, (c) => c.notNull())
      .addColumn('modseq', i64, (c) => c.notNull())
      .addPrimaryKeyConstraint('expunged_pk', ['folder_id', 'uid'])
      .execute();
    await db.schema
      .createIndex('expunged_folder_modseq')
      .on('expunged')
      .columns(['folder_id', 'modseq'])
      .execute();
  },
};
