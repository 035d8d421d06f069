/** A retention policy of one context, with the bookkeeping of its last run. */
export interface RetentionTable {
  context: string;
  /** null: retention is off (kept until erased). */
  days: number | null;
  updated_at: string;
  updated_by: string | null;
  last_run_at: string | null;
  last_removed: number | null;
  last_cutoff: string | null;
  last_error: string | null;
}
