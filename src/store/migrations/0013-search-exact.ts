/**
 * 0013: the exact text of each message as IMAP SEARCH compares it (RFC 9051 §6.4.4: NFC, lower
 * case, not folded for diacritics; src/mailbox/search-index.ts `exactFold`), one row per blob:
 * `hdr` is every header field as "Name: decoded value", `subject` the decoded Subject values (one a
 * line), `body` the decoded body text. With it, SEARCH BODY/TEXT/SUBJECT is answered in SQL (instr / position) for the candidates the folded index
 * leaves, instead of reading and decoding every candidate message from its blob — a common
 * Vietnamese word matching most of a 100,000-message folder took longer than the time budget.
 * No row: stored before this migration, or the text was cut or holds NUL — checked from the blob.
 */
import { sql } from 'kysely';
import type { Migration } from './types.ts';

export const migration0013: Migration = {
  name: '0013-search-exact',
  async up(db) {
    await sql`CREATE TABLE search_exact (blob_id text PRIMARY KEY REFERENCES blobs(id) ON DELETE CASCADE,
      hdr text NOT NULL, subject text NOT NULL, body text NOT NULL)`.execute(db);
  },
};
