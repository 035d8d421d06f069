import type { Generated, Selectable } from 'kysely';

/** A CSV import: the uploaded file stays on disk until the job finishes. */
export interface CrmImportTable {
  id: Generated<number>;
  /** SHA-256 of the file bytes and the mapping: the same upload again is the same import. */
  import_key: string;
  object_type: string;
  /** JSON of the column mapping as the caller sent it. */
  mapping: string;
  /** `queued | running | interrupted | done | failed` */
  status: string;
  file_path: string;
  error_path: string;
  bytes: number;
  /** Data rows consumed so far (the resume point: a rerun skips this many rows). */
  rows_done: number;
  rows_created: number;
  rows_updated: number;
  rows_failed: number;
  /** Length of the error file at the last checkpoint (a resumed run cuts it back to this). */
  error_bytes: number;
  error: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export type CrmImportRow = Selectable<CrmImportTable>;
