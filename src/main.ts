import type { FastifyInstance } from 'fastify';
import { ensureBootstrapToken } from './access/tokens/token.service.js';
import { buildApp } from './app.js';
import { importsSettled, resumeUploadedImports } from './cdp/collection/imports/import.jobs.js';
import type { Config } from './config.js';
import { type CrmRuntime, createCrmRuntime } from './crm/runtime.js';
import { createDmpRuntime, type DmpRuntime } from './dmp/runtime.js';
import { periodicJobs } from './jobs/jobs.js';
import { type RunningJobs, startJobs } from './jobs/periodic.js';
import { type Clock, iso, systemClock } from './kernel/clock.js';
import type { Logger } from './kernel/logger.js';
import { type RunningConsumer, startConsumer } from './log/consumer.js';
import { logConsumers } from './log/consumers.js';
import type { EventLog } from './log/event-log.js';
import { openTableLog } from './log/table-log.js';
import { loadSuppressions } from './privacy/index.js';
import { suppressionRefreshJob } from './privacy/privacy.jobs.js';
import { migrateToLatest } from './storage/migrate.js';
import { openStore, type Store } from './storage/store.js';

const shutdownGraceMs = 10_000;

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then closes the store. */
  stop(): Promise<void>;
}

/**
 * Brings the store up to date before anything serves: migrations, then the bootstrap admin
 * token. A clustered start runs this once in the primary; each worker's own run is a no-op.
 */
export async function prepareStore(
  config: Config,
  deps: { log: Logger; clock?: Clock; announce?: (line: string) => void },
): Promise<void> {
  const store = openStore(config.storage);
  try {
    await migrateAndBootstrap(store, config, { ...deps, clock: deps.clock ?? systemClock });
  } finally {
    await store.close();
  }
}

async function migrateAndBootstrap(
  store: Store,
  config: Config,
  deps: { log: Logger; clock: Clock; announce?: ((line: string) => void) | undefined },
): Promise<void> {
  const { applied } = await migrateToLatest(store.db);
  if (applied.length > 0) deps.log.info({ applied }, 'migrations applied');
  const { generated } = await ensureBootstrapToken(
    { db: store.db, clock: deps.clock },
    config.adminToken,
  );
  if (generated) {
    deps.announce?.(`Admin API token (shown once; only its hash is stored): ${generated}`);
  }
}

/**
 * The composition root: config -> storage -> migrations -> bootstrap credentials -> HTTP.
 * `announce` receives what a person starting the server must see once (the generated token).
 */
export async function startServer(
  config: Config,
  deps: {
    log: Logger;
    clock?: Clock;
    announce?: (line: string) => void;
    /** all: HTTP and log consumers; api: HTTP only; worker: consumers (and probes) only. */
    role?: 'all' | 'api' | 'worker';
  },
): Promise<RunningServer> {
  const clock = deps.clock ?? systemClock;
  const store = openStore(config.storage);
  let eventLog: EventLog | undefined;
  const consumers: RunningConsumer[] = [];
  let jobs: RunningJobs | undefined;
  let httpJobs: RunningJobs | undefined;
  let dmp: DmpRuntime | undefined;
  let crm: CrmRuntime | undefined;
  try {
    await migrateAndBootstrap(store, config, { log: deps.log, clock, announce: deps.announce });
    eventLog = openTableLog(store, clock);
    const base = { db: store.db, clock, log: deps.log };
    dmp = await createDmpRuntime({ ...base, config: config.dmp });
    crm = await createCrmRuntime({ ...base, config: config.crm });
    // Collection drops events of erased people: the list must be loaded before the first one.
    if (deps.role !== 'worker') await loadSuppressions(store.db, iso(clock.now()));
    const app = await buildApp(
      {
        ...base,
        store,
        eventLog,
        dmp,
        crm,
        config: { bodyLimitBytes: config.bodyLimitBytes, collect: config.collect },
      },
      { surfaces: deps.role === 'worker' ? 'probes' : 'all' },
    );
    const address = await app.listen({ port: config.port, host: config.host });
    // The log consumers (identity graph, audiences...) follow the event log in this process.
    if (deps.role !== 'api') {
      for (const consumer of logConsumers({ db: store.db, clock })) {
        consumers.push(await startConsumer(eventLog, consumer, deps.log));
      }
      jobs = startJobs(periodicJobs(), base, deps.log);
    }
    if (deps.role !== 'worker') httpJobs = startJobs([suppressionRefreshJob], base, deps.log);
    // Uploads a stop interrupted continue by themselves in a process that accepts uploads.
    const importsStop = new AbortController();
    const log = eventLog;
    if (deps.role !== 'worker') {
      void resumeUploadedImports({ ...base, eventLog: log }, importsStop.signal).then(
        (ids) => ids.length > 0 && deps.log.info({ imports: ids }, 'resumed interrupted imports'),
        (error: unknown) => deps.log.warn({ err: error }, 'could not look for interrupted imports'),
      );
    }
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        // Requests get a grace period to finish; after it, remaining sockets are cut so a
        // stuck client cannot hold the process (and the store) open forever.
        const force = setTimeout(() => app.server.closeAllConnections(), shutdownGraceMs);
        try {
          await app.close();
          importsStop.abort();
          await importsSettled(log);
          await jobs?.stop();
          await httpJobs?.stop();
          for (const consumer of consumers) await consumer.stop();
          // Acknowledged appends are already durable; this only waits for a commit under way.
          await eventLog?.close();
          await dmp?.close();
          await crm?.close();
        } finally {
          clearTimeout(force);
          await store.close();
        }
      })();
      return stopping;
    };
    return { app, store, url: address, stop };
  } catch (error) {
    await jobs?.stop();
    await httpJobs?.stop();
    for (const consumer of consumers) await consumer.stop();
    await dmp?.close();
    await crm?.close();
    await store.close();
    throw error;
  }
}
