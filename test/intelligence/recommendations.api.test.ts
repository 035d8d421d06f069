import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictionJobs } from '../../src/cdp/predictions/prediction.jobs.js';
import { manualClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';

/**
 * Recommendations through the HTTP API on events sent through the collection API: a
 * co-viewed item is recommended, bought items are not, and profiles without history get the
 * popular items of their audience (or overall).
 */
const clock = manualClock('2026-06-01T00:00:00.000Z');
const day = 86_400_000;
let t: TestApp;
let writeKey: string;
let counter = 0;

async function api(method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: {
      ...bearer(t.adminToken),
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}

const ago = (days: number) => new Date(clock.now().getTime() - days * day).toISOString();
const view = (userId: string, item: string, days = 3) => ({
  type: 'track',
  userId,
  event: 'Product Viewed',
  timestamp: ago(days),
  properties: { product_id: item },
});
const order = (userId: string, items: string[], days = 2) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  timestamp: ago(days),
  properties: {
    order_id: `o${++counter}`,
    total: 10,
    products: items.map((product_id) => ({ product_id })),
  },
});
const identify = (userId: string, traits: Record<string, unknown>) => ({
  type: 'identify',
  userId,
  traits,
  timestamp: ago(10),
});

async function send(batch: Record<string, unknown>[]) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    },
    payload: { batch: batch.map((m) => ({ messageId: `m-${++counter}`, ...m })) },
  });
  expect(res.statusCode, res.body).toBe(200);
  await t.drain();
}

beforeAll(async () => {
  t = await createTestApp({ identity: true, clock });
  writeKey = (await api('POST', '/api/v1/sources', { name: 'shop' })).json().writeKey;
  const audience = await api('POST', '/api/v1/audiences', {
    key: 'gold',
    name: 'Gold tier',
    text: 'trait tier = "gold"',
  });
  expect(audience.statusCode, audience.body).toBe(201);
  const batch: Record<string, unknown>[] = [];
  // Camping: viewing the tent goes with buying the stove.
  for (const u of ['b', 'c', 'd']) batch.push(view(u, 'tent'), order(u, ['stove']));
  batch.push(view('a', 'tent', 1));
  batch.push(view('e', 'tent'), order('e', ['stove']));
  // Gold shoppers buy jewellery; many more regular shoppers buy socks and mugs.
  for (const u of ['g1', 'g2', 'g3']) {
    batch.push(identify(u, { tier: 'gold' }), view(u, 'ring'), order(u, ['ring', 'necklace']));
  }
  for (let i = 0; i < 8; i++) batch.push(view(`r${i}`, 'socks'), order(`r${i}`, ['socks', 'mug']));
  // Profiles without any product events.
  batch.push(identify('cold-gold', { tier: 'gold' }), identify('cold', { tier: 'basic' }));
  await send(batch);
}, 60_000);
afterAll(() => t.close());

describe('recommendations over the API', () => {
  it('refreshes on demand and writes recommended_items on profiles', async () => {
    const status = await api('GET', '/api/v1/recommendations');
    expect(status.json().lastRefreshAt).toBeNull();
    const refreshed = await api('POST', '/api/v1/recommendations/refresh');
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json()).toMatchObject({ profilesWithHistory: 16, profilesWritten: 18 });
    const a = (await api('GET', '/api/v1/profiles/user_id:a')).json();
    expect(a.traits.recommended_items[0]).toBe('stove');
    const e = (await api('GET', '/api/v1/profiles/user_id:e')).json();
    expect(e.traits.recommended_items).not.toContain('stove');
    expect(e.traits.recommended_items.length).toBeGreaterThan(0);
    const after = (await api('GET', '/api/v1/recommendations')).json();
    expect(after.lastRefreshAt).toBe(clock.now().toISOString());
    expect(after.stats.items).toBeGreaterThanOrEqual(6);
  });

  it('answers per profile with the basis it used', async () => {
    const a = await api('GET', '/api/v1/profiles/user_id:a/recommendations?limit=3');
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ basis: 'history' });
    expect(a.json().items).toHaveLength(3);
    expect(a.json().items[0]).toBe('stove');

    const gold = (
      await api('GET', '/api/v1/profiles/user_id:cold-gold/recommendations?limit=2')
    ).json();
    expect(gold.basis).toBe('segment');
    expect(gold.items.sort()).toEqual(['necklace', 'ring']);

    const cold = (await api('GET', '/api/v1/profiles/user_id:cold/recommendations?limit=2')).json();
    expect(cold.basis).toBe('popular');
    expect(cold.items.sort()).toEqual(['mug', 'socks']);
  });

  it('a new view counts at once, before the next refresh', async () => {
    await send([view('cold', 'tent', 0)]);
    const cold = (await api('GET', '/api/v1/profiles/user_id:cold/recommendations?limit=1')).json();
    expect(cold).toMatchObject({ basis: 'history', items: ['stove'] });
  });

  it('refuses bad input with problem+json', async () => {
    expect(
      problemOf(await api('GET', '/api/v1/profiles/user_id:nobody/recommendations')).status,
    ).toBe(404);
    expect(problemOf(await api('GET', '/api/v1/profiles/nonsense/recommendations')).status).toBe(
      400,
    );
    expect(
      problemOf(await api('GET', '/api/v1/profiles/user_id:a/recommendations?limit=0')).status,
    ).toBe(400);
    expect(
      problemOf(await api('GET', '/api/v1/profiles/user_id:a/recommendations?limit=5000')).status,
    ).toBe(400);
  });

  it('the periodic job refreshes once the interval has passed', async () => {
    const job = predictionJobs.find((j) => j.name === 'recommendations.refresh');
    if (!job) throw new Error('no refresh job');
    const deps = { db: t.testStore.store.db, clock, log: silentLogger };
    const before = (await api('GET', '/api/v1/recommendations')).json().lastRefreshAt;
    clock.advance(3_600_000);
    await job.run(deps);
    expect((await api('GET', '/api/v1/recommendations')).json().lastRefreshAt).toBe(before);
    clock.advance(6 * 3_600_000);
    await job.run(deps);
    expect((await api('GET', '/api/v1/recommendations')).json().lastRefreshAt).toBe(
      clock.now().toISOString(),
    );
    // The refresh saw the new view: the cold profile's trait now leads with the stove.
    const cold = (await api('GET', '/api/v1/profiles/user_id:cold')).json();
    expect(cold.traits.recommended_items[0]).toBe('stove');
  });
});
