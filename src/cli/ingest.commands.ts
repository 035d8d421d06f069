import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ImportFormat, ImportReport } from '../cdp/collection/imports/import.js';
import { getImport, runImport } from '../cdp/collection/imports/import.service.js';
import type { Source } from '../cdp/sources/source.js';
import { findSourceByWriteKey, getSource } from '../cdp/sources/source.service.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../kernel/clock.js';
import { AppError } from '../kernel/errors.js';
import { openTableLog } from '../log/table-log.js';
import { migrateToLatest } from '../storage/migrate.js';
import { openStore } from '../storage/store.js';
import { parseCommandArgs, requireString, UsageError } from './args.js';
import type { Command, Io } from './commands.js';

const usage = `triad import FILE --source SOURCE_ID_OR_WRITE_KEY [--type identify|track] [--map TARGET=COLUMN,...]
             [--format csv|jsonl] [--delimiter D] [--errors ERRORS.jsonl]
triad import status IMPORT_ID

Streams a CSV or JSON Lines file into a source as identify or track calls; rows go through the
same cleaning (and tracking plan) as SDK events. TARGET is userId, anonymousId, event, timestamp,
messageId, name, or traits.X / properties.X / context.X, optionally typed: properties.total:number
(kinds: string, number, boolean, json). Without --map, CSV columns named like targets are used.
JSONL lines are Segment messages as they are (or mapped with --map by key path).

Rejected rows go to ERRORS.jsonl (default FILE.errors.jsonl) with their line and reason.
Interrupted? Run the same command again: it resumes after the last committed row, and rows
already stored are never stored twice.`;

function formatOf(file: string, explicit: string | undefined): ImportFormat {
  if (explicit === 'csv' || explicit === 'jsonl') return explicit;
  if (explicit !== undefined) throw new UsageError('--format must be csv or jsonl');
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new UsageError('cannot tell the format from the file name; pass --format csv|jsonl');
}

async function resolveSource(deps: Parameters<typeof getSource>[0], ref: string): Promise<Source> {
  if (ref.startsWith('src_')) return getSource(deps, ref);
  const source = await findSourceByWriteKey(deps, ref);
  if (!source) throw new AppError('not_found', `no source has the id or write key "${ref}"`);
  return source;
}

/**
 * A one-line progress bar for a terminal, redrawn in place. Without a terminal (logs, CI) a
 * plain line every few seconds says the same.
 */
export function progressLine(report: ImportReport, elapsedSeconds: number, width = 28): string {
  const fraction = report.fileBytes > 0 ? Math.min(1, report.bytesRead / report.fileBytes) : 0;
  const filled = Math.round(fraction * width);
  const rate = elapsedSeconds > 0 ? report.rowsRead / elapsedSeconds : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100)
    .toFixed(0)
    .padStart(
      3,
    )}%  ${report.rowsRead.toLocaleString('en-US')} rows  ${Math.round(rate).toLocaleString('en-US')} rows/s  ${report.rowsRejected.toLocaleString('en-US')} rejected`;
}

function progressReporter(io: Io) {
  const tty = process.stderr.isTTY === true && io.env === undefined;
  const started = performance.now();
  let lastPlain = started;
  let resumedRows: number | undefined;
  return {
    update(report: ImportReport) {
      resumedRows ??= report.rowsRead;
      const elapsed = (performance.now() - started) / 1000;
      const view = { ...report, rowsRead: report.rowsRead - resumedRows };
      if (tty) {
        process.stderr.write(`\r${progressLine(view, elapsed)}`);
      } else if (performance.now() - lastPlain > 5_000) {
        lastPlain = performance.now();
        io.err(`import: ${progressLine(view, elapsed)}`);
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
    seconds: () => (performance.now() - started) / 1000,
  };
}

export const ingestCommands: Record<string, Command> = {
  import: {
    summary: 'Import a CSV or JSONL file of identify/track calls into a source (resumable)',
    usage,
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(argv, {
        source: { type: 'string' },
        type: { type: 'string' },
        map: { type: 'string' },
        format: { type: 'string' },
        delimiter: { type: 'string' },
        errors: { type: 'string' },
      });
      const config = loadConfig(io.env);
      const store = openStore(config.storage);
      try {
        await migrateToLatest(store.db);
        const deps = { db: store.db, clock: systemClock };
        if (positionals[0] === 'status') {
          const report = await getImport(deps, requireString(positionals[1], 'IMPORT_ID'));
          io.out(JSON.stringify(report, null, 2));
          return;
        }
        const file = requireString(positionals[0], 'FILE');
        await stat(file).catch(() => {
          throw new UsageError(`cannot read ${file}`);
        });
        const type = values.type;
        if (type !== undefined && type !== 'identify' && type !== 'track') {
          throw new UsageError('--type must be identify or track');
        }
        const source = await resolveSource(deps, requireString(values.source, '--source'));
        const eventLog = openTableLog(store, systemClock);
        const stop = new AbortController();
        let settled: () => void = () => {};
        const finished = new Promise<void>((resolve) => {
          settled = resolve;
        });
        // Ctrl-C finishes the chunk under way and records the checkpoint before exiting.
        io.onShutdownSignal?.(async () => {
          stop.abort();
          await finished;
        });
        const progress = progressReporter(io);
        const errorFile = values.errors ?? `${file}.errors.jsonl`;
        try {
          const report = await runImport(
            { ...deps, eventLog },
            {
              source,
              file,
              fileName: file,
              format: formatOf(file, values.format),
              type,
              map: values.map,
              delimiter: values.delimiter,
              errorFile,
              signal: stop.signal,
              onProgress: (r) => progress.update(r),
            },
          );
          progress.done();
          const seconds = progress.seconds();
          const peakMb = process.resourceUsage().maxRSS / 1024;
          io.out(
            `${report.status}: ${report.rowsImported} rows imported, ${report.rowsDuplicate} already stored, ${report.rowsRejected} rejected${report.rowsRejected > 0 ? ` (see ${errorFile})` : ''}; ${seconds.toFixed(1)} s, peak memory ${peakMb.toFixed(0)} MB; import ${report.id}`,
          );
          if (report.status === 'interrupted') {
            io.err(
              `interrupted after line ${report.checkpointLine}; run the same command to resume`,
            );
          }
        } finally {
          await eventLog.close();
          settled();
        }
      } finally {
        await store.close();
      }
    },
  },
};
