import type { ImportRow } from '../ingest.tables.js';

export type ImportFormat = 'csv' | 'jsonl';
export type ImportStatus = 'running' | 'interrupted' | 'completed' | 'failed';

/** An import as the API and CLI report it. */
export interface ImportReport {
  id: string;
  sourceId: string;
  fileName: string;
  fileHash: string;
  fileBytes: number;
  format: ImportFormat;
  options: { type?: string; map?: string; delimiter?: string };
  status: ImportStatus;
  /** The last line whose outcome is durable; a resumed import starts after it. */
  checkpointLine: number;
  rowsRead: number;
  rowsImported: number;
  /** Rows whose messageId something else had already stored: not stored again. */
  rowsDuplicate: number;
  rowsRejected: number;
  bytesRead: number;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export function toImportReport(row: ImportRow): ImportReport {
  return {
    id: row.id,
    sourceId: row.source_id,
    fileName: row.file_name,
    fileHash: row.file_hash,
    // bigint columns arrive as strings from PostgreSQL.
    fileBytes: Number(row.file_bytes),
    format: row.format as ImportFormat,
    options: JSON.parse(row.options) as ImportReport['options'],
    status: row.status as ImportStatus,
    checkpointLine: row.checkpoint_line,
    rowsRead: row.rows_read,
    rowsImported: row.rows_imported,
    rowsDuplicate: row.rows_duplicate,
    rowsRejected: row.rows_rejected,
    bytesRead: Number(row.bytes_read),
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
