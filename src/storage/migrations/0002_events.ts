import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * The collected-event log. `seq` is the log position consumers track; the unique
 * (source_id, message_id) index is what makes SDK retries land once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('events')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('event', 'text')
    .addColumn('user_id', 'text')
    .addColumn('anonymous_id', 'text')
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('events_dedup')
    .unique()
    .on('events')
    .columns(['source_id', 'message_id'])
    .execute();
  await db.schema.createIndex('events_user_id').on('events').column('user_id').execute();
  await db.schema.createIndex('events_anonymous_id').on('events').column('anonymous_id').execute();

  await db.schema
    .createTable('rejected_events')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rejected_events_source')
    .on('rejected_events')
    .columns(['source_id', 'seq'])
    .execute();

  await db.schema
    .createTable('log_offsets')
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    .addColumn('position', 'bigint', (c) => c.notNull().defaultTo(sql`0`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['log_offsets', 'rejected_events', 'events']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
