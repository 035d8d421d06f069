import { randomBytes } from 'node:crypto';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../kernel/pagination.js';
import type {
  RunStep,
  Step,
  Trigger,
  TriggerEvent,
  Workflow,
  WorkflowDefinition,
  WorkflowRun,
} from './workflow.js';
import * as repo from './workflow.repository.js';
import type { WorkflowRow, WorkflowRunRow, WorkflowRunStepRow } from './workflow.table.js';
import { parseDefinition } from './workflow.validate.js';

type WorkflowDeps = Pick<Deps, 'db' | 'clock'>;

/** Time-ordered ids, so listing newest first is an index walk. */
export function timeId(prefix: string, now: Date): string {
  return `${prefix}_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
}

export const scheduleKey = (workflowId: string) => `cron:${workflowId}`;

export function toWorkflow(row: WorkflowRow): Workflow {
  const def = JSON.parse(row.definition) as WorkflowDefinition;
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled === 1,
    version: row.version,
    trigger: def.trigger,
    steps: def.steps,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const noSuchWorkflow = (id: string) =>
  new AppError('not_found', `No workflow with id ${id}`, [{ field: 'id', message: 'not found' }]);

export async function getWorkflow(deps: Pick<Deps, 'db'>, id: string): Promise<Workflow> {
  const row = await repo.findWorkflow(deps.db, id);
  if (!row) throw noSuchWorkflow(id);
  return toWorkflow(row);
}

export async function listWorkflows(deps: Pick<Deps, 'db'>): Promise<Workflow[]> {
  return (await repo.listWorkflowRows(deps.db)).map(toWorkflow);
}

export interface WorkflowInput {
  name: string;
  enabled?: boolean | undefined;
  trigger: unknown;
  steps: unknown;
}

/** Creates a workflow at version 1; the webhook signing secret is returned only here. */
export async function createWorkflow(
  deps: WorkflowDeps,
  input: WorkflowInput,
  actorId: string,
): Promise<Workflow & { secret: string }> {
  const def = await parseDefinition(deps.db, input);
  const now = deps.clock.now();
  const at = iso(now);
  const id = timeId('wf', now);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const definition = JSON.stringify(def);
  const enabled = input.enabled ?? true;
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertWorkflow(
      trx,
      {
        id,
        name: input.name,
        enabled: enabled ? 1 : 0,
        version: 1,
        definition,
        secret,
        created_at: at,
        updated_at: at,
        archived: 0,
      },
      {
        workflow_id: id,
        version: 1,
        name: input.name,
        definition,
        created_at: at,
        created_by: actorId,
      },
    );
    // A schedule counts from when it was enabled: no catch-up for times before the workflow.
    if (enabled) await repo.writeState(trx, scheduleKey(id), at);
  });
  return { ...(await getWorkflow(deps, id)), secret };
}

/**
 * Changes a workflow. A change of name, trigger or steps adds a version (runs already under way
 * finish on the version they started with); enabling or disabling alone does not.
 */
export async function updateWorkflow(
  deps: WorkflowDeps,
  id: string,
  input: Partial<WorkflowInput>,
  actorId: string,
): Promise<Workflow> {
  const current = await getWorkflow(deps, id);
  const changesDefinition =
    input.name !== undefined || input.trigger !== undefined || input.steps !== undefined;
  const def: WorkflowDefinition | undefined = changesDefinition
    ? await parseDefinition(deps.db, {
        trigger: input.trigger ?? current.trigger,
        steps: input.steps ?? current.steps,
      })
    : undefined;
  const at = iso(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    const changes: Parameters<typeof repo.updateWorkflowRow>[2] = { updated_at: at };
    if (def) {
      const version = current.version + 1;
      const name = input.name ?? current.name;
      const definition = JSON.stringify(def);
      Object.assign(changes, { version, name, definition });
      await repo.insertVersion(trx, {
        workflow_id: id,
        version,
        name,
        definition,
        created_at: at,
        created_by: actorId,
      });
    }
    if (input.enabled !== undefined && input.enabled !== current.enabled) {
      changes.enabled = input.enabled ? 1 : 0;
      if (input.enabled) await repo.writeState(trx, scheduleKey(id), at);
    }
    await repo.updateWorkflowRow(trx, id, changes);
  });
  return getWorkflow(deps, id);
}

/** Archives a workflow: it stops starting runs; runs under way still finish. */
export async function deleteWorkflow(deps: WorkflowDeps, id: string): Promise<void> {
  await getWorkflow(deps, id);
  await repo.updateWorkflowRow(deps.db, id, {
    archived: 1,
    enabled: 0,
    updated_at: iso(deps.clock.now()),
  });
}

export async function getWorkflowVersion(
  deps: Pick<Deps, 'db'>,
  id: string,
  version: number,
): Promise<{
  version: number;
  name: string;
  trigger: Trigger;
  steps: Step[];
  createdAt: string;
  createdBy: string;
}> {
  await getWorkflow(deps, id);
  const row = await repo.findVersion(deps.db, id, version);
  if (!row) {
    throw new AppError('not_found', `Workflow ${id} has no version ${version}`, [
      { field: 'version', message: 'not found' },
    ]);
  }
  const def = JSON.parse(row.definition) as WorkflowDefinition;
  return {
    version: row.version,
    name: row.name,
    trigger: def.trigger,
    steps: def.steps,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

function toRun(row: WorkflowRunRow): WorkflowRun {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    version: row.version,
    status: row.status as WorkflowRun['status'],
    objectType: row.object_type,
    objectId: row.object_id === null ? null : String(row.object_id),
    trigger: JSON.parse(row.trigger) as TriggerEvent,
    nextStep: row.next_step,
    dueAt: row.due_at,
    error: row.error,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

function toRunStep(row: WorkflowRunStepRow): RunStep {
  return {
    stepId: row.step_id,
    action: row.action,
    status: row.status as RunStep['status'],
    attempt: row.attempt,
    output: row.output === null ? null : JSON.parse(row.output),
    error: row.error,
    at: row.at,
  };
}

/** A workflow's runs, newest first. */
export async function listWorkflowRuns(
  deps: Pick<Deps, 'db'>,
  id: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<WorkflowRun>> {
  await getWorkflow(deps, id);
  const before = page.cursor ? decodeCursor(page.cursor, ['id'] as const).id : undefined;
  const rows = await repo.listRuns(deps.db, id, { before, limit: page.limit + 1 });
  const data = rows.slice(0, page.limit).map(toRun);
  const last = data.at(-1);
  return { data, next: rows.length > page.limit && last ? encodeCursor({ id: last.id }) : null };
}

/** One run with its step-by-step log. */
export async function getWorkflowRun(
  deps: Pick<Deps, 'db'>,
  id: string,
  runId: string,
): Promise<WorkflowRun> {
  const row = await repo.findRun(deps.db, runId);
  if (!row || row.workflow_id !== id) {
    throw new AppError('not_found', `Workflow ${id} has no run ${runId}`, [
      { field: 'runId', message: 'not found' },
    ]);
  }
  return { ...toRun(row), steps: (await repo.listRunSteps(deps.db, runId)).map(toRunStep) };
}
