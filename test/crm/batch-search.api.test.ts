import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { crmClient } from './helpers.js';

let t: TestApp;
let call: ReturnType<typeof crmClient>;
const stages = ['subscriber', 'lead', 'customer'];

beforeAll(async () => {
  t = await createTestApp();
  call = crmClient(t);
  // 150 contacts in one batch call (more than HubSpot's 100).
  const inputs = Array.from({ length: 150 }, (_, i) => ({
    properties: {
      email: `person${i}@${i % 2 === 0 ? 'even' : 'odd'}.example`,
      firstname: i % 10 === 0 ? `Ten ${i}` : `Name${i}`,
      lastname: i % 3 === 0 ? null : `Last${i % 7}`,
      lifecyclestage: stages[i % 3],
      company: i < 5 ? 'Initech Corp' : 'Other',
    },
  }));
  const r = await call('POST', '/crm/v3/objects/contacts/batch/create', { inputs });
  expect(r.statusCode, r.body).toBe(201);
  expect(r.json().results).toHaveLength(150);
});
afterAll(() => t.close());

interface SearchBody {
  filterGroups?: { filters: Record<string, unknown>[] }[];
  sorts?: unknown[];
  query?: string;
  properties?: string[];
  limit?: number;
}

/** Every result of a search, following `after` page by page. */
async function searchAll(body: SearchBody, limit = 25) {
  const ids: string[] = [];
  const emails: string[] = [];
  let after: string | undefined;
  let total = -1;
  for (let pages = 0; pages < 100; pages++) {
    const r = await call('POST', '/crm/v3/objects/contacts/search', { ...body, limit, after });
    expect(r.statusCode, r.body).toBe(200);
    const json = r.json();
    total = json.total;
    ids.push(...json.results.map((x: { id: string }) => x.id));
    emails.push(...json.results.map((x: { properties: { email: string } }) => x.properties.email));
    after = json.paging?.next?.after;
    if (!after) break;
  }
  return { ids, emails, total };
}

const eq = (propertyName: string, value: unknown) => ({ propertyName, operator: 'EQ', value });

// Search first: the batch tests below add contacts the counts here do not expect.
describe('search', () => {
  it.each([
    ['EQ on an enumeration', [eq('lifecyclestage', 'customer')], 50],
    ['EQ is case-insensitive on strings', [eq('company', 'INITECH CORP')], 5],
    [
      'NEQ includes records without the value',
      [{ propertyName: 'lifecyclestage', operator: 'NEQ', value: 'lead' }],
      100,
    ],
    ['IN', [{ propertyName: 'lifecyclestage', operator: 'IN', values: ['lead', 'customer'] }], 100],
    [
      'NOT_IN',
      [{ propertyName: 'lifecyclestage', operator: 'NOT_IN', values: ['lead', 'customer'] }],
      50,
    ],
    ['HAS_PROPERTY', [{ propertyName: 'lastname', operator: 'HAS_PROPERTY' }], 100],
    ['NOT_HAS_PROPERTY', [{ propertyName: 'lastname', operator: 'NOT_HAS_PROPERTY' }], 50],
    [
      'CONTAINS_TOKEN on a word',
      [{ propertyName: 'firstname', operator: 'CONTAINS_TOKEN', value: 'ten' }],
      15,
    ],
    [
      'CONTAINS_TOKEN with a wildcard',
      [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@odd.example' }],
      75,
    ],
    ['range on hs_object_id', [{ propertyName: 'hs_object_id', operator: 'LTE', value: '10' }], 10],
    [
      'AND of two filters',
      [
        eq('lifecyclestage', 'subscriber'),
        { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@even.example' },
      ],
      25,
    ],
  ])('%s', async (_name, filters, expected) => {
    const { ids, total } = await searchAll({ filterGroups: [{ filters }] }, 40);
    expect(total).toBe(expected);
    expect(new Set(ids).size).toBe(expected);
  });

  it('ORs filter groups without duplicates', async () => {
    const { ids, total } = await searchAll({
      filterGroups: [
        { filters: [eq('company', 'initech corp')] },
        { filters: [{ propertyName: 'hs_object_id', operator: 'LTE', value: '3' }] },
      ],
    });
    // ids 1..3 are within the first five (Initech) contacts.
    expect(total).toBe(5);
    expect(ids).toHaveLength(5);
  });

  it('BETWEEN on dates and GT on numbers', async () => {
    const now = Date.now();
    const { total } = await searchAll({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'createdate',
              operator: 'BETWEEN',
              value: String(now - 3_600_000),
              highValue: String(now + 60_000),
            },
          ],
        },
      ],
    });
    expect(total).toBeGreaterThanOrEqual(150);
    for (let i = 0; i < 4; i++) {
      await call('POST', '/crm/v3/objects/deals', {
        properties: { dealname: `D${i}`, amount: 100 * i },
      });
    }
    const deals = await call('POST', '/crm/v3/objects/deals/search', {
      filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'GT', value: 100 }] }],
      sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }],
      properties: ['amount'],
    });
    expect(
      deals.json().results.map((d: { properties: { amount: string } }) => d.properties.amount),
    ).toEqual(['300', '200']);
  });

  it('pages through every match in sort order, records without the sort value last', async () => {
    const asc = await searchAll(
      {
        sorts: [{ propertyName: 'lastname', direction: 'ASCENDING' }],
        properties: ['lastname', 'email'],
      },
      30,
    );
    expect(asc.total).toBe(asc.ids.length);
    expect(new Set(asc.ids).size).toBe(asc.ids.length);
    const desc = await searchAll({ sorts: ['-lastname'] }, 30);
    expect(desc.ids).toHaveLength(asc.ids.length);
    // Same records, and the first of the ascending order is not the first of the descending one.
    expect(new Set(desc.ids)).toEqual(new Set(asc.ids));
    expect(desc.ids[0]).not.toBe(asc.ids[0]);
  });

  it('pages past 10,000-style caps: the cursor carries on for as long as there are results', async () => {
    const all = await searchAll({}, 7);
    const listed = await call('GET', '/crm/v3/objects/contacts?limit=100');
    expect(all.total).toBe(all.ids.length);
    expect(all.ids.slice(0, 100)).toEqual(listed.json().results.map((r: { id: string }) => r.id));
  });

  it('query finds words by prefix across the default searchable properties', async () => {
    const { total } = await searchAll({ query: 'initech' });
    expect(total).toBe(5);
    const byEmail = await searchAll({ query: 'person42@even.example' });
    expect(byEmail.emails).toEqual(['person42@even.example']);
    const combined = await searchAll({
      query: 'initech',
      filterGroups: [{ filters: [eq('lifecyclestage', 'lead')] }],
    });
    expect(combined.total).toBe(2);
  });
});

