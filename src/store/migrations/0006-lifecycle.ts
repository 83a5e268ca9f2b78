/**
 * 0006: the mailbox lifecycle rules (Điều 5.1, 7.3, 8.2): exemptions an agency or the operator
 * files for a mailbox's inactivity (the clock pauses), the register of numbered written notices,
 * and the lifecycle actions already taken: the idempotency record, so that the daily job run
 * twice, or resumed after a crash, never acts twice (one row per account, kind and cycle).
 */
import { int64, type Migration } from './types.ts';

export const migration0006: Migration = {
  name: '0006-lifecycle',
  async up(db, dialect) {
    const i64 = int64(dialect);
    await db.schema
      .createTable('lifecycle_exemptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('basis', 'text')
      .addColumn('from_date', 'text', (c) => c.notNull()) // YYYY-MM-DD, Asia/Ho_Chi_Minh, inclusive
      .addColumn('until_date', 'text', (c) => c.notNull()) // inclusive
      .addColumn('filed_by', 'text', (c) => c.notNull())
      .addColumn('filed_at', i64, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('lifecycle_exemptions_account')
      .on('lifecycle_exemptions')
      .column('account_id')
      .execute();
    await db.schema
      .createTable('notices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull().unique())
      .addColumn('recipients', 'text', (c) => c.notNull()) // JSON array of account ids
      .addColumn('created_at', i64, (c) => c.notNull())
      .addUniqueConstraint('notices_year_seq', ['year', 'seq'])
      .execute();
    await db.schema
      .createTable('lifecycle_actions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('cycle_key', i64, (c) => c.notNull()) // the instant the counted period starts from
      .addColumn('due_at', i64, (c) => c.notNull())
      .addColumn('claimed_at', i64, (c) => c.notNull())
      .addColumn('done_at', i64) // null: claimed, not finished (resumed by the next run)
      .addColumn('notice_id', 'text', (c) => c.references('notices.id'))
      .addUniqueConstraint('lifecycle_actions_once', ['account_id', 'kind', 'cycle_key'])
      .execute();
    await db.schema.createIndex('lifecycle_actions_open').on('lifecycle_actions').column('done_at').execute();
  },
};
