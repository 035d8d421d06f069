import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmClient } from '../crm/helpers.js';
import { dmpCookie } from '../dmp/helpers.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';

/**
 * Attribution with figures worked out by hand:
 * - ada (first touch google/spring, later newsletter/may; DMP: Runners first, then Trail):
 *   won 1,000 on 2026-03-10 and 500 on 2026-03-20;
 * - bob (first touch facebook/retarget; DMP Trail but no consent): won 300 on 2026-03-15;
 * - cy (identified, no campaign, no DMP ID): won 200 on 2026-03-31;
 * - dan (a CRM contact with no profile): won 50 on 2026-03-05;
 * - ada also lost 999 (lost stage) and won 777 on 2026-04-02 (outside March).
 * By campaign in March: google/spring 1,500 (2 deals), facebook/retarget 300 (1),
 * unattributed 250 (2), total 2,050 (5). By DMP segment: Runners 1,500, unattributed 550.
 */
let t: TestApp;
let now = Date.parse('2026-02-01T09:00:00Z');
const clock = { now: () => new Date(now) };
const json = { 'content-type': 'application/json' };
let writeKey: string;
let runners: string;

async function batch(events: Record<string, unknown>[]) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, ...json },
    payload: { batch: events },
  });
  expect(res.statusCode, res.body).toBe(200);
}

const report = async (query: string, role: 'admin' | 'analyst' = 'analyst') =>
  t.app.inject({
    method: 'GET',
    url: `/api/v1/stack/attribution?${query}`,
    headers: bearer(await t.tokenFor(role)),
  });