describe('batch', () => {
  it('reports per-input errors with 207 and creates the valid inputs', async () => {
    const r = await call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [
        { properties: { email: 'ok1@batch.io' } },
        { properties: { email: 'not-an-email' } },
        { properties: { email: 'ok2@batch.io', lifecyclestage: 'bogus' } },
        { properties: { email: 'ok1@batch.io' } },
        { properties: { email: 'ok3@batch.io' } },
      ],
    });
    expect(r.statusCode).toBe(207);
    const body = r.json();
    expect(body.numErrors).toBe(3);
    expect(body.results.map((x: { properties: { email: string } }) => x.properties.email)).toEqual([
      'ok1@batch.io',
      'ok3@batch.io',
    ]);
    expect(
      body.errors.map((e: { context: { propertyName?: string[] } }) => e.context.propertyName),
    ).toEqual([['email'], ['lifecyclestage'], ['email']]);
    expect(body.errors[2].category).toBe('CONFLICT');
  });

  it('upserts on email: updates the existing record, creates the new one', async () => {
    const r = await call('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [
        { id: 'ok1@batch.io', idProperty: 'email', properties: { jobtitle: 'Updated' } },
        { id: 'fresh@batch.io', idProperty: 'email', properties: { jobtitle: 'New' } },
      ],
    });
    expect(r.statusCode, r.body).toBe(200);
    const results = r.json().results as { new: boolean; properties: Record<string, string> }[];
    expect(results.map((x) => [x.properties.email, x.properties.jobtitle, x.new])).toEqual([
      ['ok1@batch.io', 'Updated', false],
      ['fresh@batch.io', 'New', true],
    ]);
  });

  it('reads, updates and archives in batches; missing ids are errors in a 207', async () => {
    const found = await searchAll({ filterGroups: [{ filters: [eq('email', 'ok3@batch.io')] }] });
    const [id] = found.ids;
    const read = await call('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id }, { id: '999999' }],
      properties: ['email'],
    });
    expect(read.statusCode).toBe(207);
    expect(read.json().errors[0]).toMatchObject({
      category: 'OBJECT_NOT_FOUND',
      context: { ids: ['999999'] },
    });
    const upd = await call('POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: [{ id, properties: { firstname: 'Three' } }],
    });
    expect(upd.statusCode).toBe(200);
    expect(upd.json().results[0].properties.firstname).toBe('Three');
    expect(
      (await call('POST', '/crm/v3/objects/contacts/batch/archive', { inputs: [{ id }] }))
        .statusCode,
    ).toBe(204);
    expect((await call('GET', `/crm/v3/objects/contacts/${id}`)).statusCode).toBe(404);
  });

  it('refuses more than 1000 inputs', async () => {
    const inputs = Array.from({ length: 1001 }, () => ({ id: '1' }));
    const r = await call('POST', '/crm/v3/objects/contacts/batch/read', { inputs });
    expect(r.statusCode).toBe(400);
  });
});
