import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { crmClient, hubspotError, namedFields } from './helpers.js';

let t: TestApp;
let call: ReturnType<typeof crmClient>;

beforeAll(async () => {
  t = await createTestApp();
  call = crmClient(t);
});
afterAll(() => t.close());

async function contact(properties: Record<string, unknown>) {
  const r = await call('POST', '/crm/v3/objects/contacts', { properties });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; properties: Record<string, string | null> };
}

describe('records', () => {
  it('creates, reads, updates and archives a contact with HubSpot shapes', async () => {
    const created = await contact({
      email: 'grace@navy.mil',
      firstname: 'Grace',
      phone: '+1 555 0100',
    });
    expect(created.properties).toMatchObject({
      email: 'grace@navy.mil',
      firstname: 'Grace',
      hs_object_id: created.id,
    });
    expect(created.properties.createdate).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const read = await call('GET', `/crm/v3/objects/contacts/${created.id}?properties=phone,email`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      id: created.id,
      archived: false,
      properties: { phone: '+1 555 0100', email: 'grace@navy.mil' },
    });
    expect(read.json().properties).not.toHaveProperty('firstname');

    const byEmail = await call('GET', '/crm/v3/objects/contacts/GRACE@navy.mil?idProperty=email');
    expect(byEmail.json().id).toBe(created.id);

    const patched = await call('PATCH', `/crm/v3/objects/contacts/${created.id}`, {
      properties: { jobtitle: 'Rear Admiral', firstname: '' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().properties).toMatchObject({ jobtitle: 'Rear Admiral', firstname: null });

    expect((await call('DELETE', `/crm/v3/objects/contacts/${created.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/crm/v3/objects/contacts/${created.id}`)).statusCode).toBe(404);
    const archived = await call('GET', `/crm/v3/objects/contacts/${created.id}?archived=true`);
    expect(archived.json()).toMatchObject({ archived: true });
    // The archived record's e-mail is free again.
    await contact({ email: 'grace@navy.mil' });
  });

  it('keeps e-mail unique case-insensitively and answers 409', async () => {
    await contact({ email: 'unique@example.com' });
    const dup = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'UNIQUE@example.com' },
    });
    expect(dup.statusCode).toBe(409);
    expect(hubspotError(dup).category).toBe('CONFLICT');
  });

  it('keeps company domain unique', async () => {
    const ok = await call('POST', '/crm/v3/objects/companies', {
      properties: { domain: 'acme.io' },
    });
    expect(ok.statusCode).toBe(201);
    const dup = await call('POST', '/crm/v3/objects/companies', {
      properties: { domain: 'ACME.io' },
    });
    expect(dup.statusCode).toBe(409);
  });

  it('lists with keyset paging over every record exactly once', async () => {
    for (let i = 0; i < 7; i++) {
      const r = await call('POST', '/crm/v3/objects/products', {
        properties: { name: `P${i}`, price: i },
      });
      expect(r.statusCode).toBe(201);
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const r = await call(
        'GET',
        `/crm/v3/objects/products?limit=3${after ? `&after=${after}` : ''}&properties=name`,
      );
      const body = r.json();
      seen.push(...body.results.map((x: { properties: { name: string } }) => x.properties.name));
      after = body.paging?.next?.after;
      if (!after) break;
    }
    expect(seen).toEqual(['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
  });

  it('refuses a limit above 100 on lists', async () => {
    const r = await call('GET', '/crm/v3/objects/contacts?limit=101');
    expect(r.statusCode).toBe(400);
    hubspotError(r);
  });

  it('validates hubspot_owner_id against Triad users', async () => {
    const r = await call('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'x', hubspot_owner_id: 'usr_nobody' },
    });
    expect(r.statusCode).toBe(400);
    expect(namedFields(r)).toEqual(['hubspot_owner_id']);
  });
});

