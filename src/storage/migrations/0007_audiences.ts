import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * Computed traits, audiences, their per-profile state and membership history, account groups,
 * and destinations with a durable delivery queue, attempt log and egress allow-list.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const serial = pg ? 'bigserial' : 'integer';

  await db.schema
    .createTable('audience_traits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audience_traits_key')
    .unique()
    .on('audience_traits')
    .column('key')
    .execute();

  await db.schema
    .createTable('audience_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress_done', 'bigint', (c) => c.notNull())
    .addColumn('progress_total', 'bigint', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('last_batch_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audience_definitions_key')
    .unique()
    .on('audience_definitions')
    .column('key')
    .execute();

  await db.schema
    .createTable('audience_trait_states')
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('trait_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audience_trait_states_pk', ['profile_id', 'trait_id'])
    .execute();
  // The timer finds the next window expiry through this index.
  await db.schema
    .createIndex('audience_trait_states_expiry')
    .on('audience_trait_states')
    .column('expires_at')
    .execute();
  await db.schema
    .createIndex('audience_trait_states_trait')
    .on('audience_trait_states')
    .column('trait_id')
    .execute();

  await db.schema
    .createTable('audience_members')
    .addColumn('audience_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audience_members_pk', ['audience_id', 'profile_id'])
    .execute();
  await db.schema
    .createIndex('audience_members_profile')
    .on('audience_members')
    .column('profile_id')
    .execute();

  await db.schema
    .createTable('audience_membership_log')
    .addColumn('id', serial, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('audience_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint')
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audience_membership_log_audience')
    .on('audience_membership_log')
    .columns(['audience_id', 'id'])
    .execute();
  await db.schema
    .createIndex('audience_membership_log_profile')
    .on('audience_membership_log')
    .columns(['profile_id', 'id'])
    .execute();

  await db.schema
    .createTable('audience_groups')
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audience_groups_pk', ['group_id', 'profile_id'])
    .execute();
  await db.schema
    .createIndex('audience_groups_profile')
    .on('audience_groups')
    .column('profile_id')
    .execute();

  await db.schema
    .createTable('destinations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('destination_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('destination_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema
    .createIndex('destination_deliveries_message')
    .unique()
    .on('destination_deliveries')
    .columns(['destination_id', 'message_id'])
    .execute();
  await db.schema
    .createIndex('destination_deliveries_due')
    .on('destination_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('destination_attempts')
    .addColumn('id', serial, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('destination_attempts_delivery')
    .on('destination_attempts')
    .column('delivery_id')
    .execute();

  await db.schema
    .createTable('destination_egress_allowlist')
    .addColumn('entry', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'destination_egress_allowlist',
    'destination_attempts',
    'destination_deliveries',
    'destinations',
    'audience_groups',
    'audience_membership_log',
    'audience_members',
    'audience_trait_states',
    'audience_definitions',
    'audience_traits',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
