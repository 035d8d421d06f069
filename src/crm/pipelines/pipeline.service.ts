import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, conflict, notFound } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { type ObjectType, pipelineProperties } from '../objects/object-types.js';
import { type Pipeline, type Stage, toPipeline, toStage } from './pipeline.js';
import * as repo from './pipeline.repository.js';

type PipelineDeps = Pick<Deps, 'db' | 'clock'>;

export interface StageInput {
  label: string;
  displayOrder?: number | undefined;
  metadata?: Record<string, string | number | boolean> | undefined;
}

export interface PipelineInput {
  label: string;
  displayOrder?: number | undefined;
  stages: StageInput[];
}

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', `${field}: ${message}`, [{ field, message }]);

export function requirePipelineType(type: ObjectType): { pipeline: string; stage: string } {
  const props = pipelineProperties[type];
  if (!props)
    throw new AppError('bad_request', `${type} have no pipelines`, [
      { field: 'objectType', message: 'only deals and tickets have pipelines' },
    ]);
  return props;
}

/** HubSpot's pipeline and stage ids for new ones are numeric strings. */
function numericId(): string {
  return String(randomInt(100_000_000, 999_999_999));
}

/**
 * Stage metadata as HubSpot stores it: strings. Deal stages need a probability in [0, 1];
 * ticket stages a ticketState (OPEN or CLOSED). `isClosed` is derived where HubSpot derives it.
 */
export function stageMetadata(
  type: ObjectType,
  raw: Record<string, string | number | boolean> | undefined,
  field: string,
): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) meta[k] = String(v);
  if (type === 'deals') {
    const p = Number(meta.probability);
    if (meta.probability === undefined || !Number.isFinite(p) || p < 0 || p > 1) {
      throw invalid(`${field}.metadata.probability`, 'deal stages need a probability from 0 to 1');
    }
    meta.probability = String(p);
    meta.isClosed = meta.isClosed === 'true' ? 'true' : 'false';
  } else {
    const state = meta.ticketState ?? 'OPEN';
    if (state !== 'OPEN' && state !== 'CLOSED') {
      throw invalid(`${field}.metadata.ticketState`, 'must be OPEN or CLOSED');
    }
    meta.ticketState = state;
    meta.isClosed = String(state === 'CLOSED');
  }
  return meta;
}

/** Every pipeline of a type with its stages (archived ones included, flagged). */
export async function loadPipelines(db: Kysely<DB>, type: ObjectType): Promise<Pipeline[]> {
  const rows = await repo.listPipelineRows(db, type);
  const stages = await repo.listStageRows(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toPipeline(row, stages));
}

export async function listPipelines(
  deps: Pick<Deps, 'db'>,
  type: ObjectType,
  archived: boolean,
): Promise<Pipeline[]> {
  requirePipelineType(type);
  const all = await loadPipelines(deps.db, type);
  return all.filter((p) => p.archived === archived);
}

export async function getPipeline(
  deps: Pick<Deps, 'db'>,
  type: ObjectType,
  id: string,
): Promise<Pipeline> {
  requirePipelineType(type);
  const found = (await loadPipelines(deps.db, type)).find((p) => p.id === id);
  if (!found) throw notFound(`pipeline ${id} of ${type}`);
  return found;
}

export async function createPipeline(
  deps: PipelineDeps,
  type: ObjectType,
  input: PipelineInput,
): Promise<Pipeline> {
  requirePipelineType(type);
  if (input.stages.length === 0) throw invalid('stages', 'a pipeline needs at least one stage');
  const now = iso(deps.clock.now());
  const id = numericId();
  const stageRows = input.stages.map((s, i) => ({
    pipeline_id: id,
    id: numericId(),
    label: s.label,
    display_order: s.displayOrder ?? i,
    metadata: JSON.stringify(stageMetadata(type, s.metadata, `stages[${i}]`)),
    created_at: now,
    updated_at: now,
    archived: 0,
  }));
  const row = {
    id,
    object_type: type,
    label: input.label,
    display_order: input.displayOrder ?? 0,
    created_at: now,
    updated_at: now,
    archived: 0,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertPipeline(trx, row);
    await repo.insertStages(trx, stageRows);
  });
  return toPipeline(row, stageRows);
}

