import type { Kysely } from 'kysely';

/**
 * Prediction models (definition, fitted weights, latest metrics, schedule) and the
 * recommendation model: item neighbours, item popularity per segment and refresh runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('prediction_models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('window_days', 'integer', (c) => c.notNull())
    .addColumn('trait_key', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('metrics', 'text')
    .addColumn('last_error', 'text')
    .addColumn('trained_at', 'text')
    .addColumn('next_train_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One model per trait name: two models writing the same trait would overwrite each other.
  await db.schema
    .createIndex('prediction_models_trait')
    .unique()
    .on('prediction_models')
    .column('trait_key')
    .execute();
  await db.schema
    .createIndex('prediction_models_due')
    .on('prediction_models')
    .column('next_train_at')
    .execute();

  await db.schema
    .createTable('recommendation_neighbors')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('neighbor_id', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_neighbors_pk', ['item_id', 'neighbor_id'])
    .execute();

  await db.schema
    .createTable('recommendation_popularity')
    .addColumn('segment', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_popularity_pk', ['segment', 'item_id'])
    .execute();

  await db.schema
    .createTable('recommendation_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('stats', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'recommendation_runs',
    'recommendation_popularity',
    'recommendation_neighbors',
    'prediction_models',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
