import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Deps } from '../../../kernel/deps.js';
import { type ErrorFile, openErrorFile } from '../../../kernel/error-file.js';
import { AppError, notFound } from '../../../kernel/errors.js';
import type { Source } from '../../sources/source.js';
import { type CollectDeps, collect } from '../collect.service.js';
import { csvRows, type FileRow, jsonlRows } from './file-rows.js';
import { type ImportFormat, type ImportReport, toImportReport } from './import.js';
import * as repo from './import.repository.js';
import {
  buildMessage,
  type FieldMapping,
  type ImportType,
  MappingError,
  mappingFromHeader,
  parseMapSpec,
  readPath,
} from './row-mapping.js';

export interface ImportRequest {
  source: Source;
  /** The file to read (an upload is spooled to disk first). */
  file: string;
  /** What the person calls it (shown in reports). */
  fileName: string;
  format: ImportFormat;
  type?: ImportType | undefined;
  /** `--map` text; CSV without it maps the columns whose names are message fields. */
  map?: string | undefined;
  delimiter?: string | undefined;
  /** Rejected rows go here, one JSON object per line, with their line and reason. */
  errorFile: string;
  /** Known already when the caller hashed the bytes as they arrived (uploads). */
  fileHash?: string | undefined;
  /** Stops at the next chunk boundary, leaving a resumable checkpoint. */
  signal?: AbortSignal | undefined;
  onProgress?: ((report: ImportReport) => void) | undefined;
  /** Rows per append (and per checkpoint). */
  chunkRows?: number | undefined;
}

const defaultChunkRows = 1_000;
const maxJsonLineBytes = 1024 * 1024;

/** SHA-256 and size of a file, read as a stream (constant memory). */
export async function hashFile(file: string): Promise<{ hash: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { hash: hash.digest('hex'), bytes };
}

/**
 * The import's identity: the same source, file bytes and options give the same ID, which is
 * what makes a second run a resumption rather than a copy. Every row's messageId derives from
 * it and the row's line, so rows that were stored before an interruption land as duplicates.
 */
export function importIdFor(sourceId: string, fileHash: string, options: object): string {
  const digest = createHash('sha256')
    .update(`${sourceId}\n${fileHash}\n${JSON.stringify(options)}`)
    .digest('hex');
  return `imp_${digest.slice(0, 26)}`;
}

export async function getImport(deps: Pick<Deps, 'db'>, id: string): Promise<ImportReport> {
  const row = await repo.findImport(deps.db, id);
  if (!row) throw notFound(`import ${id}`);
  return toImportReport(row);
}

/** Checks the options before any byte is read, so mistakes fail fast with a clear message. */
export function checkImportOptions(format: ImportFormat, type: string | undefined, map?: string) {
  if (type !== undefined && type !== 'identify' && type !== 'track') {
    throw new AppError('validation_failed', 'type must be "identify" or "track"', [
      { field: 'type', message: 'must be identify or track' },
    ]);
  }
  if (format === 'csv' && type === undefined) {
    throw new AppError('validation_failed', 'A CSV import needs a type (identify or track)', [
      { field: 'type', message: 'required for CSV' },
    ]);
  }
  try {
    return map === undefined ? undefined : parseMapSpec(map);
  } catch (error) {
    if (error instanceof MappingError) {
      throw new AppError('validation_failed', error.message, [
        { field: 'map', message: error.message },
      ]);
    }
    throw error;
  }
}

interface Pending {
  messages: Record<string, unknown>[];
  /** The line of each message, by position. */
  lines: number[];
  errors: { line: number; code: string; reason: string; row: unknown }[];
  lastLine: number;
  bytes: number;
}

/**
 * Streams a CSV or JSONL file into the source: rows become Segment messages, go through the
 * same normalization (and tracking plan) as SDK events and land in the same log. Resumable:
 * the checkpoint (last durable line and the error file's length) is written after each chunk
 * is durable, and a re-run with the same file and options continues after it.
 */
