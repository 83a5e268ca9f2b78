/**
 * 0014: entries the operator hid from the public directory (Điều 11.1), with the reason. One row
 * per hidden account; unhiding deletes the row. Both changes are in the audit log
 * (`directory.hide`, `directory.unhide`). No foreign key to `accounts`: a purged account's row is
 * simply never matched again.
 *
 * Two indexes let the directory's change signature (max of `accounts.updated_at` and
 * `accounts.state_changed_at`, read before each public search) be index look-ups instead of scans.
 */
import { int64, type Migration } from './types.ts';

export const migration0014: Migration = {
  name: '0014-directory-hidden',
  async up(db, dialect) {
    await db.schema
      .createTable('directory_hidden')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('hidden_by', 'text', (c) => c.notNull()) // actor id
      .addColumn('hidden_by_label', 'text')
      .addColumn('hidden_at', int64(dialect), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('accounts_updated_at').on('accounts').column('updated_at').execute();
    await db.schema
      .createIndex('accounts_state_changed_at')
      .on('accounts')
      .column('state_changed_at')
      .execute();
  },
};
