import type { Clock } from '../../src/kernel/clock.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import type { EngineUnderTest } from '../helpers/stores.js';

export interface InsightHarness {
  t: TestApp;
  /** Write keys of the sources created, by name, and their IDs. */
  sources: Record<string, { writeKey: string; id: string }>;
  send(source: string, batch: Record<string, unknown>[]): Promise<void>;
  api<T = unknown>(
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    token?: string,
  ): Promise<{ status: number; body: T; contentType: string }>;
  /** Polls an audience until its backfill finished. */
  ready(audienceId: string): Promise<void>;
  close(): Promise<void>;
}

/** The real app with every log consumer running (identity, audiences, insights). */
export async function insightHarness(opts: {
  engine: EngineUnderTest;
  clock: Clock;
  sources: string[];
}): Promise<InsightHarness> {
  const t = await createTestApp({
    testStore: await opts.engine.open(),
    clock: opts.clock,
    identity: true,
  });
  const sources: InsightHarness['sources'] = {};
  for (const name of opts.sources) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...bearer(t.adminToken), 'content-type': 'application/json' },
      payload: { name },
    });
    const body = res.json() as { id: string; writeKey: string };
    sources[name] = { id: body.id, writeKey: body.writeKey };
  }
  let counter = 0;
  const api = async <T>(method: 'GET' | 'POST', url: string, payload?: unknown, token?: string) => {
    const res = await t.app.inject({
      method,
      url,
      headers: {
        ...bearer(token ?? t.adminToken),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
    return {
      status: res.statusCode,
      body: (res.body ? res.json() : undefined) as T,
      contentType: String(res.headers['content-type']),
    };
  };
  return {
    t,
    sources,
    api,
    async send(source, batch) {
      const key = sources[source]?.writeKey ?? '';
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
        },
        payload: { batch: batch.map((m) => ({ messageId: `m-${++counter}`, ...m })) },
      });
      if (res.statusCode !== 200) throw new Error(`batch refused: ${res.body}`);
      await t.drain();
    },
    async ready(id) {
      for (let i = 0; i < 400; i++) {
        const res = await api<{ status: string; progress: { done: number; total: number } }>(
          'GET',
          `/api/v1/audiences/${id}`,
        );
        const p = res.body.progress;
        if (res.body.status === 'ready' && p.done === p.total) {
          await new Promise((r) => setTimeout(r, 20));
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`audience ${id} never became ready`);
    },
    close: () => t.close(),
  };
}
