import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmClient } from '../crm/helpers.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';

let t: TestApp;
let call: ReturnType<typeof crmClient>;
let contactId: string;
const json = { 'content-type': 'application/json' };
const toContact = (id: string, typeId: number) => [
  { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] },
];

async function runSync() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/stack/crm-sync/run',
    headers: bearer(t.adminToken),
  });
  expect(res.statusCode).toBe(200);
  return res.json() as { eventsAppended: number; membershipsHandled: number };
}

async function timeline(key: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/profiles/${encodeURIComponent(key)}/events?limit=100`,
    headers: bearer(t.adminToken),
  });
  expect(res.statusCode).toBe(200);
  return res.json().data as {
    sourceId: string;
    messageId: string;
    type: string;
    event: string | null;
    payload: { properties?: Record<string, unknown>; traits?: Record<string, unknown> };
  }[];
}

describe.each(enginesUnderTest())('CRM -> CDP on $name', (engine) => {
  beforeAll(async () => {
    t = await createTestApp({ identity: true, testStore: await engine.open() });
    call = crmClient(t);
    // The person is already known to the CDP from the website.
    const source = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...bearer(t.adminToken), ...json },
      payload: { name: 'web' },
    });
    const writeKey = source.json().writeKey as string;
    const sent = await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: {
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        ...json,
      },
      payload: { userId: 'u-ada', traits: { email: 'Ada@Example.com' }, messageId: 'web-1' },
    });
    expect(sent.statusCode).toBe(200);
    await t.drain();

    const contact = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'ada@example.com', firstname: 'Ada' },
    });
    expect(contact.statusCode).toBe(201);
    contactId = contact.json().id;
    const logged = await call(
      'POST',
      '/crm/v3/objects/calls',
      {
        properties: {
          hs_timestamp: '2026-11-20T10:00:00.000Z',
          hs_call_title: 'Discovery call',
          hs_call_direction: 'OUTBOUND',
          hs_call_body: 'Talked about the budget',
        },
        associations: toContact(contactId, 194),
      },
      'sales',
    );
    expect(logged.statusCode).toBe(201);
    const deal = await call('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'Ada renewal', amount: '1200', dealstage: 'appointmentscheduled' },
      associations: toContact(contactId, 3),
    });
    expect(deal.statusCode).toBe(201);
    const won = await call('PATCH', `/crm/v3/objects/deals/${deal.json().id}`, {
      properties: { dealstage: 'closedwon' },
    });
    expect(won.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  describe('CRM -> CDP', () => {
    it('puts logged calls, stage moves and won deals on the unified profile timeline', async () => {
      const first = await runSync();
      // The contact (an identify), the call, the stage move and the won deal; creating the
      // deal is no event.
      expect(first.eventsAppended).toBe(4);
      await t.drain();
      const events = await timeline('user_id:u-ada');
      const crmEvents = events.filter((e) => e.messageId.startsWith('crm-'));
      expect(crmEvents.map((e) => e.event ?? e.type).sort()).toEqual([
        'CRM Call Logged',
        'Deal Stage Changed',
        'Order Completed',
        'identify',
      ]);
      const identify = crmEvents.find((e) => e.type === 'identify');
      expect(identify?.payload.traits).toEqual({ email: 'ada@example.com', first_name: 'Ada' });
      const order = crmEvents.find((e) => e.event === 'Order Completed');
      expect(order?.payload.properties).toMatchObject({
        revenue: 1200,
        stage: 'closedwon',
        pipeline: 'default',
        deal_name: 'Ada renewal',
      });
      const callEvent = crmEvents.find((e) => e.event === 'CRM Call Logged');
      expect(callEvent?.payload.properties).toMatchObject({
        crm_object_type: 'calls',
        hs_call_title: 'Discovery call',
        hs_call_direction: 'OUTBOUND',
      });
      // Free-text bodies stay in the CRM.
      expect(callEvent?.payload.properties?.hs_call_body).toBeUndefined();

      // They come from the `crm` source, and the profile now carries the contact's record id.
      const sources = await t.app.inject({
        method: 'GET',
        url: '/api/v1/sources?limit=100',
        headers: bearer(t.adminToken),
      });
      const crmSource = sources
        .json()
        .data.find((s: { name: string; id: string }) => s.name === 'crm') as { id: string };
      expect(new Set(crmEvents.map((e) => e.sourceId))).toEqual(new Set([crmSource.id]));
      const profile = await t.app.inject({
        method: 'GET',
        url: `/api/v1/profiles/${encodeURIComponent(`crm_contact_id:${contactId}`)}`,
        headers: bearer(t.adminToken),
      });
      expect(profile.statusCode).toBe(200);
      expect(profile.json().identifiers).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'user_id', value: 'u-ada' })]),
      );
    });

    it('appends nothing twice, also when the feed is replayed from the start', async () => {
      expect((await runSync()).eventsAppended).toBe(0);
      await t.testStore.store.db
        .updateTable('crm_sync_state')
        .set({ value: '0' })
        .where('key', '=', 'changes_offset')
        .execute();
      expect((await runSync()).eventsAppended).toBe(0);
      await t.drain();
      const events = await timeline('user_id:u-ada');
      expect(events.filter((e) => e.event === 'Order Completed')).toHaveLength(1);
    });

    it('turns a new ticket into CRM Ticket Opened', async () => {
      const ticket = await call(
        'POST',
        '/crm/v3/objects/tickets',
        {
          properties: { subject: 'Cannot log in', hs_pipeline: '0', hs_pipeline_stage: '1' },
          associations: toContact(contactId, 16),
        },
        'support',
      );
      expect(ticket.statusCode).toBe(201);
      expect((await runSync()).eventsAppended).toBe(1);
      await t.drain();
      const events = await timeline('email:ada@example.com');
      const opened = events.find((e) => e.event === 'CRM Ticket Opened');
      expect(opened?.payload.properties).toMatchObject({ subject: 'Cannot log in' });
    });
  });
});
