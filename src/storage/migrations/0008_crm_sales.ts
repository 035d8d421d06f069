import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * CRM sales and service: teams of owners, owner-based visibility per role, ticket SLA
 * policies with the warning / breach transitions the SLA clock detected, and CSV import jobs.
 * Ids are numeric sequences, as HubSpot's team and import ids are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  const serial = pg ? 'bigserial' : 'integer';
  const pk = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('crm_teams')
    .addColumn('id', serial, pk)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('crm_team_members')
    .addColumn('team_id', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('crm_team_members_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('crm_team_members_user')
    .on('crm_team_members')
    .columns(['user_id', 'team_id'])
    .execute();

  await db.schema
    .createTable('crm_visibility')
    .addColumn('role', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('crm_sla_policies')
    .addColumn('id', serial, pk)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    // Null matches every priority; a policy naming the priority wins over it.
    .addColumn('priority', 'text')
    .addColumn('first_response_minutes', 'integer')
    .addColumn('resolution_minutes', 'integer')
    .addColumn('warning_percent', 'integer', (c) => c.notNull())
    .addColumn('business_hours', 'text', (c) => c.notNull())
    .addColumn('paused_stages', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('crm_sla_policies_match')
    .on('crm_sla_policies')
    .columns(['pipeline_id', 'priority'])
    .execute();

  await db.schema
    .createTable('crm_sla_events')
    .addColumn('id', serial, pk)
    .addColumn('ticket_id', 'bigint', (c) => c.notNull())
    .addColumn('policy_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .execute();
  // One transition per ticket, kind and target: the clock may run twice, it records once.
  await db.schema
    .createIndex('crm_sla_events_once')
    .on('crm_sla_events')
    .columns(['ticket_id', 'kind', 'target'])
    .unique()
    .execute();

  await db.schema
    .createTable('crm_imports')
    .addColumn('id', serial, pk)
    // SHA-256 of the file bytes and the mapping: the same upload again is the same import.
    .addColumn('import_key', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('file_path', 'text', (c) => c.notNull())
    .addColumn('error_path', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('crm_imports_status')
    .on('crm_imports')
    .columns(['status', 'id'])
    .execute();
  await db.schema
    .createIndex('crm_imports_key')
    .on('crm_imports')
    .columns(['import_key', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'crm_imports',
    'crm_sla_events',
    'crm_sla_policies',
    'crm_visibility',
    'crm_team_members',
    'crm_teams',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
