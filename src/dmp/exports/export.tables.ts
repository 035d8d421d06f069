import type { Generated, Selectable } from 'kysely';

/**
 * Export destinations of the DMP and their bookkeeping. Like every DMP table they hold
 * pseudonymous IDs (DMP IDs, device advertising IDs, partner user IDs), names, keys and labels,
 * never personal data. Times are ISO-8601 UTC text.
 */

/** Where segments go: a batch file destination or a server-to-server push endpoint. */
export interface DmpDestinationTable {
  id: string;
  name: string;
  kind: 'batch' | 'push';
  /** Which ID is delivered: `dmp_id`, `ifa` or `partner_uid` (of `partner_id`); fixed at creation. */
  id_type: 'dmp_id' | 'ifa' | 'partner_uid';
  partner_id: string | null;
  /** Push endpoint (push destinations only). */
  url: string | null;
  /** HMAC signing secret of push requests, shown once at creation. */
  secret: string | null;
  /** JSON array of destination labels (what the destination does with the IDs). */
  labels: string;
  /** Segments with fewer exportable IDs are skipped; never below the configured minimum. */
  min_segment_size: number;
  enabled: number;
  /** Consecutive failed pushes; the next one waits `backoffMs(attempts)`. */
  attempts: number;
  next_attempt_at: string | null;
  /** A push in progress holds this lease so two workers never push the same destination. */
  lease_until: string | null;
  /** Bumped by every run: the write takes the row lock that serializes runs of a destination. */
  run_seq: number;
  created_at: string;
  updated_at: string;
}

/** A segment sent to a destination under the destination's own key. */
export interface DmpExportMappingTable {
  id: string;
  destination_id: string;
  segment_id: string;
  segment_key: string;
  /**
   * `active`; `disabled` (its data labels conflict with the destination's: what was delivered
   * is taken back); `retired` (deleted: delivered IDs are taken back, then the row goes).
   */
  status: 'active' | 'disabled' | 'retired';
  reason: string | null;
  created_at: string;
  updated_at: string;
}

/** Data export labels of a trait (and so of the data source feeding it). */
export interface DmpTraitLabelTable {
  trait_id: string;
  label: string;
}

/** What each destination holds now, per segment: the base of the next delta. */
export interface DmpExportStateTable {
  destination_id: string;
  segment_id: string;
  /** The delivered ID, of the destination's ID type. */
  id: string;
}

/** One batch export: its summary; its lines are in `dmp_export_items`. */
export interface DmpExportRunTable {
  id: string;
  destination_id: string;
  /** The destination's run number (its `run_seq` when the run was made): orders runs. */
  seq: number;
  mode: 'full' | 'delta';
  /** JSON array of per-mapping outcomes (`ExportSegmentSummary`). */
  summary: string;
  lines: number;
  /** 1 once the lines were pruned (only the latest runs of a destination keep their file). */
  pruned: number;
  created_at: string;
}

export interface DmpExportItemTable {
  seq: Generated<number>;
  run_id: string;
  segment_key: string;
  id: string;
  /** The DMP ID behind an added line, so erasure can take it out of a file not yet fetched. */
  dmp_id: string | null;
  action: 'add' | 'remove';
}

/** One push request (a batch of additions and removals of one segment) and how it went. */
export interface DmpExportDeliveryTable {
  seq: Generated<number>;
  destination_id: string;
  segment_id: string;
  segment_key: string;
  added: number;
  removed: number;
  status: 'delivered' | 'failed';
  /** Attempts of this batch so far, this one included. */
  attempts: number;
  status_code: number | null;
  error: string | null;
  created_at: string;
}

export interface DmpExportTables {
  dmp_destinations: DmpDestinationTable;
  dmp_export_mappings: DmpExportMappingTable;
  dmp_trait_labels: DmpTraitLabelTable;
  dmp_export_state: DmpExportStateTable;
  dmp_export_runs: DmpExportRunTable;
  dmp_export_items: DmpExportItemTable;
  dmp_export_deliveries: DmpExportDeliveryTable;
}

export type DmpDestinationRow = Selectable<DmpDestinationTable>;
export type DmpExportMappingRow = Selectable<DmpExportMappingTable>;
export type DmpExportRunRow = Selectable<DmpExportRunTable>;
