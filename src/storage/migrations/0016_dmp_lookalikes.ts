import type { Kysely } from 'kysely';

/** Lookalike models: seed reference, weights and evaluation curve; no DMP IDs. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dmp_lookalikes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('seed_kind', 'text', (c) => c.notNull())
    .addColumn('seed_ref', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('holdout', 'double precision', (c) => c.notNull())
    .addColumn('reach_levels', 'text', (c) => c.notNull())
    .addColumn('ttl_days', 'integer', (c) => c.notNull())
    .addColumn('seed_size', 'integer', (c) => c.notNull())
    .addColumn('population_size', 'integer', (c) => c.notNull())
    .addColumn('weights', 'text', (c) => c.notNull())
    .addColumn('curve', 'text', (c) => c.notNull())
    .addColumn('excluded_traits', 'text', (c) => c.notNull())
    .addColumn('active_reach', 'double precision')
    .addColumn('active_count', 'integer')
    .addColumn('activated_at', 'text')
    .addColumn('trained_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dmp_lookalikes').ifExists().execute();
}
