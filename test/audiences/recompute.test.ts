import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { audienceConsumerName } from '../../src/cdp/audiences/audience.repository.js';
import { backfillTrait, rebuildAudience } from '../../src/cdp/audiences/backfill.js';
import type { Condition, Filter } from '../../src/cdp/audiences/definition.js';
import { recomputeAudience } from '../../src/cdp/audiences/index.js';
import { manualClock } from '../../src/kernel/clock.js';
import { writeOffset } from '../../src/log/table-log.js';
import type { DB } from '../../src/storage/schema.js';
import { enginesUnderTest } from '../helpers/stores.js';

/**
 * The set-based recompute of one audience and the page-by-page rebuild from history must
 * agree: after the shortcut, the general path finds nothing to change, for random histories
 * (events inside and outside windows and ranges, other event types, events beyond the
 * streaming position, merged profiles) and random conditions over counts and traits.
 */
const now = '2026-03-01T12:00:00.000Z';
const day = 86_400_000;

const countCondition: fc.Arbitrary<Condition> = fc
  .record({
    type: fc.constant('event' as const),
    event: fc.constantFrom('A', 'B', 'C'),
    where: fc.constant<Filter[]>([]),
    count: fc.record({
      op: fc.constantFrom('gte', 'lte', 'eq'),
      value: fc.integer({ min: 0, max: 3 }),
    }),
    window: fc.option(
      fc.oneof(
        fc.record({
          kind: fc.constant('within' as const),
          duration: fc.record({
            amount: fc.integer({ min: 1, max: 10 }),
            unit: fc.constant('days' as const),
          }),
        }),
        fc.constant({
          kind: 'between' as const,
          from: '2026-02-20T00:00:00.000Z',
          to: '2026-02-27T00:00:00.000Z',
        }),
      ),
      { nil: undefined },
    ),
  })
  .map(({ window, ...rest }): Condition => (window === undefined ? rest : { ...rest, window }));

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 3, arbitrary: countCondition },
  {
    weight: 1,
    arbitrary: fc.constant({
      type: 'trait',
      filter: { path: 'plan', op: 'eq', value: 'pro' },
    } as Condition),
  },
);
const condition: fc.Arbitrary<Condition> = fc.oneof(
  leaf,
  fc.record({
    type: fc.constantFrom('and' as const, 'or' as const),
    conditions: fc.array(leaf, { minLength: 2, maxLength: 3 }),
  }),
  leaf.map((c) => ({ type: 'not' as const, condition: c })),
);

const history = fc.record({
  profiles: fc.array(fc.record({ pro: fc.boolean(), merged: fc.boolean() }), {
    minLength: 1,
    maxLength: 12,
  }),
  events: fc.array(
    fc.record({
      who: fc.nat(),
      name: fc.constantFrom('A', 'B', 'C'),
      type: fc.constantFrom('track', 'track', 'track', 'page'),
      ago: fc.integer({ min: -day, max: 15 * day }),
    }),
    { maxLength: 60 },
  ),
  seeded: fc.array(fc.nat(), { maxLength: 6 }),
  cut: fc.nat({ max: 10 }),
});

type History = typeof history extends fc.Arbitrary<infer T> ? T : never;

