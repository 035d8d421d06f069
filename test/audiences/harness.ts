import { type AudienceConsumer, audienceConsumer } from '../../src/cdp/audiences/index.js';
import { identityConsumer } from '../../src/cdp/identity/graph/identity.service.js';
import type { Clock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { type RunningConsumer, startConsumer } from '../../src/log/consumer.js';
import { openTableLog } from '../../src/log/table-log.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import type { EngineUnderTest } from '../helpers/stores.js';

export interface AudienceHarness {
  t: TestApp;
  consumer: AudienceConsumer;
  token: string;
  writeKey: string;
  /** Sends events through the collection API (Basic auth with the write key). */
  send(batch: Record<string, unknown>[]): Promise<void>;
  /** Waits until identity and audiences caught up with everything sent. */
  drain(): Promise<void>;
  api<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** Polls an audience until its backfill finished. */
  ready(audienceOrTraitUrl: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real app on a fresh database with the identity and audience consumers running (the
 * audience consumer with test options: manual clocks, quick retries).
 */
export async function audienceHarness(
  opts: {
    engine?: EngineUnderTest;
    clock?: Clock;
    consumer?: Parameters<typeof audienceConsumer>[1];
  } = {},
): Promise<AudienceHarness> {
  const testStore = opts.engine ? await opts.engine.open() : undefined;
  const t = await createTestApp({
    ...(testStore ? { testStore } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const clock = opts.clock ?? { now: () => new Date() };
  const db = t.testStore.store.db;
  const log = openTableLog(t.testStore.store, clock);
  const consumer = audienceConsumer({ db, clock }, opts.consumer ?? {});
  const running: RunningConsumer[] = [
    await startConsumer(log, identityConsumer({ db, clock }), silentLogger),
    await startConsumer(log, consumer, silentLogger),
  ];
  const token = await t.tokenFor('marketer');
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    payload: { name: 'web' },
  });
  const writeKey = created.json().writeKey as string;
  const api = async <T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) => {
    const res = await t.app.inject({
      method,
      url,
      headers: {
        ...bearer(t.adminToken),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
    return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T };
  };
  const drain = async () => {
    for (const r of running) await r.drain();
  };
  let counter = 0;
  return {
    t,
    consumer,
    token,
    writeKey,
    api,
    drain,
    async send(batch) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        },
        payload: {
          batch: batch.map((m) => ({ messageId: `m-${++counter}-${Math.random()}`, ...m })),
        },
      });
      if (res.statusCode !== 200) throw new Error(`batch refused: ${res.body}`);
      // The collection API appends through its own log instance; wake ours too.
      await log.append([]);
    },
    async ready(url) {
      for (let i = 0; i < 400; i++) {
        const res = await api<{ status: string; progress?: { done: number; total: number } }>(
          'GET',
          url,
        );
        const p = res.body.progress;
        if (res.body.status === 'ready' && (!p || p.done === p.total)) {
          // The last backfill page may still be committing its progress.
          await new Promise((r) => setTimeout(r, 20));
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`${url} never became ready`);
    },
    async close() {
      for (const r of running) await r.stop();
      await consumer.stop();
      await log.close();
      await t.close();
    },
  };
}
