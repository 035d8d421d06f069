import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * DMP media efficiency: ad-server impressions, clicks and conversions, one row per event and
 * attributed segment (`segment_id` null when an event was attributed to none). Keyed by the
 * pseudonymous DMP ID only, so erasure, opt-out and retention delete them with the ID.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('dmp_media_hits')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('dmp_id', 'text', (c) => c.notNull())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('creative', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('segment_id', 'text')
    .addColumn('cost_micros', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('value_micros', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  // Attribution looks up an ID's latest impression of a campaign; erasure deletes by ID.
  await db.schema
    .createIndex('dmp_media_hits_attribution')
    .on('dmp_media_hits')
    .columns(['dmp_id', 'campaign', 'kind', 'at'])
    .execute();
  // Reports scan a time range; the age purge too.
  await db.schema.createIndex('dmp_media_hits_at').on('dmp_media_hits').column('at').execute();
  await db.schema
    .createIndex('dmp_media_hits_event')
    .on('dmp_media_hits')
    .column('event_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dmp_media_hits').ifExists().execute();
}
