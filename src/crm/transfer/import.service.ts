import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { openErrorFile } from '../../kernel/error-file.js';
import { AppError, notFound } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { type BulkInput, bulkWrite } from '../objects/bulk.writer.js';
import type { Actor } from '../objects/object.js';
import { writeContext } from '../objects/object.writer.js';
import type { RawValue } from '../properties/values.js';
import { associateByKeys, type WrittenRow } from './import.associations.js';
import {
  type CheckedMapping,
  checkMapping,
  type ImportMapping,
  missingColumns,
} from './import.mapping.js';
import * as repo from './import.repository.js';
import type { CrmImportRow } from './import.table.js';

type ImportDeps = Pick<Deps, 'db' | 'clock'>;

export interface CrmImport {
  id: string;
  objectType: string;
  status: string;
  fileBytes: number;
  rowsDone: number;
  rowsCreated: number;
  rowsUpdated: number;
  rowsFailed: number;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface ImportProgress extends CrmImport {
  /** How far into the file the reader is (bytes), for progress bars. */
  bytesRead: number;
}

function toImport(row: CrmImportRow): CrmImport {
  return {
    id: String(row.id),
    objectType: row.object_type,
    status: row.status,
    fileBytes: Number(row.bytes),
    rowsDone: row.rows_done,
    rowsCreated: row.rows_created,
    rowsUpdated: row.rows_updated,
    rowsFailed: row.rows_failed,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

interface Stored {
  mapping: ImportMapping;
  actor: Actor;
}

async function hashOf(
  file: string,
  mapping: ImportMapping,
): Promise<{ key: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  hash.update(`\n${JSON.stringify(mapping)}`);
  return { key: hash.digest('hex'), bytes };
}

export async function getCrmImport(deps: Pick<Deps, 'db'>, rawId: string): Promise<CrmImport> {
  const row = /^\d{1,15}$/.test(rawId)
    ? await repo.findImportRow(deps.db, Number(rawId))
    : undefined;
  if (!row) throw notFound(`import ${rawId}`);
  return toImport(row);
}

export async function importErrorFile(deps: Pick<Deps, 'db'>, rawId: string): Promise<string> {
  await getCrmImport(deps, rawId);
  const row = await repo.findImportRow(deps.db, Number(rawId));
  return row?.error_path ?? '';
}

/**
 * Registers an import of a file with a mapping (checked first, so mistakes fail before any
 * row is read). The same bytes with the same mapping are the same import: registering them
 * again returns the earlier import, which a run then resumes.
 */
export async function createCrmImport(
  deps: ImportDeps,
  req: { file: string; errorFile: (id: number) => string; mapping: ImportMapping; actor: Actor },
): Promise<CrmImport> {
  const checked = await checkMapping(deps.db, req.mapping);
  const { key, bytes } = await hashOf(req.file, req.mapping);
  const existing = await repo.findImportByKey(deps.db, key);
  if (existing) return toImport(existing);
  const now = iso(deps.clock.now());
  const stored: Stored = { mapping: req.mapping, actor: req.actor };
  const id = await repo.insertImport(deps.db, {
    import_key: key,
    object_type: checked.type,
    mapping: JSON.stringify(stored),
    status: 'queued',
    file_path: req.file,
    error_path: '',
    bytes,
    rows_done: 0,
    rows_created: 0,
    rows_updated: 0,
    rows_failed: 0,
    error_bytes: 0,
    error: null,
    finished_at: null,
    created_by: req.actor.id,
    created_at: now,
    updated_at: now,
  });
  await repo.updateImportRow(deps.db, id, { error_path: req.errorFile(id) });
  return getCrmImport(deps, String(id));
}

interface PendingRow {
  n: number;
  line: number;
  cells: Record<string, string>;
}

interface Tally {
  created: number;
  updated: number;
  failed: number;
  errors: { n: number; text: string }[];
}

// Rows per chunk (one transaction, one checkpoint): large enough that the per-statement cost
// fades, small enough that a chunk's rows and index rows stay a few megabytes.
const defaultChunkRows = 2000;
const maxChunkRows = 2000;

/**
 * Runs (or resumes) an import: streams the CSV (memory holds one parser buffer and one chunk
 * of rows), writes each chunk with the bulk writer (the batch API's validation, unique checks,
 * indexing, counters, stage history and change feed, as multi-row statements) and its
 * associations in one transaction, then a checkpoint. A rerun skips the
 * rows before the checkpoint; rows of a chunk cut short are upserted again, which changes
 * nothing, so no row is stored twice when the mapping has an idProperty.
 */
export async function runCrmImport(
  deps: ImportDeps,
  rawId: string,
  opts: {
    signal?: AbortSignal | undefined;
    onProgress?: ((p: ImportProgress) => void) | undefined;
    chunkRows?: number | undefined;
  } = {},
): Promise<CrmImport> {
  const id = Number(rawId);
  const row = await repo.findImportRow(deps.db, id);
  if (!row) throw notFound(`import ${rawId}`);
  if (row.status === 'done' || row.status === 'failed') return toImport(row);
  const stored = JSON.parse(row.mapping) as Stored;
  const now = () => iso(deps.clock.now());
  await repo.updateImportRow(deps.db, id, { status: 'running', error: null, updated_at: now() });
  const errors = await openErrorFile(row.error_path, Number(row.error_bytes));
  let state = toImport({ ...row, status: 'running' });
  try {
    const mapping = await checkMapping(deps.db, stored.mapping);
    await stat(row.file_path).catch(() => {
      throw new AppError('not_found', 'The uploaded file of this import is gone');
    });
    const input = createReadStream(row.file_path, { highWaterMark: 256 * 1024 });
    const parser = input.pipe(
      parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true }),
    );
    const chunkRows = Math.min(opts.chunkRows ?? defaultChunkRows, maxChunkRows);
    let header: string[] | undefined;
    let n = 0;
    let bytesRead = 0;
    let pending: PendingRow[] = [];
    const flush = async () => {
      let next = state;
      // The checkpoint commits with the chunk's writes, so a crash keeps both or neither. It
      // names the error file's length too: a rerun cuts the file back to it.
      await writeChunk(deps, stored.actor, mapping, pending, async (trx, tally) => {
        // Rows in file order, whichever step rejected them.
        const lines = tally.errors.sort((a, b) => a.n - b.n).map((e) => e.text);
        const errorBytes = await errors.append(lines.join(''));
        next = {
          ...state,
          rowsDone: pending.at(-1)?.n ?? state.rowsDone,
          rowsCreated: state.rowsCreated + tally.created,
          rowsUpdated: state.rowsUpdated + tally.updated,
          rowsFailed: state.rowsFailed + tally.failed,
          updatedAt: now(),
        };
        await repo.updateImportRow(trx, id, {
          rows_done: next.rowsDone,
          rows_created: next.rowsCreated,
          rows_updated: next.rowsUpdated,
          rows_failed: next.rowsFailed,
          error_bytes: errorBytes,
          updated_at: next.updatedAt,
        });
      });
      state = next;
      pending = [];
      opts.onProgress?.({ ...state, bytesRead });
    };
    let interrupted = false;
    try {
      for await (const rec of parser as AsyncIterable<{
        record: string[];
        info: { lines: number; bytes: number };
      }>) {
        if (header === undefined) {
          header = rec.record.map((h) => h.trim());
          const missing = missingColumns(mapping, header);
          if (missing.length > 0) {
            throw new AppError(
              'validation_failed',
              `The file has no column ${missing.join(', ')}`,
              missing.map((m) => ({ field: `columns.${m}`, message: 'not in the CSV header' })),
            );
          }
          continue;
        }
        n += 1;
        bytesRead = rec.info.bytes;
        if (n <= state.rowsDone) continue;
        const cells: Record<string, string> = {};
        header.forEach((h, i) => {
          cells[h] = rec.record[i] ?? '';
        });
        pending.push({ n, line: rec.info.lines, cells });
        if (pending.length >= chunkRows) {
          await flush();
          if (opts.signal?.aborted) {
            interrupted = true;
            break;
          }
        }
      }
    } finally {
      input.destroy();
    }
    if (!interrupted && pending.length > 0) await flush();
    await repo.updateImportRow(deps.db, id, {
      status: interrupted ? 'interrupted' : 'done',
      updated_at: now(),
      ...(interrupted ? {} : { finished_at: now() }),
    });
    return getCrmImport(deps, rawId);
  } catch (error) {
    await repo.updateImportRow(deps.db, id, {
      status: 'failed',
      error: (error as Error).message.slice(0, 1000),
      updated_at: now(),
    });
    throw error;
  } finally {
    await errors.close();
  }
}

function errorLine(r: PendingRow, reason: string, fields: string[] = []) {
  return {
    n: r.n,
    text: `${JSON.stringify({ row: r.n, line: r.line, reason, fields, values: r.cells })}\n`,
  };
}

/**
 * Writes one chunk in one transaction through the bulk writer (the rules and error messages
 * of the batch API, with multi-row statements), then its associations by key. A row that
 * breaks a rule goes to the error file and leaves nothing behind; the others are written.
 */
async function writeChunk(
  deps: ImportDeps,
  actor: Actor,
  mapping: CheckedMapping,
  rows: PendingRow[],
  checkpoint: (trx: Kysely<DB>, tally: Tally) => Promise<void>,
): Promise<void> {
  const tally: Tally = { created: 0, updated: 0, failed: 0, errors: [] };
  const accepted: { row: PendingRow; input: BulkInput }[] = [];
  const upsert = mapping.idProperty !== undefined && mapping.idColumn !== undefined;
  for (const row of rows) {
    const properties: Record<string, RawValue> = {};
    for (const [header, property] of mapping.columns) {
      const value = row.cells[header]?.trim() ?? '';
      // An empty cell leaves the property as it is (it does not clear it).
      if (value !== '') properties[property] = value;
    }
    const key = mapping.idColumn === undefined ? '' : (row.cells[mapping.idColumn]?.trim() ?? '');
    if (upsert && key === '') {
      tally.failed += 1;
      tally.errors.push(
        errorLine(row, `${mapping.idProperty} is empty`, [mapping.idProperty ?? '']),
      );
      continue;
    }
    accepted.push({ row, input: upsert ? { key, properties } : { properties } });
  }
  const now = iso(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    if (accepted.length > 0) await writeAccepted(trx, actor, mapping, accepted, tally, now);
    await checkpoint(trx, tally);
  });
}

