import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '../access/roles.js';
import { loadConfig } from '../config.js';
import { exportCsv } from '../crm/transfer/export.service.js';
import type { ImportMapping } from '../crm/transfer/import.mapping.js';
import {
  createCrmImport,
  getCrmImport,
  type ImportProgress,
  runCrmImport,
} from '../crm/transfer/import.service.js';
import { systemClock } from '../kernel/clock.js';
import { migrateToLatest } from '../storage/migrate.js';
import { openStore } from '../storage/store.js';
import { parseCommandArgs, requireString, UsageError } from './args.js';
import type { Command, Io } from './commands.js';

const usage = `triad crm import FILE --object TYPE --map HEADER=PROPERTY[,HEADER=PROPERTY...]
               [--id-property PROP] [--associate COLUMN=TYPE[:PROP],...] [--errors ERRORS.jsonl]
    imports a CSV into any CRM object type through the same validation as the API; rows are
    upserted on PROP (default: a mapped unique property such as email), COLUMN holds the key
    of a record of TYPE to associate each row with (PROP: a unique property of TYPE, default
    the record id). Interrupted? Run the same command again: it resumes after the last
    committed chunk, and no row is stored twice.
triad crm import status IMPORT_ID
triad crm export --object TYPE [--properties a,b,c] [--filter PROP:OPERATOR:VALUE ...]
               [--out FILE.csv]
    writes every matching record as CSV (stdout without --out); filters are ANDed.`;

// Commands act with full rights, as the operator who can run them owns the store.
const operator: Principal = { kind: 'token', id: 'cli', role: 'admin', name: 'triad crm' };

function pairs(text: string | undefined, flag: string): [string, string][] {
  if (text === undefined) return [];
  return text.split(',').map((part) => {
    const at = part.lastIndexOf('=');
    if (at <= 0 || at === part.length - 1) throw new UsageError(`${flag} takes NAME=VALUE pairs`);
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
  });
}

function progressLine(p: ImportProgress, elapsedSeconds: number, width = 28): string {
  const fraction = p.fileBytes > 0 ? Math.min(1, p.bytesRead / p.fileBytes) : 0;
  const filled = Math.round(fraction * width);
  const rows = p.rowsCreated + p.rowsUpdated + p.rowsFailed;
  const rate = elapsedSeconds > 0 ? rows / elapsedSeconds : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${p.rowsDone.toLocaleString('en-US')} rows  ${Math.round(rate).toLocaleString('en-US')} rows/s  ${p.rowsFailed.toLocaleString('en-US')} rejected`;
}

async function withStore<T>(io: Io, work: (db: ReturnType<typeof openStore>['db']) => Promise<T>) {
  const store = openStore(loadConfig(io.env).storage);
  try {
    await migrateToLatest(store.db);
    return await work(store.db);
  } finally {
    await store.close();
  }
}

async function runImportCommand(argv: string[], io: Io): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    object: { type: 'string' },
    map: { type: 'string' },
    'id-property': { type: 'string' },
    associate: { type: 'string' },
    errors: { type: 'string' },
  });
  await withStore(io, async (db) => {
    const deps = { db, clock: systemClock };
    if (positionals[0] === 'status') {
      const report = await getCrmImport(deps, requireString(positionals[1], 'IMPORT_ID'));
      io.out(JSON.stringify(report, null, 2));
      return;
    }
    const file = requireString(positionals[0], 'FILE');
    await stat(file).catch(() => {
      throw new UsageError(`cannot read ${file}`);
    });
    const mapping: ImportMapping = {
      objectType: requireString(values.object, '--object'),
      columns: Object.fromEntries(pairs(requireString(values.map, '--map'), '--map')),
      ...(values['id-property'] ? { idProperty: values['id-property'] } : {}),
      associations: pairs(values.associate, '--associate').map(([column, target]) => {
        const [toObjectType = '', idProperty] = target.split(':');
        return { column, toObjectType, ...(idProperty ? { idProperty } : {}) };
      }),
    };
    const errorFile = values.errors ?? `${file}.errors.jsonl`;
    const created = await createCrmImport(deps, {
      file,
      errorFile: () => errorFile,
      mapping,
      actor: { id: operator.id, role: 'admin' },
    });
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
    const tty = process.stderr.isTTY === true && io.env === undefined;
    const started = performance.now();
    let lastPlain = started;
    try {
      const report = await runCrmImport(deps, created.id, {
        signal: stop.signal,
        onProgress: (p) => {
          const elapsed = (performance.now() - started) / 1000;
          if (tty) process.stderr.write(`\r${progressLine(p, elapsed)}`);
          else if (performance.now() - lastPlain > 5_000) {
            lastPlain = performance.now();
            io.err(`crm import: ${progressLine(p, elapsed)}`);
          }
        },
      });
      if (tty) process.stderr.write('\n');
      const seconds = (performance.now() - started) / 1000;
      io.out(
        `${report.status}: ${report.rowsCreated} created, ${report.rowsUpdated} updated, ${report.rowsFailed} rejected${report.rowsFailed > 0 ? ` (see ${errorFile})` : ''}; ${seconds.toFixed(1)} s; import ${report.id}`,
      );
      if (report.status === 'interrupted') {
        io.err(`interrupted after row ${report.rowsDone}; run the same command to resume`);
      }
    } finally {
      settled();
    }
  });
}

async function runExportCommand(argv: string[], io: Io): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    object: { type: 'string' },
    properties: { type: 'string' },
    filter: { type: 'string' },
    out: { type: 'string' },
  });
  const filters = (values.filter ?? '')
    .split(',')
    .filter((f) => f !== '')
    .map((f) => {
      const [propertyName = '', operator = '', ...rest] = f.split(':');
      if (propertyName === '' || operator === '') {
        throw new UsageError('--filter takes PROP:OPERATOR[:VALUE]');
      }
      return { propertyName, operator, ...(rest.length > 0 ? { value: rest.join(':') } : {}) };
    });
  await withStore(io, async (db) => {
    const stream = await exportCsv({ db }, operator, {
      objectType: requireString(values.object, '--object'),
      ...(values.properties ? { properties: values.properties.split(',') } : {}),
      ...(filters.length > 0 ? { filterGroups: [{ filters }] } : {}),
    });
    if (values.out) await pipeline(stream, createWriteStream(values.out));
    else for await (const chunk of stream) process.stdout.write(chunk as string);
  });
}

/** CLI commands of the CRM (triad crm ...). */
export const crmCommands: Record<string, Command> = {
  crm: {
    summary: 'CRM: import a CSV into any object type (resumable), export a filtered list',
    usage,
    async run(argv, io) {
      const [sub, ...rest] = argv;
      if (sub === 'import') return runImportCommand(rest, io);
      if (sub === 'export') return runExportCommand(rest, io);
      throw new UsageError('use triad crm import or triad crm export');
    },
  },
};
