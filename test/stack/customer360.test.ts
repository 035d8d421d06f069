import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmClient } from '../crm/helpers.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';

let t: TestApp;
let dmpId: string;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  t = await createTestApp({ identity: true });
  // A browser reads sports pages before it identifies: the DMP gives it an ID and a segment.
  const advertiser = { ...bearer(await t.tokenFor('advertiser')), ...json };
  const trait = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dmp/traits',
    headers: advertiser,
    payload: {
      name: 'Sports reader',
      rule: { conditions: [{ key: 'section', op: 'eq', value: 'sports' }] },
    },
  });
  expect(trait.statusCode).toBe(201);
  const segment = await t.app.inject({
    method: 'POST',
    url: '/api/v1/dmp/segments',
    headers: advertiser,
    payload: { name: 'Sports fans', expression: trait.json().id },
  });
  expect(segment.statusCode).toBe(201);
  const pixel = await t.app.inject({ method: 'GET', url: '/dmp/v1/px?section=sports' });
  dmpId = /triad_dmp_id=(td_[0-9a-z]{26})/.exec(String(pixel.headers['set-cookie']))?.[1] ?? '';
  expect(dmpId).not.toBe('');
  const token = await t.tokenFor('marketer');
  const source = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { ...bearer(token), ...json },
    payload: { name: 'web' },
  });
  const writeKey = source.json().writeKey as string;
  const sent = await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, ...json },
    payload: {
      batch: [
        {
          type: 'identify',
          userId: 'u-grace',
          traits: { email: 'grace@example.com', plan: 'pro', predicted_purchase_30d: 0.82 },
          context: { externalIds: [{ id: dmpId, type: 'dmp_id', collection: 'users' }] },
          messageId: 'g1',
        },
      ],
    },
  });
  expect(sent.statusCode).toBe(200);
  await t.drain();
  const call = crmClient(t);
  const contact = await call('POST', '/crm/v3/objects/contacts', {
    properties: { email: 'grace@example.com', firstname: 'Grace' },
  });
  expect(contact.statusCode).toBe(201);
  const deal = await call('POST', '/crm/v3/objects/deals', {
    properties: { dealname: 'Grace renewal', amount: '1200' },
    associations: [
      {
        to: { id: contact.json().id },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }],
      },
    ],
  });
  expect(deal.statusCode).toBe(201);
});
afterAll(() => t.close());

async function customer(key: string, role: 'marketer' | 'sales' | 'advertiser' = 'sales') {
  return t.app.inject({
    method: 'GET',
    url: `/api/v1/customers/${encodeURIComponent(key)}`,
    headers: bearer(await t.tokenFor(role)),
  });
}

describe('GET /api/v1/customers/{key}', () => {
  it('joins the profile, its predictions, consents, CRM contact and deals in one answer', async () => {
    const res = await customer('email:grace@example.com');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.profile.traits).toMatchObject({ email: 'grace@example.com', plan: 'pro' });
    expect(body.profile.traits.predicted_purchase_30d).toBeUndefined();
    expect(body.predictions).toEqual({ predicted_purchase_30d: 0.82 });
    expect(body.profile.identifiers).toEqual(
      expect.arrayContaining([
        { type: 'user_id', value: 'u-grace' },
        { type: 'dmp_id', value: dmpId },
      ]),
    );
    expect(
      body.crm.contacts.map((c: { properties: { firstname: string } }) => c.properties.firstname),
    ).toEqual(['Grace']);
    expect(
      body.crm.deals.map((d: { properties: { dealname: string } }) => d.properties.dealname),
    ).toEqual(['Grace renewal']);
    // No advertising consent yet: DMP segments are withheld, not an empty list.
    expect(body.advertising).toEqual({ withheld: expect.stringContaining('consent') });
  });

  it('shows DMP segment names only once advertising and profiling are consented', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/profiles/user_id:u-grace/consents',
      headers: { ...bearer(await t.tokenFor('marketer')), ...json },
      payload: {
        decisions: [
          { purpose: 'advertising', granted: true },
          { purpose: 'profiling', granted: true },
        ],
      },
    });
    expect(put.statusCode).toBe(200);
    const body = (await customer('user_id:u-grace', 'marketer')).json();
    expect(body.advertising).toEqual({ segments: ['Sports fans'] });
    expect(body.consents.map((c: { purpose: string }) => c.purpose).sort()).toEqual([
      'advertising',
      'profiling',
    ]);
  });

  it('answers 404 for an unknown person and 403 for roles without personal data', async () => {
    const missing = await customer('email:nobody@example.com');
    expect(missing.statusCode).toBe(404);
    expect(problemOf(missing).code).toBe('not_found');
    expect((await customer('email:grace@example.com', 'advertiser')).statusCode).toBe(403);
  });
});