export async function runImport(deps: CollectDeps, req: ImportRequest): Promise<ImportReport> {
  if (!req.source.enabled)
    throw new AppError('forbidden', `Source "${req.source.name}" is disabled`);
  const explicit = checkImportOptions(req.format, req.type, req.map);
  const { hash, bytes } = req.fileHash
    ? { hash: req.fileHash, bytes: (await stat(req.file)).size }
    : await hashFile(req.file);
  const options = {
    ...(req.type ? { type: req.type } : {}),
    ...(req.map ? { map: req.map } : {}),
    ...(req.delimiter ? { delimiter: req.delimiter } : {}),
  };
  const id = importIdFor(req.source.id, hash, { format: req.format, ...options });
  const now = () => deps.clock.now().toISOString();
  await repo.insertImportIfAbsent(deps.db, {
    id,
    source_id: req.source.id,
    file_name: req.fileName,
    file_hash: hash,
    file_bytes: bytes,
    format: req.format,
    options: JSON.stringify(options),
    status: 'running',
    checkpoint_line: 0,
    error_bytes: 0,
    rows_read: 0,
    rows_imported: 0,
    rows_duplicate: 0,
    rows_rejected: 0,
    bytes_read: 0,
    error: null,
    created_at: now(),
    updated_at: now(),
    finished_at: null,
  });
  const row = await repo.findImport(deps.db, id);
  if (!row) throw notFound(`import ${id}`);
  const existing = toImportReport(row);
  if (existing.status === 'completed') return existing;
  await repo.updateImport(deps.db, id, { status: 'running', error: null, updated_at: now() });

  const errors = await openErrorFile(req.errorFile, Number(row.error_bytes));
  let state: ImportState = { ...existing, status: 'running', errorBytes: Number(row.error_bytes) };
  try {
    let mapping = explicit;
    const input = createReadStream(req.file, { highWaterMark: 256 * 1024 });
    const rows =
      req.format === 'csv'
        ? csvRows(input, {
            delimiter: req.delimiter,
            onHeader: (header) => {
              mapping ??= mappingFromHeader(header);
            },
          })
        : jsonlRows(input, maxJsonLineBytes);
    const chunkRows = req.chunkRows ?? defaultChunkRows;
    let pending = emptyPending();
    const flush = async () => {
      state = await commitChunk(deps, req, id, state, pending, errors);
      pending = emptyPending();
      const { errorBytes: _, ...report } = state;
      req.onProgress?.(report);
    };
    try {
      for await (const row of rows) {
        if (row.line <= state.checkpointLine) continue;
        addRow(pending, row, id, req.type, mapping);
        if (pending.messages.length + pending.errors.length >= chunkRows) {
          await flush();
          if (req.signal?.aborted) break;
        }
      }
    } finally {
      input.destroy();
    }
    if (pending.lastLine > 0) await flush();
    const interrupted = req.signal?.aborted === true;
    await repo.updateImport(deps.db, id, {
      status: interrupted ? 'interrupted' : 'completed',
      bytes_read: interrupted ? state.bytesRead : bytes,
      updated_at: now(),
      ...(interrupted ? {} : { finished_at: now() }),
    });
    return getImport(deps, id);
  } catch (error) {
    await repo.updateImport(deps.db, id, {
      status: 'failed',
      error: (error as Error).message.slice(0, 1000),
      updated_at: now(),
    });
    throw error;
  } finally {
    await errors.close();
  }
}

/** The report plus what only the import itself needs: the error file's durable length. */
type ImportState = ImportReport & { errorBytes: number };

function emptyPending(): Pending {
  return { messages: [], lines: [], errors: [], lastLine: 0, bytes: 0 };
}

