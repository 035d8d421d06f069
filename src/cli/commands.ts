import { createToken, listTokens, revokeToken } from '../access/tokens/token.service.js';
import { createUser } from '../access/users/user.service.js';
import { relayLiveThrough } from '../cdp/collection/live/live-hub.js';
import {
  type FieldMap,
  PERSON_FIELDS,
  type PersonField,
  resolveCsvFile,
} from '../cdp/identity/matching/index.js';
import { createSource, listSources } from '../cdp/sources/source.service.js';
import {
  clusterLiveRelay,
  isClusterWorker,
  reportListening,
  startCluster,
  stopWorkerOnSignals,
} from '../cluster.js';
import { type Config, loadConfig } from '../config.js';
import { systemClock } from '../kernel/clock.js';
import { createLogger, silentLogger } from '../kernel/logger.js';
import { prepareStore, startServer } from '../main.js';
import { migrateToLatest } from '../storage/migrate.js';
import { openStore, type Store } from '../storage/store.js';
import { parseCommandArgs, requireString, UsageError } from './args.js';
import { crmCommands } from './crm.commands.js';
import { demoCommands } from './demo.commands.js';
import { dmpCommands } from './dmp.commands.js';
import { ingestCommands } from './ingest.commands.js';

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Environment to configure from; process.env when omitted (tests pass their own). */
  env?: Record<string, string | undefined>;
  isTty: boolean;
  /** Called with a stop function when a long-running command wants signal handling. */
  onShutdownSignal?(stop: () => Promise<void>): void;
}

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[], io: Io): Promise<void>;
}

function parseFieldMap(text: string): FieldMap {
  const map: FieldMap = {};
  for (const pair of text.split(',')) {
    const [field, column] = pair.split('=').map((part) => part.trim());
    if (!field || !column) throw new UsageError(`--map takes FIELD=COLUMN pairs; got "${pair}"`);
    if (!(PERSON_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`unknown field "${field}"; fields: ${PERSON_FIELDS.join(', ')}`);
    }
    map[field as PersonField] = column;
  }
  return map;
}

/** Opens the store, brings the schema up to date, runs `work`, and always closes the store. */
async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(config.storage);
  try {
    await migrateToLatest(store.db);
    return await work(store);
  } finally {
    await store.close();
  }
}

const deps = (store: Store) => ({ db: store.db, clock: systemClock, log: silentLogger });

