import type { Generated, Selectable } from 'kysely';

/** One tracking plan per source; `version` grows on every change so caches can tell. */
export interface TrackingPlanTable {
  source_id: string;
  version: number;
  mode: string;
  /** JSON: `{common, track, identify, page}` JSON Schemas. */
  plan: string;
  created_at: string;
  updated_at: string;
}

/** Violation counters, one row per source, event, property and kind. */
export interface PlanViolationCountTable {
  source_id: string;
  event_type: string;
  /** The track event name; '' for other types (part of the key, so never null). */
  event_name: string;
  /** Dotted path from the message root; '' for the event itself. */
  property: string;
  kind: string;
  count: number;
  first_seen: string;
  last_seen: string;
}

/** Recent violating messages, pruned to the newest few hundred per source. */
export interface PlanViolationExampleTable {
  seq: Generated<number>;
  source_id: string;
  message_id: string;
  event_type: string;
  event_name: string | null;
  action: string;
  /** JSON array of `{kind, property, message}`. */
  violations: string;
  received_at: string;
}

/** An offline import (CSV or JSONL) and how far it got. */
export interface ImportTable {
  id: string;
  source_id: string;
  file_name: string;
  /** SHA-256 of the file's bytes: the file's identity, whatever its name. */
  file_hash: string;
  file_bytes: number;
  format: string;
  /** JSON: `{type, map, delimiter}` as given. */
  options: string;
  status: string;
  /** The last line whose outcome is durable: resumption starts after it. */
  checkpoint_line: number;
  /** Size of the error file at the checkpoint (it is cut back to this on resume). */
  error_bytes: number;
  rows_read: number;
  rows_imported: number;
  rows_duplicate: number;
  rows_rejected: number;
  bytes_read: number;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** Kysely table types of the tracking plans, imports and other collection tables (see the matching migration). */
export interface IngestTables {
  tracking_plans: TrackingPlanTable;
  plan_violation_counts: PlanViolationCountTable;
  plan_violation_examples: PlanViolationExampleTable;
  imports: ImportTable;
}

export type TrackingPlanRow = Selectable<TrackingPlanTable>;
export type ImportRow = Selectable<ImportTable>;