export async function updatePipeline(
  deps: PipelineDeps,
  type: ObjectType,
  id: string,
  patch: { label?: string | undefined; displayOrder?: number | undefined },
): Promise<Pipeline> {
  const current = await getPipeline(deps, type, id);
  if (current.archived) throw notFound(`pipeline ${id} of ${type}`);
  await repo.updatePipelineRow(deps.db, id, {
    label: patch.label ?? current.label,
    display_order: patch.displayOrder ?? current.displayOrder,
    updated_at: iso(deps.clock.now()),
  });
  return getPipeline(deps, type, id);
}

/** Archives a pipeline no live record is in (HubSpot refuses the same), keeping at least one. */
export async function archivePipeline(
  deps: PipelineDeps,
  type: ObjectType,
  id: string,
): Promise<void> {
  const props = requirePipelineType(type);
  const all = await loadPipelines(deps.db, type);
  const current = all.find((p) => p.id === id && !p.archived);
  if (!current) throw notFound(`pipeline ${id} of ${type}`);
  if (all.filter((p) => !p.archived).length === 1) {
    throw conflict(`pipeline ${id} is the last pipeline of ${type}`);
  }
  if (await repo.valueInUse(deps.db, type, props.pipeline, id)) {
    throw conflict(`pipeline ${id} still holds ${type}; move them first`);
  }
  await repo.updatePipelineRow(deps.db, id, { archived: 1, updated_at: iso(deps.clock.now()) });
}

export async function createStage(
  deps: PipelineDeps,
  type: ObjectType,
  pipelineId: string,
  input: StageInput,
): Promise<Stage> {
  const pipeline = await getPipeline(deps, type, pipelineId);
  const now = iso(deps.clock.now());
  const row = {
    pipeline_id: pipeline.id,
    id: numericId(),
    label: input.label,
    display_order: input.displayOrder ?? pipeline.stages.length,
    metadata: JSON.stringify(stageMetadata(type, input.metadata, 'stage')),
    created_at: now,
    updated_at: now,
    archived: 0,
  };
  await repo.insertStages(deps.db, [row]);
  return toStage(row);
}

export async function updateStage(
  deps: PipelineDeps,
  type: ObjectType,
  pipelineId: string,
  stageId: string,
  patch: Partial<StageInput>,
): Promise<Stage> {
  const pipeline = await getPipeline(deps, type, pipelineId);
  const stage = pipeline.stages.find((s) => s.id === stageId && !s.archived);
  if (!stage) throw notFound(`stage ${stageId} of pipeline ${pipelineId}`);
  const metadata =
    patch.metadata === undefined
      ? stage.metadata
      : stageMetadata(type, { ...stage.metadata, ...patch.metadata }, 'stage');
  const changes = {
    label: patch.label ?? stage.label,
    display_order: patch.displayOrder ?? stage.displayOrder,
    metadata: JSON.stringify(metadata),
    updated_at: iso(deps.clock.now()),
  };
  await repo.updateStageRow(deps.db, pipelineId, stageId, changes);
  return { ...stage, label: changes.label, displayOrder: changes.display_order, metadata };
}

export async function archiveStage(
  deps: PipelineDeps,
  type: ObjectType,
  pipelineId: string,
  stageId: string,
): Promise<void> {
  const props = requirePipelineType(type);
  const pipeline = await getPipeline(deps, type, pipelineId);
  const live = pipeline.stages.filter((s) => !s.archived);
  if (!live.some((s) => s.id === stageId)) {
    throw notFound(`stage ${stageId} of pipeline ${pipelineId}`);
  }
  if (live.length === 1) throw conflict(`stage ${stageId} is the last stage of ${pipelineId}`);
  if (await repo.valueInUse(deps.db, type, props.stage, stageId)) {
    throw conflict(`stage ${stageId} still holds ${type}; move them first`);
  }
  await repo.updateStageRow(deps.db, pipelineId, stageId, {
    archived: 1,
    updated_at: iso(deps.clock.now()),
  });
}
