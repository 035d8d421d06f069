import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/access/roles.js';
import { createToken } from '../../src/access/tokens/token.service.js';
import { buildApp } from '../../src/app.js';
import { type DmpConfig, defaultCollectConfig, defaultDmpConfig } from '../../src/config.js';
import { createCrmRuntime } from '../../src/crm/runtime.js';
import { createDmpRuntime, type DmpRuntimeOptions } from '../../src/dmp/runtime.js';
import { type Clock, systemClock } from '../../src/kernel/clock.js';
import { type Logger, silentLogger } from '../../src/kernel/logger.js';
import { openTableLog } from '../../src/log/table-log.js';
import { bearer } from '../helpers/app.js';
import { openTestSqlite, type TestStore } from '../helpers/stores.js';

export const DAY_MS = 86_400_000;

/**
 * The real app, built like `createTestApp` does, but keeping a handle on the DMP runtime (tests
 * run its retention job by hand and choose its hot store options).
 */
export async function dmpApp(
  opts: {
    testStore?: TestStore;
    clock?: Clock;
    dmp?: Partial<DmpConfig>;
    runtime?: Partial<DmpRuntimeOptions>;
    log?: Logger;
  } = {},
) {
  const testStore = opts.testStore ?? (await openTestSqlite());
  const clock = opts.clock ?? systemClock;
  const deps = { db: testStore.store.db, clock, log: opts.log ?? silentLogger };
  const eventLog = openTableLog(testStore.store, clock);
  const runtime = await createDmpRuntime(
    { ...deps, config: { ...defaultDmpConfig, minSegmentSize: 1, ...opts.dmp } },
    { retentionIntervalMs: 0, ...opts.runtime },
  );
  const crm = await createCrmRuntime({ ...deps, config: { smtpUrl: undefined } });
  const app = await buildApp({
    ...deps,
    store: testStore.store,
    eventLog,
    dmp: runtime,
    crm,
    config: { bodyLimitBytes: 1024 * 1024, collect: defaultCollectConfig },
  });
  await app.ready();
  const tokens = new Map<Role, string>();
  const tokenFor = async (role: Role) => {
    const existing = tokens.get(role);
    if (existing) return existing;
    const created = await createToken(deps, { name: `${role} test token`, role });
    tokens.set(role, created.token);
    return created.token;
  };
  const advertiser = bearer(await tokenFor('advertiser'));
  const admin = bearer(await tokenFor('admin'));

  const post = async (url: string, body: Record<string, unknown>): Promise<string> => {
    const res = await app.inject({ method: 'POST', url, headers: advertiser, payload: body });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json().id as string;
  };

  return {
    app,
    testStore,
    runtime,
    tokenFor,
    advertiser,
    admin,
    trait: (body: Record<string, unknown>) => post('/api/v1/dmp/traits', body),
    segment: (body: Record<string, unknown>) => post('/api/v1/dmp/segments', body),
    pixel(query: string, cookie?: string, headers: Record<string, string> = {}) {
      return app.inject({
        method: 'GET',
        url: `/dmp/v1/px?${query}`,
        headers: cookie ? { ...headers, cookie: `triad_dmp_id=${cookie}` } : headers,
      });
    },
    async segmentsOf(id: string): Promise<{ segments: string[]; taxonomyIds: number[] }> {
      const res = await app.inject({
        method: 'GET',
        url: `/dmp/v1/ids/${id}/segments`,
        headers: advertiser,
      });
      if (res.statusCode !== 200) throw new Error(`lookup: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async close() {
      await app.close();
      await eventLog.close();
      await runtime.close();
      await crm.close();
      await testStore.destroy();
    },
  };
}

export type DmpTestApp = Awaited<ReturnType<typeof dmpApp>>;

export function setCookies(res: LightMyRequestResponse): string[] {
  const header = res.headers['set-cookie'];
  return Array.isArray(header) ? header : header ? [header] : [];
}

/** The DMP ID a response set as cookie, or undefined. */
export function dmpCookie(res: LightMyRequestResponse): string | undefined {
  for (const line of setCookies(res)) {
    const m = /^triad_dmp_id=(td_[0-9a-z]+);/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}
