import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/access/roles.js';
import { createToken } from '../../src/access/tokens/token.service.js';
import { buildApp } from '../../src/app.js';
import {
  type CollectConfig,
  type CrmConfig,
  type DmpConfig,
  defaultCollectConfig,
  defaultDmpConfig,
} from '../../src/config.js';
import { createCrmRuntime } from '../../src/crm/runtime.js';
import { createDmpRuntime } from '../../src/dmp/runtime.js';
import type { RouteSpec } from '../../src/http/route.js';
import { type Clock, systemClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { type RunningConsumer, startConsumer } from '../../src/log/consumer.js';
import { logConsumers } from '../../src/log/consumers.js';
import { openTableLog } from '../../src/log/table-log.js';
import { openTestSqlite, type TestStore } from './stores.js';

export interface TestApp {
  app: FastifyInstance;
  testStore: TestStore;
  /** An admin API token. */
  adminToken: string;
  /** A token of the given role (created once per role and reused). */
  tokenFor(role: Role): Promise<string>;
  /** Waits until the log consumers have processed everything appended so far. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** The real app on a fresh SQLite database, driven in-process with inject(). */
export async function createTestApp(
  opts: {
    testStore?: TestStore;
    clock?: Clock;
    bodyLimitBytes?: number;
    collect?: Partial<CollectConfig>;
    dmp?: Partial<DmpConfig>;
    crm?: Partial<CrmConfig>;
    extraRoutes?: RouteSpec[];
    /** Run the event log consumers: identity graph, audiences... (as `triad start` does). */
    identity?: boolean;
  } = {},
): Promise<TestApp> {
  const testStore = opts.testStore ?? (await openTestSqlite());
  const clock = opts.clock ?? systemClock;
  const deps = { db: testStore.store.db, clock, log: silentLogger };
  const eventLog = openTableLog(testStore.store, clock);
  const dmp = await createDmpRuntime({ ...deps, config: { ...defaultDmpConfig, ...opts.dmp } });
  const crm = await createCrmRuntime({ ...deps, config: { smtpUrl: undefined, ...opts.crm } });
  const app = await buildApp(
    {
      ...deps,
      store: testStore.store,
      eventLog,
      dmp,
      crm,
      config: {
        bodyLimitBytes: opts.bodyLimitBytes ?? 1024 * 1024,
        collect: { ...defaultCollectConfig, ...opts.collect },
      },
    },
    opts.extraRoutes ? { extraRoutes: opts.extraRoutes } : {},
  );
  await app.ready();
  const running: RunningConsumer[] = [];
  if (opts.identity) {
    for (const consumer of logConsumers({ db: deps.db, clock })) {
      running.push(await startConsumer(eventLog, consumer, silentLogger));
    }
  }
  const tokens = new Map<Role, string>();
  const tokenFor = async (role: Role) => {
    const existing = tokens.get(role);
    if (existing) return existing;
    const created = await createToken(deps, { name: `${role} test token`, role });
    tokens.set(role, created.token);
    return created.token;
  };
  const adminToken = await tokenFor('admin');
  return {
    app,
    testStore,
    adminToken,
    tokenFor,
    drain: async () => {
      for (const consumer of running) await consumer.drain();
    },
    async close() {
      await app.close();
      for (const consumer of running) await consumer.stop();
      await eventLog.close();
      await dmp.close();
      await crm.close();
      await testStore.destroy();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Asserts the RFC 9457 shape every error must have and returns the parsed body. */
export function problemOf(response: LightMyRequestResponse): {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  requestId: string;
  errors?: { field?: string; message: string }[];
} {
  const contentType = String(response.headers['content-type']);
  if (!contentType.startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${contentType}: ${response.body.slice(0, 200)}`);
  }
  const body = response.json();
  if (body.status !== response.statusCode)
    throw new Error('problem status differs from the HTTP status');
  return body;
}
