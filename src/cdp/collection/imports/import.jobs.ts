import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Deps } from '../../../kernel/deps.js';
import { AppError } from '../../../kernel/errors.js';
import { spoolUpload } from '../../../kernel/upload.js';
import type { EventLog } from '../../../log/event-log.js';
import { getSource } from '../../sources/source.service.js';
import type { ImportFormat, ImportReport } from './import.js';
import {
  checkImportOptions,
  getImport,
  type ImportRequest,
  importIdFor,
  runImport,
} from './import.service.js';
import type { ImportType } from './row-mapping.js';
import { errorFileOf, keepUpload, uploadDir, uploadFileOf } from './upload.js';

const maxUploadBytes = 4 * 1024 * 1024 * 1024;
// The answer to an upload waits this long for the import's first chunk, so small files are
// usually reported finished; larger ones are followed with GET /api/v1/imports/{id}.
const firstStepWaitMs = 200;

/** Imports running in this process, per event log (one per app), so a re-upload joins them. */
const running = new WeakMap<EventLog, Map<string, Promise<void>>>();

function runningOf(log: EventLog) {
  let map = running.get(log);
  if (!map) {
    map = new Map();
    running.set(log, map);
  }
  return map;
}

export interface UploadRequest {
  sourceId: string;
  format: ImportFormat;
  type?: ImportType | undefined;
  map?: string | undefined;
  delimiter?: string | undefined;
  fileName?: string | undefined;
  body: Readable | undefined;
  /** Stops the background import at its next chunk (server shutdown). */
  signal: AbortSignal;
}

/**
 * Takes an uploaded file: checks the options, spools the bytes to disk (hashing them), and
 * imports the file in the background. The same bytes and options are the same import, so a
 * re-upload joins a running import or resumes an interrupted one.
 */
export async function startUploadImport(
  deps: Pick<Deps, 'db' | 'clock' | 'log'> & { eventLog: EventLog },
  req: UploadRequest,
): Promise<ImportReport> {
  checkImportOptions(req.format, req.type, req.map);
  const source = await getSource(deps, req.sourceId);
  if (!source.enabled) throw new AppError('forbidden', `Source "${source.name}" is disabled`);
  if (!req.body) throw new AppError('bad_request', 'The upload is empty');
  const upload = await spoolUpload(req.body, { dir: uploadDir, maxBytes: maxUploadBytes });
  const options = {
    ...(req.type ? { type: req.type } : {}),
    ...(req.map ? { map: req.map } : {}),
    ...(req.delimiter ? { delimiter: req.delimiter } : {}),
  };
  const id = importIdFor(source.id, upload.hash, { format: req.format, ...options });
  const file = await keepUpload(upload, id);
  await launch(deps, {
    id,
    source,
    file,
    fileName: req.fileName ?? 'upload',
    format: req.format,
    type: req.type,
    map: req.map,
    delimiter: req.delimiter,
    fileHash: upload.hash,
    signal: req.signal,
  });
  return getImport(deps, id);
}

/** Starts an upload's import in the background unless this process already runs it. */
async function launch(
  deps: Pick<Deps, 'db' | 'clock' | 'log'> & { eventLog: EventLog },
  req: Omit<ImportRequest, 'errorFile' | 'onProgress'> & { id: string },
): Promise<void> {
  const jobs = runningOf(deps.eventLog);
  if (jobs.has(req.id)) return;
  let stepped: () => void = () => {};
  const firstStep = new Promise<void>((resolve) => {
    stepped = resolve;
  });
  const { id, ...request } = req;
  const job = runImport(deps, {
    ...request,
    errorFile: errorFileOf(id),
    onProgress: () => stepped(),
  })
    .then(async (report) => {
      // A finished import's rows are in the log; its upload is no longer needed.
      if (report.status === 'completed') await rm(req.file, { force: true });
    })
    .catch((error: unknown) => deps.log.warn({ err: error, importId: id }, 'import failed'))
    .finally(() => {
      jobs.delete(id);
      stepped();
    });
  jobs.set(id, job);
  await Promise.race([firstStep, new Promise((r) => setTimeout(r, firstStepWaitMs))]);
}

/**
 * Continues, from their checkpoints, the uploaded imports that a stop interrupted or a crash
 * left `running` (not updated for `staleAfterMs`), whose upload is still on disk: nobody has
 * to upload the file again. Each is claimed with a conditional update, so when several
 * processes start at once only one of them runs it. Resolves with the IDs it resumed.
 */
export async function resumeUploadedImports(
  deps: Pick<Deps, 'db' | 'clock' | 'log'> & { eventLog: EventLog },
  signal: AbortSignal,
  staleAfterMs = 60_000,
): Promise<string[]> {
  const staleBefore = new Date(deps.clock.now().getTime() - staleAfterMs).toISOString();
  const candidates = await deps.db
    .selectFrom('imports')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('status', '=', 'interrupted'),
        eb.and([eb('status', '=', 'running'), eb('updated_at', '<', staleBefore)]),
      ]),
    )
    .execute();
  const resumed: string[] = [];
  for (const row of candidates) {
    const file = uploadFileOf(row.id);
    if (!(await stat(file).catch(() => undefined))) continue;
    const claimed = await deps.db
      .updateTable('imports')
      .set({ status: 'running', updated_at: deps.clock.now().toISOString() })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .where('updated_at', '=', row.updated_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const options = JSON.parse(row.options) as {
      type?: ImportType;
      map?: string;
      delimiter?: string;
    };
    try {
      const source = await getSource(deps, row.source_id);
      await launch(deps, {
        id: row.id,
        source,
        file,
        fileName: row.file_name,
        format: row.format as ImportFormat,
        type: options.type,
        map: options.map,
        delimiter: options.delimiter,
        fileHash: row.file_hash,
        signal,
      });
      resumed.push(row.id);
    } catch (error) {
      deps.log.warn({ err: error, importId: row.id }, 'could not resume the import');
    }
  }
  return resumed;
}

/** The rejected rows of an uploaded import (JSON Lines), streamed from its error file. */
export async function importErrors(deps: Pick<Deps, 'db'>, id: string): Promise<Readable | string> {
  const report = await getImport(deps, id);
  const file = errorFileOf(report.id);
  const exists = await stat(file).catch(() => undefined);
  return exists ? createReadStream(file) : '';
}

/** Resolves when every import this process runs on the log has stopped (after a shutdown). */
export async function importsSettled(log: EventLog): Promise<void> {
  await Promise.allSettled([...runningOf(log).values()]);
}
