/**
 * 0010: the ENVELOPE of each stored message (RFC 9051 §7.5.2) as its own small JSON column beside
 * the whole MIME index, so that a client listing a folder (`UID FETCH 1:* (… ENVELOPE)`, the first
 * thing every client does) reads a few hundred bytes per message instead of parsing the index with
 * every part's offsets. Filled for the messages already stored from their index, in SQL, so that
 * every row has it ('null' for a message without an envelope).
 * Beside it `refs`, the raw References field (RFC 5322 §3.6.4) for THREAD=REFERENCES (RFC 5256 §2.2),
 * which otherwise reads every message's header from its blob; NULL for messages stored before (the
 * header is read then), '' for a message without one.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Dialect, Migration } from './types.ts';

/** Fill `envelope_json` of the stored messages from their MIME index (also used by the test). */
export async function backfillEnvelopes(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres')
    await sql`UPDATE message_meta
      SET envelope_json = COALESCE((index_json::jsonb -> 'root' -> 'envelope')::text, 'null')
      WHERE envelope_json IS NULL`.execute(db);
  // json_extract gives SQL NULL for a JSON null: store the JSON text 'null', as ingest does.
  else
    await sql`UPDATE message_meta
      SET envelope_json = COALESCE(json(json_extract(index_json, '$.root.envelope')), 'null')
      WHERE envelope_json IS NULL`.execute(db);
}

export const migration0010: Migration = {
  name: '0010-envelope',
  async up(db, dialect) {
    await db.schema.alterTable('message_meta').addColumn('envelope_json', 'text').execute();
    await db.schema.alterTable('message_meta').addColumn('refs', 'text').execute();
    await backfillEnvelopes(db, dialect);
  },
};
