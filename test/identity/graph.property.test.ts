import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { unmerge } from '../../src/cdp/identity/graph/identity.service.js';
import { openTestSqlite, type TestStore } from '../helpers/stores.js';
import { type EventSpec, graphWorld, toRecord } from './graph-harness.js';

/**
 * Whatever the batching, the interleaving of unmerges and the order of merges, the graph
 * built incrementally equals the graph a fresh replay of the same events builds (with the
 * separations the unmerges left behind).
 */
const anon = fc.constantFrom('a1', 'a2', 'a3', 'a4', '0');
const user = fc.constantFrom('u1', 'u2', 'u3');
const email = fc.constantFrom('x@one.example', 'y@two.example', 'test@test.com');
const device = fc.constantFrom('d1', 'd2');
// Mostly one or two identifiers per event, from small sets, so merges, limit conflicts and
// separations happen often.
const eventSpec: fc.Arbitrary<EventSpec> = fc.oneof(
  anon.map((anonymousId) => ({ anonymousId })),
  fc.record({ anonymousId: anon, userId: user }),
  fc.record({ userId: user, email }),
  fc.record({ anonymousId: anon, email }),
  fc.record({ anonymousId: anon, deviceId: device }),
  fc.record({ userId: user, anonymousId: anon, deviceId: device }),
);

const step = fc.oneof(
  { weight: 5, arbitrary: eventSpec.map((e) => ({ kind: 'event' as const, e })) },
  { weight: 2, arbitrary: fc.nat(5).map((n) => ({ kind: 'unmerge' as const, n })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'process' as const }) },
);

describe('identity graph equals a fresh replay', () => {
  const stores: TestStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.destroy();
  });

  it('on random histories with unmerges', async () => {
    let unmerges = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 8, maxLength: 30 }), async (steps) => {
        const a = await openTestSqlite();
        const b = await openTestSqlite();
        stores.push(a, b);
        const live = graphWorld(a.store, { sharedThreshold: Number.POSITIVE_INFINITY });
        const records = [];
        let i = 0;
        for (const s of steps) {
          if (s.kind === 'event') {
            const record = toRecord(s.e, i++);
            records.push(record);
            await live.appendRecords([record]);
          } else if (s.kind === 'process') {
            await live.process(3);
          } else {
            await live.process();
            const merges = await a.store.db
              .selectFrom('identity_merge_log')
              .select('id')
              .where('kind', '=', 'merge')
              .where('reversed_by', 'is', null)
              .orderBy('id')
              .execute();
            const target = merges[s.n % Math.max(1, merges.length)];
            if (target) unmerges++;
            if (target)
              await unmerge({ db: a.store.db, clock: live.clock }, target.id, 'test', {
                sharedThreshold: Number.POSITIVE_INFINITY,
              });
          }
        }
        await live.process();

        const separations = await a.store.db
          .selectFrom('identity_separations')
          .selectAll()
          .execute();
        if (separations.length > 0)
          await b.store.db.insertInto('identity_separations').values(separations).execute();
        const fresh = graphWorld(b.store, { sharedThreshold: Number.POSITIVE_INFINITY });
        await fresh.appendRecords(records);
        await fresh.process();
        expect(await live.partition()).toEqual(await fresh.partition());
        await a.destroy();
        await b.destroy();
        stores.splice(0);
      }),
      { numRuns: 120 },
    );
    // The property only means something if the histories really exercised unmerge.
    expect(unmerges).toBeGreaterThan(20);
  }, 120_000);
});
