import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { openErrorFile } from '../../kernel/error-file.js';
import { AppError, notFound } from '../../kernel/errors.js';
import { associateRecords } from '../associations/association.service.js';
import { batchCreate, batchUpsert, maxBatchInputs } from '../objects/batch.service.js';
import type { Actor } from '../objects/object.js';
import { resolveId } from '../objects/object.service.js';
import type { RawValue } from '../properties/values.js';
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

const defaultChunkRows = maxBatchInputs;

/**
 * Runs (or resumes) an import: streams the CSV (memory holds one parser buffer and one chunk
 * of rows), writes each chunk through the same batch upsert as the API (validation, unique
 * checks, indexing, stage history), then associations, then a checkpoint. A rerun skips the
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
    const chunkRows = Math.min(opts.chunkRows ?? defaultChunkRows, maxBatchInputs);
    let header: string[] | undefined;
    let n = 0;
    let bytesRead = 0;
    let pending: PendingRow[] = [];
    const flush = async () => {
      const tally = await writeChunk(deps, stored.actor, mapping, pending);
      // Rows in file order, whichever step rejected them.
      const lines = tally.errors.sort((a, b) => a.n - b.n).map((e) => e.text);
      const errorBytes = await errors.append(lines.join(''));
      const last = pending.at(-1)?.n ?? state.rowsDone;
      pending = [];
      state = {
        ...state,
        rowsDone: last,
        rowsCreated: state.rowsCreated + tally.created,
        rowsUpdated: state.rowsUpdated + tally.updated,
        rowsFailed: state.rowsFailed + tally.failed,
        updatedAt: now(),
      };
      // The checkpoint names the error file's length too: a rerun cuts it back to this.
      await repo.updateImportRow(deps.db, id, {
        rows_done: state.rowsDone,
        rows_created: state.rowsCreated,
        rows_updated: state.rowsUpdated,
        rows_failed: state.rowsFailed,
        error_bytes: errorBytes,
        updated_at: state.updatedAt,
      });
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

async function writeChunk(
  deps: ImportDeps,
  actor: Actor,
  mapping: CheckedMapping,
  rows: PendingRow[],
): Promise<Tally> {
  const tally: Tally = { created: 0, updated: 0, failed: 0, errors: [] };
  const accepted: { row: PendingRow; properties: Record<string, RawValue>; id: string }[] = [];
  for (const row of rows) {
    const properties: Record<string, RawValue> = {};
    for (const [header, property] of mapping.columns) {
      const value = row.cells[header]?.trim() ?? '';
      // An empty cell leaves the property as it is (it does not clear it).
      if (value !== '') properties[property] = value;
    }
    const id = mapping.idColumn === undefined ? '' : (row.cells[mapping.idColumn]?.trim() ?? '');
    if (mapping.idProperty !== undefined && mapping.idColumn !== undefined && id === '') {
      tally.failed += 1;
      tally.errors.push(errorLine(row, `${mapping.idProperty} is empty`, [mapping.idProperty]));
      continue;
    }
    accepted.push({ row, properties, id });
  }
  if (accepted.length === 0) return tally;
  const upsert = mapping.idProperty !== undefined && mapping.idColumn !== undefined;
  const outcome = upsert
    ? await batchUpsert(
        deps,
        mapping.type,
        accepted.map((a) => ({
          id: a.id,
          idProperty: mapping.idProperty,
          properties: a.properties,
        })),
        actor,
      )
    : await batchCreate(
        deps,
        mapping.type,
        accepted.map((a) => ({ properties: a.properties })),
        actor,
      );
  const failed = new Map(outcome.errors.map((e) => [e.index, e.error]));
  let next = 0;
  const written: { row: PendingRow; recordId: number }[] = [];
  for (const [index, a] of accepted.entries()) {
    const error = failed.get(index);
    if (error) {
      tally.failed += 1;
      const fields = error.details.flatMap((d) => (d.field ? [d.field] : []));
      const detail = error.details.map((d) => `${d.field ? `${d.field}: ` : ''}${d.message}`);
      tally.errors.push(errorLine(a.row, [error.message, ...detail].join('; '), fields));
      continue;
    }
    const result = outcome.results[next++] as
      | { record: { id: number }; created: boolean }
      | { id: number };
    const record = 'record' in result ? result.record : result;
    const created = 'record' in result ? result.created : true;
    if (created) tally.created += 1;
    else tally.updated += 1;
    written.push({ row: a.row, recordId: record.id });
  }
  for (const { row, recordId } of written) {
    for (const a of mapping.associations) {
      const key = row.cells[a.column]?.trim() ?? '';
      if (key === '') continue;
      const target = await resolveId(deps.db, a.toType, key, a.idProperty);
      if (target === undefined) {
        tally.errors.push(
          errorLine(row, `association: no ${a.toType} record with ${a.idProperty ?? 'id'} ${key}`, [
            a.column,
          ]),
        );
        continue;
      }
      try {
        await associateRecords(
          deps,
          { type: mapping.type, id: String(recordId) },
          { type: a.toType, id: String(target) },
          [],
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        tally.errors.push(errorLine(row, `association: ${error.message}`, [a.column]));
      }
    }
  }
  return tally;
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
