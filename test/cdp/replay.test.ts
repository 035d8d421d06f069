import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';

let t: TestApp;
let token: string;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  // No consumers running: the graph only learns about these events through the replay.
  t = await createTestApp();
  token = await t.tokenFor('marketer');
  const source = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...bearer(token), ...json },
      payload: { name: 'web' },
    })
  ).json();
  const auth = {
    authorization: `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`,
    ...json,
  };
  await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: auth,
    payload: {
      batch: [
        {
          type: 'identify',
          userId: 'u-1',
          anonymousId: 'a-1',
          traits: { email: 'one@example.com' },
          messageId: 'r1',
        },
        { type: 'track', anonymousId: 'a-1', event: 'Viewed', messageId: 'r2' },
      ],
    },
  });
});
afterAll(() => t.close());

describe('replays', () => {
  const range = () => ({
    from: new Date(Date.now() - 3_600_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
  });

  it('re-feeds stored events to the consumers, and a second replay changes nothing', async () => {
    const before = await t.app.inject({
      method: 'GET',
      url: '/api/v1/profiles/user_id:u-1',
      headers: bearer(token),
    });
    expect(before.statusCode).toBe(404);
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/replays',
      headers: { ...bearer(token), ...json },
      payload: range(),
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ replayed: 2, consumers: expect.arrayContaining(['identity']) });
    const profile = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-1',
        headers: bearer(token),
      })
    ).json();
    const events = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-1/events',
        headers: bearer(token),
      })
    ).json();
    expect(events.data).toHaveLength(2);

    await t.app.inject({
      method: 'POST',
      url: '/api/v1/replays',
      headers: { ...bearer(token), ...json },
      payload: range(),
    });
    const again = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-1',
        headers: bearer(token),
      })
    ).json();
    expect(again).toEqual(profile);
    const eventsAgain = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/profiles/user_id:u-1/events',
        headers: bearer(token),
      })
    ).json();
    expect(eventsAgain.data).toHaveLength(2);
  });

  it('refuses an empty or inverted range', async () => {
    const now = new Date().toISOString();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/replays',
      headers: { ...bearer(token), ...json },
      payload: { from: now, to: now },
    });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).code).toBe('validation_failed');
  });
});
