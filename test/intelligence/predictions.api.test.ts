import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictionJobs } from '../../src/cdp/predictions/prediction.jobs.js';
import { generatePopulation, messagesOf } from '../../src/cdp/predictions/synthetic.js';
import { manualClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';

/**
 * Prediction models through the HTTP API, on events sent through the collection API and
 * resolved into profiles by the identity consumer.
 */
const start = '2026-06-01T00:00:00.000Z';
const clock = manualClock(start);
const day = 86_400_000;
let t: TestApp;
let writeKey: string;

async function api(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  token?: string,
) {
  return t.app.inject({
    method,
    url,
    headers: {
      ...bearer(token ?? t.adminToken),
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}

async function send(messages: Record<string, unknown>[]) {
  for (let i = 0; i < messages.length; i += 500) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      },
      payload: {
        batch: messages.slice(i, i + 500).map((m, j) => ({ messageId: `m-${i + j}`, ...m })),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  await t.drain();
}

beforeAll(async () => {
  t = await createTestApp({ identity: true, clock });
  const source = await api('POST', '/api/v1/sources', { name: 'shop' });
  writeKey = source.json().writeKey;
  const population = generatePopulation({ size: 700, seed: 5, now: Date.parse(start) });
  await send(population.people.flatMap(messagesOf));
}, 180_000);
afterAll(() => t.close());

describe('prediction models over the API', () => {
  let id: string;

  it('refuses unknown kinds, impossible windows and schedules with a 400 problem', async () => {
    for (const body of [
      { kind: 'loyalty', windowDays: 30 },
      { kind: 'purchase', windowDays: 45 },
      { kind: 'churn', windowDays: 0 },
      { kind: 'purchase', windowDays: 30, schedule: 'sometimes' },
    ]) {
      const res = await api('POST', '/api/v1/predictions', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(problemOf(res).detail.length).toBeGreaterThan(0);
    }
    const missing = problemOf(await api('GET', '/api/v1/predictions/pred_nothing'));
    expect(missing.status).toBe(404);
    expect(problemOf(await api('POST', '/api/v1/predictions/pred_nothing/train')).status).toBe(404);
  });

  it('creates a model, trains it on demand and reports metrics beside the baseline', async () => {
    const created = await api('POST', '/api/v1/predictions', { kind: 'purchase', windowDays: 30 });
    expect(created.statusCode, created.body).toBe(201);
    id = created.json().id;
    expect(created.json()).toMatchObject({
      status: 'untrained',
      traitKey: 'predicted_purchase_30d',
      traits: [
        'predicted_purchase_30d',
        'predicted_purchase_30d_percentile',
        'predicted_purchase_30d_cohort',
      ],
      metrics: null,
    });
    const again = await api('POST', '/api/v1/predictions', { kind: 'purchase', windowDays: 30 });
    expect(problemOf(again).code).toBe('conflict');

    const trained = await api('POST', `/api/v1/predictions/${id}/train`);
    expect(trained.statusCode, trained.body).toBe(200);
    const m = trained.json().metrics;
    expect(trained.json().status).toBe('ready');
    expect(m.positives).toBeGreaterThanOrEqual(100);
    expect(m.auc).toBeGreaterThan(0.65);
    expect(typeof m.baselineAuc).toBe('number');
    expect(m.topFeatures[0]).toHaveProperty('feature');
    expect(m.scoredProfiles).toBe(700);

    const analyst = await t.tokenFor('analyst');
    const read = await api('GET', `/api/v1/predictions/${id}`, undefined, analyst);
    expect(read.statusCode).toBe(200);
    expect(read.json().metrics.auc).toBe(m.auc);
    expect(
      (await api('POST', `/api/v1/predictions/${id}/train`, undefined, analyst)).statusCode,
    ).toBe(403);
  }, 60_000);

  it('lands scores on profiles as traits that audiences can use', async () => {
    const profile = (await api('GET', '/api/v1/profiles/user_id:u3')).json();
    expect(profile.traits.predicted_purchase_30d).toBeGreaterThan(0);
    expect(['high', 'medium', 'low']).toContain(profile.traits.predicted_purchase_30d_cohort);
    expect(profile.traits.predicted_purchase_30d_percentile).toBeGreaterThanOrEqual(0);

    const scores = await api('GET', '/api/v1/profiles/user_id:u3/predictions');
    expect(scores.statusCode, scores.body).toBe(200);
    expect(scores.json().data).toEqual([
      {
        modelId: id,
        kind: 'purchase',
        windowDays: 30,
        traitKey: 'predicted_purchase_30d',
        score: profile.traits.predicted_purchase_30d,
        percentile: profile.traits.predicted_purchase_30d_percentile,
        cohort: profile.traits.predicted_purchase_30d_cohort,
        trainedAt: expect.any(String),
      },
    ]);
    expect((await api('GET', '/api/v1/profiles/user_id:nobody/predictions')).statusCode).toBe(404);

    const audience = await api('POST', '/api/v1/audiences', {
      key: 'likely_buyers',
      name: 'Likely buyers',
      mode: 'batch',
      text: 'trait predicted_purchase_30d_cohort = "high" and trait predicted_purchase_30d_percentile >= 80',
    });
    expect(audience.statusCode, audience.body).toBe(201);
    const audienceId = audience.json().id;
    for (let i = 0; i < 200; i++) {
      if ((await api('GET', `/api/v1/audiences/${audienceId}`)).json().status === 'ready') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await api('POST', `/api/v1/audiences/${audienceId}/run`)).statusCode).toBeLessThan(300);
    const size = (await api('GET', `/api/v1/audiences/${audienceId}`)).json().size;
    // The top fifth of 700 scored profiles (ties may move it a little).
    expect(size).toBeGreaterThan(100);
    expect(size).toBeLessThan(180);
  }, 60_000);

  it('retrains on schedule from the periodic job', async () => {
    const patched = await api('PATCH', `/api/v1/predictions/${id}`, { schedule: 'daily' });
    expect(patched.statusCode, patched.body).toBe(200);
    const before = patched.json();
    expect(Date.parse(before.nextTrainAt) - Date.parse(before.trainedAt)).toBe(day);
    const job = predictionJobs.find((j) => j.name === 'predictions.retrain');
    if (!job) throw new Error('no retrain job');
    const deps = { db: t.testStore.store.db, clock, log: silentLogger };
    await job.run(deps);
    expect((await api('GET', `/api/v1/predictions/${id}`)).json().trainedAt).toBe(before.trainedAt);
    clock.advance(day + 1000);
    await job.run(deps);
    const after = (await api('GET', `/api/v1/predictions/${id}`)).json();
    expect(after.trainedAt).toBe(clock.now().toISOString());
    expect(Date.parse(after.nextTrainAt)).toBe(clock.now().getTime() + day);
  }, 60_000);

  it('deleting a model removes its traits from profiles', async () => {
    expect((await api('DELETE', `/api/v1/predictions/${id}`)).statusCode).toBe(204);
    const profile = (await api('GET', '/api/v1/profiles/user_id:u3')).json();
    expect(profile.traits).not.toHaveProperty('predicted_purchase_30d');
    expect(profile.traits).not.toHaveProperty('predicted_purchase_30d_cohort');
    expect(profile.traitTimes).not.toHaveProperty('predicted_purchase_30d');
    expect((await api('GET', `/api/v1/predictions/${id}`)).statusCode).toBe(404);
  });

  it('answers 422 insufficient_data when the window has too few examples', async () => {
    const created = await api('POST', '/api/v1/predictions', { kind: 'churn', windowDays: 15 });
    const churnId = created.json().id;
    // Moved back before most people joined: too few profiles with history.
    clock.set(new Date(Date.parse(start) - 160 * day));
    const res = await api('POST', `/api/v1/predictions/${churnId}/train`);
    clock.set(new Date(Date.parse(start) + day + 1000));
    const problem = problemOf(res);
    expect(problem.status).toBe(422);
    expect(problem.code).toBe('insufficient_data');
    expect(problem.detail).toMatch(/at least 100/);
    const model = (await api('GET', `/api/v1/predictions/${churnId}`)).json();
    expect(model.status).toBe('failed');
    expect(model.lastError).toMatch(/insufficient_data/);
  });
});
