import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * Covering indexes for the set-based audience recompute (`recomputeAudience`): it counts the
 * track events of a few names, inside a time range, per profile. The events index lets that
 * read only the matching range of names and times (on SQLite `seq` is the rowid and rides in
 * every index; PostgreSQL needs it listed for an index-only scan); the placement index turns
 * the join to each event's profile into one index probe instead of a probe and a row read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createIndex('events_audience')
    .on('events')
    .columns(pg ? ['event', 'type', 'timestamp', 'seq'] : ['event', 'type', 'timestamp'])
    .execute();
  await db.schema
    .createIndex('identity_profile_events_placement')
    .on('identity_profile_events')
    .columns(['seq', 'profile_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('identity_profile_events_placement').ifExists().execute();
  await db.schema.dropIndex('events_audience').ifExists().execute();
}
