import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  patchProfileTraits,
  removeProfileTraits,
} from '../../src/cdp/predictions/prediction.repository.js';
import {
  recommendationsFor,
  refreshRecommendations,
} from '../../src/cdp/recommendations/recommendation.service.js';
import { enginesUnderTest, type TestStore } from '../helpers/stores.js';

/** The storage paths of predictions and recommendations on every engine. */
const now = '2026-06-01T00:00:00.000Z';
const clock = { now: () => new Date(now) };

describe.each(enginesUnderTest())('prediction and recommendation storage on $name', (engine) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await engine.open();
    const db = store.store.db;
    const users = ['a', 'b', 'c'];
    await db
      .insertInto('identity_profiles')
      .values(
        users.map((u) => ({
          id: `prof_${u}`,
          merged_into: null,
          created_at: now,
          updated_at: now,
          first_seen: now,
          last_seen: now,
          traits: JSON.stringify({ name: u.toUpperCase() }),
          trait_times: JSON.stringify({ name: now }),
          trait_priorities: '{}',
        })),
      )
      .execute();
    const events: [string, string, Record<string, unknown>][] = [
      ['a', 'Product Viewed', { product_id: 'tent' }],
      ['b', 'Product Viewed', { product_id: 'tent' }],
      ['b', 'Order Completed', { products: [{ product_id: 'stove' }] }],
      ['c', 'Product Added', { product_id: 'tent' }],
      ['c', 'Product Purchased', { product_id: 'stove' }],
    ];
    let seq = 0;
    for (const [u, event, properties] of events) {
      seq++;
      const timestamp = `2026-05-2${seq}T10:00:00.000Z`;
      await db
        .insertInto('events')
        .values({
          seq,
          source_id: 'src',
          message_id: `m${seq}`,
          type: 'track',
          event,
          user_id: u,
          anonymous_id: null,
          timestamp,
          received_at: timestamp,
          payload: JSON.stringify({ type: 'track', event, properties }),
        })
        .execute();
      await db
        .insertInto('identity_profile_events')
        .values({ seq, profile_id: `prof_${u}`, origin_profile_id: `prof_${u}`, timestamp })
        .execute();
    }
  });
  afterAll(() => store?.destroy());

  const traitsOf = async (id: string) => {
    const row = await store.store.db
      .selectFrom('identity_profiles')
      .select(['traits', 'trait_times'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { traits: JSON.parse(row.traits), times: JSON.parse(row.trait_times) };
  };

  it('patches and removes traits without touching the others', async () => {
    await patchProfileTraits(
      store.store.db,
      [
        { profileId: 'prof_a', traits: { score: 0.5, cohort: 'high' } },
        { profileId: 'prof_b', traits: { score: 0.1, cohort: 'low' } },
      ],
      now,
    );
    expect(await traitsOf('prof_a')).toEqual({
      traits: { name: 'A', score: 0.5, cohort: 'high' },
      times: { name: now, score: now, cohort: now },
    });
    await removeProfileTraits(store.store.db, ['score', 'cohort']);
    expect(await traitsOf('prof_b')).toEqual({ traits: { name: 'B' }, times: { name: now } });
  });

  it('refreshes recommendations and answers for one profile', async () => {
    const stats = await refreshRecommendations({ db: store.store.db, clock });
    expect(stats).toMatchObject({
      interactions: 5,
      items: 2,
      profilesWithHistory: 3,
      profilesWritten: 3,
    });
    // Only purchases are excluded: a viewed item may come back, after its neighbours.
    expect((await traitsOf('prof_a')).traits.recommended_items).toEqual(['stove', 'tent']);
    // b bought the stove: only the tent is left (from popularity; it viewed it, not bought).
    expect((await traitsOf('prof_b')).traits.recommended_items).toEqual(['tent']);
    const a = await recommendationsFor({ db: store.store.db, clock }, 'prof_a', 1);
    expect(a).toEqual({ profileId: 'prof_a', items: ['stove'], basis: 'history' });
  });
});
