import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/** Consent per identifier, purpose and channel, with its full history. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('privacy_consents')
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_value', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text')
    .addPrimaryKeyConstraint('privacy_consents_pk', [
      'subject_type',
      'subject_value',
      'purpose',
      'channel',
    ])
    .execute();
  await db.schema
    .createTable('privacy_consent_history')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_value', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text')
    .execute();
  await db.schema
    .createIndex('privacy_consent_history_subject')
    .on('privacy_consent_history')
    .columns(['subject_type', 'subject_value', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('privacy_consent_history').execute();
  await db.schema.dropTable('privacy_consents').execute();
}
