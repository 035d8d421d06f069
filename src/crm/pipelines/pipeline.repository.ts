import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { PipelineStageTable, PipelineTable, StageHistoryTable } from './pipeline.table.js';

export function listPipelineRows(db: Kysely<DB>, objectType: string) {
  return db
    .selectFrom('crm_pipelines')
    .selectAll()
    .where('object_type', '=', objectType)
    .orderBy('display_order')
    .orderBy('id')
    .execute();
}

export function listStageRows(db: Kysely<DB>, pipelineIds: string[]) {
  if (pipelineIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('crm_pipeline_stages')
    .selectAll()
    .where('pipeline_id', 'in', pipelineIds)
    .execute();
}

export function findPipelineRow(db: Kysely<DB>, id: string) {
  return db.selectFrom('crm_pipelines').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertPipeline(db: Kysely<DB>, row: Insertable<PipelineTable>) {
  return db.insertInto('crm_pipelines').values(row).execute();
}

export function updatePipelineRow(db: Kysely<DB>, id: string, changes: Updateable<PipelineTable>) {
  return db.updateTable('crm_pipelines').set(changes).where('id', '=', id).execute();
}

export function insertStages(db: Kysely<DB>, rows: Insertable<PipelineStageTable>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db.insertInto('crm_pipeline_stages').values(rows).execute();
}

export function updateStageRow(
  db: Kysely<DB>,
  pipelineId: string,
  id: string,
  changes: Updateable<PipelineStageTable>,
) {
  return db
    .updateTable('crm_pipeline_stages')
    .set(changes)
    .where('pipeline_id', '=', pipelineId)
    .where('id', '=', id)
    .execute();
}

/** Whether any live record of the type holds this value in the property (index probe). */
export async function valueInUse(
  db: Kysely<DB>,
  objectType: string,
  property: string,
  value: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('crm_values')
    .select('object_id')
    .where('object_type', '=', objectType)
    .where('property', '=', property)
    .where('v_text', '=', value.toLowerCase())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function insertStageHistory(db: Kysely<DB>, rows: Insertable<StageHistoryTable>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db.insertInto('crm_stage_history').values(rows).execute();
}

export function listStageHistory(db: Kysely<DB>, objectId: number) {
  return db
    .selectFrom('crm_stage_history')
    .selectAll()
    .where('object_id', '=', objectId)
    .orderBy('id')
    .execute();
}
