/**
 * 0008: delegation of agency and sub-unit mailboxes (Điều 10.1): the head of an agency lets a
 * person of that agency use the agency's (or a sub-unit's) mailbox. One row per (mailbox,
 * delegate): the rights as an RFC 4314 rights string (IMAP ACL, RFC 4314 §2.1) and whether the
 * delegate may also send as the mailbox on submission. Revocation deletes the row; the history
 * is in the audit log (`delegation.grant`, `delegation.revoke`, `delegation.auto-revoke`).
 */
import { int64, type Migration } from './types.ts';

export const migration0008: Migration = {
  name: '0008-delegation',
  async up(db, dialect) {
    const i64 = int64(dialect);
    await db.schema
      .createTable('delegations')
      .addColumn('owner_id', 'text', (c) => c.notNull().references('accounts.id')) // agency or sub-unit mailbox
      .addColumn('grantee_id', 'text', (c) => c.notNull().references('accounts.id')) // a personal account
      .addColumn('rights', 'text', (c) => c.notNull()) // RFC 4314 rights, canonical order: 'lrs', 'lrswikxte'
      .addColumn('send_as', 'integer', (c) => c.notNull().defaultTo(0)) // 1: may send as the mailbox
      .addColumn('granted_by', 'text', (c) => c.notNull()) // actor id
      .addColumn('granted_at', i64, (c) => c.notNull())
      .addPrimaryKeyConstraint('delegations_pk', ['owner_id', 'grantee_id'])
      .execute();
    await db.schema.createIndex('delegations_grantee').on('delegations').column('grantee_id').execute();
  },
};