describe('lifecycle stage', () => {
  it('moves forward for sales, back only for admins', async () => {
    const c = await contact({ email: 'lc@example.com', lifecyclestage: 'lead' });
    const forward = await call(
      'PATCH',
      `/crm/v3/objects/contacts/${c.id}`,
      { properties: { lifecyclestage: 'opportunity' } },
      'sales',
    );
    expect(forward.statusCode).toBe(200);
    const back = await call(
      'PATCH',
      `/crm/v3/objects/contacts/${c.id}`,
      { properties: { lifecyclestage: 'lead' } },
      'sales',
    );
    expect(back.statusCode).toBe(400);
    expect(namedFields(back)).toEqual(['lifecyclestage']);
    const clear = await call(
      'PATCH',
      `/crm/v3/objects/contacts/${c.id}`,
      { properties: { lifecyclestage: '' } },
      'sales',
    );
    expect(clear.statusCode).toBe(400);
    const admin = await call('PATCH', `/crm/v3/objects/contacts/${c.id}`, {
      properties: { lifecyclestage: 'lead' },
    });
    expect(admin.json().properties.lifecyclestage).toBe('lead');
  });
});

describe('merge', () => {
  it('moves associations to the primary and archives the merged record pointing at it', async () => {
    const primary = await contact({ email: 'p@merge.io', firstname: 'Primary' });
    const other = await contact({ email: 'o@merge.io', lastname: 'Other', jobtitle: 'CTO' });
    const company = await call('POST', '/crm/v3/objects/companies', { properties: { name: 'M' } });
    const put = await call(
      'PUT',
      `/crm/v4/objects/contacts/${other.id}/associations/default/companies/${company.json().id}`,
    );
    expect(put.statusCode).toBe(200);

    const merged = await call('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: primary.id,
      objectIdToMerge: other.id,
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().properties).toMatchObject({
      firstname: 'Primary',
      lastname: 'Other',
      jobtitle: 'CTO',
      hs_merged_object_ids: other.id,
      hs_additional_emails: 'o@merge.io',
    });
    const assoc = await call(
      'GET',
      `/crm/v4/objects/contacts/${primary.id}/associations/companies`,
    );
    expect(assoc.json().results.map((r: { toObjectId: number }) => String(r.toObjectId))).toEqual([
      company.json().id,
    ]);
    // Reading the merged id answers with the primary, as HubSpot does.
    const old = await call('GET', `/crm/v3/objects/contacts/${other.id}`);
    expect(old.json().id).toBe(primary.id);
    const again = await call('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: primary.id,
      objectIdToMerge: other.id,
    });
    expect(again.statusCode).toBe(404);
  });

  it('refuses types HubSpot cannot merge', async () => {
    const r = await call('POST', '/crm/v3/objects/notes/merge', {
      primaryObjectId: '1',
      objectIdToMerge: '2',
    });
    expect(r.statusCode).toBe(400);
  });
});

describe('maintained counts', () => {
  it('keep search totals exact through create, update, archive and merge', async () => {
    const type = '/crm/v3/objects/companies';
    const total = async (body: unknown) =>
      (await call('POST', `${type}/search`, body)).json().total as number;
    const eqStage = (value: string) => ({
      filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value }] }],
    });
    const before = { all: await total({}), lead: await total(eqStage('lead')) };
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await call('POST', type, {
        properties: { name: `count${i}`, lifecyclestage: 'lead' },
      });
      ids.push(r.json().id);
    }
    await call('PATCH', `${type}/${ids[0]}`, { properties: { lifecyclestage: 'customer' } });
    await call('DELETE', `${type}/${ids[1]}`);
    await call('POST', `${type}/merge`, { primaryObjectId: ids[2], objectIdToMerge: ids[3] });
    expect(await total({})).toBe(before.all + 2);
    expect(await total(eqStage('lead'))).toBe(before.lead + 1);
    expect(await total(eqStage('customer'))).toBeGreaterThanOrEqual(1);
    // The counted total agrees with an uncounted one (NOT_IN goes through the index).
    const notLead = await total({
      filterGroups: [
        { filters: [{ propertyName: 'lifecyclestage', operator: 'NOT_IN', values: ['lead'] }] },
      ],
    });
    expect(notLead + (await total(eqStage('lead')))).toBe(await total({}));
  });
});
