import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Deps } from '../../../kernel/deps.js';
import { AppError } from '../../../kernel/errors.js';
import type { EventLog } from '../../../log/event-log.js';
import { getSource } from '../../sources/source.service.js';
import type { ImportFormat, ImportReport } from './import.js';
import { checkImportOptions, getImport, importIdFor, runImport } from './import.service.js';
import type { ImportType } from './row-mapping.js';
import { errorFileOf, keepUpload, spoolUpload } from './upload.js';

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
  const upload = await spoolUpload(req.body, maxUploadBytes);
  const options = {
    ...(req.type ? { type: req.type } : {}),
    ...(req.map ? { map: req.map } : {}),
    ...(req.delimiter ? { delimiter: req.delimiter } : {}),
  };
  const id = importIdFor(source.id, upload.hash, { format: req.format, ...options });
  const file = await keepUpload(upload, id);
  const jobs = runningOf(deps.eventLog);
  if (!jobs.has(id)) {
    let stepped: () => void = () => {};
    const firstStep = new Promise<void>((resolve) => {
      stepped = resolve;
    });
    const job = runImport(deps, {
      source,
      file,
      fileName: req.fileName ?? 'upload',
      format: req.format,
      type: req.type,
      map: req.map,
      delimiter: req.delimiter,
      errorFile: errorFileOf(id),
      fileHash: upload.hash,
      signal: req.signal,
      onProgress: () => stepped(),
    })
      .then(async (report) => {
        // A finished import's rows are in the log; its upload is no longer needed.
        if (report.status === 'completed') await rm(file, { force: true });
      })
      .catch((error: unknown) => deps.log.warn({ err: error, importId: id }, 'import failed'))
      .finally(() => {
        jobs.delete(id);
        stepped();
      });
    jobs.set(id, job);
    await Promise.race([firstStep, new Promise((r) => setTimeout(r, firstStepWaitMs))]);
  }
  return getImport(deps, id);
}

/** The rejected rows of an uploaded import (JSON Lines), streamed from its error file. */
export async function importErrors(deps: Pick<Deps, 'db'>, id: string): Promise<Readable | string> {
  const report = await getImport(deps, id);
  const file = errorFileOf(report.id);
  const exists = await stat(file).catch(() => undefined);
  return exists ? createReadStream(file) : '';
}
