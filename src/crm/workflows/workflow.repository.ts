import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type {
  WorkflowRow,
  WorkflowRunRow,
  WorkflowRunStepRow,
  WorkflowRunTable,
  WorkflowTable,
  WorkflowVersionTable,
} from './workflow.table.js';

type Db = Kysely<DB>;

export async function insertWorkflow(
  db: Db,
  row: WorkflowTable,
  version: WorkflowVersionTable,
): Promise<void> {
  await db.insertInto('crm_workflows').values(row).execute();
  await db.insertInto('crm_workflow_versions').values(version).execute();
}

export async function findWorkflow(db: Db, id: string): Promise<WorkflowRow | undefined> {
  return db
    .selectFrom('crm_workflows')
    .selectAll()
    .where('id', '=', id)
    .where('archived', '=', 0)
    .executeTakeFirst();
}

export async function listWorkflowRows(db: Db, opts: { enabledOnly?: boolean } = {}) {
  let q = db.selectFrom('crm_workflows').selectAll().where('archived', '=', 0);
  if (opts.enabledOnly) q = q.where('enabled', '=', 1);
  return q.orderBy('id').execute();
}

export async function updateWorkflowRow(
  db: Db,
  id: string,
  changes: Partial<Omit<WorkflowTable, 'id'>>,
): Promise<void> {
  await db.updateTable('crm_workflows').set(changes).where('id', '=', id).execute();
}

export async function insertVersion(db: Db, version: WorkflowVersionTable): Promise<void> {
  await db.insertInto('crm_workflow_versions').values(version).execute();
}

export async function findVersion(db: Db, workflowId: string, version: number) {
  return db
    .selectFrom('crm_workflow_versions')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function listVersions(db: Db, workflowId: string) {
  return db
    .selectFrom('crm_workflow_versions')
    .select(['version', 'name', 'created_at', 'created_by'])
    .where('workflow_id', '=', workflowId)
    .orderBy('version')
    .execute();
}

/** Inserts a run unless one with the same dedupe key exists; true when it was inserted. */
export async function insertRun(db: Db, row: WorkflowRunTable): Promise<boolean> {
  const result = await db
    .insertInto('crm_workflow_runs')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findRun(db: Db, id: string): Promise<WorkflowRunRow | undefined> {
  return db.selectFrom('crm_workflow_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRuns(
  db: Db,
  workflowId: string,
  opts: { before: string | undefined; limit: number },
): Promise<WorkflowRunRow[]> {
  let q = db.selectFrom('crm_workflow_runs').selectAll().where('workflow_id', '=', workflowId);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

/** Runs whose next step is due (running, or waiting on a delay that has passed). */
export async function dueRunIds(db: Db, now: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('crm_workflow_runs')
    .select('id')
    .where('status', 'in', ['running', 'waiting'])
    .where('due_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('due_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Claims a run for this process until `until`: a conditional update, so of two workers racing
 * for the same run exactly one wins. A crashed worker's lease simply runs out.
 */
export async function claimRun(db: Db, id: string, now: string, until: string): Promise<boolean> {
  const result = await db
    .updateTable('crm_workflow_runs')
    .set({ lease_until: until })
    .where('id', '=', id)
    .where('status', 'in', ['running', 'waiting'])
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function updateRun(
  db: Db,
  id: string,
  changes: Partial<Omit<WorkflowRunTable, 'id'>>,
): Promise<void> {
  await db.updateTable('crm_workflow_runs').set(changes).where('id', '=', id).execute();
}

export async function insertRunStep(db: Db, row: Omit<WorkflowRunStepRow, 'id'>): Promise<void> {
  await db.insertInto('crm_workflow_run_steps').values(row).execute();
}

export async function listRunSteps(db: Db, runId: string): Promise<WorkflowRunStepRow[]> {
  return db
    .selectFrom('crm_workflow_run_steps')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
}

export async function readState(db: Db, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('crm_automation_state')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function writeState(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('crm_automation_state')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
