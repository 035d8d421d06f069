import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { crmClient, hubspotError } from './helpers.js';
import { signedIn } from './sales-helpers.js';

let t: TestApp;
let call: ReturnType<typeof crmClient>;
let ann: Awaited<ReturnType<typeof signedIn>>;
let bob: Awaited<ReturnType<typeof signedIn>>;
let cat: Awaited<ReturnType<typeof signedIn>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  call = crmClient(t);
  ann = await signedIn(t, 'sales', 'ann@example.com', 'Ann Lee Smith');
  bob = await signedIn(t, 'sales', 'bob@example.com', 'Bob');
  cat = await signedIn(t, 'sales', 'cat@example.com', 'Cat Jones');
  for (const [key, owner] of [
    ['ann', ann.id],
    ['bob', bob.id],
    ['cat', cat.id],
    ['none', undefined],
  ] as const) {
    const created = await call('POST', '/crm/v3/objects/contacts', {
      properties: {
        email: `${key}-lead@example.com`,
        firstname: key,
        ...(owner ? { hubspot_owner_id: owner } : {}),
      },
    });
    expect(created.statusCode).toBe(201);
    ids[key] = created.json().id;
  }
});
afterAll(() => t.close());

const listed = async (c: typeof ann) => {
  const r = await c.call('GET', '/crm/v3/objects/contacts?limit=100');
  expect(r.statusCode).toBe(200);
  return (r.json().results as { id: string }[]).map((x) => x.id).sort();
};
const searched = async (c: typeof ann, filterGroups: unknown[] = []) => {
  const r = await c.call('POST', '/crm/v3/objects/contacts/search', { filterGroups, limit: 100 });
  expect(r.statusCode).toBe(200);
  const body = r.json();
  return { ids: (body.results as { id: string }[]).map((x) => x.id).sort(), total: body.total };
};

describe('owners and teams', () => {
  let teamId = '';

  it('lists owners in HubSpot shape, with names split and teams', async () => {
    const team = await call('POST', '/api/v1/crm/teams', {
      name: 'East',
      members: [{ userId: ann.id, primary: true }, { userId: bob.id }],
    });
    expect(team.statusCode).toBe(201);
    teamId = team.json().id;
    const r = await call('GET', '/crm/v3/owners?limit=2');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.results).toHaveLength(2);
    expect(body.paging.next.after).toBeTypeOf('string');
    const owner = await call('GET', `/crm/v3/owners/${ann.id}`);
    expect(owner.json()).toMatchObject({
      id: ann.id,
      userId: ann.id,
      email: 'ann@example.com',
      firstName: 'Ann',
      lastName: 'Lee Smith',
      archived: false,
      teams: [{ id: teamId, name: 'East', primary: true }],
    });
    const byEmail = await call('GET', '/crm/v3/owners?email=BOB@example.com');
    expect(byEmail.json().results.map((o: { id: string }) => o.id)).toEqual([bob.id]);
  });

  it('answers an unknown owner in HubSpot error shape', async () => {
    const r = await call('GET', '/crm/v3/owners/usr_nope');
    expect(r.statusCode).toBe(404);
    expect(hubspotError(r).category).toBeTypeOf('string');
  });

  it('validates team members and names', async () => {
    const unknown = await call('POST', '/api/v1/crm/teams', {
      name: 'West',
      members: [{ userId: 'usr_missing' }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(problemOf(unknown).errors?.[0]?.field).toBe('members');
    const dup = await call('POST', '/api/v1/crm/teams', { name: 'East' });
    expect(dup.statusCode).toBe(409);
    const forbidden = await call('POST', '/api/v1/crm/teams', { name: 'X' }, 'sales');
    expect(forbidden.statusCode).toBe(403);
    const patched = await call('PATCH', `/api/v1/crm/teams/${teamId}`, {
      members: [{ userId: ann.id, primary: true }, { userId: bob.id }, { userId: cat.id }],
    });
    expect(patched.json().members).toHaveLength(3);
    const back = await call('PATCH', `/api/v1/crm/teams/${teamId}`, {
      members: [{ userId: ann.id, primary: true }, { userId: bob.id }],
    });
    expect(back.statusCode).toBe(200);
    expect((await call('GET', '/api/v1/crm/teams/999')).statusCode).toBe(404);
  });
});

describe('owner-based visibility', () => {
  it('defaults to all', async () => {
    const r = await call('GET', '/api/v1/crm/visibility');
    expect(r.json()).toEqual({ sales: 'all', support: 'all', marketer: 'all' });
    expect(await listed(ann)).toEqual(Object.values(ids).sort());
  });

  it('rejects an unknown scope naming the field', async () => {
    const r = await call('PUT', '/api/v1/crm/visibility', { sales: 'mine' });
    expect(r.statusCode).toBe(400);
    expect(JSON.stringify(problemOf(r).errors)).toContain('sales');
  });

  it('own: a sales user lists, searches and reads only records they own', async () => {
    const set = await call('PUT', '/api/v1/crm/visibility', { sales: 'own' });
    expect(set.json().sales).toBe('own');
    expect(await listed(ann)).toEqual([ids.ann]);
    expect(await searched(ann)).toEqual({ ids: [ids.ann], total: 1 });
    const filtered = await searched(bob, [
      { filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*lead*' }] },
      { filters: [{ propertyName: 'firstname', operator: 'EQ', value: 'ann' }] },
    ]);
    expect(filtered.ids).toEqual([ids.bob]);
    expect((await ann.call('GET', `/crm/v3/objects/contacts/${ids.ann}`)).statusCode).toBe(200);
    const hidden = await ann.call('GET', `/crm/v3/objects/contacts/${ids.bob}`);
    expect(hidden.statusCode).toBe(404);
    const patch = await ann.call('PATCH', `/crm/v3/objects/contacts/${ids.bob}`, {
      properties: { firstname: 'x' },
    });
    expect(patch.statusCode).toBe(404);
    expect((await ann.call('DELETE', `/crm/v3/objects/contacts/${ids.bob}`)).statusCode).toBe(404);
    // API tokens belong to no user: they keep seeing everything their role may read.
    const viaToken = await call('GET', '/crm/v3/objects/contacts?limit=100', undefined, 'sales');
    expect(viaToken.json().results).toHaveLength(4);
  });

  it('team: records owned by anyone sharing a team', async () => {
    await call('PUT', '/api/v1/crm/visibility', { sales: 'team' });
    expect(await listed(ann)).toEqual([ids.ann, ids.bob].sort());
    expect(await listed(cat)).toEqual([ids.cat]);
    expect((await searched(bob)).total).toBe(2);
    expect((await cat.call('GET', `/crm/v3/objects/contacts/${ids.ann}`)).statusCode).toBe(404);
  });

  it('all again: everything', async () => {
    await call('PUT', '/api/v1/crm/visibility', { sales: 'all' });
    expect(await listed(cat)).toHaveLength(4);
  });
});
