import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/AssociationSpec.js';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/models/Filter.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * HubSpot's official Node client, pointed at Triad by changing only its base URL: the proof
 * that scripts written for HubSpot's CRM API work unchanged.
 */
let t: TestApp;
let hubspot: Client;

beforeAll(async () => {
  t = await createTestApp();
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  hubspot = new Client({
    accessToken: await t.tokenFor('sales'),
    basePath: url,
    numberOfApiCallRetries: 0,
  });
});
afterAll(() => t.close());

describe('@hubspot/api-client against Triad', () => {
  it('does CRUD on contacts', async () => {
    const created = await hubspot.crm.contacts.basicApi.create({
      properties: { email: 'client@hubspot.test', firstname: 'Client', lifecyclestage: 'lead' },
      associations: [],
    });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.createdAt).toBeInstanceOf(Date);
    const read = await hubspot.crm.contacts.basicApi.getById(created.id, [
      'email',
      'lifecyclestage',
    ]);
    expect(read.properties).toMatchObject({ email: 'client@hubspot.test', lifecyclestage: 'lead' });
    const updated = await hubspot.crm.contacts.basicApi.update(created.id, {
      properties: { lifecyclestage: 'customer' },
    });
    expect(updated.properties.lifecyclestage).toBe('customer');
    await hubspot.crm.contacts.basicApi.archive(created.id);
    await expect(hubspot.crm.contacts.basicApi.getById(created.id)).rejects.toMatchObject({
      code: 404,
    });
  });

  it('reports validation errors with HubSpot categories', async () => {
    const error = await hubspot.crm.contacts.basicApi
      .create({ properties: { lifecyclestage: 'nonsense' }, associations: [] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 400,
      body: { category: 'VALIDATION_ERROR', status: 'error' },
    });
  });

  it('batch-creates, then searches with paging over more than one page', async () => {
    const inputs = Array.from({ length: 120 }, (_, i) => ({
      properties: { email: `bulk${i}@hubspot.test`, company: i % 2 === 0 ? 'Even Inc' : 'Odd Ltd' },
      associations: [],
    }));
    const batch = await hubspot.crm.contacts.batchApi.create({ inputs });
    expect(batch.results).toHaveLength(120);

    const filterGroups = [
      {
        filters: [{ propertyName: 'company', operator: FilterOperatorEnum.Eq, value: 'Even Inc' }],
      },
    ];
    const seen = new Set<string>();
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await hubspot.crm.contacts.searchApi.doSearch({
        filterGroups,
        sorts: ['email'],
        properties: ['email'],
        limit: 25,
        ...(after === undefined ? {} : { after }),
      });
      expect(page.total).toBe(60);
      for (const r of page.results) seen.add(r.id);
      after = page.paging?.next?.after;
      pages++;
    } while (after !== undefined);
    expect(pages).toBe(3);
    expect(seen.size).toBe(60);

    const all = await hubspot.crm.contacts.getAll(50, undefined, ['email']);
    expect(all.length).toBeGreaterThanOrEqual(120);
  });

  it('associates with v4 and lists the association', async () => {
    const company = await hubspot.crm.companies.basicApi.create({
      properties: { name: 'Assoc Co', domain: 'assoc.co' },
      associations: [],
    });
    const contact = await hubspot.crm.contacts.basicApi.create({
      properties: { email: 'assoc@hubspot.test' },
      associations: [],
    });
    await hubspot.crm.associations.v4.basicApi.create(
      'contacts',
      contact.id,
      'companies',
      company.id,
      [
        {
          associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
          associationTypeId: 1,
        },
      ],
    );
    const page = await hubspot.crm.associations.v4.basicApi.getPage(
      'companies',
      company.id,
      'contacts',
    );
    expect(page.results.map((r) => String(r.toObjectId))).toEqual([contact.id]);
    expect(page.results[0]?.associationTypes.map((a) => a.label)).toEqual(
      expect.arrayContaining(['Primary', null]),
    );
    await hubspot.crm.associations.v4.basicApi.archive(
      'contacts',
      contact.id,
      'companies',
      company.id,
    );
    const after = await hubspot.crm.associations.v4.basicApi.getPage(
      'companies',
      company.id,
      'contacts',
    );
    expect(after.results).toEqual([]);
  });

  it('reads pipelines and moves a deal through its stages', async () => {
    const pipelines = await hubspot.crm.pipelines.pipelinesApi.getAll('deals');
    const stages = pipelines.results[0]?.stages.map((s) => s.id);
    expect(stages).toContain('closedwon');
    const deal = await hubspot.crm.deals.basicApi.create({
      properties: { dealname: 'Client deal', amount: '1200', dealstage: 'qualifiedtobuy' },
      associations: [],
    });
    const won = await hubspot.crm.deals.basicApi.update(deal.id, {
      properties: { dealstage: 'closedwon' },
    });
    expect(won.properties.dealstage).toBe('closedwon');
  });
});
