import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The consumers `triad start` runs (identity, then audiences) on the real app: an event that
 * qualifies a profile shows up as an audience entry well within a second.
 */
describe('event-to-membership latency (consumers as triad start runs them)', () => {
  let t: TestApp;
  let writeKey = '';
  let audienceId = '';
  const json = { 'content-type': 'application/json' };
  beforeAll(async () => {
    t = await createTestApp({ identity: true });
    const source = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...bearer(t.adminToken), ...json },
      payload: { name: 'web' },
    });
    writeKey = source.json().writeKey;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/audiences',
      headers: { ...bearer(t.adminToken), ...json },
      payload: { key: 'signed_up', name: 'Signed up', text: 'performed "Signed Up" within 1 days' },
    });
    expect(created.statusCode).toBe(201);
    audienceId = created.json().id;
    for (let i = 0; i < 200; i++) {
      const a = await t.app.inject({
        method: 'GET',
        url: `/api/v1/audiences/${audienceId}`,
        headers: bearer(t.adminToken),
      });
      if (a.json().status === 'ready') break;
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  afterAll(() => t.close());

  it('enters profiles within 1 s p95', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const sent = await t.app.inject({
        method: 'POST',
        url: '/v1/track',
        headers: {
          ...json,
          authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        },
        payload: { userId: `lat-${i}`, event: 'Signed Up', timestamp: new Date().toISOString() },
      });
      expect(sent.statusCode).toBe(200);
      for (;;) {
        const size = (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/audiences/${audienceId}`,
            headers: bearer(t.adminToken),
          })
        ).json().size;
        if (size === i + 1) break;
        if (performance.now() - started > 5000) throw new Error('entry not seen within 5 s');
        await new Promise((r) => setTimeout(r, 2));
      }
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.ceil(latencies.length * 0.95) - 1] ?? Number.POSITIVE_INFINITY;
    console.info(
      `event-to-membership p50 ${latencies[10]?.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
    );
    expect(p95).toBeLessThan(1000);
  });
});
