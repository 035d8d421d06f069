import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { json, newSource, sendBatch } from './helpers.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ identity: true });
  const writeKey = await newSource(t);
  await sendBatch(t, writeKey, [
    { type: 'identify', userId: 'u-ada', traits: { email: 'ada@example.org' } },
    { type: 'identify', userId: 'u-bo', traits: { email: 'bo@example.org' } },
    { type: 'identify', userId: 'u-cy' },
  ]);
  await t.drain();
  const put = async (key: string, decisions: unknown[]) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/profiles/${encodeURIComponent(key)}/consents`,
      headers: { ...bearer(t.adminToken), ...json },
      payload: { decisions },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  // Ada grants e-mail marketing through one identifier, then withdraws it through another:
  // she must count once, as denied (her newest decision).
  await put('user_id:u-ada', [
    { purpose: 'marketing', channel: 'email', granted: true, recordedAt: '2026-01-01T00:00:00Z' },
  ]);
  await put('email:ada@example.org', [{ purpose: 'marketing', channel: 'email', granted: false }]);
  await put('user_id:u-bo', [
    { purpose: 'marketing', channel: 'email', granted: true },
    { purpose: 'analytics', granted: true },
  ]);
});
afterAll(() => t.close());

async function stats(query = '', token = t.adminToken) {
  return t.app.inject({
    method: 'GET',
    url: `/api/v1/privacy/consents/stats${query}`,
    headers: bearer(token),
  });
}

describe('consent statistics', () => {
  it('counts each person once, by the newest decision across their identifiers', async () => {
    const res = await stats();
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.peopleWithDecisions).toBe(2);
    expect(body.profiles).toBe(3);
    expect(body.current).toEqual([
      { purpose: 'analytics', channel: '*', granted: 1, denied: 0 },
      { purpose: 'marketing', channel: 'email', granted: 1, denied: 1 },
    ]);
    expect(body.sources.reduce((n: number, s: { decisions: number }) => n + s.decisions, 0)).toBe(
      3,
    );
  });

  it('lists decisions per day, grants beside withdrawals, over the window asked for', async () => {
    const body = (await stats('?days=7')).json();
    expect(body.daily).toHaveLength(7);
    const today = body.daily[6];
    expect(today.day).toBe(new Date().toISOString().slice(0, 10));
    expect(today).toMatchObject({ granted: 2, withdrawn: 1 });
    // The January grant is history outside the window.
    expect(body.daily.reduce((n: number, d: { granted: number }) => n + d.granted, 0)).toBe(2);
  });

  it('refuses a bad window and roles that may not read it', async () => {
    const bad = await stats('?days=0');
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).code).toBe('validation_failed');
    const sales = await stats('', await t.tokenFor('sales'));
    expect(sales.statusCode).toBe(403);
  });
});
