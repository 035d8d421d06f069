import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { crmClient } from './helpers.js';
import { signedIn } from './sales-helpers.js';

/**
 * Owner-based visibility beyond single-record reads: a `sales` user whose role sees only
 * their own records meets everyone else's as unknown ids in batch calls and v4 associations,
 * and not at all in CSV exports.
 */
let t: TestApp;
let admin: ReturnType<typeof crmClient>;
let ann: Awaited<ReturnType<typeof signedIn>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  admin = crmClient(t);
  ann = await signedIn(t, 'sales', 'ann.vis@example.com', 'Ann Vis');
  const bob = await signedIn(t, 'sales', 'bob.vis@example.com', 'Bob Vis');
  const make = async (type: string, key: string, properties: Record<string, string>) => {
    const r = await admin('POST', `/crm/v3/objects/${type}`, { properties });
    expect(r.statusCode, r.body).toBe(201);
    ids[key] = r.json().id;
  };
  await make('contacts', 'annContact', {
    email: 'mine@vis.example',
    firstname: 'Mine',
    hubspot_owner_id: ann.id,
  });
  await make('contacts', 'bobContact', {
    email: 'theirs@vis.example',
    firstname: 'Theirs',
    hubspot_owner_id: bob.id,
  });
  await make('contacts', 'nobodyContact', { email: 'nobody@vis.example', firstname: 'Nobody' });
  await make('companies', 'annCompany', { name: 'Ann Co', hubspot_owner_id: ann.id });
  await make('companies', 'bobCompany', { name: 'Bob Co', hubspot_owner_id: bob.id });
  await make('companies', 'annCompany2', { name: 'Ann Co 2', hubspot_owner_id: ann.id });
  for (const company of ['annCompany', 'bobCompany']) {
    const r = await admin(
      'PUT',
      `/crm/v4/objects/contacts/${ids.annContact}/associations/default/companies/${ids[company]}`,
    );
    expect(r.statusCode, r.body).toBe(200);
  }
  const set = await admin('PUT', '/api/v1/crm/visibility', { sales: 'own' });
  expect(set.statusCode, set.body).toBe(200);
  await ann.login();
});
afterAll(() => t.close());

const errorIds = (body: { errors?: { context?: { ids?: string[] } }[] }) =>
  (body.errors ?? []).flatMap((e) => e.context?.ids ?? []);

describe('batch endpoints under own-record visibility', () => {
  it('reads only visible records; the others are per-input not-found errors', async () => {
    const r = await ann.call('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: ids.annContact }, { id: ids.bobContact }, { id: ids.nobodyContact }],
      properties: ['email'],
    });
    expect(r.statusCode, r.body).toBe(207);
    const body = r.json();
    expect(body.results.map((x: { id: string }) => x.id)).toEqual([ids.annContact]);
    expect(body.numErrors).toBe(2);
    expect(errorIds(body).sort()).toEqual([ids.bobContact, ids.nobodyContact].sort());
    expect(JSON.stringify(body.errors)).not.toContain('theirs@vis.example');
    // An unknown id answers exactly the same way as a hidden one.
    const unknown = await ann.call('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: '999999' }],
    });
    const hidden = await ann.call('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: ids.bobContact }],
    });
    expect(hidden.json().errors[0].category).toBe(unknown.json().errors[0].category);
    expect(hidden.json().errors[0].message).toBe(
      unknown.json().errors[0].message.replace('999999', ids.bobContact),
    );
  });

  it('reads by a unique property within visibility too', async () => {
    const r = await ann.call('POST', '/crm/v3/objects/contacts/batch/read', {
      idProperty: 'email',
      inputs: [{ id: 'mine@vis.example' }, { id: 'theirs@vis.example' }],
    });
    expect(r.statusCode, r.body).toBe(207);
    expect(r.json().results).toHaveLength(1);
    expect(errorIds(r.json())).toEqual(['theirs@vis.example']);
  });

  it('updates only visible records and leaves the hidden one untouched', async () => {
    const r = await ann.call('POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: [
        { id: ids.annContact, properties: { lastname: 'Updated' } },
        { id: ids.bobContact, properties: { lastname: 'Hijacked' } },
      ],
    });
    expect(r.statusCode, r.body).toBe(207);
    expect(r.json().results.map((x: { id: string }) => x.id)).toEqual([ids.annContact]);
    expect(errorIds(r.json())).toEqual([ids.bobContact]);
    const bob = await admin(
      'GET',
      `/crm/v3/objects/contacts/${ids.bobContact}?properties=lastname`,
    );
    expect(bob.json().properties.lastname).toBeNull();
  });

  it('upserts: a hidden match is not found, never updated nor duplicated', async () => {
    const r = await ann.call('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [
        { id: 'theirs@vis.example', idProperty: 'email', properties: { firstname: 'Stolen' } },
        {
          id: 'fresh@vis.example',
          idProperty: 'email',
          properties: { firstname: 'Fresh', hubspot_owner_id: ann.id },
        },
        { id: 'mine@vis.example', idProperty: 'email', properties: { firstname: 'Mine 2' } },
      ],
    });
    expect(r.statusCode, r.body).toBe(207);
    const body = r.json();
    expect(errorIds(body)).toEqual(['theirs@vis.example']);
    expect(body.errors[0].category).toBe('OBJECT_NOT_FOUND');
    expect(body.results.map((x: { new: boolean }) => x.new).sort()).toEqual([false, true]);
    const theirs = await admin(
      'GET',
      '/crm/v3/objects/contacts/theirs@vis.example?idProperty=email&properties=firstname',
    );
    expect(theirs.json().properties.firstname).toBe('Theirs');
  });

  it('archives only visible records', async () => {
    const r = await ann.call('POST', '/crm/v3/objects/companies/batch/archive', {
      inputs: [{ id: ids.annCompany2 }, { id: ids.bobCompany }],
    });
    expect(r.statusCode, r.body).toBe(204);
    const gone = await admin('GET', `/crm/v3/objects/companies/${ids.annCompany2}`);
    expect(gone.statusCode).toBe(404);
    const kept = await admin('GET', `/crm/v3/objects/companies/${ids.bobCompany}`);
    expect(kept.statusCode).toBe(200);
  });
});

