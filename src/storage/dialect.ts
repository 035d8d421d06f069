import { type Kysely, PostgresAdapter } from 'kysely';

/** Migrations and a few hot paths differ by engine; everything else is one portable query. */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
