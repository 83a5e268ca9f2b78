/**
 * 0009: mailbox requests (Điều 7.2, 8.3): what an agency asks for (create, change, delete, restore a
 * mailbox) with its legal basis and the scanned document (a blob holding one reference), the
 * deadline in working days, the state machine's current state and who moved it; the register of
 * numbered reply letters (one per decided request, gap-free per year); and the one-time activation
 * links of mailboxes created or restored by a request (only the SHA-256 of the token is kept).
 */
import { int64, type Migration } from './types.ts';

export const migration0009: Migration = {
  name: '0009-requests',
  async up(db, dialect) {
    const i64 = int64(dialect);
    await db.schema
      .createTable('requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull().unique()) // "YC-2026-0012"
      .addColumn('agency_id', 'text', (c) => c.references('organisations.id')) // null: a new agency
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('target_account_id', 'text', (c) => c.references('accounts.id'))
      .addColumn('payload', 'text', (c) => c.notNull()) // JSON: the kind's fields
      .addColumn('basis_number', 'text', (c) => c.notNull())
      .addColumn('basis_date', 'text', (c) => c.notNull()) // YYYY-MM-DD
      .addColumn('basis_issuer', 'text', (c) => c.notNull())
      .addColumn('basis_blob_id', 'text', (c) => c.notNull())
      .addColumn('basis_type', 'text', (c) => c.notNull())
      .addColumn('basis_size', i64, (c) => c.notNull())
      .addColumn('basis_filename', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('filed_by', 'text', (c) => c.notNull())
      .addColumn('filed_by_label', 'text')
      .addColumn('received_at', i64, (c) => c.notNull())
      .addColumn('deadline', 'text', (c) => c.notNull()) // YYYY-MM-DD, Asia/Ho_Chi_Minh, inclusive
      .addColumn('remind_on', 'text', (c) => c.notNull())
      .addColumn('reviewed_by', 'text')
      .addColumn('reviewed_at', i64)
      .addColumn('decided_by', 'text')
      .addColumn('decided_by_label', 'text')
      .addColumn('decided_at', i64)
      .addColumn('decision_reason', 'text')
      .addColumn('result', 'text') // JSON: what the approval did
      .addColumn('reminder_notice_id', 'text', (c) => c.references('notices.id'))
      .addColumn('reminder_done_at', i64)
      .addColumn('overdue_notice_id', 'text', (c) => c.references('notices.id'))
      .addColumn('overdue_done_at', i64)
      .addColumn('updated_at', i64, (c) => c.notNull())
      .addUniqueConstraint('requests_year_seq', ['year', 'seq'])
      .execute();
    await db.schema.createIndex('requests_agency').on('requests').columns(['agency_id', 'state']).execute();
    await db.schema.createIndex('requests_state').on('requests').columns(['state', 'deadline']).execute();
    await db.schema
      .createTable('request_letters')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().unique().references('requests.id'))
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull().unique()) // "15/SKHCN-TTCNTT"
      .addColumn('decision', 'text', (c) => c.notNull()) // approved | rejected
      .addColumn('content', 'text', (c) => c.notNull()) // JSON: the letter as rendered (letter.ts)
      .addColumn('recipients', 'text', (c) => c.notNull()) // JSON array of account ids
      .addColumn('message_id', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', i64, (c) => c.notNull())
      .addColumn('delivered_at', i64) // null: not yet in the recipients' mailboxes
      .addUniqueConstraint('request_letters_year_seq', ['year', 'seq'])
      .execute();
    await db.schema
      .createTable('activations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique()) // SHA-256 hex; the token itself is never stored
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('request_id', 'text', (c) => c.references('requests.id'))
      .addColumn('recipients', 'text', (c) => c.notNull()) // JSON array of account ids the link goes to
      .addColumn('created_at', i64, (c) => c.notNull())
      .addColumn('expires_at', i64, (c) => c.notNull())
      .addColumn('used_at', i64)
      .addColumn('superseded_at', i64) // a newer link replaced it
      .addColumn('delivered_at', i64)
      .execute();
    await db.schema.createIndex('activations_account').on('activations').column('account_id').execute();
  },
};