function addRow(
  pending: Pending,
  row: FileRow,
  id: string,
  type: ImportType | undefined,
  mapping: FieldMapping[] | undefined,
) {
  pending.lastLine = Math.max(pending.lastLine, row.line);
  pending.bytes = Math.max(pending.bytes, row.bytes);
  if (row.kind === 'error') {
    pending.errors.push({
      line: row.line,
      code: 'unreadable_row',
      reason: row.reason,
      row: row.raw,
    });
    return;
  }
  try {
    let message: Record<string, unknown>;
    if (row.kind === 'csv') {
      message = buildMessage(type, mapping ?? [], (column) => {
        const index = row.header.get(column);
        return index === undefined ? undefined : row.cells[index];
      });
    } else if (mapping) {
      message = buildMessage(type, mapping, (column) => readPath(row.value, column));
    } else {
      if (typeof row.value !== 'object' || row.value === null || Array.isArray(row.value)) {
        throw new Error('a JSONL line must be a JSON object (a Segment message)');
      }
      message = { ...(row.value as Record<string, unknown>) };
      if (type && message.type === undefined) message.type = type;
    }
    // The file's lines are the rows' identity: a re-run produces the same messageIds.
    if (message.messageId === undefined) message.messageId = `${id}-${row.line}`;
    pending.messages.push(message);
    pending.lines.push(row.line);
  } catch (error) {
    pending.errors.push({
      line: row.line,
      code: 'unmappable_row',
      reason: (error as Error).message,
      row:
        row.kind === 'csv'
          ? Object.fromEntries([...row.header].map(([k, i]) => [k, row.cells[i]]))
          : row.value,
    });
  }
}

async function commitChunk(
  deps: CollectDeps,
  req: ImportRequest,
  id: string,
  state: ImportState,
  pending: Pending,
  errors: ErrorFile,
): Promise<ImportState> {
  let imported = 0;
  let duplicates = 0;
  const rejected = [...pending.errors];
  if (pending.messages.length > 0) {
    const outcome = await collect(deps, {
      source: req.source,
      body: { batch: pending.messages },
      endpoint: 'batch',
      storeRejections: false,
    });
    // Rows past the checkpoint that an interrupted run already stored carry this import's
    // own messageIds: they were imported (once), not sent twice by someone else.
    const replayed = outcome.duplicateIds.filter((m) => m.startsWith(`${id}-`)).length;
    duplicates = outcome.duplicates - replayed;
    imported = outcome.accepted - duplicates;
    for (const r of outcome.rejections) {
      rejected.push({
        line: pending.lines[r.index] ?? pending.lastLine,
        code: r.code,
        reason: r.reason,
        row: pending.messages[r.index],
      });
    }
  }
  // Order matters for exactly-once: events are durable (append resolved), then the error
  // lines, then the checkpoint that names both. A crash in between replays the chunk: its
  // events land as duplicates and the error file is cut back to the checkpoint's length.
  rejected.sort((a, b) => a.line - b.line);
  const errorBytes = await errors.append(rejected.map((r) => `${JSON.stringify(r)}\n`).join(''));
  const rowsRead = pending.messages.length + pending.errors.length;
  const next = {
    ...state,
    checkpointLine: pending.lastLine,
    rowsRead: state.rowsRead + rowsRead,
    rowsImported: state.rowsImported + imported,
    rowsDuplicate: state.rowsDuplicate + duplicates,
    rowsRejected: state.rowsRejected + rejected.length,
    bytesRead: Math.max(state.bytesRead, pending.bytes),
    errorBytes,
  };
  await repo.updateImport(deps.db, id, {
    checkpoint_line: next.checkpointLine,
    error_bytes: errorBytes,
    rows_read: next.rowsRead,
    rows_imported: next.rowsImported,
    rows_duplicate: next.rowsDuplicate,
    rows_rejected: next.rowsRejected,
    bytes_read: next.bytesRead,
    updated_at: deps.clock.now().toISOString(),
  });
  return next;
}
