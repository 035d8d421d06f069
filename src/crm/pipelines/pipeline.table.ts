import type { Generated, Selectable } from 'kysely';

export interface PipelineTable {
  id: string;
  object_type: string;
  label: string;
  display_order: number;
  created_at: string;
  updated_at: string;
  archived: number;
}

export interface PipelineStageTable {
  pipeline_id: string;
  id: string;
  label: string;
  display_order: number;
  /** JSON object of string values, as HubSpot's stage metadata (probability, isClosed...). */
  metadata: string;
  created_at: string;
  updated_at: string;
  archived: number;
}

/** Every change of a pipeline stage or lifecycle stage: who moved what, from where, to where. */
export interface StageHistoryTable {
  id: Generated<number>;
  object_type: string;
  object_id: number;
  property: string;
  from_value: string | null;
  to_value: string | null;
  changed_at: string;
  changed_by: string;
}

export type PipelineRow = Selectable<PipelineTable>;
export type PipelineStageRow = Selectable<PipelineStageTable>;
