import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeAll } from '../../src/cdp/audiences/index.js';
import { manualClock } from '../../src/kernel/clock.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { type AudienceHarness, audienceHarness } from './harness.js';

/**
 * Streaming evaluation and a full batch recompute must agree: for random event histories
 * (out-of-order timestamps, merges through identify calls, batches of random sizes, time
 * passing between batches), the computed trait values and memberships streaming produced
 * equal what rebuilding everything from the log produces.
 */
const traits = [
  ['n_a', { aggregation: 'count', event: 'A' }],
  ['n_a_7d', { aggregation: 'count', event: 'A', window: { amount: 7, unit: 'days' } }],
  ['sum_b', { aggregation: 'sum', event: 'B', property: 'v' }],
  [
    'avg_b_3d',
    { aggregation: 'avg', event: 'B', property: 'v', window: { amount: 3, unit: 'days' } },
  ],
  ['min_b', { aggregation: 'min', event: 'B', property: 'v' }],
  ['max_any', { aggregation: 'max', property: 'v' }],
  ['first_c', { aggregation: 'first', event: 'C', property: 'c' }],
  [
    'last_c_5d',
    { aggregation: 'last', event: 'C', property: 'c', window: { amount: 5, unit: 'days' } },
  ],
  ['uniq_c', { aggregation: 'unique_list', event: 'C', property: 'c' }],
  [
    'nuniq_c',
    {
      aggregation: 'unique_count',
      event: 'C',
      property: 'c',
      where: [{ path: 'v', op: 'gt', value: 2 }],
    },
  ],
  ['top_c', { aggregation: 'most_frequent', property: 'c' }],
] as const;
const audiences = [
  ['a2_7d', 'performed "A" at least 2 times within 7 days'],
  ['no_b_3d', 'did not perform "B" within 3 days'],
  ['funnel', 'performed "A" then "B" where v >= 5 within 2 days'],
  ['rich', 'computed sum_b > 10 or computed n_a >= 3'],
  ['combo', 'in audience "rich" and not in audience "a2_7d"'],
  ['c_x', 'performed "C" where c one of ["x", "y"] exactly 1 times'],
] as const;

const event = fc.record({
  user: fc.integer({ min: 0, max: 5 }),
  kind: fc.constantFrom('A', 'B', 'C', 'identify'),
  v: fc.integer({ min: 0, max: 9 }),
  c: fc.constantFrom('x', 'y', 'z'),
  ageHours: fc.integer({ min: 0, max: 24 * 12 }),
  anon: fc.boolean(),
});
const history = fc.array(
  fc.record({
    events: fc.array(event, { minLength: 1, maxLength: 8 }),
    advanceHours: fc.integer({ min: 0, max: 72 }),
  }),
  { minLength: 1, maxLength: 5 },
);

describe.each(enginesUnderTest())('streaming and batch recompute agree on $name', (engine) => {
  const clock = manualClock('2026-06-01T00:00:00.000Z');
  let h: AudienceHarness;
  beforeAll(async () => {
    h = await audienceHarness({ engine, clock, consumer: { background: false } });
    for (const [key, definition] of traits) {
      const res = await h.api<{ id: string }>('POST', '/api/v1/computed-traits', {
        key,
        name: key,
        definition,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      await h.ready(`/api/v1/computed-traits/${res.body.id}`);
    }
    for (const [key, text] of audiences) {
      const res = await h.api<{ id: string }>('POST', '/api/v1/audiences', {
        key,
        name: key,
        text,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      await h.ready(`/api/v1/audiences/${res.body.id}`);
    }
  });
  afterAll(() => h.close());

  const snapshot = async () => {
    const db = h.t.testStore.store.db;
    const states = await db
      .selectFrom('audience_trait_states')
      .select(['profile_id', 'trait_id', 'value'])
      .where('trait_id', '!=', '$consent')
      .execute();
    const members = await db
      .selectFrom('audience_members')
      .select(['audience_id', 'profile_id'])
      .execute();
    return {
      values: Object.fromEntries(
        states.map((s) => [`${s.profile_id}/${s.trait_id}`, JSON.parse(s.value)]),
      ),
      members: members.map((m) => `${m.audience_id}/${m.profile_id}`).sort(),
    };
  };

  it('for random histories', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(history, async (batches) => {
        run++;
        for (const batch of batches) {
          const now = clock.now().getTime();
          await h.send(
            batch.events.map((e) => {
              const who = e.anon
                ? { anonymousId: `r${run}-anon-${e.user}` }
                : { userId: `r${run}-user-${e.user}` };
              const timestamp = new Date(now - e.ageHours * 3_600_000).toISOString();
              if (e.kind === 'identify')
                return {
                  type: 'identify',
                  anonymousId: `r${run}-anon-${e.user}`,
                  userId: `r${run}-user-${e.user}`,
                  timestamp,
                };
              return {
                type: 'track',
                ...who,
                event: e.kind,
                properties: { v: e.v, c: e.c },
                timestamp,
              };
            }),
          );
          await h.drain();
          clock.advance(batch.advanceHours * 3_600_000);
          await h.consumer.expireDue();
        }
        const streamed = await snapshot();
        await recomputeAll({ db: h.t.testStore.store.db, clock });
        const recomputed = await snapshot();
        expect(recomputed).toEqual(streamed);
      }),
      { numRuns: engine.name === 'sqlite' ? 25 : 8 },
    );
  }, 120_000);
});
