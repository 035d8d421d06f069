import { afterEach, describe, expect, it } from 'vitest';
import { newDmpId } from '../../src/dmp/ids/dmp-id.js';
import { addDmpListMembers, ensureDmpList } from '../../src/dmp/index.js';
import { manualClock } from '../../src/kernel/clock.js';
import { seededRandom } from '../../src/kernel/random.js';
import { problemOf } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { DAY_MS, type DmpTestApp, dmpApp } from './helpers.js';

const K = 100;
const URL = '/api/v1/dmp/lookalikes';

interface World {
  traits: string[];
  planted: string[];
  /** The planted IDs that realize the `buyers` trait (the seed segment). */
  buyers: string[];
  others: string[];
  buyersTrait: string;
  buyersSegment: string;
}

interface CurvePoint {
  reach: number;
  audienceSize: number | null;
  suppressed: boolean;
  precision: number;
  recall: number;
  baselinePrecision: number;
  lift: number;
}

describe.each(enginesUnderTest())('DMP lookalikes on $name', (engine) => {
  let t: DmpTestApp;
  const clock = manualClock('2026-03-01T00:00:00Z');
  afterEach(() => t.close());

  /**
   * 2,000 activatable IDs, 20 traits held at a 10% background rate. 400 "planted" IDs hold the
   * first three traits at 60%; 300 of them realize `buyers`, the trait of the seed segment.
   */
  async function world(): Promise<World> {
    clock.set('2026-03-01T00:00:00Z');
    t = await dmpApp({ testStore: await engine.open(), clock, dmp: { minSegmentSize: K } });
    const db = t.testStore.store.db;
    const traits: string[] = [];
    for (let j = 0; j < 20; j++) traits.push(await t.trait({ name: `t${j}`, kind: 'onboarded' }));
    const buyersTrait = await t.trait({ name: 'buyers', kind: 'onboarded' });
    const rng = seededRandom(7);
    const now = clock.now();
    const at = now.toISOString();
    const hit = {
      hits: JSON.stringify([now.getTime()]),
      last_at: at,
      expires_at: new Date(now.getTime() + 30 * DAY_MS).toISOString(),
    };
    const ids = Array.from({ length: 2_000 }, () => newDmpId());
    const planted = ids.slice(0, 400);
    const buyers = planted.slice(0, 300);
    const rows: {
      dmp_id: string;
      trait_id: string;
      hits: string;
      last_at: string;
      expires_at: string;
    }[] = [];
    ids.forEach((id, i) => {
      traits.forEach((trait, j) => {
        const rate = i < 400 && j < 3 ? 0.6 : 0.1;
        if (rng() < rate) rows.push({ dmp_id: id, trait_id: trait, ...hit });
      });
      // Every ID holds one trait at least, so everyone belongs to the modelled population.
      rows.push({ dmp_id: id, trait_id: traits[19 - (i % 5)] as string, ...hit });
      if (i < 300) rows.push({ dmp_id: id, trait_id: buyersTrait, ...hit });
    });
    for (let i = 0; i < ids.length; i += 500) {
      await db
        .insertInto('dmp_ids')
        .values(
          ids
            .slice(i, i + 500)
            .map((id) => ({ id, created_at: at, last_seen_at: at, activatable: 1 })),
        )
        .execute();
    }
    // The segment comes first and its members are written directly: no backfill to wait for.
    const buyersSegment = await t.segment({ name: 'buyers', expression: buyersTrait });
    await db
      .insertInto('dmp_memberships')
      .values(buyers.map((dmp_id) => ({ dmp_id, segment_id: buyersSegment, qualified_at: at })))
      .execute();
    const unique = new Map(rows.map((r) => [`${r.dmp_id} ${r.trait_id}`, r]));
    const all = [...unique.values()];
    for (let i = 0; i < all.length; i += 400) {
      await db
        .insertInto('dmp_trait_hits')
        .values(all.slice(i, i + 400))
        .execute();
    }
    return { traits, planted, buyers, others: ids.slice(400), buyersTrait, buyersSegment };
  }

  const create = (body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: URL, headers: t.advertiser, payload: body });
  const activate = (id: string, body: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `${URL}/${id}/activate`,
      headers: t.advertiser,
      payload: body,
    });
  const holders = async (traitId: string) =>
    (
      await t.testStore.store.db
        .selectFrom('dmp_trait_hits')
        .select('dmp_id')
        .where('trait_id', '=', traitId)
        .execute()
    ).map((r) => r.dmp_id);

  it.each(['traitWeight', 'logistic'])(
    'recovers a planted pattern from a segment seed (%s)',
    async (model) => {
      const w = await world();
      const res = await create({
        name: 'buyers alike',
        seed: { segmentId: w.buyersSegment },
        model,
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.status).toBe('trained');
      expect(body.seedSize).toBe(300);
      expect(body.populationSize).toBe(1_700);
      const curve = body.curve as CurvePoint[];
      expect(curve.map((p) => p.reach)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5]);
      // 300 of 2,000 are seeds: a random ranking has a precision of 15% at every reach.
      const base = curve[0]?.baselinePrecision ?? 1;
      expect(base).toBeCloseTo(0.15, 1);
      const at5 = curve.find((p) => p.reach === 0.05) as CurvePoint;
      expect(at5.precision).toBeGreaterThan(2.5 * base);
      expect(at5.recall).toBeGreaterThan(0.05);
      const at50 = curve.find((p) => p.reach === 0.5) as CurvePoint;
      expect(at50.recall).toBeGreaterThan(0.7);
      // Audience sizes under the minimum segment size are suppressed.
      expect(curve[0]).toMatchObject({ audienceSize: null, suppressed: true });
      expect(at5).toMatchObject({ audienceSize: null, suppressed: true });
      expect(curve.find((p) => p.reach === 0.1)).toMatchObject({ audienceSize: 170 });
      // The planted traits weigh most; the seed segment's own trait is never a feature.
      const top = (body.topTraits as { traitId: string; name: string }[]).map((x) => x.traitId);
      expect(top.slice(0, 3).sort()).toEqual(w.traits.slice(0, 3).sort());
      expect(top).not.toContain(w.buyersTrait);
      expect(body.topTraits[0].name).toMatch(/^t[012]$/);
    },
    120_000,
  );

  it('activation realizes the lookalike trait for the best non-seed IDs; segments qualify on it', async () => {
    const w = await world();
    const lal = (await create({ name: 'alike', seed: { segmentId: w.buyersSegment } })).json();
    expect(lal.id).toMatch(/^lal_/);
    expect(lal.traitId).toBe(lal.id);

    const first = await activate(lal.id, { reach: 0.1 });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'active', activation: { audienceSize: 170 } });
    const audience = await holders(lal.id);
    expect(audience).toHaveLength(170);
    expect(audience.filter((id) => w.buyers.includes(id))).toEqual([]);
    // The 100 unseeded planted IDs are 5.9% of the non-seed population; the audience is richer.
    const planted = audience.filter((id) => w.planted.includes(id)).length;
    expect(planted / audience.length).toBeGreaterThan(0.2);

    // A segment on the lookalike trait, created after activation, qualifies its holders.
    const alike = await t.segment({
      name: 'alike',
      expression: `${lal.traitId} AND ${w.traits[19]}`,
    });
    const t19 = new Set(await holders(w.traits[19] as string));
    for (const id of audience.slice(0, 20)) {
      expect((await t.segmentsOf(id)).segments.includes(alike)).toBe(t19.has(id));
    }
    const plain = await t.segment({ name: 'all alike', expression: lal.traitId });
    for (const id of audience.slice(0, 20))
      expect((await t.segmentsOf(id)).segments).toContain(plain);
    expect((await t.segmentsOf(w.buyers[0] as string)).segments).not.toContain(plain);

    // Activating again replaces the audience: IDs dropped from it leave the segment at once.
    const second = await activate(lal.id, { count: 100 });
    expect(second.statusCode, second.body).toBe(200);
    const smaller = await holders(lal.id);
    expect(smaller).toHaveLength(100);
    const dropped = audience.filter((id) => !smaller.includes(id));
    expect(dropped.length).toBeGreaterThanOrEqual(70);
    for (const id of dropped.slice(0, 10)) {
      expect((await t.segmentsOf(id)).segments).not.toContain(plain);
    }
    for (const id of smaller.slice(0, 10))
      expect((await t.segmentsOf(id)).segments).toContain(plain);
  }, 120_000);

  it('chooses the audience by precision, refuses one under the minimum size, deletes its trait', async () => {
    const w = await world();
    const lal = (await create({ name: 'alike', seed: { segmentId: w.buyersSegment } })).json();
    // The widest reach of the curve whose precision is at least the one asked for.
    const byPrecision = await activate(lal.id, { precision: 0.01 });
    expect(byPrecision.statusCode, byPrecision.body).toBe(200);
    expect(byPrecision.json().activation).toMatchObject({ reach: 0.5, audienceSize: 850 });
    const tooPrecise = await activate(lal.id, { precision: 1 });
    expect(tooPrecise.statusCode).toBe(422);

    // Too small an audience is refused and the current one is kept.
    const tiny = await activate(lal.id, { reach: 0.01 });
    expect(tiny.statusCode).toBe(422);
    expect(problemOf(tiny).code).toBe('insufficient_data');
    expect(await holders(lal.id)).toHaveLength(850);

    // While a segment uses the trait the lookalike cannot go; then it goes with its trait.
    const plain = await t.segment({ name: 'all alike', expression: lal.traitId });
    const del = () =>
      t.app.inject({ method: 'DELETE', url: `${URL}/${lal.id}`, headers: t.advertiser });
    expect((await del()).statusCode).toBe(409);
    await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/dmp/segments/${plain}`,
      headers: t.advertiser,
    });
    expect((await del()).statusCode).toBe(204);
    expect(await holders(lal.id)).toEqual([]);
    const gone = await t.app.inject({
      method: 'GET',
      url: `${URL}/${lal.id}`,
      headers: t.advertiser,
    });
    expect(gone.statusCode).toBe(404);
    const trait = await t.app.inject({
      method: 'GET',
      url: `/api/v1/dmp/traits/${lal.id}`,
      headers: t.advertiser,
    });
    expect(trait.statusCode).toBe(404);
  }, 120_000);

  it('leaves suppressed and non-activatable IDs out of the seed and the audience', async () => {
    const w = await world();
    const deps = { db: t.testStore.store.db, clock };
    // 20 seed members and the 100 unseeded planted IDs (the best lookalikes) are suppressed;
    // 10 more seed members and 50 others may not be activated.
    const suppressed = [...w.buyers.slice(0, 20), ...w.planted.slice(300)];
    await ensureDmpList(deps, 'customers', 'suppression');
    await addDmpListMembers(deps, 'customers', suppressed);
    const inactive = [...w.buyers.slice(20, 30), ...w.others.slice(0, 50)];
    await deps.db
      .updateTable('dmp_ids')
      .set({ activatable: 0 })
      .where('id', 'in', inactive)
      .execute();

    const lal = (await create({ name: 'alike', seed: { segmentId: w.buyersSegment } })).json();
    expect(lal.seedSize).toBe(270);
    expect(lal.populationSize).toBe(2_000 - 300 - 100 - 50);
    const res = await activate(lal.id, { reach: 1 });
    expect(res.statusCode, res.body).toBe(200);
    const audience = new Set(await holders(lal.id));
    expect(audience.size).toBe(1_550);
    for (const id of [...suppressed, ...inactive, ...w.buyers])
      expect(audience.has(id)).toBe(false);
  }, 120_000);

  it('models a seed list sent by the CDP, and refreshes on the list as it is now', async () => {
    const w = await world();
    const deps = { db: t.testStore.store.db, clock };
    await ensureDmpList(deps, 'crm-buyers', 'seed');
    await addDmpListMembers(deps, 'crm-buyers', w.planted.slice(0, 150));
    const res = await create({
      name: 'crm alike',
      seed: { list: 'crm-buyers' },
      model: 'logistic',
    });
    expect(res.statusCode, res.body).toBe(201);
    const lal = res.json();
    expect(lal).toMatchObject({ seed: { list: 'crm-buyers' }, seedSize: 150, model: 'logistic' });
    const at10 = (lal.curve as CurvePoint[]).find((p) => p.reach === 0.1) as CurvePoint;
    expect(at10.precision).toBeGreaterThan(2 * at10.baselinePrecision);
    // No segment defines a list seed: the buyers trait is a feature like any other.
    expect(lal.topTraits.map((x: { traitId: string }) => x.traitId)).toContain(w.buyersTrait);

    await activate(lal.id, { reach: 0.2 });
    await addDmpListMembers(deps, 'crm-buyers', w.planted.slice(150, 300));
    clock.advance(60_000);
    const refreshed = await t.app.inject({
      method: 'POST',
      url: `${URL}/${lal.id}/refresh`,
      headers: t.advertiser,
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json()).toMatchObject({ seedSize: 300, status: 'active' });
    // Re-activated at the same reach of the new non-seed population, seeds left out.
    const audience = await holders(lal.id);
    expect(audience).toHaveLength(Math.ceil(0.2 * 1_700));
    expect(audience.filter((id) => w.planted.slice(0, 300).includes(id))).toEqual([]);

    const list = await t.app.inject({ method: 'GET', url: URL, headers: t.advertiser });
    expect(list.json().data.map((x: { id: string }) => x.id)).toEqual([lal.id]);
  }, 120_000);

  it('refuses small seeds, unknown seeds and bad bodies', async () => {
    const w = await world();
    const deps = { db: t.testStore.store.db, clock };
    const small = await t.segment({
      name: 'few',
      expression: `${w.buyersTrait} AND ${w.traits[5]}`,
    });
    await ensureDmpList(deps, 'tiny', 'seed');
    await addDmpListMembers(deps, 'tiny', w.planted.slice(0, 99));
    await ensureDmpList(deps, 'blocked', 'suppression');
    // A seed of 120 members of which 30 are suppressed: fewer than k usable ones.
    const mixed = await t.segment({
      name: 'mixed',
      expression: `${w.buyersTrait} AND ${w.traits[1]}`,
    });
    const members = (
      await deps.db
        .selectFrom('dmp_memberships')
        .select('dmp_id')
        .where('segment_id', '=', mixed)
        .execute()
    ).map((r) => r.dmp_id);
    expect(members.length).toBeGreaterThanOrEqual(K);
    await addDmpListMembers(deps, 'blocked', members.slice(0, members.length - K + 1));

    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: 'x', seed: { list: 'tiny' } }, 422, 'insufficient_data'],
      [{ name: 'x', seed: { segmentId: mixed } }, 422, 'insufficient_data'],
      [{ name: 'x', seed: { segmentId: 'seg_unknown' } }, 404, 'not_found'],
      [{ name: 'x', seed: { list: 'nope' } }, 404, 'not_found'],
      [{ name: 'x', seed: { list: 'blocked' } }, 400, 'validation_failed'],
      [{ name: 'x', seed: { list: 'Not A Name' } }, 400, 'validation_failed'],
      [{ name: 'x' }, 400, 'validation_failed'],
      [{ name: 'x', seed: { segmentId: w.buyersSegment, list: 'tiny' } }, 400, 'validation_failed'],
      [
        { name: 'x', seed: { segmentId: w.buyersSegment }, model: 'deep' },
        400,
        'validation_failed',
      ],
      [{ name: 'x', seed: { segmentId: w.buyersSegment }, holdout: 0.9 }, 400, 'validation_failed'],
      [
        { name: 'x', seed: { segmentId: w.buyersSegment }, reachLevels: [0] },
        400,
        'validation_failed',
      ],
      [{ name: 'jane@example.com', seed: { segmentId: w.buyersSegment } }, 400, 'bad_request'],
    ];
    const smallSize = (
      await deps.db
        .selectFrom('dmp_memberships')
        .select('dmp_id')
        .where('segment_id', '=', small)
        .execute()
    ).length;
    expect(smallSize).toBeGreaterThan(0);
    expect(smallSize).toBeLessThan(K);
    cases.push([{ name: 'x', seed: { segmentId: small } }, 422, 'insufficient_data']);
    for (const [body, status, code] of cases) {
      const res = await create(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(problemOf(res).code, JSON.stringify(body)).toBe(code);
    }
    expect(problemOf(await create({ name: 'x', seed: { list: 'tiny' } })).detail).toContain(
      `fewer than ${K}`,
    );

    const lal = (await create({ name: 'ok', seed: { segmentId: w.buyersSegment } })).json();
    for (const [body, status] of [
      [{ reach: 0 }, 400],
      [{ reach: 0.1, count: 200 }, 400],
      [{}, 400],
      [{ count: 99 }, 422],
    ] as const) {
      expect((await activate(lal.id, body)).statusCode, JSON.stringify(body)).toBe(status);
    }
    expect((await activate('lal_unknown', { reach: 0.5 })).statusCode).toBe(404);
    const analyst = await t.tokenFor('analyst');
    const forbidden = await t.app.inject({
      method: 'GET',
      url: URL,
      headers: { authorization: `Bearer ${analyst}` },
    });
    expect(forbidden.statusCode).toBe(403);
  }, 120_000);
});