describe.each(enginesUnderTest())('GET /api/v1/stack/attribution on $name', (engine) => {
  beforeAll(async () => {
    now = Date.parse('2026-02-01T09:00:00Z');
    t = await createTestApp({ identity: true, clock, testStore: await engine.open() });
    const source = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...bearer(t.adminToken), ...json },
      payload: { name: 'web' },
    });
    writeKey = source.json().writeKey as string;

    // DMP: ada qualifies for Runners, a day later for Trail; bob for Trail only.
    const advertiser = bearer(await t.tokenFor('advertiser'));
    const dmpPost = async (url: string, payload: Record<string, unknown>) => {
      const res = await t.app.inject({ method: 'POST', url, headers: advertiser, payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const run = await dmpPost('/api/v1/dmp/traits', {
      name: 'run',
      rule: { conditions: [{ key: 'cat', op: 'eq', value: 'run' }] },
    });
    const trail = await dmpPost('/api/v1/dmp/traits', {
      name: 'trail',
      rule: { conditions: [{ key: 'cat', op: 'eq', value: 'trail' }] },
    });
    runners = await dmpPost('/api/v1/dmp/segments', { name: 'Runners', expression: run });
    await dmpPost('/api/v1/dmp/segments', { name: 'Trail', expression: trail });
    const ada = dmpCookie(await t.app.inject({ method: 'GET', url: '/dmp/v1/px?cat=run' })) ?? '';
    now += 86_400_000;
    await t.app.inject({
      method: 'GET',
      url: '/dmp/v1/px?cat=trail',
      headers: { cookie: `triad_dmp_id=${ada}` },
    });
    const bob = dmpCookie(await t.app.inject({ method: 'GET', url: '/dmp/v1/px?cat=trail' })) ?? '';

    const dmp = (id: string) => [{ id, type: 'dmp_id', collection: 'users', encoding: 'none' }];
    await batch([
      {
        type: 'page',
        anonymousId: 'a-ada',
        timestamp: '2026-02-02T10:00:00Z',
        context: { campaign: { source: 'google', name: 'spring' }, externalIds: dmp(ada) },
      },
      {
        type: 'page',
        anonymousId: 'a-ada',
        timestamp: '2026-02-05T10:00:00Z',
        context: { campaign: { source: 'newsletter', name: 'may' } },
      },
      {
        type: 'identify',
        anonymousId: 'a-ada',
        userId: 'ada',
        traits: { email: 'ada@example.com' },
      },
      {
        type: 'page',
        userId: 'bob',
        timestamp: '2026-02-03T10:00:00Z',
        context: {
          page: { url: 'https://shop.example/?utm_source=facebook&utm_campaign=retarget' },
          externalIds: dmp(bob),
        },
      },
      { type: 'identify', userId: 'bob', traits: { email: 'Bob@Example.com' } },
      { type: 'identify', userId: 'cy', traits: { email: 'cy@example.com' } },
    ]);
    await t.drain();
    const consent = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/profiles/email:ada@example.com/consents',
      headers: { ...bearer(t.adminToken), ...json },
      payload: {
        decisions: [
          { purpose: 'advertising', channel: '*', granted: true },
          { purpose: 'profiling', channel: '*', granted: true },
        ],
      },
    });
    expect(consent.statusCode, consent.body).toBeLessThan(300);

    const call = crmClient(t);
    const contact = async (email: string) => {
      const res = await call('POST', '/crm/v3/objects/contacts', { properties: { email } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const deal = async (to: string, amount: string, dealstage: string, closedate: string) => {
      const res = await call('POST', '/crm/v3/objects/deals', {
        properties: { dealname: `${amount}`, amount, dealstage, pipeline: 'default', closedate },
        associations: [
          {
            to: { id: to },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
          },
        ],
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    const c = {
      ada: await contact('ada@example.com'),
      bob: await contact('bob@example.com'),
      cy: await contact('cy@example.com'),
      dan: await contact('dan@example.com'),
    };
    await deal(c.ada, '1000', 'closedwon', '2026-03-10T12:00:00Z');
    await deal(c.ada, '500', 'closedwon', String(Date.parse('2026-03-20T12:00:00Z')));
    await deal(c.bob, '300', 'closedwon', '2026-03-15T12:00:00Z');
    await deal(c.cy, '200', 'closedwon', '2026-03-31T23:00:00Z');
    await deal(c.dan, '50', 'closedwon', '2026-03-05T12:00:00Z');
    await deal(c.ada, '999', 'closedlost', '2026-03-12T12:00:00Z');
    await deal(c.ada, '777', 'closedwon', '2026-04-02T12:00:00Z');
  });
  afterAll(() => t.close());

  it('credits won revenue to the first-touch campaign', async () => {
    const res = await report('from=2026-03-01&to=2026-03-31&by=campaign');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      by: 'campaign',
      rows: [
        { key: 'google/spring', label: 'spring', deals: 2, revenue: 1500 },
        { key: 'facebook/retarget', label: 'retarget', deals: 1, revenue: 300 },
      ],
      unattributed: { deals: 2, revenue: 250 },
      total: { deals: 5, revenue: 2050 },
    });
  });

  it('credits the first DMP segment of consenting people', async () => {
    const res = await report('from=2026-03-01&to=2026-04-01T00:00:00Z&by=dmp_segment');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toEqual([{ key: runners, label: 'Runners', deals: 2, revenue: 1500 }]);
    expect(res.json().unattributed).toEqual({ deals: 3, revenue: 550 });
  });

  it('narrows to the range: a range of one day holds one deal', async () => {
    const res = await report('from=2026-04-02&to=2026-04-02');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().total).toEqual({ deals: 1, revenue: 777 });
    expect(res.json().rows).toEqual([
      { key: 'google/spring', label: 'spring', deals: 1, revenue: 777 },
    ]);
  });

  it.each([
    ['from=2026-03-01&to=2026-03-31&by=channel', 'by'],
    ['from=yesterday&to=2026-03-31', 'from'],
    ['from=2026-03-01&to=2026-02-30T00:00', 'to'],
    ['from=2026-03-01&to=2026-02-30', 'to'],
    ['from=2026-02-30T10:00:00Z&to=2026-03-30', 'from'],
    ['from=2026-04-01&to=2026-03-01', 'to'],
  ])('refuses %s with a problem naming %s', async (query, field) => {
    const res = await report(query, 'admin');
    expect(res.statusCode).toBe(400);
    const problem = problemOf(res);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors?.map((e) => e.field)).toContain(field);
  });

  it('needs from and to', async () => {
    const res = await report('from=2026-03-01');
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).code).toBe('validation_failed');
  });
});
