import type { Kysely } from 'kysely';

/**
 * Insight rollups kept by the `insights` log consumer: hourly volume per name and source, a
 * slim per-profile event projection (funnels, audience-filtered volume), first-seen cohorts
 * and active weeks (retention).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('insight_volume')
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('insight_volume_pk', ['hour', 'name', 'source_id'])
    .execute();

  await db.schema
    .createTable('insight_profile_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  // Funnel steps: every profile's occurrences of one name, in time order.
  await db.schema
    .createIndex('insight_profile_events_name')
    .on('insight_profile_events')
    .columns(['name', 'profile_id', 'at'])
    .execute();
  // Audience-filtered volume and merges: one profile's events. Covering, so a volume by
  // audience reads only this index, never the table.
  await db.schema
    .createIndex('insight_profile_events_profile')
    .on('insight_profile_events')
    .columns(['profile_id', 'at', 'name', 'source_id'])
    .execute();

  await db.schema
    .createTable('insight_profiles')
    .addColumn('profile_id', 'text', (c) => c.primaryKey())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('cohort', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('insight_profile_weeks')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('cohort', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('insight_profile_weeks_pk', ['profile_id', 'week'])
    .execute();
  // Retention counts come straight off this index (cohort x week), without the table.
  await db.schema
    .createIndex('insight_profile_weeks_cohort')
    .on('insight_profile_weeks')
    .columns(['cohort', 'week', 'profile_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('insight_profile_weeks').execute();
  await db.schema.dropTable('insight_profiles').execute();
  await db.schema.dropTable('insight_profile_events').execute();
  await db.schema.dropTable('insight_volume').execute();
}
