import type { Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * Consent per identifier, purpose and channel, with its full history; data subject requests and
 * their per-store receipts; suppressed identifiers (salted digests only); the append-only audit
 * log; retention policies and their last runs.
 */
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
  await createRequestTables(db);
  await createAuditAndRetentionTables(db, pg);
}

async function createRequestTables(db: Kysely<unknown>): Promise<void> {
  // Key-value settings of the privacy model; holds the secret salt of identifier digests.
  await db.schema
    .createTable('privacy_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('privacy_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('identity_type', 'text', (c) => c.notNull())
    // Cleared once an erase or suppress request completes; the digest stays for matching.
    .addColumn('identity_value', 'text')
    .addColumn('identity_digest', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('http_request_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('document', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema
    .createIndex('privacy_requests_status')
    .on('privacy_requests')
    .columns(['status', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('privacy_requests_digest')
    .on('privacy_requests')
    .column('identity_digest')
    .execute();
  await db.schema
    .createTable('privacy_request_receipts')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('store', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('found', 'integer', (c) => c.notNull())
    .addColumn('affected', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('privacy_request_receipts_pk', ['request_id', 'store'])
    .execute();
  await db.schema
    .createTable('privacy_suppressions')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('identity_type', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

async function createAuditAndRetentionTables(db: Kysely<unknown>, pg: boolean): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('status', 'integer')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor', 'id']).execute();
  await db.schema
    .createIndex('audit_log_resource')
    .on('audit_log')
    .columns(['resource', 'id'])
    .execute();
  await db.schema
    .createTable('privacy_retention')
    .addColumn('context', 'text', (c) => c.primaryKey())
    .addColumn('days', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('last_run_at', 'text')
    .addColumn('last_removed', 'bigint')
    .addColumn('last_cutoff', 'text')
    .addColumn('last_error', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'privacy_retention',
    'audit_log',
    'privacy_suppressions',
    'privacy_request_receipts',
    'privacy_requests',
    'privacy_settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropTable('privacy_consent_history').execute();
  await db.schema.dropTable('privacy_consents').execute();
}
