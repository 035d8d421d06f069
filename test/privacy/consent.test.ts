import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/kernel/clock.js';
import { openTableLog } from '../../src/log/table-log.js';
import {
  buildGppString,
  buildTcString,
  fullConsentTcString,
} from '../../src/privacy/consent/consent-fixtures.js';
import { consentConsumer } from '../../src/privacy/index.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { json, newSource, sendBatch } from './helpers.js';

let t: TestApp;
let writeKey: string;

beforeAll(async () => {
  t = await createTestApp({ identity: true });
  writeKey = await newSource(t);
  await sendBatch(t, writeKey, [
    {
      type: 'identify',
      userId: 'u-lin',
      anonymousId: 'anon-lin',
      traits: { email: 'lin@example.org' },
    },
  ]);
  await t.drain();
});
afterAll(() => t.close());

async function put(
  key: string,
  payload: unknown,
  role: 'admin' | 'marketer' | 'support' = 'admin',
) {
  return t.app.inject({
    method: 'PUT',
    url: `/api/v1/profiles/${encodeURIComponent(key)}/consents`,
    headers: { ...bearer(await t.tokenFor(role)), ...json },
    payload: payload as object,
  });
}

async function get(key: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/profiles/${encodeURIComponent(key)}/consents`,
    headers: bearer(t.adminToken),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('consent API', () => {
  it('sets decisions per purpose and channel and reads them for the whole profile', async () => {
    const res = await put(
      'email:Lin@Example.org',
      {
        decisions: [
          { purpose: 'marketing', channel: 'email', granted: true },
          { purpose: 'marketing', granted: false },
        ],
      },
      'marketer',
    );
    expect(res.statusCode, res.body).toBe(200);
    // Read through another identifier of the same profile: the decisions follow the person.
    const view = await get('user_id:u-lin');
    const marketing = view.current.filter((d: { purpose: string }) => d.purpose === 'marketing');
    expect(marketing).toEqual([
      expect.objectContaining({ channel: '*', granted: false, source: 'api' }),
      expect.objectContaining({ channel: 'email', granted: true, source: 'api' }),
    ]);
    expect(view.subjects).toEqual(
      expect.arrayContaining([{ type: 'email', value: 'lin@example.org' }]),
    );
  });

  it('keeps history, newest first, and a newer decision replaces the current one', async () => {
    await put('user_id:u-lin', {
      decisions: [{ purpose: 'marketing', channel: 'email', granted: false }],
    });
    const view = await get('email:lin@example.org');
    const emailMarketing = view.current.find(
      (d: { purpose: string; channel: string }) =>
        d.purpose === 'marketing' && d.channel === 'email',
    );
    expect(emailMarketing.granted).toBe(false);
    expect(view.history[0]).toMatchObject({
      purpose: 'marketing',
      channel: 'email',
      granted: false,
      subject: { type: 'user_id', value: 'u-lin' },
    });
    expect(view.history.length).toBeGreaterThanOrEqual(3);
  });

  it('records decisions set on a profile ID on its user ID', async () => {
    const profile = await t.app.inject({
      method: 'GET',
      url: '/api/v1/profiles/user_id:u-lin',
      headers: bearer(t.adminToken),
    });
    const res = await put(profile.json().id, {
      decisions: [{ purpose: 'analytics', channel: 'web', granted: true }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().history[0]).toMatchObject({
      purpose: 'analytics',
      channel: 'web',
      subject: { type: 'user_id', value: 'u-lin' },
    });
  });

  it('decodes a TC string into purposes', async () => {
    const tc = buildTcString({ purposeConsents: [1, 3, 8] });
    const res = await put('anonymous_id:anon-tcf-only', { tcString: tc });
    expect(res.statusCode, res.body).toBe(200);
    const byPurpose = Object.fromEntries(
      res.json().current.map((d: { purpose: string; granted: boolean }) => [d.purpose, d]),
    );
    expect(byPurpose.profiling).toMatchObject({ granted: true, source: 'tcf' });
    expect(byPurpose.analytics).toMatchObject({ granted: true });
    expect(byPurpose.advertising).toMatchObject({ granted: false });
    expect(byPurpose.personalization).toMatchObject({ granted: false });
    expect(byPurpose.sale_of_data).toBeUndefined();
    expect(byPurpose.profiling.evidence).toBe(tc);
  });

  it('decodes a GPP string: US opt-outs and GPC', async () => {
    const gpp = buildGppString({ usnat: { SaleOptOut: 1, TargetedAdvertisingOptOut: 2 } });
    const res = await put('user_id:gpp-user', { gppString: gpp });
    expect(res.statusCode, res.body).toBe(200);
    const byPurpose = Object.fromEntries(
      res.json().current.map((d: { purpose: string; granted: boolean }) => [d.purpose, d.granted]),
    );
    expect(byPurpose).toEqual({ advertising: true, sale_of_data: false });
    const withGpc = buildGppString({ usnat: { SaleOptOut: 2, Gpc: true } });
    const gpc = await put('user_id:gpc-user', { gppString: withGpc });
    const gpcPurposes = Object.fromEntries(
      gpc.json().current.map((d: { purpose: string; granted: boolean }) => [d.purpose, d.granted]),
    );
    expect(gpcPurposes.sale_of_data).toBe(false);
  });

  it.each([
    [{ decisions: [{ purpose: 'telepathy', granted: true }] }, 400],
    [{ decisions: [{ purpose: 'marketing', channel: 'pigeon', granted: true }] }, 400],
    [{ tcString: 'not-a-tc-string!' }, 400],
    [{ gppString: 'XYZ' }, 400],
    [{}, 400],
  ])('refuses %j with problem+json', async (payload, status) => {
    const res = await put('user_id:u-lin', payload);
    expect(res.statusCode).toBe(status);
    expect(problemOf(res).code).toMatch(/bad_request|validation_failed/);
  });

  it('answers 400 for a key that is not an identifier and 404 for an unknown profile ID', async () => {
    expect(problemOf(await put('nonsense', { decisions: [] })).status).toBe(400);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/profiles/prof_00000000000000000000000000/consents',
      headers: bearer(t.adminToken),
    });
    expect(problemOf(missing).code).toBe('not_found');
  });

  it('is refused to roles without access to consent', async () => {
    const res = await put('user_id:u-lin', { decisions: [] }, 'admin');
    expect(res.statusCode).toBe(400);
    const sales = await t.app.inject({
      method: 'GET',
      url: '/api/v1/profiles/user_id:u-lin/consents',
      headers: bearer(await t.tokenFor('sales')),
    });
    expect(sales.statusCode).toBe(403);
  });
});

describe('consent from events', () => {
  it('records context.consent (Segment categories and TC strings) once per event', async () => {
    const sent = await sendBatch(t, writeKey, [
      {
        type: 'track',
        userId: 'u-event',
        event: 'Viewed',
        messageId: 'c1',
        timestamp: '2026-03-01T10:00:00.000Z',
        context: { consent: { categoryPreferences: { Advertising: false, Analytics: true } } },
      },
      {
        type: 'page',
        anonymousId: 'anon-event-tcf',
        messageId: 'c2',
        context: { consent: { tcString: fullConsentTcString() } },
      },
      { type: 'track', userId: 'u-event', event: 'No Consent Here', messageId: 'c3' },
    ]);
    expect(sent.json().accepted).toBe(3);
    const log = openTableLog(t.testStore.store, systemClock);
    const records = await log.read(0, 1000);
    const consumer = consentConsumer({ db: t.testStore.store.db, clock: systemClock });
    await consumer.process(records);
    // Delivered again (a crash before the offset commit): nothing is recorded twice.
    await consumer.process(records);
    const view = await get('user_id:u-event');
    const byPurpose = Object.fromEntries(
      view.current.map((d: { purpose: string }) => [d.purpose, d]),
    );
    expect(byPurpose.advertising).toMatchObject({
      granted: false,
      source: 'event',
      evidence: 'c1',
      recordedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(byPurpose.analytics).toMatchObject({ granted: true });
    expect(view.history).toHaveLength(view.current.length);
    const tcf = await get('anonymous_id:anon-event-tcf');
    expect(tcf.current.every((d: { granted: boolean }) => d.granted)).toBe(true);
    expect(tcf.current.length).toBe(4);
    const offset = await log.offset('privacy-consent');
    expect(offset).toBe(records.at(-1)?.seq);
  });
});
