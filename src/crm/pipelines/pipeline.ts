import type { PipelineRow, PipelineStageRow } from './pipeline.table.js';

export interface Stage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: Stage[];
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export function toStage(row: PipelineStageRow): Stage {
  return {
    id: row.id,
    label: row.label,
    displayOrder: row.display_order,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archived: row.archived === 1,
  };
}

export function toPipeline(row: PipelineRow, stages: PipelineStageRow[]): Pipeline {
  return {
    id: row.id,
    label: row.label,
    displayOrder: row.display_order,
    stages: stages
      .filter((s) => s.pipeline_id === row.id)
      .map(toStage)
      .sort((a, b) => a.displayOrder - b.displayOrder || a.id.localeCompare(b.id)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archived: row.archived === 1,
  };
}

/** A closed stage ends the record's journey (closed won / lost, a closed ticket). */
export function isClosedStage(stage: Stage): boolean {
  return stage.metadata.isClosed === 'true';
}

/** Closed won: a closed deal stage with probability 1 (how HubSpot marks it). */
export function isWonStage(stage: Stage): boolean {
  return isClosedStage(stage) && Number(stage.metadata.probability) === 1;
}
