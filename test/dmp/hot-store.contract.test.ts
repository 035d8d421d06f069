import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServiceUrls } from '../../src/config.js';
import { createEmbeddedHotStore } from '../../src/dmp/hotstore/embedded.js';
import type { HotStore, SegmentLoader } from '../../src/dmp/hotstore/hot-store.js';
import { createRedisHotStore } from '../../src/dmp/hotstore/redis.js';

/**
 * One contract, every adapter. The loader stands for the system of record: a Map the test
 * writes to and whose reads it counts.
 */
const redisUrl = testServiceUrls().redis;
if (!redisUrl) {
  console.warn('\n*** TEST_REDIS_URL is not set: the Redis hot store contract is SKIPPED ***\n');
}

interface Adapter {
  name: string;
  make(loader: SegmentLoader): Promise<HotStore>;
}

const adapters: Adapter[] = [
  { name: 'embedded', make: async (loader) => createEmbeddedHotStore(loader) },
  ...(redisUrl
    ? [
        {
          name: 'redis',
          make: (loader: SegmentLoader) =>
            createRedisHotStore(loader, {
              url: redisUrl,
              // A prefix per test: parallel suites never see each other's keys.
              keyPrefix: `triad:test:${randomBytes(6).toString('hex')}:`,
              ttlSeconds: 60,
            }),
        },
      ]
    : []),
];

describe.each(adapters)('hot store contract: $name', (adapter) => {
  let truth: Map<string, string[]>;
  let loads: number;
  let store: HotStore;
  beforeEach(async () => {
    truth = new Map();
    loads = 0;
    store = await adapter.make(async (id) => {
      loads++;
      return truth.get(id) ?? [];
    });
  });
  afterEach(async () => {
    await store.clear();
    await store.close();
  });

  it('loads a miss from the store once, then answers from the cache', async () => {
    truth.set('td_a', ['seg_1', 'seg_2']);
    expect(await store.get('td_a')).toEqual(['seg_1', 'seg_2']);
    expect(await store.get('td_a')).toEqual(['seg_1', 'seg_2']);
    expect(loads).toBe(1);
  });

  it('answers [] for an unknown ID and caches that too', async () => {
    expect(await store.get('td_unknown')).toEqual([]);
    expect(await store.get('td_unknown')).toEqual([]);
    expect(loads).toBe(1);
  });

  it('a put wins over what the store held, and an empty put is kept as empty', async () => {
    truth.set('td_a', ['seg_old']);
    await store.get('td_a');
    await store.put('td_a', ['seg_new']);
    expect(await store.get('td_a')).toEqual(['seg_new']);
    await store.put('td_a', []);
    expect(await store.get('td_a')).toEqual([]);
    expect(loads).toBe(1);
  });

  it('remove makes the next get reload from the store', async () => {
    await store.put('td_a', ['seg_1']);
    await store.put('td_b', ['seg_2']);
    truth.set('td_a', ['seg_9']);
    await store.remove(['td_a', 'td_b']);
    expect(await store.get('td_a')).toEqual(['seg_9']);
    expect(await store.get('td_b')).toEqual([]);
    await store.remove([]);
  });

  it('clear forgets every ID', async () => {
    for (let i = 0; i < 50; i++) await store.put(`td_${i}`, [`seg_${i}`]);
    await store.clear();
    expect(await store.get('td_7')).toEqual([]);
    expect(loads).toBe(1);
  });

  it('a slow load never overwrites a put made meanwhile', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = await adapter.make(async () => {
      await gate;
      return ['seg_stale'];
    });
    try {
      const pending = slow.get('td_race');
      await slow.put('td_race', ['seg_fresh']);
      release();
      await pending;
      expect(await slow.get('td_race')).toEqual(['seg_fresh']);
    } finally {
      await slow.clear();
      await slow.close();
    }
  });

  it('returns copies: callers cannot change what is cached', async () => {
    await store.put('td_a', ['seg_1']);
    const first = await store.get('td_a');
    first.push('seg_x');
    expect(await store.get('td_a')).toEqual(['seg_1']);
  });
});