const builtinCommands: Record<string, Command> = {
  start: {
    summary: 'Run the whole stack (HTTP API, console, workers) in this process',
    usage:
      'triad start [--role all|api|worker] [--workers N]\n\nListens on HOST:PORT (default 127.0.0.1:8080) and stores data in TRIAD_DATA_DIR\n(default ./data) or DATABASE_URL. Stops gracefully on SIGTERM or SIGINT.\n\nRoles: all (default) serves HTTP and runs the event log consumers (identity graph...);\napi serves HTTP only; worker runs the consumers (and the operator endpoints) only.\n\n--workers N (or TRIAD_HTTP_WORKERS) runs N HTTP worker processes on the one port; the\nfirst also runs the consumers when the role is all. Default 1.',
    async run(argv, io) {
      const { values } = parseCommandArgs(argv, {
        role: { type: 'string' },
        workers: { type: 'string' },
      });
      const role = values.role ?? 'all';
      if (role !== 'all' && role !== 'api' && role !== 'worker')
        throw new UsageError('--role must be all, api or worker');
      const config = loadConfig(io.env, { isTty: io.isTty });
      const workers = values.workers === undefined ? config.httpWorkers : Number(values.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64)
        throw new UsageError('--workers must be a whole number from 1 to 64');
      if (workers > 1 && role === 'worker')
        throw new UsageError('--workers applies to HTTP; the worker role serves no HTTP');
      const log = createLogger({ level: config.logLevel, pretty: config.logPretty });
      const where = config.storage.engine === 'sqlite' ? config.storage.file : 'PostgreSQL';
      if (isClusterWorker()) {
        // One of the HTTP workers a clustered start forked (the primary printed the banner).
        relayLiveThrough(clusterLiveRelay());
        const server = await startServer(config, { log, role });
        reportListening(server.url);
        stopWorkerOnSignals(() => server.stop());
        return;
      }
      let url: string;
      let stop: () => Promise<void>;
      if (workers > 1) {
        await prepareStore(config, { log, announce: io.out });
        const running = await startCluster({
          workers,
          log,
          // Only the first worker follows the event log; the others serve HTTP.
          argsFor: (index) => ['start', '--role', index === 0 ? role : 'api', '--workers', '1'],
        });
        url = running.url;
        stop = running.stop;
      } else {
        const server = await startServer(config, { log, announce: io.out, role });
        url = server.url;
        stop = server.stop;
      }
      io.out(
        `Triad is running at ${url} (store: ${where}${workers > 1 ? `, ${workers} HTTP workers` : ''})`,
      );
      io.out(`API reference: ${url}/docs`);
      io.onShutdownSignal?.(async () => {
        log.info('shutting down: finishing in-flight requests');
        await stop();
        log.info('stopped');
      });
    },
  },
  migrate: {
    summary: 'Apply pending database migrations',
    usage: 'triad migrate',
    async run(argv, io) {
      parseCommandArgs(argv, {});
      const config = loadConfig(io.env);
      const store = openStore(config.storage);
      const { applied } = await migrateToLatest(store.db).finally(() => store.close());
      io.out(applied.length === 0 ? 'Schema is up to date.' : `Applied: ${applied.join(', ')}`);
    },
  },
  token: {
    summary: 'Create, list or revoke API tokens',
    usage:
      'triad token create --role ROLE [--name NAME]   prints the new token (shown once)\ntriad token list\ntriad token revoke TOKEN_ID\n\nRoles: admin, marketer, sales, support, advertiser, analyst',
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(argv, {
        role: { type: 'string' },
        name: { type: 'string' },
      });
      const [action, id] = positionals;
      const config = loadConfig(io.env);
      if (action === 'create') {
        const role = requireString(values.role, '--role');
        const created = await withStore(config, (store) =>
          createToken(deps(store), { name: values.name ?? `${role} token`, role }),
        );
        io.out(created.token);
        return;
      }
      if (action === 'list') {
        const page = await withStore(config, (store) => listTokens(deps(store), { limit: 200 }));
        for (const t of page.data)
          io.out(
            `${t.id}\t${t.role}\t${t.name}\t...${t.hint}\tlast used ${t.lastUsedAt ?? 'never'}`,
          );
        return;
      }
      if (action === 'revoke') {
        const tokenId = requireString(id, 'TOKEN_ID');
        await withStore(config, (store) => revokeToken(deps(store), tokenId));
        io.out(`Revoked ${tokenId}`);
        return;
      }
      throw new UsageError('expected one of: create, list, revoke');
    },
  },
  user: {
    summary: 'Create a console user',
    usage:
      'triad user create EMAIL --role ROLE [--password PASSWORD] [--name NAME]\n\nWithout --password a strong password is generated and printed once.',
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(argv, {
        role: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
      });
      const [action, email] = positionals;
      if (action !== 'create') throw new UsageError('expected: user create EMAIL --role ROLE');
      const config = loadConfig(io.env);
      const { user, generatedPassword } = await withStore(config, (store) =>
        createUser(deps(store), {
          email: requireString(email, 'EMAIL'),
          role: requireString(values.role, '--role'),
          password: values.password,
          name: values.name,
        }),
      );
      io.out(`Created ${user.role} ${user.email} (${user.id})`);
      if (generatedPassword) io.out(`Password (shown once): ${generatedPassword}`);
    },
  },
  resolve: {
    summary: 'Find the people in a CSV of person records (fuzzy identity resolution)',
    usage: `triad resolve FILE --id-column COL --map FIELD=COL,... --out OUT.csv [--truth COL] [--truth-format febrl] [--delimiter D]

Writes one record_id,cluster_id row per record. With --truth, prints pairwise precision, recall and
F1 of the clusters against that column (--truth-format febrl reads Febrl ids such as rec-12-dup-0).
Fields: ${PERSON_FIELDS.join(', ')}`,
    async run(argv, io) {
      const { values, positionals } = parseCommandArgs(argv, {
        'id-column': { type: 'string' },
        map: { type: 'string' },
        out: { type: 'string' },
        truth: { type: 'string' },
        'truth-format': { type: 'string' },
        delimiter: { type: 'string' },
      });
      const file = requireString(positionals[0], 'FILE');
      const format = values['truth-format'];
      if (format !== undefined && format !== 'febrl')
        throw new UsageError('--truth-format must be "febrl"');
      const result = await resolveCsvFile({
        file,
        idColumn: requireString(values['id-column'], '--id-column'),
        map: parseFieldMap(requireString(values.map, '--map')),
        out: requireString(values.out, '--out'),
        ...(values.truth === undefined ? {} : { truthColumn: values.truth }),
        ...(format === 'febrl' ? { truth: 'febrl-rec-id' as const } : {}),
        ...(values.delimiter === undefined ? {} : { delimiter: values.delimiter }),
      });
      io.out(
        `${result.records} records -> ${result.clusters} clusters (largest ${result.largestCluster}), ${result.merges} merges, ${result.suggestions} suggestions, ${result.seconds.toFixed(1)} s`,
      );
      if (result.metrics) {
        const m = result.metrics;
        io.out(
          `precision ${m.precision.toFixed(4)}  recall ${m.recall.toFixed(4)}  F1 ${m.f1.toFixed(4)}`,
        );
      }
    },
  },
  source: {
    summary: 'Create or list event sources',
    usage: 'triad source create NAME   prints the new write key\ntriad source list',
    async run(argv, io) {
      const { positionals } = parseCommandArgs(argv, {});
      const [action, ...rest] = positionals;
      const config = loadConfig(io.env);
      if (action === 'create') {
        const name = requireString(rest.join(' '), 'NAME');
        const source = await withStore(config, (store) => createSource(deps(store), { name }));
        io.out(source.writeKey);
        return;
      }
      if (action === 'list') {
        const page = await withStore(config, (store) => listSources(deps(store), { limit: 200 }));
        for (const s of page.data)
          io.out(`${s.id}\t${s.writeKey}\t${s.enabled ? 'enabled' : 'disabled'}\t${s.name}`);
        return;
      }
      throw new UsageError('expected one of: create, list');
    },
  },
};

export const commands: Record<string, Command> = {
  ...builtinCommands,
  ...ingestCommands,
  ...crmCommands,
  ...dmpCommands,
  ...demoCommands,
};
