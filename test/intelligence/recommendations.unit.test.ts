import { describe, expect, it } from 'vitest';
import {
  buildItemModel,
  groupByUser,
  type Interaction,
  profileOf,
  recommend,
  recommendPopular,
  type UserProfile,
} from '../../src/cdp/recommendations/recommend.js';
import { itemsOf } from '../../src/cdp/recommendations/recommendation.repository.js';
import { segmentFallback } from '../../src/cdp/recommendations/recommendation.service.js';
import {
  generateSessions,
  holdOutLastPurchase,
  precisionRecallAt,
} from '../../src/cdp/recommendations/synthetic.js';

const now = Date.parse('2026-06-01T00:00:00.000Z');
const day = 86_400_000;

function modelOf(interactions: Interaction[], at = now) {
  const profiles = new Map<string, UserProfile>();
  for (const [user, list] of groupByUser(interactions)) {
    profiles.set(user, profileOf(list, at, undefined, 'model'));
  }
  return buildItemModel(profiles);
}

describe('item-to-item recommendations', () => {
  it('beat popularity on a held-back last purchase (structured synthetic sessions)', () => {
    const sessions = generateSessions({
      users: 1500,
      categories: 20,
      itemsPerCategory: 30,
      sessionsPerUser: 5,
      seed: 21,
      now,
    });
    const split = holdOutLastPurchase(sessions);
    expect(split.heldOut.size).toBeGreaterThan(400);
    const model = modelOf(split.train);
    const byUser = groupByUser(split.train);
    const ours = new Map<string, string[]>();
    const popular = new Map<string, string[]>();
    for (const user of split.heldOut.keys()) {
      const profile = profileOf(byUser.get(user) ?? [], split.asOf.get(user) ?? now);
      const recs = recommend(profile, (i) => model.neighbors.get(i), [model.popularity], 10);
      expect(recs).toHaveLength(10);
      for (const item of recs) expect(profile.purchased.has(item)).toBe(false);
      ours.set(user, recs);
      popular.set(user, recommendPopular(profile, model.popularity, 10));
    }
    const a = precisionRecallAt(ours, split.heldOut, 10);
    const b = precisionRecallAt(popular, split.heldOut, 10);
    expect(a.recall).toBeGreaterThan(2 * b.recall);
    expect(a.precision).toBeCloseTo(a.recall / 10, 10);
  });

  it('weights recent interactions more and never recommends what was bought', () => {
    const x = (userId: string, itemId: string, kind: Interaction['kind'], ageDays: number) => ({
      userId,
      itemId,
      kind,
      at: now - ageDays * day,
    });
    const history: Interaction[] = [];
    for (const u of ['b', 'c', 'd'])
      history.push(x(u, 'tent', 'view', 5), x(u, 'stove', 'purchase', 5));
    for (const u of ['e', 'f', 'g'])
      history.push(x(u, 'book', 'view', 5), x(u, 'lamp', 'purchase', 5));
    const model = modelOf(history);
    // Viewed a book long ago and a tent yesterday: the tent's neighbour comes first.
    const a = profileOf([x('a', 'book', 'view', 120), x('a', 'tent', 'view', 1)], now);
    expect(recommend(a, (i) => model.neighbors.get(i), [], 2)).toEqual(['stove', 'lamp']);
    const bought = profileOf([x('a', 'tent', 'view', 1), x('a', 'stove', 'purchase', 1)], now);
    expect(recommend(bought, (i) => model.neighbors.get(i), [model.popularity], 10)).not.toContain(
      'stove',
    );
  });

  it('cold start falls back to the segment, then overall popularity', () => {
    const empty = profileOf([], now);
    const segment = segmentFallback([
      [
        { item: 'g1', score: 4 },
        { item: 'g2', score: 2 },
      ],
      [{ item: 'h1', score: 100 }],
    ]);
    expect(segment.map((n) => n.item)).toEqual(['g1', 'h1', 'g2']);
    const items = recommend(empty, () => undefined, [segment, [{ item: 'top', score: 9 }]], 4);
    expect(items).toEqual(['g1', 'h1', 'g2', 'top']);
  });

  it.each([
    ['Product Viewed', { properties: { product_id: 'p1' } }, ['p1']],
    ['Product Added', { properties: { sku: 42 } }, ['42']],
    [
      'Order Completed',
      { properties: { products: [{ product_id: 'a' }, { sku: 'b' }, {}] } },
      ['a', 'b'],
    ],
    ['Order Completed', { properties: { product_id: 'not-a-list' } }, []],
    ['Product Viewed', { properties: 'nope' }, []],
  ])('items of %s %j', (event, payload, expected) => {
    expect(itemsOf(event, JSON.stringify(payload))).toEqual(expected);
  });
});
