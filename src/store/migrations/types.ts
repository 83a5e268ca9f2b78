/**
 * A numbered migration. `up` receives the dialect because the two SQL dialects differ in a few
 * column types (64-bit integers, identity columns, triggers). Migrations are append-only: never
 * edit one that has shipped; add the next number.
 */
import type { Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  readonly name: string; // '0001-initial': the number orders them
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

export function int64(dialect: Dialect): 'bigint' | 'integer' {
  return dialect === 'postgres' ? 'bigint' : 'integer';
}
