import type { Kysely } from 'kysely';

/**
 * The identity graph: profiles, the identifiers that point at them, which events belong to
 * which profile, and an append-only merge log that makes every merge explainable and
 * reversible.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identity_profiles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merged_into', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('traits', 'text', (c) => c.notNull())
    .addColumn('trait_times', 'text', (c) => c.notNull())
    .addColumn('trait_priorities', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('identity_profiles_merged_into')
    .on('identity_profiles')
    .column('merged_into')
    .execute();

  await db.schema
    .createTable('identity_identifiers')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('first_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_identifiers_pk', ['type', 'value'])
    .execute();
  await db.schema
    .createIndex('identity_identifiers_profile')
    .on('identity_identifiers')
    .column('profile_id')
    .execute();

  await db.schema
    .createTable('identity_profile_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('origin_profile_id', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('identity_profile_events_timeline')
    .on('identity_profile_events')
    .columns(['profile_id', 'timestamp'])
    .execute();

  // Every identifier each event carried, attached or not: an unmerge rebuilds the part of the
  // graph these connect, so the result equals a fresh replay.
  await db.schema
    .createTable('identity_event_ids')
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_event_ids_pk', ['seq', 'type', 'value'])
    .execute();
  await db.schema
    .createIndex('identity_event_ids_value')
    .on('identity_event_ids')
    .columns(['type', 'value'])
    .execute();

  await db.schema
    .createTable('identity_merge_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('other_profile_id', 'text')
    .addColumn('seq', 'bigint')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('reversed_by', 'text')
    .execute();
  await db.schema
    .createIndex('identity_merge_log_profile')
    .on('identity_merge_log')
    .column('profile_id')
    .execute();
  await db.schema
    .createIndex('identity_merge_log_other')
    .on('identity_merge_log')
    .column('other_profile_id')
    .execute();

  await db.schema
    .createTable('identity_separations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('left_ids', 'text', (c) => c.notNull())
    .addColumn('right_ids', 'text', (c) => c.notNull())
    .addColumn('merge_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('identity_shared_identifiers')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('conflicts', 'integer', (c) => c.notNull())
    .addColumn('flagged_at', 'text')
    .addPrimaryKeyConstraint('identity_shared_identifiers_pk', ['type', 'value'])
    .execute();

  // Fuzzy duplicate candidates between profiles: merged automatically above the upper
  // threshold (through a link event in the log), otherwise kept for review.
  await db.schema
    .createTable('identity_duplicates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('profile_a', 'text', (c) => c.notNull())
    .addColumn('profile_b', 'text', (c) => c.notNull())
    .addColumn('probability', 'double precision', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('identity_duplicates_status')
    .on('identity_duplicates')
    .column('status')
    .execute();

  await db.schema
    .createTable('identity_rules')
    .addColumn('type', 'text', (c) => c.primaryKey())
    .addColumn('max_per_profile', 'integer', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('blocked', 'text', (c) => c.notNull())
    .addColumn('window_days', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'identity_rules',
    'identity_duplicates',
    'identity_shared_identifiers',
    'identity_separations',
    'identity_merge_log',
    'identity_event_ids',
    'identity_profile_events',
    'identity_identifiers',
    'identity_profiles',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
