import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { DAY_MS, type DmpTestApp, dmpApp, dmpCookie } from './helpers.js';

describe.each(enginesUnderTest())('DMP retention on $name', (engine) => {
  let t: DmpTestApp;
  afterEach(() => t.close());

  it('purges IDs unseen for idTtlDays with traits, memberships and matches', async () => {
    const clock = manualClock('2026-01-01T00:00:00Z');
    t = await dmpApp({ testStore: await engine.open(), clock, dmp: { idTtlDays: 30 } });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/partners',
      headers: t.admin,
      payload: { id: 'acme', name: 'Acme', domains: ['acme.com'] },
    });
    const trait = await t.trait({
      name: 'any',
      rule: { conditions: [{ key: 'p', op: 'exists' }] },
    });
    const seg = await t.segment({ name: 's', expression: trait, taxonomyIds: [3] });
    const old = dmpCookie(await t.pixel('p=1')) ?? '';
    await t.app.inject({
      method: 'GET',
      url: '/dmp/v1/sync?partner=acme&puid=A1',
      headers: { cookie: `triad_dmp_id=${old}` },
    });
    clock.advance(20 * DAY_MS);
    const fresh = dmpCookie(await t.pixel('p=1')) ?? '';
    expect((await t.segmentsOf(old)).segments).toEqual([seg]);

    clock.advance(11 * DAY_MS);
    expect(await t.runtime.runRetention()).toEqual({
      purgedIds: 1,
      requalifiedIds: 0,
      purgedMediaHits: 0,
    });
    const db = t.testStore.store.db;
    for (const table of ['dmp_trait_hits', 'dmp_memberships', 'dmp_matches'] as const) {
      const rows = await db.selectFrom(table).select('dmp_id').execute();
      expect(
        rows.map((r) => r.dmp_id),
        table,
      ).not.toContain(old);
    }
    expect(await db.selectFrom('dmp_matches').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('dmp_ids').select('id').execute()).toEqual([{ id: fresh }]);
    expect((await t.segmentsOf(old)).segments).toEqual([]);
    expect((await t.segmentsOf(fresh)).segments).toEqual([seg]);
  });

  it('trait qualifications expire after the trait TTL and segments follow', async () => {
    const clock = manualClock('2026-01-01T00:00:00Z');
    t = await dmpApp({ testStore: await engine.open(), clock });
    const short = await t.trait({
      name: 'short',
      ttlDays: 7,
      rule: { conditions: [{ key: 'a', op: 'exists' }] },
    });
    const long = await t.trait({
      name: 'long',
      rule: { conditions: [{ key: 'b', op: 'exists' }] },
    });
    const both = await t.segment({ name: 'both', expression: `${short} AND ${long}` });
    const onlyLong = await t.segment({ name: 'long', expression: long });
    const id = dmpCookie(await t.pixel('a=1&b=1')) ?? '';
    expect((await t.segmentsOf(id)).segments.sort()).toEqual([both, onlyLong].sort());
    clock.advance(8 * DAY_MS);
    expect(await t.runtime.runRetention()).toEqual({
      purgedIds: 0,
      requalifiedIds: 1,
      purgedMediaHits: 0,
    });
    expect((await t.segmentsOf(id)).segments).toEqual([onlyLong]);
    const hits = await t.testStore.store.db
      .selectFrom('dmp_trait_hits')
      .select('trait_id')
      .execute();
    expect(hits).toEqual([{ trait_id: long }]);
  });
});
