import type { Generated, Selectable } from 'kysely';

export interface WorkflowTable {
  id: string;
  name: string;
  enabled: number;
  /** The current version; every update adds one. */
  version: number;
  /** JSON of the current version's definition (trigger and steps). */
  definition: string;
  /** Signs webhook bodies (`x-triad-signature`), shown once when the workflow is created. */
  secret: string;
  created_at: string;
  updated_at: string;
  archived: number;
}

export interface WorkflowVersionTable {
  workflow_id: string;
  version: number;
  name: string;
  definition: string;
  created_at: string;
  created_by: string;
}

export interface WorkflowRunTable {
  id: string;
  workflow_id: string;
  version: number;
  /** Makes starting a run idempotent: one run per workflow and triggering event. */
  dedupe_key: string;
  object_type: string | null;
  object_id: number | null;
  /** JSON of the event that started the run. */
  trigger: string;
  status: string;
  next_step: string | null;
  due_at: string | null;
  /** Failed attempts of the current step. */
  attempts: number;
  lease_until: string | null;
  error: string | null;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface WorkflowRunStepTable {
  id: Generated<number>;
  run_id: string;
  step_id: string;
  action: string;
  status: string;
  attempt: number;
  output: string | null;
  error: string | null;
  at: string;
}

/** Small durable engine state: the change-feed offset, round-robin pointers, schedule marks. */
export interface AutomationStateTable {
  key: string;
  value: string;
}

export type WorkflowRow = Selectable<WorkflowTable>;
export type WorkflowRunRow = Selectable<WorkflowRunTable>;
export type WorkflowRunStepRow = Selectable<WorkflowRunStepTable>;
