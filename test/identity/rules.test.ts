import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';

let t: TestApp;
let auth: Record<string, string>;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  t = await createTestApp({ identity: true });
  const admin = bearer(t.adminToken);
  const source = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...admin, ...json },
      payload: { name: 'web' },
    })
  ).json();
  auth = {
    authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
    ...json,
  };
  // Two user IDs on one browser: under the default rules they stay two people.
  await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: auth,
    payload: {
      batch: [
        { type: 'identify', userId: 'u-1', anonymousId: 'shared-browser', messageId: 'x1' },
        { type: 'identify', userId: 'u-2', anonymousId: 'shared-browser', messageId: 'x2' },
      ],
    },
  });
  await t.drain();
});
afterAll(() => t.close());

describe('identity rules', () => {
  it('lists the defaults', async () => {
    const rules = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/identity/rules',
        headers: bearer(t.adminToken),
      })
    ).json().data;
    expect(rules.find((r: { type: string }) => r.type === 'user_id')).toMatchObject({
      maxPerProfile: 1,
      priority: 1,
    });
    expect(rules.find((r: { type: string }) => r.type === 'email').blocked).toContain('test');
  });

  it('dry-runs a change against recent history without touching the graph', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/identity/rules',
      headers: { ...bearer(t.adminToken), ...json },
      payload: {
        dryRun: true,
        rules: [{ type: 'user_id', maxPerProfile: 2, priority: 1, blocked: [] }],
      },
    });
    expect(response.statusCode).toBe(200);
    const outcome = response.json();
    expect(outcome.events).toBe(2);
    expect(outcome.current).toMatchObject({ profiles: 2, merges: 0 });
    expect(outcome.proposed).toMatchObject({ profiles: 1, largestProfile: 2 });
    const u1 = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-1',
        headers: bearer(t.adminToken),
      })
    ).json();
    const u2 = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-2',
        headers: bearer(t.adminToken),
      })
    ).json();
    expect(u1.id).not.toBe(u2.id);
  });

  it('applies saved rules to events from then on', async () => {
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/identity/rules',
      headers: { ...bearer(t.adminToken), ...json },
      payload: {
        rules: [{ type: 'anonymous_id', maxPerProfile: 5, priority: 6, blocked: ['/^bot-/'] }],
      },
    });
    expect(saved.statusCode).toBe(200);
    await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: auth,
      payload: { anonymousId: 'bot-7', event: 'Crawled' },
    });
    await t.drain();
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/profiles/anonymous_id:bot-7',
          headers: bearer(t.adminToken),
        })
      ).statusCode,
    ).toBe(404);
  });

  it('refuses an invalid regular expression and non-admin changes', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/identity/rules',
      headers: { ...bearer(t.adminToken), ...json },
      payload: { rules: [{ type: 'email', maxPerProfile: 5, priority: 2, blocked: ['/([/'] }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors?.[0]?.field).toBe('rules[0].blocked[0]');
    const marketer = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/identity/rules',
      headers: { ...bearer(await t.tokenFor('marketer')), ...json },
      payload: { rules: [{ type: 'email', maxPerProfile: 5, priority: 2, blocked: [] }] },
    });
    expect(marketer.statusCode).toBe(403);
  });
});
