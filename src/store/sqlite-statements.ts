/**
 * Prepared statements reused across queries on SQLite. Kysely asks the driver to `prepare` the SQL
 * of every query it runs, and better-sqlite3 then parses and plans it afresh: for the short
 * statements of the hot paths (ingest, FETCH batches, STORE) that was a tenth of the server's CPU.
 * The same SQL text always gets the same statement object back (better-sqlite3 statements are
 * reusable once `all`/`run` has returned; nothing here iterates a statement lazily).
 * Least recently used statements are finalised beyond `max` (texts with `IN (…)` lists vary).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export function withStatementCache(raw: BetterSqlite3.Database, max = 512): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // most recent last
      } else {
        stmt = raw.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt as unknown as SqliteStatement;
    },
  };
}
