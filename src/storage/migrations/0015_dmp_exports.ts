import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * DMP export destinations: destinations with their labels, segment mappings, trait data labels,
 * the per-destination delivery state deltas are computed against, batch runs with their lines,
 * and the push delivery log. Pseudonymous IDs and names only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('dmp_destinations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('id_type', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text')
    .addColumn('url', 'text')
    .addColumn('secret', 'text')
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('min_segment_size', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('run_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dmp_export_mappings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('destination_id', 'text', (c) => c.notNull())
    .addColumn('segment_id', 'text', (c) => c.notNull())
    .addColumn('segment_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dmp_export_mappings_segment')
    .unique()
    .on('dmp_export_mappings')
    .columns(['destination_id', 'segment_id'])
    .execute();
  await db.schema
    .createIndex('dmp_export_mappings_key')
    .unique()
    .on('dmp_export_mappings')
    .columns(['destination_id', 'segment_key'])
    .execute();
  // Label changes look up the mappings of a segment across destinations.
  await db.schema
    .createIndex('dmp_export_mappings_by_segment')
    .on('dmp_export_mappings')
    .column('segment_id')
    .execute();

  await db.schema
    .createTable('dmp_trait_labels')
    .addColumn('trait_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dmp_trait_labels_pk', ['trait_id', 'label'])
    .execute();

  await db.schema
    .createTable('dmp_export_state')
    .addColumn('destination_id', 'text', (c) => c.notNull())
    .addColumn('segment_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dmp_export_state_pk', ['destination_id', 'segment_id', 'id'])
    .execute();

  await db.schema
    .createTable('dmp_export_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('destination_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('pruned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dmp_export_runs_destination')
    .on('dmp_export_runs')
    .columns(['destination_id', 'seq'])
    .execute();

  await db.schema
    .createTable('dmp_export_items')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('segment_key', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('dmp_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .execute();
  // Files are read page by page in line order.
  await db.schema
    .createIndex('dmp_export_items_run')
    .on('dmp_export_items')
    .columns(['run_id', 'seq'])
    .execute();
  // Erasure takes an ID's lines out of files not yet fetched.
  await db.schema
    .createIndex('dmp_export_items_dmp_id')
    .on('dmp_export_items')
    .column('dmp_id')
    .execute();

  await db.schema
    .createTable('dmp_export_deliveries')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('destination_id', 'text', (c) => c.notNull())
    .addColumn('segment_id', 'text', (c) => c.notNull())
    .addColumn('segment_key', 'text', (c) => c.notNull())
    .addColumn('added', 'integer', (c) => c.notNull())
    .addColumn('removed', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dmp_export_deliveries_destination')
    .on('dmp_export_deliveries')
    .columns(['destination_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'dmp_export_deliveries',
    'dmp_export_items',
    'dmp_export_runs',
    'dmp_export_state',
    'dmp_trait_labels',
    'dmp_export_mappings',
    'dmp_destinations',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
