import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { crmClient } from './helpers.js';

/**
 * The CRM storage on every engine: the same flows through the real app on SQLite and, when
 * TEST_DATABASE_URL is set, PostgreSQL (its own schema per test).
 */
describe.each(enginesUnderTest())('CRM storage on $name', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function open() {
    t = await createTestApp({ testStore: await engine.open() });
    return crmClient(t);
  }

  it('seeds the default pipelines in the migration', async () => {
    const call = await open();
    const deals = await call('GET', '/crm/v3/pipelines/deals');
    expect(deals.json().results.map((p: { id: string }) => p.id)).toEqual(['default']);
    const tickets = await call('GET', '/crm/v3/pipelines/tickets/0');
    expect(tickets.json().stages).toHaveLength(4);
  });

  it('writes, indexes, searches and sorts the same way', async () => {
    const call = await open();
    const inputs = ['Émile', 'zoë', 'Ada', 'bob', 'ada lovelace'].map((firstname, i) => ({
      properties: {
        firstname,
        email: `E${i}@Engines.test`,
        lifecyclestage: i % 2 ? 'lead' : 'customer',
      },
    }));
    const created = await call('POST', '/crm/v3/objects/contacts/batch/create', { inputs });
    expect(created.statusCode, created.body).toBe(201);
    const dup = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'e0@engines.TEST' },
    });
    expect(dup.statusCode).toBe(409);

    const sorted = await call('POST', '/crm/v3/objects/contacts/search', {
      sorts: [{ propertyName: 'firstname', direction: 'ASCENDING' }],
      properties: ['firstname'],
      limit: 2,
    });
    const page1 = sorted.json();
    expect(page1.total).toBe(5);
    const page2 = (
      await call('POST', '/crm/v3/objects/contacts/search', {
        sorts: [{ propertyName: 'firstname', direction: 'ASCENDING' }],
        properties: ['firstname'],
        limit: 10,
        after: page1.paging.next.after,
      })
    ).json();
    const names = [...page1.results, ...page2.results].map(
      (r: { properties: { firstname: string } }) => r.properties.firstname,
    );
    // Byte order of the lower-cased values, identical on both engines.
    expect(names).toEqual(['Ada', 'ada lovelace', 'bob', 'zoë', 'Émile']);

    const query = await call('POST', '/crm/v3/objects/contacts/search', { query: 'ada' });
    expect(query.json().total).toBe(2);
    const prefix = await call('POST', '/crm/v3/objects/contacts/search', { query: 'engines.te' });
    expect(prefix.json().total).toBe(5);
    const inFilter = await call('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [
        { filters: [{ propertyName: 'lifecyclestage', operator: 'IN', values: ['lead'] }] },
      ],
    });
    expect(inFilter.json().total).toBe(2);
  });

  it('keeps associations, stage history and archive consistent', async () => {
    const call = await open();
    const deal = (
      await call('POST', '/crm/v3/objects/deals', { properties: { dealname: 'x', amount: '5.5' } })
    ).json().id;
    const contact = (
      await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'h@e.io' } })
    ).json().id;
    await call('PUT', `/crm/v4/objects/deals/${deal}/associations/default/contacts/${contact}`);
    await call('PATCH', `/crm/v3/objects/deals/${deal}`, {
      properties: { dealstage: 'closedwon' },
    });
    const ranged = await call('POST', '/crm/v3/objects/deals/search', {
      filterGroups: [
        { filters: [{ propertyName: 'amount', operator: 'BETWEEN', value: '5', highValue: '6' }] },
      ],
    });
    expect(ranged.json().total).toBe(1);
    await call('DELETE', `/crm/v3/objects/contacts/${contact}`);
    const assoc = await call('GET', `/crm/v4/objects/deals/${deal}/associations/contacts`);
    expect(assoc.json().results).toEqual([]);
    const history = await t?.testStore.store.db
      .selectFrom('crm_stage_history')
      .select(['from_value', 'to_value'])
      .where('object_id', '=', Number(deal))
      .orderBy('id')
      .execute();
    expect(history).toEqual([
      { from_value: null, to_value: 'appointmentscheduled' },
      { from_value: 'appointmentscheduled', to_value: 'closedwon' },
    ]);
  });
});
