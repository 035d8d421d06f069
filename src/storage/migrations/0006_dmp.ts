import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * The DMP: pseudonymous IDs and their aliases, partner match tables, traits, segments, trait
 * realizations, segment memberships and custom taxonomy nodes. No column is meant for personal
 * data; the collection firewall keeps it out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('dmp_ids')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('activatable', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Retention scans IDs by last activity.
  await db.schema.createIndex('dmp_ids_last_seen').on('dmp_ids').column('last_seen_at').execute();

  await db.schema
    .createTable('dmp_aliases')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('dmp_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dmp_aliases_pk', ['kind', 'value'])
    .execute();
  await db.schema.createIndex('dmp_aliases_dmp_id').on('dmp_aliases').column('dmp_id').execute();

  await db.schema
    .createTable('dmp_partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domains', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dmp_matches')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('partner_id', 'text', (c) => c.notNull())
    .addColumn('partner_uid', 'text', (c) => c.notNull())
    .addColumn('dmp_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dmp_matches_partner_uid')
    .unique()
    .on('dmp_matches')
    .columns(['partner_id', 'partner_uid'])
    .execute();
  await db.schema
    .createIndex('dmp_matches_dmp_id')
    .on('dmp_matches')
    .columns(['dmp_id', 'seq'])
    .execute();

  await db.schema
    .createTable('dmp_traits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rule', 'text')
    .addColumn('ttl_days', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dmp_segments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('expression', 'text', (c) => c.notNull())
    .addColumn('taxonomy_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dmp_trait_hits')
    .addColumn('dmp_id', 'text', (c) => c.notNull())
    .addColumn('trait_id', 'text', (c) => c.notNull())
    .addColumn('hits', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dmp_trait_hits_pk', ['dmp_id', 'trait_id'])
    .execute();
  await db.schema
    .createIndex('dmp_trait_hits_expiry')
    .on('dmp_trait_hits')
    .column('expires_at')
    .execute();
  await db.schema
    .createIndex('dmp_trait_hits_trait')
    .on('dmp_trait_hits')
    .column('trait_id')
    .execute();

  await db.schema
    .createTable('dmp_memberships')
    .addColumn('dmp_id', 'text', (c) => c.notNull())
    .addColumn('segment_id', 'text', (c) => c.notNull())
    .addColumn('qualified_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dmp_memberships_pk', ['dmp_id', 'segment_id'])
    .execute();
  // Reach and counts walk one segment's members.
  await db.schema
    .createIndex('dmp_memberships_segment')
    .on('dmp_memberships')
    .columns(['segment_id', 'dmp_id'])
    .execute();

  await db.schema
    .createTable('dmp_taxonomy_nodes')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('parent_id', 'integer')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'dmp_taxonomy_nodes',
    'dmp_memberships',
    'dmp_trait_hits',
    'dmp_segments',
    'dmp_traits',
    'dmp_matches',
    'dmp_partners',
    'dmp_aliases',
    'dmp_ids',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