async function load(db: Kysely<DB>, h: History) {
  const ids = h.profiles.map((_, i) => `prof_${String(i).padStart(3, '0')}`);
  await db
    .insertInto('identity_profiles')
    .values(
      h.profiles.map((p, i) => ({
        id: ids[i] as string,
        merged_into: p.merged && i > 0 ? ids[0] : null,
        created_at: now,
        updated_at: now,
        first_seen: now,
        last_seen: now,
        traits: JSON.stringify({ plan: p.pro ? 'pro' : 'free' }),
        trait_times: '{}',
      })),
    )
    .execute();
  let seq = 0;
  for (const [i, e] of h.events.entries()) {
    const at = new Date(Date.parse(now) - e.ago).toISOString();
    const profile = ids[e.who % ids.length] as string;
    const row = await db
      .insertInto('events')
      .values({
        source_id: 'src',
        message_id: `m${i}`,
        type: e.type,
        event: e.type === 'track' ? e.name : null,
        user_id: profile,
        anonymous_id: null,
        timestamp: at,
        received_at: at,
        payload: JSON.stringify({ type: e.type, event: e.name, properties: {} }),
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    seq = Number(row.seq);
    await db
      .insertInto('identity_profile_events')
      .values({ seq, profile_id: profile, origin_profile_id: profile, timestamp: at })
      .execute();
  }
  return { ids, position: Math.max(0, seq - h.cut) };
}

describe.each(enginesUnderTest())('set-based audience recompute ($name)', (engine) => {
  it('agrees with the page-by-page rebuild from history', async () => {
    await fc.assert(
      fc.asyncProperty(history, condition, async (h, cond) => {
        const testStore = await engine.open();
        try {
          const db = testStore.store.db;
          const clock = manualClock(now);
          const deps = { db, clock };
          const { ids, position } = await load(db, h);
          await writeOffset(db, clock, audienceConsumerName, position);
          const id = 'aud_test';
          await db
            .insertInto('audience_definitions')
            .values({
              id,
              key: 'test',
              name: 'Test',
              description: '',
              definition: JSON.stringify(cond),
              mode: 'realtime',
              status: 'ready',
              progress_done: 0,
              progress_total: 0,
              size: 0,
              last_batch_at: null,
              created_at: now,
              updated_at: now,
            })
            .execute();
          // Stale memberships the recompute has to correct.
          const seeded = [...new Set(h.seeded.map((n) => ids[n % ids.length] as string))];
          if (seeded.length > 0)
            await db
              .insertInto('audience_members')
              .values(seeded.map((p) => ({ audience_id: id, profile_id: p, entered_at: now })))
              .execute();

          const fast = await recomputeAudience(deps, id);
          expect(fast.path).toBe('set');
          const members = async () =>
            (
              await db
                .selectFrom('audience_members')
                .select('profile_id')
                .where('audience_id', '=', id)
                .orderBy('profile_id')
                .execute()
            ).map((r) => r.profile_id);
          const afterFast = await members();
          const logged = await db
            .selectFrom('audience_membership_log')
            .select(['kind', 'reason'])
            .execute();
          expect(logged.length).toBe(fast.changes);
          expect(logged.every((l) => l.reason === 'recompute')).toBe(true);

          const slow = await rebuildAudience(deps, id);
          expect(slow).toBe(0);
          expect(await members()).toEqual(afterFast);
        } finally {
          await testStore.destroy();
        }
      }),
      { numRuns: engine.name === 'sqlite' ? 30 : 10 },
    );
  }, 120_000);

  it('rebuilds nothing, without failing, when the trait to backfill is gone', async () => {
    const testStore = await engine.open();
    try {
      const db = testStore.store.db;
      const clock = manualClock(now);
      const { position } = await load(db, {
        profiles: [{ pro: true, merged: false }],
        events: [{ who: 0, name: 'A', type: 'track', ago: day }],
        seeded: [],
        cut: 0,
      });
      await writeOffset(db, clock, audienceConsumerName, position);
      // A trait deleted while its backfill runs leaves no event name to read history for.
      await backfillTrait({ db, clock }, 'ct_deleted');
      const states = await db.selectFrom('audience_trait_states').select('trait_id').execute();
      expect(states).toEqual([]);
    } finally {
      await testStore.destroy();
    }
  });

  it('takes the general path for conditions it cannot count in one query', async () => {
    const testStore = await engine.open();
    try {
      const db = testStore.store.db;
      const clock = manualClock(now);
      const cond: Condition = {
        type: 'event',
        event: 'A',
        where: [{ path: 'v', op: 'gt', value: 1 }],
      };
      await db
        .insertInto('audience_definitions')
        .values({
          id: 'aud_where',
          key: 'where',
          name: 'Where',
          description: '',
          definition: JSON.stringify(cond),
          mode: 'realtime',
          status: 'ready',
          progress_done: 0,
          progress_total: 0,
          size: 0,
          last_batch_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      expect((await recomputeAudience({ db, clock }, 'aud_where')).path).toBe('pages');
    } finally {
      await testStore.destroy();
    }
  });
});
