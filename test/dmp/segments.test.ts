import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { problemOf } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { DAY_MS, type DmpTestApp, dmpApp, dmpCookie } from './helpers.js';

describe.each(enginesUnderTest())('DMP traits and segments on $name', (engine) => {
  let t: DmpTestApp;
  const clock = manualClock('2026-02-01T00:00:00Z');
  afterEach(() => t.close());
  const open = async () => {
    clock.set('2026-02-01T00:00:00Z');
    t = await dmpApp({ testStore: await engine.open(), clock });
  };

  it('qualifies in real time, with frequency and recency (Audience Manager semantics)', async () => {
    await open();
    const sports = await t.trait({
      name: 'sports reader',
      rule: { conditions: [{ key: 'section', op: 'eq', value: 'sports' }] },
    });
    const cart = await t.trait({
      name: 'cart, 3 times in 7 days',
      rule: {
        conditions: [{ key: 'action', op: 'eq', value: 'cart' }],
        frequency: { min: 3, withinDays: 7 },
      },
    });
    const fans = await t.segment({
      name: 'fans',
      expression: `frequency(${sports}) >= 2`,
      taxonomyIds: [2],
    });
    const casual = await t.segment({
      name: 'casual',
      expression: `${sports} AND frequency(${sports}) <= 1`,
      taxonomyIds: [3],
    });
    const shoppers = await t.segment({ name: 'shoppers', expression: cart, taxonomyIds: [4] });
    const recent = await t.segment({
      name: 'recent shoppers',
      expression: `${sports} AND recency(${sports}) <= 1d`,
    });

    const id = dmpCookie(await t.pixel('section=sports')) ?? '';
    expect((await t.segmentsOf(id)).segments.sort()).toEqual([casual, recent].sort());
    clock.advance(DAY_MS * 2);
    await t.pixel('section=sports', id);
    expect((await t.segmentsOf(id)).segments.sort()).toEqual([fans, recent].sort());
    for (let i = 0; i < 2; i++) await t.pixel('action=cart', id);
    expect((await t.segmentsOf(id)).segments).not.toContain(shoppers);
    await t.pixel('action=cart', id);
    const now = await t.segmentsOf(id);
    expect(now.segments).toContain(shoppers);
    expect(now.taxonomyIds).toEqual([2, 4]);
  });

  it('refuses invalid segment rules with a clear reason', async () => {
    await open();
    const a = await t.trait({ name: 'a', rule: { conditions: [{ key: 'k', op: 'exists' }] } });
    for (const [expression, reason] of [
      [`frequency(${a}) <= 3`, 'AND it with a positive condition'],
      [`NOT ${a}`, 'AND it with a positive condition'],
      [`${a} AND trt_unknown`, 'Unknown trait'],
      [`${a} AND (`, 'expected a trait'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dmp/segments',
        headers: t.advertiser,
        payload: { name: 'bad', expression },
      });
      expect(res.statusCode, expression).toBe(400);
      expect(problemOf(res).detail).toContain(reason);
    }
    const unknownTaxonomy = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/segments',
      headers: t.advertiser,
      payload: { name: 'x', expression: a, taxonomyIds: [999_999] },
    });
    expect(problemOf(unknownTaxonomy).code).toBe('bad_request');
  });

  it('refuses traits whose rules or names carry personal data', async () => {
    await open();
    for (const payload of [
      { name: 'x', rule: { conditions: [{ key: 'email', op: 'exists' }] } },
      { name: 'x', rule: { conditions: [{ key: 'k', op: 'eq', value: 'jane.doe@example.com' }] } },
      { name: 'call +1 415 555 2671', rule: { conditions: [{ key: 'k', op: 'exists' }] } },
      { name: 'x', rule: { conditions: [{ key: 'n', op: 'gt', value: 'ten' }] } },
      { name: 'x', kind: 'onboarded', rule: { conditions: [{ key: 'k', op: 'exists' }] } },
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/dmp/traits',
        headers: t.advertiser,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('CRUD, pagination, and a trait in use cannot be deleted', async () => {
    await open();
    const a = await t.trait({ name: 'a', rule: { conditions: [{ key: 'k', op: 'exists' }] } });
    const b = await t.trait({
      name: 'b',
      ttlDays: 30,
      rule: { conditions: [{ key: 'j', op: 'exists' }] },
    });
    // Both were made in the same (manual-clock) millisecond: the random part orders them.
    const [first, second] = [a, b].sort();
    const page = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dmp/traits?limit=1',
      headers: t.advertiser,
    });
    expect(page.json().data.map((x: { id: string }) => x.id)).toEqual([first]);
    const next = await t.app.inject({
      method: 'GET',
      url: `/api/v1/dmp/traits?limit=1&cursor=${page.json().next}`,
      headers: t.advertiser,
    });
    expect(next.json()).toMatchObject({ data: [{ id: second }], next: null });
    const seg = await t.segment({ name: 's', expression: `${a} OR ${b}` });
    const blocked = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/dmp/traits/${a}`,
      headers: t.advertiser,
    });
    expect(blocked.statusCode).toBe(409);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/dmp/segments/${seg}`,
      headers: t.advertiser,
      payload: { expression: b, taxonomyIds: [5] },
    });
    expect(patched.json()).toMatchObject({ expression: b, taxonomyIds: [5] });
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/dmp/traits/${a}`,
          headers: t.advertiser,
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/dmp/segments/${seg}`,
          headers: t.advertiser,
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/dmp/segments/${seg}`,
          headers: t.advertiser,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('a new segment is backfilled from existing realizations', async () => {
    await open();
    const a = await t.trait({
      name: 'a',
      rule: { conditions: [{ key: 'k', op: 'eq', value: '1' }] },
    });
    const id = dmpCookie(await t.pixel('k=1')) ?? '';
    expect((await t.segmentsOf(id)).segments).toEqual([]);
    const seg = await t.segment({ name: 'late', expression: a });
    expect((await t.segmentsOf(id)).segments).toEqual([seg]);
  });

  it('onboarded traits realize for known IDs only', async () => {
    await open();
    const crm = await t.trait({ name: 'crm customers', kind: 'onboarded' });
    const seg = await t.segment({ name: 'customers', expression: crm, taxonomyIds: [6] });
    const id = dmpCookie(await t.pixel('page=x')) ?? '';
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dmp/traits/${crm}/onboard`,
      headers: t.advertiser,
      payload: {
        ids: [
          { type: 'dmp', value: id },
          { type: 'dmp', value: 'td_00000000000000000000000000' },
          { type: 'ifa', value: '6d92078a-8246-4ba4-ae5b-76104861e7dc' },
        ],
      },
    });
    expect(res.json()).toEqual({ matched: 1, unmatched: 2 });
    expect((await t.segmentsOf(id)).segments).toEqual([seg]);
    const email = await t.app.inject({
      method: 'POST',
      url: `/api/v1/dmp/traits/${crm}/onboard`,
      headers: t.advertiser,
      payload: { ids: [{ type: 'hem', value: 'jane@example.com' }] },
    });
    expect(email.statusCode).toBe(400);
    expect(await t.testStore.store.db.selectFrom('dmp_ids').selectAll().execute()).toHaveLength(1);
  });

  it('browses, searches and extends the IAB taxonomy', async () => {
    await open();
    const roots = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dmp/taxonomy?limit=200',
      headers: t.advertiser,
    });
    expect(roots.json().data.length).toBe(200);
    const search = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dmp/taxonomy?q=age%20range%2018-20',
      headers: t.advertiser,
    });
    expect(search.json().data).toEqual([
      {
        id: 3,
        parentId: 2,
        name: '18-20',
        path: ['Demographic', 'Age Range', '18-20'],
        source: 'iab',
      },
    ]);
    const node = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dmp/taxonomy/2',
      headers: t.advertiser,
    });
    expect(node.json().children.map((c: { id: number }) => c.id)).toContain(3);
    const custom = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/taxonomy',
      headers: t.advertiser,
      payload: { name: 'Loyal readers', parentId: 1 },
    });
    expect(custom.json()).toMatchObject({
      id: 1_000_000,
      path: ['Demographic', 'Loyal readers'],
      source: 'custom',
    });
    const child = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/taxonomy',
      headers: t.advertiser,
      payload: { name: 'Weekend', parentId: 1_000_000 },
    });
    expect(child.json()).toMatchObject({
      id: 1_000_001,
      path: ['Demographic', 'Loyal readers', 'Weekend'],
    });
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dmp/taxonomy/999999',
      headers: t.advertiser,
    });
    expect(missing.statusCode).toBe(404);
  });
});
