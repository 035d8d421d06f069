import type { Pipeline } from './pipeline.js';

export interface StageChange {
  /** Incoming values (undefined: not sent; null: cleared). */
  pipeline: string | null | undefined;
  stage: string | null | undefined;
}

export type StageOutcome =
  | { ok: true; pipeline: string; stage: string }
  | { ok: false; field: 'pipeline' | 'stage'; message: string };

/**
 * Where a record lands in its pipeline after a write. A new record without a pipeline goes to
 * the first pipeline (the default one), without a stage to that pipeline's first stage; moving
 * to another pipeline needs a stage of that pipeline; a stage must belong to the pipeline and
 * be live. Pure, so the rules are tested as a table.
 */
export function resolveStage(
  pipelines: Pipeline[],
  current: { pipeline: string; stage: string } | undefined,
  change: StageChange,
): StageOutcome {
  const live = pipelines.filter((p) => !p.archived);
  if (change.pipeline === null) {
    return { ok: false, field: 'pipeline', message: 'the pipeline cannot be cleared' };
  }
  if (change.stage === null) {
    return { ok: false, field: 'stage', message: 'the stage cannot be cleared' };
  }
  const pipelineId = change.pipeline ?? current?.pipeline ?? live[0]?.id;
  const pipeline = live.find((p) => p.id === pipelineId);
  if (!pipeline) {
    return { ok: false, field: 'pipeline', message: `${pipelineId} is not a pipeline` };
  }
  const movedPipeline = current !== undefined && pipeline.id !== current.pipeline;
  if (movedPipeline && change.stage === undefined) {
    return {
      ok: false,
      field: 'stage',
      message: `moving to pipeline ${pipeline.id} needs a stage of that pipeline`,
    };
  }
  const stages = pipeline.stages.filter((s) => !s.archived);
  const stageId = change.stage ?? current?.stage ?? stages[0]?.id;
  if (!stages.some((s) => s.id === stageId)) {
    return {
      ok: false,
      field: 'stage',
      message: `${stageId} is not a valid stage of pipeline ${pipeline.id}`,
    };
  }
  return { ok: true, pipeline: pipeline.id, stage: stageId ?? '' };
}
