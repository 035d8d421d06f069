import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/roles.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { crmClient, hubspotError, type Method, namedFields } from './helpers.js';

let t: TestApp;
let call: ReturnType<typeof crmClient>;
let contactId: string;
let ticketId: string;

beforeAll(async () => {
  t = await createTestApp();
  call = crmClient(t);
  contactId = (
    await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'pii@x.io', firstname: 'P' },
    })
  ).json().id;
  ticketId = (
    await call('POST', '/crm/v3/objects/tickets', { properties: { subject: 'S' } })
  ).json().id;
});
afterAll(() => t.close());

describe('per-type access', () => {
  const cases: [Role, Method, string, boolean][] = [
    ['sales', 'POST', '/crm/v3/objects/deals', true],
    ['sales', 'POST', '/crm/v3/objects/calls', true],
    ['sales', 'POST', '/crm/v3/objects/tickets', false],
    ['support', 'POST', '/crm/v3/objects/tickets', true],
    ['support', 'POST', '/crm/v3/objects/deals', false],
    ['support', 'POST', '/crm/v3/objects/contacts', false],
    ['support', 'GET', '/crm/v3/objects/contacts', true],
    ['support', 'GET', '/crm/v3/objects/deals', false],
    ['marketer', 'GET', '/crm/v3/objects/contacts', true],
    ['marketer', 'GET', '/crm/v3/objects/companies', true],
    ['marketer', 'GET', '/crm/v3/objects/deals', false],
    ['marketer', 'POST', '/crm/v3/objects/contacts', false],
    ['analyst', 'GET', '/crm/v3/objects/contacts', false],
    ['advertiser', 'GET', '/crm/v3/objects/contacts', false],
  ];
  it.each(cases)('%s %s %s -> allowed %s', async (role, method, url, allowed) => {
    const r = await call(method, url, method === 'POST' ? { properties: {} } : undefined, role);
    if (allowed) expect(r.statusCode).toBeLessThan(300);
    else {
      expect(r.statusCode).toBe(403);
      expect(hubspotError(r).category).toBe('MISSING_SCOPES');
    }
  });

  it('support links a ticket to a contact but cannot link contacts to companies', async () => {
    const ok = await call(
      'PUT',
      `/crm/v4/objects/tickets/${ticketId}/associations/default/contacts/${contactId}`,
      undefined,
      'support',
    );
    expect(ok.statusCode).toBe(200);
    const company = (await call('POST', '/crm/v3/objects/companies', { properties: {} })).json().id;
    const ko = await call(
      'PUT',
      `/crm/v4/objects/contacts/${contactId}/associations/default/companies/${company}`,
      undefined,
      'support',
    );
    expect(ko.statusCode).toBe(403);
  });
});

describe('bad input answers 4xx in HubSpot shape naming the field', () => {
  const cases: {
    name: string;
    method: Method;
    url: string;
    body?: unknown;
    status: number;
    field?: string;
  }[] = [
    {
      name: 'unknown object type',
      method: 'GET',
      url: '/crm/v3/objects/widgets',
      status: 400,
      field: 'objectType',
    },
    {
      name: 'unknown object type in search',
      method: 'POST',
      url: '/crm/v3/objects/widgets/search',
      body: {},
      status: 400,
    },
    {
      name: 'unknown property on create',
      method: 'POST',
      url: '/crm/v3/objects/contacts',
      body: { properties: { shoe_size: '9' } },
      status: 400,
      field: 'shoe_size',
    },
    {
      name: 'wrong type',
      method: 'POST',
      url: '/crm/v3/objects/deals',
      body: { properties: { amount: 'lots' } },
      status: 400,
      field: 'amount',
    },
    {
      name: 'invalid enumeration value',
      method: 'POST',
      url: '/crm/v3/objects/tickets',
      body: { properties: { hs_ticket_priority: 'SOON' } },
      status: 400,
      field: 'hs_ticket_priority',
    },
    {
      name: 'invalid date-time',
      method: 'POST',
      url: '/crm/v3/objects/deals',
      body: { properties: { closedate: 'soon' } },
      status: 400,
      field: 'closedate',
    },
    {
      name: 'invalid stage',
      method: 'POST',
      url: '/crm/v3/objects/deals',
      body: { properties: { dealstage: 'nowhere' } },
      status: 400,
      field: 'dealstage',
    },
    {
      name: 'properties not an object',
      method: 'POST',
      url: '/crm/v3/objects/contacts',
      body: { properties: 'x' },
      status: 400,
    },
    { name: 'unknown record', method: 'GET', url: '/crm/v3/objects/contacts/987654', status: 404 },
    {
      name: 'non-numeric record id',
      method: 'PATCH',
      url: '/crm/v3/objects/contacts/abc',
      body: { properties: {} },
      status: 404,
    },
    {
      name: 'idProperty that is not unique',
      method: 'GET',
      url: '/crm/v3/objects/contacts/x?idProperty=firstname',
      status: 400,
      field: 'idProperty',
    },
    {
      name: 'search on an unknown property',
      method: 'POST',
      url: '/crm/v3/objects/contacts/search',
      body: { filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: '1' }] }] },
      status: 400,
      field: 'filterGroups[0].filters[0].propertyName',
    },
    {
      name: 'search with an unknown operator',
      method: 'POST',
      url: '/crm/v3/objects/contacts/search',
      body: {
        filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE', value: '1' }] }],
      },
      status: 400,
      field: 'filterGroups[0].filters[0].operator',
    },
    {
      name: 'search range on a number with text',
      method: 'POST',
      url: '/crm/v3/objects/deals/search',
      body: {
        filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'GT', value: 'big' }] }],
      },
      status: 400,
      field: 'filterGroups[0].filters[0].value',
    },
    {
      name: 'search IN without values',
      method: 'POST',
      url: '/crm/v3/objects/contacts/search',
      body: { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'IN' }] }] },
      status: 400,
      field: 'filterGroups[0].filters[0].values',
    },
    {
      name: 'search sort on an unknown property',
      method: 'POST',
      url: '/crm/v3/objects/contacts/search',
      body: { sorts: [{ propertyName: 'zzz' }] },
      status: 400,
      field: 'sorts[0].propertyName',
    },
    {
      name: 'forged search cursor',
      method: 'POST',
      url: '/crm/v3/objects/contacts/search',
      body: { after: 'garbage' },
      status: 400,
      field: 'after',
    },
    {
      name: 'unknown association label type',
      method: 'GET',
      url: '/crm/v4/associations/contacts/gizmos/labels',
      status: 400,
      field: 'objectType',
    },
  ];
  it.each(cases)('$name', async ({ method, url, body, status, field }) => {
    const r = await call(method, url, body);
    expect(r.statusCode, r.body).toBe(status);
    const error = hubspotError(r);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    if (field) expect(namedFields(r)).toContain(field);
    expect(error.category).toBe(status === 404 ? 'OBJECT_NOT_FOUND' : 'VALIDATION_ERROR');
  });
});
