/**
 * 0007: the full-text index (issue 5 item 5; src/mailbox/search-index.ts). One document per blob —
 * a content-addressed blob has one text whatever folders hold it, so COPY and MOVE need no upkeep —
 * written in the ingest transaction beside message_meta and removed with its blob (cascade).
 * The text is folded (Unicode case, diacritics, đ → d) before it is stored; queries fold alike.
 *
 * - SQLite: `search_docs` (rowid, blob, complete) and a contentless FTS5 table with the trigram
 *   tokenizer (substring matching, SQLite ≥ 3.43 for contentless_delete); a trigger deletes the
 *   FTS row when its document goes.
 * - PostgreSQL: `search_docs` holds the folded columns, each with a pg_trgm GIN index so that
 *   `LIKE '%…%'` (substring semantics) is answered from the index. The extension is created if
 *   missing; its operator class is qualified with the schema it lives in, since test and tenant
 *   schemas set their own search_path.
 */
import { sql } from 'kysely';
import type { Migration } from './types.ts';

export const SEARCH_COLUMNS = ['subject', 'addrs', 'hdr', 'body', 'attachments'] as const;

export const migration0007: Migration = {
  name: '0007-search',
  async up(db, dialect) {
    if (dialect === 'sqlite') {
      await sql`CREATE TABLE search_docs (id integer PRIMARY KEY AUTOINCREMENT,
        blob_id text NOT NULL UNIQUE REFERENCES blobs(id) ON DELETE CASCADE,
        complete integer NOT NULL)`.execute(db);
      await sql
        .raw(
          `CREATE VIRTUAL TABLE search_fts USING fts5(${SEARCH_COLUMNS.join(', ')}, ` +
            `tokenize='trigram', content='', contentless_delete=1)`,
        )
        .execute(db);
      await sql`CREATE TRIGGER search_docs_gone AFTER DELETE ON search_docs
        BEGIN DELETE FROM search_fts WHERE rowid = old.id; END`.execute(db);
      return;
    }
    const found = await sql<{ schema: string }>`SELECT n.nspname AS schema FROM pg_extension e
      JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`.execute(db);
    let schema = found.rows[0]?.schema;
    if (schema === undefined) {
      await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
      const again = await sql<{ schema: string }>`SELECT n.nspname AS schema FROM pg_extension e
        JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`.execute(db);
      schema = again.rows[0]!.schema;
    }
    await sql
      .raw(
        `CREATE TABLE search_docs (blob_id text PRIMARY KEY REFERENCES blobs(id) ON DELETE CASCADE, ` +
          `complete integer NOT NULL, ${SEARCH_COLUMNS.map((c) => `${c} text NOT NULL`).join(', ')})`,
      )
      .execute(db);
    const ops = `"${schema.replace(/"/g, '""')}".gin_trgm_ops`;
    for (const c of SEARCH_COLUMNS)
      await sql.raw(`CREATE INDEX search_docs_${c}_trgm ON search_docs USING gin (${c} ${ops})`).execute(db);
  },
};
