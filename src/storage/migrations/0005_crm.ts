import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * The CRM: records of every object type in one table, an indexed property-value table that
 * makes every filter and sort an index range scan (no full scans at a million records), words
 * of the searchable text properties, unique values, custom property definitions, pipelines with
 * their stage history, and associations stored once per direction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  // SQLite clusters WITHOUT ROWID tables on their primary key: an index probe is one B-tree walk.
  const clustered = pg ? sql`` : sql`without rowid`;
  // Byte-wise text order on PostgreSQL, as SQLite compares: prefix ranges and string sorts
  // then give the same answers on both engines.
  const bytewise = (c: ColumnDefinitionBuilder) => (pg ? c.modifyEnd(sql`collate "C"`) : c);

  await db.schema
    .createTable('crm_objects')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'text')
    .addColumn('merged_into', 'bigint')
    .execute();
  await db.schema
    .createIndex('crm_objects_list')
    .on('crm_objects')
    .columns(['object_type', 'archived', 'id'])
    .execute();
  await db.schema
    .createIndex('crm_objects_owner')
    .on('crm_objects')
    .columns(['object_type', 'owner_id', 'id'])
    .execute();

  await db.schema
    .createTable('crm_values')
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('property', 'text', (c) => c.notNull())
    .addColumn('object_id', 'bigint', (c) => c.notNull())
    .addColumn('v_text', 'text', bytewise)
    .addColumn('v_num', 'double precision')
    .addPrimaryKeyConstraint('crm_values_pk', ['object_type', 'property', 'object_id'])
    .modifyEnd(clustered)
    .execute();
  await db.schema
    .createIndex('crm_values_text')
    .on('crm_values')
    .columns(['object_type', 'property', 'v_text', 'object_id'])
    .where(sql.ref('v_text'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('crm_values_num')
    .on('crm_values')
    .columns(['object_type', 'property', 'v_num', 'object_id'])
    .where(sql.ref('v_num'), 'is not', null)
    .execute();

  await db.schema
    .createTable('crm_tokens')
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('property', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => bytewise(c.notNull()))
    .addColumn('object_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_tokens_pk', ['object_type', 'property', 'token', 'object_id'])
    .modifyEnd(clustered)
    .execute();
  await db.schema
    .createIndex('crm_tokens_object')
    .on('crm_tokens')
    .columns(['object_id'])
    .execute();

  await db.schema
    .createTable('crm_unique_values')
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('property', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('object_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_unique_values_pk', ['object_type', 'property', 'value'])
    .execute();
  await db.schema
    .createIndex('crm_unique_values_object')
    .on('crm_unique_values')
    .columns(['object_id'])
    .execute();

  // Record counts per type ('*') and per value of low-cardinality properties (enumerations,
  // booleans), kept in the write transactions: the `total` of a search that filters only on
  // such a value, or not at all, is read here instead of counted over a large index range.
  await db.schema
    .createTable('crm_value_counts')
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('property', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_value_counts_pk', ['object_type', 'property', 'value'])
    .execute();

  await db.schema
    .createTable('crm_properties')
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('field_type', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('display_order', 'integer', (c) => c.notNull())
    .addColumn('has_unique_value', 'integer', (c) => c.notNull())
    .addColumn('hidden', 'integer', (c) => c.notNull())
    .addColumn('form_field', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'text')
    .addPrimaryKeyConstraint('crm_properties_pk', ['object_type', 'name'])
    .execute();

  await db.schema
    .createTable('crm_pipelines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('display_order', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('crm_pipeline_stages')
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('display_order', 'integer', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('crm_pipeline_stages_pk', ['pipeline_id', 'id'])
    .execute();

  await db.schema
    .createTable('crm_stage_history')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'bigint', (c) => c.notNull())
    .addColumn('property', 'text', (c) => c.notNull())
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('crm_stage_history_object')
    .on('crm_stage_history')
    .columns(['object_id', 'id'])
    .execute();

  await db.schema
    .createTable('crm_associations')
    .addColumn('from_type', 'text', (c) => c.notNull())
    .addColumn('from_id', 'bigint', (c) => c.notNull())
    .addColumn('to_type', 'text', (c) => c.notNull())
    .addColumn('to_id', 'bigint', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('type_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_associations_pk', [
      'from_id',
      'to_type',
      'to_id',
      'category',
      'type_id',
    ])
    .modifyEnd(clustered)
    .execute();

  await db.schema
    .createTable('crm_association_labels')
    .addColumn('type_id', 'integer', (c) => c.primaryKey())
    .addColumn('inverse_type_id', 'integer', (c) => c.notNull())
    .addColumn('from_type', 'text', (c) => c.notNull())
    .addColumn('to_type', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('crm_association_labels_pair')
    .on('crm_association_labels')
    .columns(['from_type', 'to_type'])
    .execute();

  await seedDefaultPipelines(db);
}

// HubSpot's default pipelines with their well-known ids, so scripts that hard-code
// `dealstage: 'closedwon'` or `hs_pipeline: '0'` work unchanged.
const dealStages: [string, string, string, boolean][] = [
  ['appointmentscheduled', 'Appointment Scheduled', '0.2', false],
  ['qualifiedtobuy', 'Qualified To Buy', '0.4', false],
  ['presentationscheduled', 'Presentation Scheduled', '0.6', false],
  ['decisionmakerboughtin', 'Decision Maker Bought-In', '0.8', false],
  ['contractsent', 'Contract Sent', '0.9', false],
  ['closedwon', 'Closed Won', '1.0', true],
  ['closedlost', 'Closed Lost', '0.0', true],
];
const ticketStages: [string, string, 'OPEN' | 'CLOSED'][] = [
  ['1', 'New', 'OPEN'],
  ['2', 'Waiting on contact', 'OPEN'],
  ['3', 'Waiting on us', 'OPEN'],
  ['4', 'Closed', 'CLOSED'],
];

async function seedDefaultPipelines(db: Kysely<unknown>): Promise<void> {
  const now = new Date().toISOString();
  const untyped = db as Kysely<Record<string, Record<string, unknown>>>;
  await untyped
    .insertInto('crm_pipelines')
    .values(
      [
        { id: 'default', object_type: 'deals', label: 'Sales Pipeline', display_order: 0 },
        { id: '0', object_type: 'tickets', label: 'Support Pipeline', display_order: 0 },
      ].map((p) => ({ ...p, created_at: now, updated_at: now, archived: 0 })),
    )
    .execute();
  const stages = [
    ...dealStages.map(([id, label, probability, isClosed], i) => ({
      pipeline_id: 'default',
      id,
      label,
      display_order: i,
      metadata: JSON.stringify({ isClosed: String(isClosed), probability }),
    })),
    ...ticketStages.map(([id, label, state], i) => ({
      pipeline_id: '0',
      id,
      label,
      display_order: i,
      metadata: JSON.stringify({ ticketState: state, isClosed: String(state === 'CLOSED') }),
    })),
  ];
  await untyped
    .insertInto('crm_pipeline_stages')
    .values(stages.map((s) => ({ ...s, created_at: now, updated_at: now, archived: 0 })))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'crm_association_labels',
    'crm_associations',
    'crm_stage_history',
    'crm_pipeline_stages',
    'crm_pipelines',
    'crm_properties',
    'crm_value_counts',
    'crm_unique_values',
    'crm_tokens',
    'crm_values',
    'crm_objects',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