describe('v4 associations under own-record visibility', () => {
  it('lists only the associated records the caller can see', async () => {
    const r = await ann.call(
      'GET',
      `/crm/v4/objects/contacts/${ids.annContact}/associations/companies`,
    );
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().results.map((x: { toObjectId: number }) => String(x.toObjectId))).toEqual([
      ids.annCompany,
    ]);
    // The admin sees both.
    const all = await admin(
      'GET',
      `/crm/v4/objects/contacts/${ids.annContact}/associations/companies`,
    );
    expect(all.json().results).toHaveLength(2);
  });

  it('answers 404 for the associations of a record the caller cannot see', async () => {
    const r = await ann.call(
      'GET',
      `/crm/v4/objects/companies/${ids.bobCompany}/associations/contacts`,
    );
    expect(r.statusCode).toBe(404);
  });

  it('refuses to associate to or from a hidden record (404), and to remove such a link', async () => {
    const to = await ann.call(
      'PUT',
      `/crm/v4/objects/contacts/${ids.annContact}/associations/default/contacts/${ids.bobContact}`,
    );
    expect(to.statusCode).toBe(404);
    const from = await ann.call(
      'PUT',
      `/crm/v4/objects/contacts/${ids.bobContact}/associations/companies/${ids.annCompany}`,
      [],
    );
    expect(from.statusCode).toBe(404);
    const remove = await ann.call(
      'DELETE',
      `/crm/v4/objects/contacts/${ids.annContact}/associations/companies/${ids.bobCompany}`,
    );
    expect(remove.statusCode).toBe(404);
    const still = await admin(
      'GET',
      `/crm/v4/objects/contacts/${ids.annContact}/associations/companies`,
    );
    expect(still.json().results).toHaveLength(2);
    // Between two visible records it works.
    const ok = await ann.call(
      'PUT',
      `/crm/v4/objects/contacts/${ids.annContact}/associations/default/companies/${ids.annCompany}`,
    );
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('CSV export under own-record visibility', () => {
  it('exports only the records the caller can see', async () => {
    const r = await ann.call('POST', '/api/v1/crm/exports', {
      objectType: 'contacts',
      properties: ['email'],
      sorts: ['email'],
    });
    expect(r.statusCode, r.body).toBe(200);
    const emails = r.body
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[1]);
    expect(emails).toEqual(['fresh@vis.example', 'mine@vis.example']);
    const all = await admin('POST', '/api/v1/crm/exports', { objectType: 'contacts' });
    expect(all.body.trim().split('\r\n').length).toBeGreaterThan(3);
  });
});
