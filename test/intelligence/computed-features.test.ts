import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computedTraitValuesAsOf } from '../../src/cdp/predictions/computed-features.js';
import {
  insertPopulation,
  type Population,
  type SyntheticEvent,
  type SyntheticPerson,
  seededRandom,
} from '../../src/cdp/predictions/synthetic.js';
import { trainAndScore } from '../../src/cdp/predictions/training.js';
import { enginesUnderTest, type TestStore } from '../helpers/stores.js';

/**
 * People whose purchase propensity shows only in *which* products they look at (the share of
 * premium views), while how much they browse is unrelated to it. The built-in features count
 * views but not their category; a computed trait "premium views in the last 90 days" carries
 * the signal, and the model must pick it up as a feature evaluated as of the training cutoff.
 */
const day = 86_400_000;
const now = Date.parse('2026-06-01T00:00:00.000Z');
const clock = { now: () => new Date(now) };
const size = 1200;

function population(): Population {
  const random = seededRandom(7);
  const poisson = (rate: number, from: number, to: number) => {
    const out: number[] = [];
    let t = from;
    for (;;) {
      t += (-Math.log(Math.max(random(), 1e-12)) / rate) * day;
      if (t >= to) return out;
      out.push(t);
    }
  };
  const start = now - 180 * day;
  const people = Array.from({ length: size }, (_, i): SyntheticPerson => {
    const premiumShare = random();
    const purchaseRate = 0.0005 + 0.03 * premiumShare ** 3;
    const events: SyntheticEvent[] = [{ event: 'Signed Up', at: start }];
    for (const at of poisson(0.25, start, now)) {
      const category = random() < premiumShare ? 'premium' : 'basic';
      events.push({ event: 'Product Viewed', at, properties: { category } });
    }
    for (const at of poisson(purchaseRate, start, now)) {
      events.push({ event: 'Order Completed', at, revenue: 40 });
    }
    events.sort((a, b) => a.at - b.at);
    return { userId: `ct${i}`, purchaseRate, dormantFrom: Number.POSITIVE_INFINITY, events };
  });
  return { now, people };
}

async function definePremiumViews(db: TestStore['store']['db']) {
  const definition = {
    aggregation: 'count',
    event: 'Product Viewed',
    where: [{ path: 'category', op: 'eq', value: 'premium' }],
    window: { amount: 90, unit: 'days' },
  };
  const spec = {
    kind: 'aggregate',
    id: 'ct_premium',
    aggregation: 'count',
    event: 'Product Viewed',
    where: definition.where,
    windowMs: 90 * day,
  };
  await db
    .insertInto('audience_traits')
    .values({
      id: 'ct_premium',
      key: 'premium_views_90d',
      name: 'Premium views, 90 days',
      spec: JSON.stringify(spec),
      definition: JSON.stringify(definition),
      status: 'ready',
      created_at: new Date(now).toISOString(),
      updated_at: new Date(now).toISOString(),
    })
    .execute();
}

describe.each(enginesUnderTest())('computed traits as prediction features ($name)', (engine) => {
  let store: TestStore;
  const people = population().people;
  let profileOf: Map<string, string>;
  beforeAll(async () => {
    store = await engine.open();
    profileOf = await insertPopulation(store.store.db, { now, people });
  }, 120_000);
  afterAll(() => store?.destroy());

  it('evaluates a windowed computed trait as of a date, from events before it only', async () => {
    await definePremiumViews(store.store.db);
    const asOf = new Date(now - 30 * day);
    const sample = people.slice(0, 40);
    const idOf = (p: SyntheticPerson) => profileOf.get(p.userId) as string;
    const got = await computedTraitValuesAsOf(store.store.db, asOf, sample.map(idOf));
    expect(got.keys).toEqual(['premium_views_90d']);
    for (const person of sample) {
      const expected = person.events.filter(
        (e) =>
          e.properties?.category === 'premium' &&
          e.at < asOf.getTime() &&
          e.at > asOf.getTime() - 90 * day,
      ).length;
      expect(got.values.get(idOf(person))?.[0] ?? 0).toBeCloseTo(Math.log1p(expected), 10);
    }
    await store.store.db.deleteFrom('audience_traits').execute();
  });

  it('a computed trait that carries the signal lifts the model, and is among its top features', async () => {
    const def = { kind: 'purchase' as const, windowDays: 30, traitKey: 'predicted_purchase_30d' };
    const without = await trainAndScore({ db: store.store.db, clock }, def);
    expect(without.stored.computedTraits).toEqual([]);

    await definePremiumViews(store.store.db);
    const withTrait = await trainAndScore({ db: store.store.db, clock }, def);
    expect(withTrait.stored.computedTraits).toEqual(['premium_views_90d']);
    expect(withTrait.stored.features).toContain('computed:premium_views_90d');
    expect(withTrait.metrics.auc).toBeGreaterThan((without.metrics.auc ?? 1) + 0.03);
    const top = withTrait.metrics.topFeatures.slice(0, 3).map((f) => f.feature);
    expect(top).toContain('computed:premium_views_90d');
  }, 240_000);
});
