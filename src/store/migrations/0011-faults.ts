/**
 * 0011: the faults register (Điều 10.5, 11.4): each fault a user reports to its agency's IT
 * contact, numbered per year ("SC-2026-0001"), with its current state and who holds it, and its
 * timeline (one row per step: time, actor, state change, note; append-only). Also an index of
 * access events by time, for the province-wide checking report (Điều 12).
 */
import { int64, type Migration } from './types.ts';

export const migration0011: Migration = {
  name: '0011-faults',
  async up(db, dialect) {
    const i64 = int64(dialect);
    await db.schema
      .createTable('faults')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull().unique()) // "SC-2026-0001"
      .addColumn('reporter_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('reporter_label', 'text')
      .addColumn('agency_id', 'text', (c) => c.references('organisations.id')) // null: no agency (province staff)
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull()) // agency | operator: who is to act
      .addColumn('assignee_id', 'text') // actor id of who took it last
      .addColumn('assignee_label', 'text')
      .addColumn('created_at', i64, (c) => c.notNull())
      .addColumn('updated_at', i64, (c) => c.notNull())
      .addColumn('resolved_at', i64)
      .addColumn('closed_at', i64)
      .addUniqueConstraint('faults_year_seq', ['year', 'seq'])
      .execute();
    await db.schema.createIndex('faults_agency').on('faults').columns(['agency_id', 'state']).execute();
    await db.schema.createIndex('faults_reporter').on('faults').column('reporter_id').execute();
    await db.schema
      .createTable('fault_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('fault_id', 'text', (c) => c.notNull().references('faults.id'))
      .addColumn('seq', 'integer', (c) => c.notNull()) // 1, 2, … per fault: the timeline's order
      .addColumn('at', i64, (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('actor_label', 'text')
      .addColumn('action', 'text', (c) => c.notNull()) // report | acknowledge | escalate | resolve | close
      .addColumn('from_state', 'text')
      .addColumn('to_state', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addUniqueConstraint('fault_events_fault_seq', ['fault_id', 'seq'])
      .execute();
    await db.schema.createIndex('access_events_at').on('access_events').column('at').execute();
  },
};
