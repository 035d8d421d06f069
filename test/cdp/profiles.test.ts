import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';

let t: TestApp;
let writeKey: string;
let token: string;
const json = { 'content-type': 'application/json' };
const basicFor = (user: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:`).toString('base64')}`,
});

beforeAll(async () => {
  t = await createTestApp({ identity: true });
  token = await t.tokenFor('marketer');
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { ...bearer(token), ...json },
    payload: { name: 'web' },
  });
  writeKey = created.json().writeKey;
  const trait = await t.app.inject({
    method: 'POST',
    url: '/api/v1/computed-traits',
    headers: { ...bearer(token), ...json },
    payload: { key: 'views', name: 'Views', definition: { aggregation: 'count', event: 'Viewed' } },
  });
  expect(trait.statusCode).toBe(201);
  const batch = [
    {
      type: 'page',
      anonymousId: 'anon-1',
      name: 'Pricing',
      messageId: 'p1',
      timestamp: '2026-05-01T10:00:00.000Z',
    },
    {
      type: 'identify',
      anonymousId: 'anon-1',
      userId: 'u-ada',
      traits: { email: 'Ada@Example.com', plan: 'pro' },
      messageId: 'i1',
      timestamp: '2026-05-01T10:01:00.000Z',
    },
    {
      type: 'track',
      anonymousId: 'anon-2',
      event: 'Viewed',
      messageId: 't1',
      timestamp: '2026-05-02T09:00:00.000Z',
    },
    {
      type: 'identify',
      anonymousId: 'anon-2',
      userId: 'u-ada',
      traits: { city: 'London' },
      messageId: 'i2',
      timestamp: '2026-05-02T09:01:00.000Z',
    },
  ];
  const sent = await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { ...json, ...basicFor(writeKey) },
    payload: { batch },
  });
  expect(sent.json().accepted).toBe(4);
  await t.drain();
});
afterAll(() => t.close());

describe('unified profiles', () => {
  it('finds the merged profile by any of its identifiers', async () => {
    const byEmail = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/email:ada@example.com',
        headers: bearer(token),
      })
    ).json();
    const byAnon = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/anonymous_id:anon-2',
        headers: bearer(token),
      })
    ).json();
    expect(byEmail.id).toBe(byAnon.id);
    expect(byEmail.traits).toEqual({ email: 'ada@example.com', plan: 'pro', city: 'London' });
    expect(
      byEmail.identifiers
        .map((i: { type: string; value: string }) => `${i.type}:${i.value}`)
        .sort(),
    ).toEqual([
      'anonymous_id:anon-1',
      'anonymous_id:anon-2',
      'email:ada@example.com',
      'user_id:u-ada',
    ]);
    expect(byEmail.firstSeen).toBe('2026-05-01T10:00:00.000Z');
    expect(byEmail.mergedFrom).toHaveLength(1);
    expect(byEmail.computedTraits).toEqual({ views: 1 });
    expect(byEmail.audiences).toEqual([]);
    const viaOldId = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/profiles/${byEmail.mergedFrom[0]}`,
        headers: bearer(token),
      })
    ).json();
    expect(viaOldId.id).toBe(byEmail.id);
  });

  it('lists the timeline newest first with cursor paging, and the merge log with reasons', async () => {
    const first = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-ada/events?limit=3',
        headers: bearer(token),
      })
    ).json();
    expect(first.data.map((e: { messageId: string }) => e.messageId)).toEqual(['i2', 't1', 'i1']);
    const second = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/profiles/user_id:u-ada/events?limit=3&cursor=${first.next}`,
        headers: bearer(token),
      })
    ).json();
    expect(second.data.map((e: { messageId: string }) => e.messageId)).toEqual(['p1']);
    expect(second.next).toBeNull();
    const merges = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-ada/merges',
        headers: bearer(token),
      })
    ).json();
    expect(merges.data).toHaveLength(1);
    expect(merges.data[0].reason.absorbedIdentifiers).toEqual(['anonymous_id:anon-2']);
  });

  it('searches by identifier or trait text', async () => {
    const found = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles?query=London',
        headers: bearer(token),
      })
    ).json();
    expect(found.data).toHaveLength(1);
    const byId = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles?query=anon-1',
        headers: bearer(token),
      })
    ).json();
    expect(byId.data[0].id).toBe(found.data[0].id);
  });

  it('answers 404 for an unknown profile and 400 for a malformed key', async () => {
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/profiles/email:nobody@example.com',
      headers: bearer(token),
    });
    expect(missing.statusCode).toBe(404);
    expect(problemOf(missing).code).toBe('not_found');
    const malformed = await t.app.inject({
      method: 'GET',
      url: '/api/v1/profiles/no-colon-here',
      headers: bearer(token),
    });
    expect(malformed.statusCode).toBe(400);
  });
});

