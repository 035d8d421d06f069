import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { type InsightHarness, insightHarness } from './harness.js';

/**
 * An anonymous visitor (first seen in W1) and a known user (first seen in W2) turn out to be
 * one person: once the identity graph merges them, funnels and cohorts count one profile.
 */
describe.each(enginesUnderTest())('insight rollups follow merges on $name', (engine) => {
  const clock = manualClock('2026-06-20T00:00:00.000Z');
  let h: InsightHarness;
  beforeAll(async () => {
    h = await insightHarness({ engine, clock, sources: ['web'] });
    await h.send('web', [
      { type: 'track', anonymousId: 'a7', event: 'Viewed', timestamp: '2026-06-01T10:00:00Z' },
      { type: 'track', userId: 'u7', event: 'Added', timestamp: '2026-06-09T10:00:00Z' },
    ]);
    await h.send('web', [
      { type: 'identify', userId: 'u7', anonymousId: 'a7', timestamp: '2026-06-09T11:00:00Z' },
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts the merged person once, in the earlier cohort', async () => {
    const funnel = await h.api<{ steps: { count: number }[] }>('POST', '/api/v1/insights/funnel', {
      steps: [{ event: 'Viewed' }, { event: 'Added' }],
      windowHours: 24 * 10,
      from: '2026-06-01T00:00:00Z',
      to: '2026-06-15T00:00:00Z',
    });
    expect(funnel.body.steps.map((s) => s.count)).toEqual([1, 1]);
    const retention = await h.api<{ cohorts: { cohort: string; retained: number[] }[] }>(
      'GET',
      '/api/v1/insights/retention?from=2026-06-01T00:00:00Z&to=2026-06-15T00:00:00Z',
    );
    expect(retention.body.cohorts).toEqual([
      expect.objectContaining({ cohort: '2026-06-01', retained: [1, 1] }),
      expect.objectContaining({ cohort: '2026-06-08', retained: [0] }),
    ]);
  });
});
