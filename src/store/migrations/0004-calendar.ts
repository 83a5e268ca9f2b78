/**
 * 0004: the working-day calendar as data the operator edits (REQUIREMENTS "Working days"): the
 * years the operator manages, and per date a day off or an extra working day with its reason.
 * Years without a row use the computed default (src/governance/calendar).
 */
import { sql } from 'kysely';
import { int64, type Migration } from './types.ts';

export const migration0004: Migration = {
  name: '0004-calendar',
  async up(db, dialect) {
    const i64 = int64(dialect);
    await db.schema
      .createTable('calendar_years')
      .addColumn('year', 'integer', (c) => c.primaryKey())
      .addColumn('updated_at', i64, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('calendar_entries')
      .addColumn('date', 'text', (c) => c.primaryKey()) // YYYY-MM-DD, civil date in Asia/Ho_Chi_Minh
      .addColumn('year', 'integer', (c) => c.notNull().references('calendar_years.year'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('off', 'work')`))
      .addColumn('reason_vi', 'text', (c) => c.notNull())
      .addColumn('reason_en', 'text', (c) => c.notNull())
      .addColumn('updated_at', i64, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('calendar_entries_year').on('calendar_entries').column('year').execute();
  },
};
