import type { DmpConfig } from '../config.js';
import type { Deps } from '../kernel/deps.js';
import { createEmbeddedHotStore } from './hotstore/embedded.js';
import type { HotStore, SegmentLoader } from './hotstore/hot-store.js';
import { createRedisHotStore } from './hotstore/redis.js';
import { findActivatable } from './ids/id.repository.js';
import { CatalogCache } from './qualify/catalog.js';
import { loadMemberships } from './qualify/qualification.repository.js';
import { type RetentionReport, runRetention } from './retention/retention.js';

/** Settings with defaults that are not (yet) environment variables. */
export interface DmpRuntimeOptions {
  /** Cap of the match table: partner IDs kept per DMP ID (oldest evicted first). */
  maxPartnerIdsPerId: number;
  /** How often the retention job runs, in ms; 0 disables the timer (tests run it by hand). */
  retentionIntervalMs: number;
  /** How long another process's trait/segment changes may take to be seen here, in ms. */
  catalogRefreshMs: number;
  /** Embedded hot store: most IDs cached in process. */
  hotCacheEntries: number;
  /** Embedded hot store: how long an entry is trusted before it is reloaded, in ms. */
  hotCacheMaxAgeMs: number;
  /** Redis hot store key prefix. */
  redisKeyPrefix: string;
  /** Largest `POST /dmp/v1/signals` batch. */
  maxBatchSignals: number;
}

export const defaultDmpRuntimeOptions: DmpRuntimeOptions = {
  maxPartnerIdsPerId: 1_000,
  retentionIntervalMs: 3_600_000,
  catalogRefreshMs: 5_000,
  hotCacheEntries: 1_000_000,
  hotCacheMaxAgeMs: 60_000,
  redisKeyPrefix: 'triad:dmp:seg:',
  maxBatchSignals: 1_000,
};

/**
 * The DMP's long-lived parts (hot lookup store, rule catalog, retention timer), created once at
 * start-up and handed to its routes through the app's dependencies.
 */
export interface DmpRuntime {
  config: DmpConfig;
  options: DmpRuntimeOptions;
  /** DMP ID -> activatable segment IDs: in process over the store, or Redis. */
  hotStore: HotStore;
  /** Traits and segments, parsed and cached. */
  catalog: CatalogCache;
  /** Runs the retention job once (the timer calls this too). */
  runRetention(): Promise<RetentionReport>;
  close(): Promise<void>;
}

/** What the hot stores load on a miss: the ID's memberships if it may be activated, else []. */
export function storeLoader(db: Deps['db']): SegmentLoader {
  return async (dmpId) => ((await findActivatable(db, dmpId)) ? loadMemberships(db, dmpId) : []);
}

export async function createDmpRuntime(
  deps: Deps & { config: DmpConfig },
  overrides: Partial<DmpRuntimeOptions> = {},
): Promise<DmpRuntime> {
  const options = { ...defaultDmpRuntimeOptions, ...overrides };
  const { config, db, clock, log } = deps;
  const loader = storeLoader(db);
  const hotStore = config.redisUrl
    ? await createRedisHotStore(loader, {
        url: config.redisUrl,
        keyPrefix: options.redisKeyPrefix,
        ttlSeconds: config.idTtlDays * 86_400,
      })
    : createEmbeddedHotStore(loader, {
        maxEntries: options.hotCacheEntries,
        maxAgeMs: options.hotCacheMaxAgeMs,
        now: () => clock.now().getTime(),
      });
  const catalog = new CatalogCache(db, clock, options.catalogRefreshMs);
  const runtime: DmpRuntime = {
    config,
    options,
    hotStore,
    catalog,
    runRetention: () => runRetention({ db, clock, dmp: runtime }),
    close: async () => {
      if (timer) clearInterval(timer);
      await hotStore.close();
    },
  };
  let running = false;
  const timer =
    options.retentionIntervalMs > 0
      ? setInterval(() => {
          // One run at a time: a slow run is not stacked on by the next tick.
          if (running) return;
          running = true;
          runtime
            .runRetention()
            .then((report) => log.info(report, 'dmp retention done'))
            .catch((error: unknown) => log.error({ err: error }, 'dmp retention failed'))
            .finally(() => {
              running = false;
            });
        }, options.retentionIntervalMs)
      : undefined;
  // The timer must not keep a finished process (or a test run) alive.
  timer?.unref();
  return runtime;
}
