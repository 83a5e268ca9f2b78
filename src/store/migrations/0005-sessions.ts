/**
 * 0005: web and API sessions. The token itself is never stored: only its SHA-256, so a copy of
 * the database does not let anyone act as a signed-in user.
 */
import { int64, type Migration } from './types.ts';

export const migration0005: Migration = {
  name: '0005-sessions',
  async up(db, dialect) {
    const i64 = int64(dialect);
    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('restricted', 'integer', (c) => c.notNull()) // 1: only the password may be changed (Điều 9.2.a)
      .addColumn('created_at', i64, (c) => c.notNull())
      .addColumn('last_seen_at', i64, (c) => c.notNull())
      .addColumn('expires_at', i64, (c) => c.notNull())
      .addColumn('client_ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();
  },
};
