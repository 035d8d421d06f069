import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmpListSizes, isSuppressedDmpId, seedListMembers } from '../../src/dmp/index.js';
import { runDmpSync } from '../../src/stack/dmp-sync/dmp-sync.service.js';
import { type AudienceHarness, audienceHarness } from '../audiences/harness.js';
import { dmpCookie } from '../dmp/helpers.js';
import { bearer, problemOf } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';

/**
 * CDP -> DMP: audiences become DMP lists of their consenting members' DMP IDs, kept in step by
 * the sync job, and suppression lists take segments away on every activation path.
 */
let h: AudienceHarness;
let now = Date.parse('2026-03-01T10:00:00Z');
const clock = { now: () => new Date(now) };
const ids: Record<'ada' | 'bob' | 'cy', string> = { ada: '', bob: '', cy: '' };
const domain = 'triad.localhost';

const db = () => h.t.testStore.store.db;
const sync = () => runDmpSync({ db: db(), clock });

async function consent(email: string, granted: boolean) {
  const res = await h.api('PUT', `/api/v1/profiles/email:${email}/consents`, {
    decisions: [
      { purpose: 'advertising', channel: '*', granted },
      { purpose: 'profiling', channel: '*', granted },
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

async function identify(who: 'ada' | 'bob' | 'cy', plan: string) {
  await h.send([
    {
      type: 'identify',
      userId: `u-${who}`,
      traits: { email: `${who}@example.com`, plan },
      context: {
        externalIds: [{ id: ids[who], type: 'dmp_id', collection: 'users', encoding: 'none' }],
      },
    },
  ]);
  await h.drain();
}

async function segmentsOf(id: string): Promise<string[]> {
  const res = await h.t.app.inject({
    method: 'GET',
    url: `/dmp/v1/ids/${id}/segments`,
    headers: bearer(await h.t.tokenFor('advertiser')),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().segments;
}

async function bidData(id: string): Promise<unknown> {
  const res = await h.t.app.inject({
    method: 'POST',
    url: '/dmp/v1/openrtb',
    headers: bearer(await h.t.tokenFor('advertiser')),
    payload: { id: 'a1', imp: [{ id: '1', banner: { w: 300, h: 250 } }], user: { id } },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().user.data;
}

const status = async () => {
  const res = await h.api<{ lists: { name: string; size: number; belowMinimum: boolean }[] }>(
    'GET',
    '/api/v1/stack/dmp-sync',
  );
  expect(res.status).toBe(200);
  return res.body;
};
const members = async (list: string) =>
  (
    await db()
      .selectFrom('dmp_list_members')
      .select('dmp_id')
      .where('list_name', '=', list)
      .orderBy('dmp_id')
      .execute()
  ).map((r) => r.dmp_id);

describe.each(enginesUnderTest())('PUT /api/v1/stack/dmp-sync on $name', (engine) => {
  beforeAll(async () => {
    now = Date.parse('2026-03-01T10:00:00Z');
    h = await audienceHarness({ clock, engine });
    const advertiser = bearer(await h.t.tokenFor('advertiser'));
    const trait = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/traits',
      headers: advertiser,
      payload: { name: 'runners', rule: { conditions: [{ key: 'cat', op: 'eq', value: 'run' }] } },
    });
    expect(trait.statusCode, trait.body).toBe(201);
    const segment = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/segments',
      headers: advertiser,
      payload: { name: 'Runners', expression: trait.json().id, taxonomyIds: [3] },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    for (const who of ['ada', 'bob', 'cy'] as const) {
      ids[who] =
        dmpCookie(await h.t.app.inject({ method: 'GET', url: '/dmp/v1/px?cat=run' })) ?? '';
      expect(await segmentsOf(ids[who])).toHaveLength(1);
    }
    const audience = await h.api<{ id: string }>('POST', '/api/v1/audiences', {
      key: 'customers',
      name: 'Customers',
      text: 'trait plan = "pro"',
    });
    expect(audience.status, JSON.stringify(audience.body)).toBe(201);
    await h.ready(`/api/v1/audiences/${audience.body.id}`);
    await identify('ada', 'pro');
    await identify('bob', 'pro');
    await identify('cy', 'free');
    await consent('ada@example.com', true);
    await consent('cy@example.com', true);
    // bob never consented: opt-in by default, so he stays out of every list.
  });
  afterAll(() => h.close());

  it('refuses unknown audiences, bad names and duplicates with a problem', async () => {
    for (const [lists, field] of [
      [[{ name: 'x', audience: 'nope', kind: 'seed' }], 'lists[0].audience'],
      [[{ name: 'Bad Name', audience: 'customers', kind: 'seed' }], 'lists[0].name'],
      [
        [
          { name: 'a', audience: 'customers', kind: 'seed' },
          { name: 'a', audience: 'customers', kind: 'suppression' },
        ],
        'lists[1].name',
      ],
    ] as const) {
      const res = await h.t.app.inject({
        method: 'PUT',
        url: '/api/v1/stack/dmp-sync',
        headers: { ...bearer(h.t.adminToken), 'content-type': 'application/json' },
        payload: { lists },
      });
      expect(res.statusCode).toBe(400);
      const problem = problemOf(res);
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors?.map((e) => e.field)).toContain(field);
    }
    const badKind = await h.api('PUT', '/api/v1/stack/dmp-sync', {
      lists: [{ name: 'x', audience: 'customers', kind: 'lookalike' }],
    });
    expect(badKind.status).toBe(400);
    expect((await status()).lists).toEqual([]);
  });

  it('fills seed and suppression lists with consenting members’ DMP IDs only', async () => {
    const put = await h.api<{ lists: { name: string }[] }>('PUT', '/api/v1/stack/dmp-sync', {
      lists: [
        { name: 'existing-customers', audience: 'customers', kind: 'suppression' },
        { name: 'customer-seeds', audience: 'customers', kind: 'seed' },
      ],
    });
    expect(put.status).toBe(200);
    await sync();
    expect(await members('existing-customers')).toEqual([ids.ada]);
    expect(await members('customer-seeds')).toEqual([ids.ada]);
    const lists = (await status()).lists;
    expect(lists.map((l) => [l.name, l.size, l.belowMinimum])).toEqual([
      ['customer-seeds', 1, true],
      ['existing-customers', 1, true],
    ]);
    // Below the minimum segment size a seed list is never released; at the minimum it is.
    expect(await seedListMembers(db(), 'customer-seeds', 100)).toBeUndefined();
    expect(await seedListMembers(db(), 'customer-seeds', 1)).toEqual([ids.ada]);
    expect(await dmpListSizes(db(), 1)).toContainEqual({
      name: 'customer-seeds',
      kind: 'seed',
      size: 1,
      belowMinimum: false,
    });
    // The DMP side holds list names and DMP IDs, nothing else.
    const dump = JSON.stringify(await db().selectFrom('dmp_list_members').selectAll().execute());
    expect(dump).not.toMatch(/example\.com|u-ada|prof_/);
  });

  it('suppresses the list’s IDs on lookups and OpenRTB, and only theirs', async () => {
    expect(await isSuppressedDmpId(db(), ids.ada)).toBe(true);
    expect(await segmentsOf(ids.ada)).toEqual([]);
    expect(await bidData(ids.ada)).toBeUndefined();
    expect(await segmentsOf(ids.cy)).toHaveLength(1);
    expect(await bidData(ids.cy)).toEqual([
      { name: domain, ext: { segtax: 4 }, segment: [{ id: '3' }] },
    ]);
  });

  it('removes members who leave the audience, and adds those who join', async () => {
    await identify('ada', 'free');
    await identify('cy', 'pro');
    await sync();
    expect(await members('existing-customers')).toEqual([ids.cy]);
    expect(await segmentsOf(ids.ada)).toHaveLength(1);
    expect(await segmentsOf(ids.cy)).toEqual([]);
    // Running again changes nothing (the job is idempotent).
    await sync();
    expect(await members('existing-customers')).toEqual([ids.cy]);
  });

  it('removes members who withdraw consent at the next sweep', async () => {
    await consent('cy@example.com', false);
    await sync();
    // No membership change, so only the hourly sweep sees it.
    expect(await members('existing-customers')).toEqual([ids.cy]);
    now += 2 * 3_600_000;
    await sync();
    expect(await members('existing-customers')).toEqual([]);
    expect(await members('customer-seeds')).toEqual([]);
  });

  it('drops lists left out of the configuration', async () => {
    await consent('cy@example.com', true);
    now += 2 * 3_600_000;
    await sync();
    expect(await members('customer-seeds')).toEqual([ids.cy]);
    const put = await h.api('PUT', '/api/v1/stack/dmp-sync', {
      lists: [{ name: 'existing-customers', audience: 'customers', kind: 'suppression' }],
    });
    expect(put.status).toBe(200);
    expect(await members('customer-seeds')).toEqual([]);
    expect((await status()).lists.map((l) => l.name)).toEqual(['existing-customers']);
    const lists = await db().selectFrom('dmp_lists').select('name').execute();
    expect(lists.map((l) => l.name)).toEqual(['existing-customers']);
    // Another kind starts the list over; the next run refills it from the audience.
    const changed = await h.api('PUT', '/api/v1/stack/dmp-sync', {
      lists: [{ name: 'existing-customers', audience: 'customers', kind: 'seed' }],
    });
    expect(changed.status).toBe(200);
    expect(await members('existing-customers')).toEqual([]);
    expect(await segmentsOf(ids.cy)).toHaveLength(1);
    await sync();
    expect(await members('existing-customers')).toEqual([ids.cy]);
    expect(await segmentsOf(ids.cy)).toHaveLength(1);
  });
});
