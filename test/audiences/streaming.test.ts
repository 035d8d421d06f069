import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { openTableLog } from '../../src/log/table-log.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { type AudienceHarness, audienceHarness } from './harness.js';

type Audience = {
  id: string;
  key: string;
  size: number;
  status: string;
  text: string;
  mode: string;
};
type Page<T> = { data: T[]; next: string | null };

describe.each(enginesUnderTest())('computed traits and audiences on $name', (engine) => {
  const clock = manualClock('2026-03-01T00:00:00.000Z');
  let h: AudienceHarness;
  const ids: Record<string, string> = {};
  const at = () => clock.now().toISOString();
  const members = async (key: string) => {
    const res = await h.api<Page<{ profileId: string }>>(
      'GET',
      `/api/v1/audiences/${ids[key]}/members?limit=200`,
    );
    return res.body.data.map((m) => m.profileId).sort();
  };
  const profileOf = async (userId: string) =>
    (await h.api<{ id: string }>('GET', `/api/v1/profiles/user_id:${userId}`)).body.id;
  const create = async (key: string, text: string, extra: Record<string, unknown> = {}) => {
    const res = await h.api<Audience>('POST', '/api/v1/audiences', {
      key,
      name: key,
      text,
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[key] = res.body.id;
    await h.ready(`/api/v1/audiences/${res.body.id}`);
  };

  beforeAll(async () => {
    h = await audienceHarness({ engine, clock, consumer: { background: false } });
    for (const [key, definition] of [
      [
        'orders_30d',
        { aggregation: 'count', event: 'Order Completed', window: { amount: 30, unit: 'days' } },
      ],
      ['ltv', { aggregation: 'sum', event: 'Order Completed', property: 'total' }],
      [
        'favourite_sku',
        { aggregation: 'most_frequent', event: 'Order Completed', property: 'sku' },
      ],
    ] as const) {
      const res = await h.api<{ id: string }>('POST', '/api/v1/computed-traits', {
        key,
        name: key,
        definition,
      });
      expect(res.status).toBe(201);
      await h.ready(`/api/v1/computed-traits/${res.body.id}`);
    }
    await create('buyers', 'performed "Order Completed" at least 2 times within 30 days');
    await create('big_pro', 'computed ltv >= 100 and trait plan = "pro"');
    await create('not_buyers', 'not in audience "buyers"');
    await create('view_then_buy', 'performed "Viewed" then "Order Completed" within 1 days');
    await create('acme_has_pro', 'account any (trait plan = "pro")');
    await h.send([
      { type: 'identify', userId: 'u1', traits: { plan: 'pro' }, timestamp: at() },
      { type: 'track', userId: 'u1', event: 'Viewed', timestamp: at() },
      {
        type: 'track',
        userId: 'u1',
        event: 'Order Completed',
        properties: { total: 60, sku: 'A' },
        timestamp: at(),
      },
      {
        type: 'track',
        userId: 'u1',
        event: 'Order Completed',
        properties: { total: 60, sku: 'A' },
        timestamp: at(),
      },
      {
        type: 'track',
        userId: 'u2',
        event: 'Order Completed',
        properties: { total: 5, sku: 'B' },
        timestamp: at(),
      },
      { type: 'group', userId: 'u1', groupId: 'acme', timestamp: at() },
      { type: 'group', userId: 'u2', groupId: 'acme', timestamp: at() },
    ]);
    await h.drain();
  });
  afterAll(() => h.close());

  it('updates computed traits and memberships from streamed events', async () => {
    const [u1, u2] = [await profileOf('u1'), await profileOf('u2')];
    expect(await members('buyers')).toEqual([u1]);
    expect(await members('big_pro')).toEqual([u1]);
    expect(await members('not_buyers')).toEqual([u2]);
    expect(await members('view_then_buy')).toEqual([u1]);
    expect(await members('acme_has_pro')).toEqual([u1, u2].sort());
    const audience = await h.api<Audience>('GET', `/api/v1/audiences/${ids.buyers}`);
    expect(audience.body.size).toBe(1);
    expect(audience.body.text).toBe('performed "Order Completed" at least 2 times within 30 days');
  });

  it('applies a batch handed to it again only once', async () => {
    // As after a crash between commit and the runner's next read, or after a read-ahead.
    const log = openTableLog(h.t.testStore.store, clock);
    const records = await log.read(0, 1000);
    expect(records.length).toBeGreaterThan(0);
    await h.consumer.process(records);
    const base = '/v1/spaces/default/collections/users/profiles/user_id:u1/traits?limit=50';
    const computed = await h.api<{ traits: Record<string, unknown> }>(
      'GET',
      `${base}&class=computed_trait`,
    );
    expect(computed.body.traits).toMatchObject({ ltv: 120, orders_30d: 2 });
    const audience = await h.api<Audience>('GET', `/api/v1/audiences/${ids.buyers}`);
    expect(audience.body.size).toBe(1);
  });

  it('serves computed traits and audiences through the Segment Profile API', async () => {
    const base = '/v1/spaces/default/collections/users/profiles/user_id:u1/traits?limit=50';
    const computed = await h.api<{ traits: Record<string, unknown> }>(
      'GET',
      `${base}&class=computed_trait`,
    );
    expect(computed.body.traits).toEqual({ favourite_sku: 'A', ltv: 120, orders_30d: 2 });
    const audiences = await h.api<{ traits: Record<string, unknown> }>(
      'GET',
      `${base}&class=audience`,
    );
    expect(audiences.body.traits).toEqual({
      acme_has_pro: true,
      big_pro: true,
      buyers: true,
      view_then_buy: true,
    });
    const plain = await h.api<{ traits: Record<string, unknown> }>('GET', `${base}&class=traits`);
    expect(plain.body.traits).toEqual({ plan: 'pro' });
  });

  it('merges: a profile absorbing another is rebuilt and the absorbed one exits', async () => {
    await h.send([
      {
        type: 'track',
        anonymousId: 'anon-9',
        event: 'Order Completed',
        properties: { total: 1 },
        timestamp: at(),
      },
      {
        type: 'track',
        anonymousId: 'anon-9',
        event: 'Order Completed',
        properties: { total: 1 },
        timestamp: at(),
      },
    ]);
    await h.drain();
    const anon = (await h.api<{ id: string }>('GET', '/api/v1/profiles/anonymous_id:anon-9')).body
      .id;
    expect(await members('buyers')).toContain(anon);
    await h.send([{ type: 'identify', anonymousId: 'anon-9', userId: 'u2', timestamp: at() }]);
    await h.drain();
    const u2 = await profileOf('u2');
    const buyers = await members('buyers');
    expect(buyers).toContain(u2);
    // Whichever profile survived holds the membership; the absorbed one left the audience.
    if (anon !== u2) expect(buyers).not.toContain(anon);
    const computed = await h.api<{ traits: Record<string, unknown> }>(
      'GET',
      '/v1/spaces/default/collections/users/profiles/user_id:u2/traits?class=computed_trait',
    );
    expect(computed.body.traits.orders_30d).toBe(3);
    expect(computed.body.traits.ltv).toBe(7);
  });

  it('decays rolling windows when time passes with no events (timer)', async () => {
    const u1 = await profileOf('u1');
    clock.advance(31 * 86_400_000);
    const changed = await h.consumer.expireDue();
    expect(changed).toBeGreaterThan(0);
    expect(await members('buyers')).not.toContain(u1);
    expect(await members('not_buyers')).toContain(u1);
    const history = await h.api<Page<{ profileId: string; kind: string; reason: string }>>(
      'GET',
      `/api/v1/audiences/${ids.buyers}/history`,
    );
    const mine = history.body.data.filter((e) => e.profileId === u1);
    expect(mine.map((e) => [e.kind, e.reason])).toEqual([
      ['exited', 'window'],
      ['entered', 'event'],
    ]);
    const computed = await h.api<{ traits: Record<string, unknown> }>(
      'GET',
      '/v1/spaces/default/collections/users/profiles/user_id:u1/traits?class=computed_trait',
    );
    expect(computed.body.traits.orders_30d).toBe(0);
    expect(computed.body.traits.ltv).toBe(120);
  });

  it('backfills a new audience from history and pages members with cursors', async () => {
    await create('ever_ordered', 'performed "Order Completed"');
    const all = await members('ever_ordered');
    expect(all.length).toBe(2);
    const first = await h.api<Page<{ profileId: string }>>(
      'GET',
      `/api/v1/audiences/${ids.ever_ordered}/members?limit=1`,
    );
    expect(first.body.data.length).toBe(1);
    const second = await h.api<Page<{ profileId: string }>>(
      'GET',
      `/api/v1/audiences/${ids.ever_ordered}/members?limit=1&cursor=${first.body.next}`,
    );
    expect([...first.body.data, ...second.body.data].map((m) => m.profileId).sort()).toEqual(all);
    expect(second.body.next).toBeNull();
  });

  it('switches between real-time and batch without being recreated', async () => {
    const patched = await h.api<Audience>('PATCH', `/api/v1/audiences/${ids.ever_ordered}`, {
      mode: 'batch',
    });
    expect(patched.body.mode).toBe('batch');
    await h.send([{ type: 'track', userId: 'u7', event: 'Order Completed', timestamp: at() }]);
    await h.drain();
    const u7 = await profileOf('u7');
    expect(await members('ever_ordered')).not.toContain(u7);
    await h.api('PATCH', `/api/v1/audiences/${ids.ever_ordered}`, { mode: 'realtime' });
    for (let i = 0; i < 200 && !(await members('ever_ordered')).includes(u7); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(await members('ever_ordered')).toContain(u7);
    expect((await h.api<Audience>('GET', `/api/v1/audiences/${ids.ever_ordered}`)).body.id).toBe(
      ids.ever_ordered,
    );
  });

  it('previews a size without creating anything', async () => {
    const res = await h.api<{ estimate: number; exact: boolean; tookMs: number }>(
      'POST',
      '/api/v1/audiences/preview',
      {
        text: 'performed "Order Completed" at least 1 times',
      },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ estimate: 3, exact: true });
  });

  it.each([
    [{ key: 'bad1', name: 'x', text: 'in audience "bad1"' }, 'cyclic audience reference'],
    [{ key: 'bad2', name: 'x', text: 'computed nope > 1' }, 'unknown computed trait'],
    [{ key: 'bad3', name: 'x', text: 'in audience "missing"' }, 'unknown audience'],
    [
      {
        key: 'bad4',
        name: 'x',
        definition: { type: 'trait', filter: { path: 'a', op: 'eq', value: 1 }, oops: true },
      },
      'unknown field',
    ],
    [
      { key: 'bad5', name: 'x', text: 'performed "A" between "2026-02-01" and "2026-01-01"' },
      'impossible window',
    ],
    [{ key: 'bad6', name: 'x', text: 'performed "A" within 0 days' }, 'integer from 1'],
    [{ key: 'Bad Key', name: 'x', text: 'trait a exists' }, 'key must be'],
    [{ key: 'bad7', name: 'x', text: 'trait a ===' }, 'Invalid audience text'],
  ])('refuses invalid definitions with a 400 naming the problem (%j)', async (body, message) => {
    const res = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/audiences',
      headers: { authorization: `Bearer ${h.t.adminToken}`, 'content-type': 'application/json' },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(res.json())).toContain(message);
  });

  it('refuses a redefinition that creates a cycle', async () => {
    await create('wraps_buyers', 'in audience "buyers"');
    const res = await h.api<{ detail: string }>('PATCH', `/api/v1/audiences/${ids.buyers}`, {
      text: 'in audience "wraps_buyers"',
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('buyers -> wraps_buyers -> buyers');
  });
});