describe('Segment Profile API', () => {
  const base = '/v1/spaces/default/collections/users/profiles';

  it('serves traits, with limit/next paging and include', async () => {
    const all = (
      await t.app.inject({
        method: 'GET',
        url: `${base}/user_id:u-ada/traits`,
        headers: basicFor(token),
      })
    ).json();
    // No class asked: plain and computed traits together, as Segment answers.
    expect(all.traits).toEqual({ city: 'London', email: 'ada@example.com', plan: 'pro', views: 1 });
    const plain = (
      await t.app.inject({
        method: 'GET',
        url: `${base}/user_id:u-ada/traits?class=traits`,
        headers: basicFor(token),
      })
    ).json();
    expect(plain.traits).toEqual({ city: 'London', email: 'ada@example.com', plan: 'pro' });
    const computed = (
      await t.app.inject({
        method: 'GET',
        url: `${base}/user_id:u-ada/traits?class=computed_trait`,
        headers: basicFor(token),
      })
    ).json();
    expect(computed.traits).toEqual({ views: 1 });
    expect(all.cursor.has_more).toBe(false);
    const page = (
      await t.app.inject({
        method: 'GET',
        url: `${base}/user_id:u-ada/traits?limit=2`,
        headers: basicFor(token),
      })
    ).json();
    expect(Object.keys(page.traits)).toEqual(['city', 'email']);
    expect(page.cursor).toMatchObject({ has_more: true, next: 'email' });
    const rest = (
      await t.app.inject({
        method: 'GET',
        url: `${base}/user_id:u-ada/traits?limit=2&next=email`,
        headers: basicFor(token),
      })
    ).json();
    expect(rest.traits).toEqual({ plan: 'pro', views: 1 });
    const included = (
      await t.app.inject({
        method: 'GET',
        url: `${base}/email:ada@example.com/traits?include=plan`,
        headers: basicFor(token),
      })
    ).json();
    expect(included.traits).toEqual({ plan: 'pro' });
  });

  it('serves events, external_ids, metadata and links in Segment shapes', async () => {
    const events = (
      await t.app.inject({
        method: 'GET',
        url: `${base}/user_id:u-ada/events?limit=2`,
        headers: basicFor(token),
      })
    ).json();
    expect(events.data).toHaveLength(2);
    expect(events.data[0]).toMatchObject({ type: 'identify', message_id: 'i2' });
    expect(events.cursor.has_more).toBe(true);
    const ids = (
      await t.app.inject({
        method: 'GET',
        url: `${base}/anonymous_id:anon-1/external_ids`,
        headers: basicFor(token),
      })
    ).json();
    expect(ids.data.map((d: { type: string; id: string }) => `${d.type}:${d.id}`)).toContain(
      'email:ada@example.com',
    );
    expect(ids.data[0]).toMatchObject({ collection: 'users', encoding: 'none' });
    const meta = (
      await t.app.inject({
        method: 'GET',
        url: `${base}/user_id:u-ada/metadata`,
        headers: basicFor(token),
      })
    ).json();
    expect(meta.metadata).toMatchObject({
      first_message_at: '2026-05-01T10:00:00.000Z',
      last_message_at: '2026-05-02T09:01:00.000Z',
      last_message_id: 'i2',
    });
    const links = (
      await t.app.inject({
        method: 'GET',
        url: `${base}/user_id:u-ada/links`,
        headers: basicFor(token),
      })
    ).json();
    expect(links.data).toEqual([]);
  });

  it("answers 404 for an unknown profile and 401 without credentials, in Segment's error shape", async () => {
    const missing = await t.app.inject({
      method: 'GET',
      url: `${base}/user_id:nobody/traits`,
      headers: basicFor(token),
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(missing.json().error).toEqual({
      code: 'not_found',
      message: expect.stringContaining('user_id:nobody'),
    });
    const anonymous = await t.app.inject({ method: 'GET', url: `${base}/user_id:u-ada/traits` });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `${base}/user_id:u-ada/traits?limit=500`,
          headers: basicFor(token),
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe('unmerge through the API', () => {
  it('splits the profile back and keeps the halves apart', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profiles/user_id:u-ada/unmerge',
      headers: { ...bearer(token), ...json },
      payload: {},
    });
    expect(response.statusCode).toBe(200);
    const ada = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-ada',
        headers: bearer(token),
      })
    ).json();
    const other = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/anonymous_id:anon-2',
        headers: bearer(token),
      })
    ).json();
    expect(other.id).not.toBe(ada.id);
    // anon-2's own events carried no traits; the identify that linked them also named
    // u-ada, so once the anonymous ID gives way it stays with Ada, city included.
    expect(other.traits).toEqual({});
    expect(ada.traits).toEqual({ email: 'ada@example.com', plan: 'pro', city: 'London' });
    const otherEvents = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/anonymous_id:anon-2/events',
        headers: bearer(token),
      })
    ).json();
    expect(otherEvents.data.map((e: { messageId: string }) => e.messageId)).toEqual(['t1']);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profiles/anonymous_id:anon-2/unmerge',
      headers: { ...bearer(token), ...json },
      payload: {},
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('per-source trait priority', () => {
  it("keeps a higher-ranked source's value over a later one from a lower-ranked source", async () => {
    const crm = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: { ...bearer(token), ...json },
        payload: { name: 'crm' },
      })
    ).json();
    const ranked = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${crm.id}`,
      headers: { ...bearer(token), ...json },
      payload: { traitPriority: 10 },
    });
    expect(ranked.json().traitPriority).toBe(10);
    await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { ...json, ...basicFor(crm.writeKey) },
      payload: {
        userId: 'u-grace',
        traits: { plan: 'enterprise', title: 'Admiral' },
        timestamp: '2026-06-01T00:00:00.000Z',
      },
    });
    await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { ...json, ...basicFor(writeKey) },
      payload: {
        userId: 'u-grace',
        traits: { plan: 'free', city: 'Arlington' },
        timestamp: '2026-06-02T00:00:00.000Z',
      },
    });
    await t.drain();
    const grace = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-grace',
        headers: bearer(token),
      })
    ).json();
    expect(grace.traits).toEqual({ plan: 'enterprise', title: 'Admiral', city: 'Arlington' });
  });
});
