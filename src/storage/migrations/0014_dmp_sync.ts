import type { Kysely } from 'kysely';

/**
 * CDP audiences sent to the DMP: the DMP-side lists (`dmp_lists`, `dmp_list_members`: list
 * names and DMP IDs only) and the stack's bookkeeping of which profile put which ID there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dmp_lists')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Bumped on every change of the list's members: processes caching suppression poll it.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('dmp_list_members')
    .addColumn('list_name', 'text', (c) => c.notNull())
    .addColumn('dmp_id', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dmp_list_members_pk', ['list_name', 'dmp_id'])
    .execute();
  // Activation asks "is this ID on any suppression list?" per lookup.
  await db.schema
    .createIndex('dmp_list_members_id')
    .on('dmp_list_members')
    .columns(['dmp_id', 'list_name'])
    .execute();

  await db.schema
    .createTable('dmp_sync_lists')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('audience_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('swept_at', 'text')
    .execute();
  await db.schema
    .createTable('dmp_sync_members')
    .addColumn('list_name', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('dmp_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dmp_sync_members_pk', ['list_name', 'profile_id', 'dmp_id'])
    .execute();
  await db.schema
    .createIndex('dmp_sync_members_id')
    .on('dmp_sync_members')
    .columns(['list_name', 'dmp_id'])
    .execute();
  await db.schema
    .createTable('dmp_sync_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'dmp_sync_state',
    'dmp_sync_members',
    'dmp_sync_lists',
    'dmp_list_members',
    'dmp_lists',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