async function writeAccepted(
  trx: Kysely<DB>,
  actor: Actor,
  mapping: CheckedMapping,
  accepted: { row: PendingRow; input: BulkInput }[],
  tally: Tally,
  now: string,
): Promise<void> {
  const upsert = mapping.idProperty !== undefined && mapping.idColumn !== undefined;
  const ctx = await writeContext(trx, mapping.type, actor, now);
  const results = await bulkWrite(
    trx,
    ctx,
    accepted.map((a) => a.input),
    upsert ? mapping.idProperty : undefined,
  );
  const written: WrittenRow[] = [];
  for (const [index, a] of accepted.entries()) {
    const result = results[index];
    if (!result) continue;
    if (!result.ok) {
      const { error } = result;
      tally.failed += 1;
      const fields = error.details.flatMap((d) => (d.field ? [d.field] : []));
      const detail = error.details.map((d) => `${d.field ? `${d.field}: ` : ''}${d.message}`);
      tally.errors.push(errorLine(a.row, [error.message, ...detail].join('; '), fields));
      continue;
    }
    if (result.created) tally.created += 1;
    else tally.updated += 1;
    written.push({ n: a.row.n, cells: a.row.cells, recordId: result.id });
  }
  const byN = new Map(accepted.map((a) => [a.row.n, a.row]));
  for (const failure of await associateByKeys(trx, mapping, written, now)) {
    const row = byN.get(failure.n);
    if (row) tally.errors.push(errorLine(row, failure.reason, [failure.column]));
  }
}

/**
 * Takes a queued or interrupted import for this process, so the resume job of another worker
 * does not run it too. False when someone else holds it (or it has finished).
 */
export async function claimCrmImport(deps: ImportDeps, rawId: string): Promise<boolean> {
  const row = await repo.findImportRow(deps.db, Number(rawId));
  if (!row || (row.status !== 'queued' && row.status !== 'interrupted')) return false;
  return repo.claimImport(deps.db, row, iso(deps.clock.now()));
}

// Longer than any chunk takes: a running import untouched this long lost its process.
const staleMs = 5 * 60_000;

/** Claims and runs imports that wait (queued), were interrupted, or lost their process. */
export async function resumeImports(deps: ImportDeps): Promise<number> {
  const staleBefore = iso(new Date(deps.clock.now().getTime() - staleMs));
  let ran = 0;
  for (const row of await repo.resumableImports(deps.db, staleBefore)) {
    if (!(await repo.claimImport(deps.db, row, iso(deps.clock.now())))) continue;
    await runCrmImport(deps, String(row.id)).catch(() => undefined);
    ran += 1;
  }
  return ran;
}
