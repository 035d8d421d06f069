import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { type InsightHarness, insightHarness } from './harness.js';

/**
 * Every insight figure on a small history whose answers are worked out by hand in the
 * comments. 2026-06-01 and 2026-06-08 are Mondays (weeks W1 and W2).
 */
const track = (userId: string, event: string, timestamp: string) => ({
  type: 'track',
  userId,
  event,
  timestamp,
});
const identify = (userId: string, traits: Record<string, unknown>, timestamp: string) => ({
  type: 'identify',
  userId,
  traits,
  timestamp,
});

interface Volume {
  buckets: string[];
  totals: number[];
  total: number;
  series: { name: string; sourceId: string; total: number; counts: number[] }[];
}
interface Funnel {
  steps: { event: string; count: number; conversion: number; fromPrevious: number }[];
}
interface Retention {
  cohorts: { cohort: string; size: number; retained: number[]; rates: number[] }[];
}
interface Distribution {
  kind: string;
  source: string;
  profiles: number;
  missing: number;
  top: { value: unknown; count: number }[];
  histogram: { min: number; max: number; buckets: { count: number }[] } | null;
}
interface History {
  days: { day: string; size: number; entered: number; exited: number }[];
}

describe.each(enginesUnderTest())('insights on $name', (engine) => {
  const clock = manualClock('2026-06-20T00:00:00.000Z');
  let h: InsightHarness;
  let vip: string;
  beforeAll(async () => {
    h = await insightHarness({ engine, clock, sources: ['web', 'app'] });
    // u3's latest event arrives first: its cohort must move back to W1 when older ones land.
    await h.send('web', [
      track('u3', 'Viewed', '2026-06-10T08:00:00.000Z'),
      track('u5', 'Viewed', '2026-06-09T09:00:00.000Z'),
    ]);
    await h.send('web', [
      identify(
        'u1',
        { plan: 'pro', predicted_purchase_30d: 0.9, beta: true },
        '2026-06-01T09:00:00.000Z',
      ),
      track('u1', 'Viewed', '2026-06-01T10:00:00.000Z'),
      track('u1', 'Added', '2026-06-01T11:30:00.000Z'),
      track('u2', 'Viewed', '2026-06-01T12:00:00.000Z'),
      identify('u3', { plan: 'pro', predicted_purchase_30d: 0.2 }, '2026-06-02T07:00:00.000Z'),
      track('u3', 'Viewed', '2026-06-02T08:00:00.000Z'),
      track('u3', 'Added', '2026-06-02T08:30:00.000Z'),
      track('u1', 'Purchased', '2026-06-02T09:00:00.000Z'),
    ]);
    await h.send('app', [
      track('u4', 'Added', '2026-06-03T10:00:00.000Z'),
      track('u4', 'Viewed', '2026-06-03T11:00:00.000Z'),
      track('u4', 'Added', '2026-06-03T12:00:00.000Z'),
    ]);
    await h.send('web', [
      track('u2', 'Added', '2026-06-04T12:00:00.000Z'),
      track('u1', 'Viewed', '2026-06-09T10:00:00.000Z'),
      track('u5', 'Purchased', '2026-06-09T10:00:00.000Z'),
    ]);
    const created = await h.api<{ id: string }>('POST', '/api/v1/audiences', {
      key: 'vip',
      name: 'VIP',
      text: 'trait plan = "pro"',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    vip = created.body.id;
    await h.ready(vip);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts volume per day, by name and source', async () => {
    const res = await h.api<Volume>(
      'GET',
      '/api/v1/insights/volume?interval=day&from=2026-06-01T00:00:00Z&to=2026-06-11T00:00:00Z',
    );
    expect(res.status).toBe(200);
    expect(res.body.buckets[0]).toBe('2026-06-01T00:00:00.000Z');
    // 06-01: identify u1, Viewed u1, Added u1, Viewed u2; 06-02: identify u3, Viewed u3,
    // Added u3, Purchased u1; 06-03: u4 x3; 06-04: Added u2; 06-09: 3; 06-10: 1.
    expect(res.body.totals).toEqual([4, 4, 3, 1, 0, 0, 0, 0, 3, 1]);
    expect(res.body.total).toBe(16);
    const byKey = Object.fromEntries(
      res.body.series.map((s) => [
        `${s.name}@${s.sourceId === h.sources.app?.id ? 'app' : 'web'}`,
        s.total,
      ]),
    );
    expect(byKey).toEqual({
      'Viewed@web': 6,
      'Viewed@app': 1,
      'Added@web': 3,
      'Added@app': 2,
      'Purchased@web': 2,
      '$identify@web': 2,
    });
  });

  it('buckets by week and hour and filters by event and source', async () => {
    const weekly = await h.api<Volume>(
      'GET',
      '/api/v1/insights/volume?interval=week&from=2026-06-01T00:00:00Z&to=2026-06-15T00:00:00Z',
    );
    expect(weekly.body.buckets).toEqual(['2026-06-01T00:00:00.000Z', '2026-06-08T00:00:00.000Z']);
    expect(weekly.body.totals).toEqual([12, 4]);
    const hourly = await h.api<Volume>(
      'GET',
      '/api/v1/insights/volume?interval=hour&event=Added&from=2026-06-03T00:00:00Z&to=2026-06-04T00:00:00Z',
    );
    expect(hourly.body.buckets).toHaveLength(24);
    expect(hourly.body.totals[10]).toBe(1);
    expect(hourly.body.totals[12]).toBe(1);
    expect(hourly.body.total).toBe(2);
    const app = await h.api<Volume>(
      'GET',
      `/api/v1/insights/volume?sourceId=${h.sources.app?.id}&from=2026-06-01T00:00:00Z&to=2026-06-15T00:00:00Z`,
    );
    expect(app.body.total).toBe(3);
  });

  it('filters volume by audience members', async () => {
    const res = await h.api<Volume>(
      'GET',
      '/api/v1/insights/volume?interval=day&audience=vip&from=2026-06-01T00:00:00Z&to=2026-06-11T00:00:00Z',
    );
    expect(res.status).toBe(200);
    // u1: identify, Viewed, Added (06-01), Purchased (06-02), Viewed (06-09);
    // u3: identify, Viewed, Added (06-02), Viewed (06-10).
    expect(res.body.totals).toEqual([3, 4, 0, 0, 0, 0, 0, 0, 1, 1]);
    const byId = await h.api<Volume>(
      'GET',
      `/api/v1/insights/volume?audience=${vip}&event=Viewed&from=2026-06-01T00:00:00Z&to=2026-06-11T00:00:00Z`,
    );
    expect(byId.body.total).toBe(4);
  });

  it('computes funnel conversion within the window', async () => {
    const res = await h.api<Funnel>('POST', '/api/v1/insights/funnel', {
      steps: [{ event: 'Viewed' }, { event: 'Added' }, { event: 'Purchased' }],
      windowHours: 48,
      from: '2026-06-01T00:00:00Z',
      to: '2026-06-15T00:00:00Z',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Viewed: u1..u5. Added within 48 h after the first view: u1 (1.5 h), u3, u4 (its earlier
    // Added does not count); u2 added after 72 h. Purchased after that: only u1 (23 h).
    expect(res.body.steps.map((s) => s.count)).toEqual([5, 3, 1]);
    expect(res.body.steps.map((s) => s.conversion)).toEqual([1, 0.6, 0.2]);
    expect(res.body.steps[2]?.fromPrevious).toBeCloseTo(1 / 3, 4);
    const later = await h.api<Funnel>('POST', '/api/v1/insights/funnel', {
      steps: [{ event: 'Viewed' }, { event: 'Purchased' }],
      windowHours: 2,
      from: '2026-06-05T00:00:00Z',
      to: '2026-06-15T00:00:00Z',
    });
    // From 06-05: first views of u1 (06-09 10:00), u5 (09:00), u3 (06-10); u5 bought at 10:00.
    expect(later.body.steps.map((s) => s.count)).toEqual([3, 1]);
    const vipOnly = await h.api<Funnel>('POST', '/api/v1/insights/funnel', {
      steps: [{ event: 'Viewed' }, { event: 'Added' }, { event: 'Purchased' }],
      windowHours: 48,
      from: '2026-06-01T00:00:00Z',
      to: '2026-06-15T00:00:00Z',
      audience: 'vip',
    });
    expect(vipOnly.body.steps.map((s) => s.count)).toEqual([2, 2, 1]);
  });

  it('counts a repeated step only on a later occurrence', async () => {
    const res = await h.api<Funnel>('POST', '/api/v1/insights/funnel', {
      steps: [{ event: 'Viewed' }, { event: 'Viewed' }],
      windowHours: 24 * 10,
      from: '2026-06-01T00:00:00Z',
      to: '2026-06-15T00:00:00Z',
    });
    // Viewed twice within 10 days of the first view: u1 (06-01, 06-09), u3 (06-02, 06-10).
    expect(res.body.steps.map((s) => s.count)).toEqual([5, 2]);
  });

  it('builds weekly retention cohorts by first-seen week', async () => {
    const res = await h.api<Retention>(
      'GET',
      '/api/v1/insights/retention?from=2026-06-01T00:00:00Z&to=2026-06-15T00:00:00Z&weeks=4',
    );
    expect(res.status).toBe(200);
    // W1: u1, u2, u3 (moved back from W2 by its older events), u4; active in W2: u1, u3.
    // W2: u5 only.
    expect(res.body.cohorts).toEqual([
      { cohort: '2026-06-01', size: 4, retained: [4, 2], rates: [1, 0.5] },
      { cohort: '2026-06-08', size: 1, retained: [1], rates: [1] },
    ]);
    const vipOnly = await h.api<Retention>(
      'GET',
      '/api/v1/insights/retention?from=2026-06-01T00:00:00Z&to=2026-06-15T00:00:00Z&audience=vip',
    );
    expect(vipOnly.body.cohorts.map((c) => [c.size, c.retained])).toEqual([
      [2, [2, 2]],
      [0, [0]],
    ]);
  });

  it('describes categorical and numeric trait distributions', async () => {
    const plan = await h.api<Distribution>('GET', '/api/v1/insights/traits/plan/distribution');
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({
      kind: 'categorical',
      source: 'profile',
      profiles: 5,
      missing: 3,
      top: [{ value: 'pro', count: 2 }],
    });
    const score = await h.api<Distribution>(
      'GET',
      '/api/v1/insights/traits/predicted_purchase_30d/distribution?buckets=2',
    );
    expect(score.body.kind).toBe('numeric');
    expect(score.body.histogram?.min).toBeCloseTo(0.2);
    expect(score.body.histogram?.max).toBeCloseTo(0.9);
    expect(score.body.histogram?.buckets.map((b) => b.count)).toEqual([1, 1]);
    const vipOnly = await h.api<Distribution>(
      'GET',
      '/api/v1/insights/traits/plan/distribution?audience=vip',
    );
    expect(vipOnly.body).toMatchObject({ profiles: 2, missing: 0 });
  });

  it('describes booleans and computed traits', async () => {
    const beta = await h.api<Distribution>('GET', '/api/v1/insights/traits/beta/distribution');
    expect(beta.body).toMatchObject({ kind: 'categorical', top: [{ value: true, count: 1 }] });
    const created = await h.api<{ id: string }>('POST', '/api/v1/computed-traits', {
      key: 'views',
      name: 'Views',
      definition: { aggregation: 'count', event: 'Viewed' },
    });
    expect(created.status).toBe(201);
    for (let i = 0; i < 400; i++) {
      const res = await h.api<{ status: string }>(
        'GET',
        `/api/v1/computed-traits/${created.body.id}`,
      );
      if (res.body.status === 'ready') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const views = await h.api<Distribution>('GET', '/api/v1/insights/traits/views/distribution');
    // Views: u1 2, u2 1, u3 2, u4 1, u5 1.
    expect(views.body).toMatchObject({
      source: 'computed',
      kind: 'numeric',
      profiles: 5,
      missing: 0,
      top: [
        { value: 1, count: 3 },
        { value: 2, count: 2 },
      ],
    });
  });

  it('replays audience size history from entries and exits', async () => {
    const before = await h.api<History>(
      'GET',
      `/api/v1/insights/audiences/${vip}/history?from=2026-06-19T00:00:00Z&to=2026-06-21T00:00:00Z`,
    );
    expect(before.status).toBe(200);
    expect(before.body.days).toEqual([
      { day: '2026-06-19', size: 0, entered: 0, exited: 0 },
      { day: '2026-06-20', size: 2, entered: 2, exited: 0 },
    ]);
    clock.set('2026-06-21T12:00:00.000Z');
    await h.send('web', [identify('u3', { plan: 'free' }, '2026-06-21T11:00:00.000Z')]);
    const after = await h.api<History>(
      'GET',
      '/api/v1/insights/audiences/vip/history?from=2026-06-19T00:00:00Z&to=2026-06-22T00:00:00Z',
    );
    expect(after.body.days.map((d) => [d.day, d.size, d.exited])).toEqual([
      ['2026-06-19', 0, 0],
      ['2026-06-20', 2, 0],
      ['2026-06-21', 1, 1],
    ]);
  });

  it.each([
    ['GET', '/api/v1/insights/volume?from=2026-06-10T00:00:00Z&to=2026-06-01T00:00:00Z', 400],
    ['GET', '/api/v1/insights/volume?from=yesterday', 400],
    ['GET', '/api/v1/insights/volume?interval=minute', 400],
    ['GET', '/api/v1/insights/volume?interval=hour&from=2020-01-01T00:00:00Z', 400],
    ['GET', '/api/v1/insights/volume?audience=nobody', 404],
    ['GET', '/api/v1/insights/retention?audience=nobody', 404],
    ['GET', '/api/v1/insights/retention?from=2026-06-10T00:00:00Z&to=2026-06-10T00:00:00Z', 400],
    ['GET', '/api/v1/insights/audiences/aud_missing/history', 404],
    ['GET', "/api/v1/insights/traits/plan'%3Bdrop/distribution", 400],
    ['GET', '/api/v1/insights/traits/plan/distribution?audience=nobody', 404],
  ] as const)('%s %s is a %i problem', async (method, url, status) => {
    const res = await h.api(method, url);
    expect(res.status).toBe(status);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
  });

  it.each([
    [{ steps: [{ event: 'Viewed' }], windowHours: 24 }, 400],
    [{ steps: [{ event: 'A' }, { event: 'B' }], windowHours: 0 }, 400],
    [
      {
        steps: [{ event: 'A' }, { event: 'B' }],
        windowHours: 24,
        from: '2026-06-10T00:00:00Z',
        to: '2026-06-01T00:00:00Z',
      },
      400,
    ],
    [{ steps: [{ event: 'A' }, { event: 'B' }], windowHours: 24, audience: 'nobody' }, 404],
  ] as const)('funnel %j is a %i problem', async (body, status) => {
    const res = await h.api('POST', '/api/v1/insights/funnel', body);
    expect(res.status).toBe(status);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
  });
});
