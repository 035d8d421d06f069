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

describe('custom properties', () => {
  it.each([
    ['number', { type: 'number', fieldType: 'number' }, '12.5', 'twelve'],
    ['money', { type: 'number', fieldType: 'number', showCurrencySymbol: true }, '99.99', 'lots'],
    ['date', { type: 'date', fieldType: 'date' }, '2026-03-01', '2026-13-45'],
    ['datetime', { type: 'datetime', fieldType: 'date' }, '2026-03-01T10:00:00Z', 'yesterday'],
    ['bool', { type: 'bool', fieldType: 'booleancheckbox' }, 'true', 'maybe'],
    ['email', { type: 'email' }, 'a@b.co', 'a@b'],
    ['phone', { type: 'phone_number', fieldType: 'phonenumber' }, '+44 20 7946 0958', 'call me'],
    ['url', { type: 'url' }, 'https://triad.dev', 'ftp://x'],
  ])(
    'a %s property accepts good values and names itself on bad ones',
    async (kind, spec, good, bad) => {
      const name = `custom_${kind}`;
      const created = await call('POST', '/crm/v3/properties/deals', {
        name,
        label: kind,
        ...spec,
      });
      expect(created.statusCode, created.body).toBe(201);
      const ok = await call('POST', '/crm/v3/objects/deals', {
        properties: { dealname: kind, [name]: good },
      });
      expect(ok.statusCode, ok.body).toBe(201);
      const ko = await call('POST', '/crm/v3/objects/deals', {
        properties: { dealname: kind, [name]: bad },
      });
      expect(ko.statusCode).toBe(400);
      expect(namedFields(ko)).toEqual([name]);
    },
  );

  it('enumerations accept only their options; checkbox ones several', async () => {
    const created = await call('POST', '/crm/v3/properties/contacts', {
      name: 'tier',
      label: 'Tier',
      type: 'enumeration',
      fieldType: 'checkbox',
      options: [
        { label: 'Gold', value: 'gold' },
        { label: 'Silver', value: 'silver' },
      ],
    });
    expect(created.statusCode).toBe(201);
    const ok = await call('POST', '/crm/v3/objects/contacts', {
      properties: { tier: 'gold;silver' },
    });
    expect(ok.json().properties.tier).toBe('gold;silver');
    const bad = await call('POST', '/crm/v3/objects/contacts', { properties: { tier: 'bronze' } });
    expect(bad.statusCode).toBe(400);
    expect(hubspotError(bad).message).toContain('bronze');
    const search = await call('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [{ filters: [{ propertyName: 'tier', operator: 'HAS_PROPERTY' }] }],
    });
    expect(search.json().total).toBe(1);
  });

  it('lists, reads, updates and archives definitions', async () => {
    const list = await call('GET', '/crm/v3/properties/contacts');
    const names = list.json().results.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['email', 'firstname', 'lifecyclestage', 'tier']));
    const email = await call('GET', '/crm/v3/properties/contacts/email');
    expect(email.json()).toMatchObject({ hasUniqueValue: true, hubspotDefined: true });
    const upd = await call('PATCH', '/crm/v3/properties/contacts/tier', { label: 'Customer tier' });
    expect(upd.json().label).toBe('Customer tier');
    expect(
      (await call('PATCH', '/crm/v3/properties/contacts/email', { label: 'x' })).statusCode,
    ).toBe(400);
    expect((await call('DELETE', '/crm/v3/properties/contacts/tier')).statusCode).toBe(204);
    const write = await call('POST', '/crm/v3/objects/contacts', { properties: { tier: 'gold' } });
    expect(namedFields(write)).toEqual(['tier']);
    const archived = await call('GET', '/crm/v3/properties/contacts?archived=true');
    expect(archived.json().results.map((p: { name: string }) => p.name)).toEqual(['tier']);
  });

  it('refuses duplicates, bad names and option-less enumerations', async () => {
    const base = { label: 'X', type: 'string' };
    expect(
      (await call('POST', '/crm/v3/properties/companies', { ...base, name: 'email_x' })).statusCode,
    ).toBe(201);
    expect(
      (await call('POST', '/crm/v3/properties/companies', { ...base, name: 'email_x' })).statusCode,
    ).toBe(409);
    expect(
      (await call('POST', '/crm/v3/properties/companies', { ...base, name: 'Bad Name' }))
        .statusCode,
    ).toBe(400);
    const noOptions = await call('POST', '/crm/v3/properties/companies', {
      name: 'e',
      label: 'E',
      type: 'enumeration',
    });
    expect(noOptions.statusCode).toBe(400);
    expect(namedFields(noOptions)).toEqual(['options']);
  });
});

describe('pipelines', () => {
  it('seeds HubSpot default deal stages and puts new deals in the first one', async () => {
    const p = await call('GET', '/crm/v3/pipelines/deals/default');
    expect(p.json().stages.map((s: { id: string }) => s.id)).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]);
    const won = p.json().stages.find((s: { id: string }) => s.id === 'closedwon');
    expect(won.metadata).toEqual({ isClosed: 'true', probability: '1.0' });
    const deal = await call('POST', '/crm/v3/objects/deals', { properties: { dealname: 'D' } });
    expect(deal.json().properties).toMatchObject({
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
    });
  });

  it('creates pipelines, validates stage moves and records every move', async () => {
    const created = await call('POST', '/crm/v3/pipelines/deals', {
      label: 'Renewals',
      stages: [
        { label: 'Due', metadata: { probability: 0.5 } },
        { label: 'Renewed', metadata: { probability: 1, isClosed: true } },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const pipeline = created.json();
    const [due, renewed] = pipeline.stages;
    const deal = await call('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'R', pipeline: pipeline.id },
    });
    expect(deal.json().properties.dealstage).toBe(due.id);
    const id = deal.json().id;

    const wrong = await call(
      'PATCH',
      `/crm/v3/objects/deals/${id}`,
      { properties: { dealstage: 'closedwon' } },
      'sales',
    );
    expect(wrong.statusCode).toBe(400);
    expect(namedFields(wrong)).toEqual(['dealstage']);
    const noStage = await call('PATCH', `/crm/v3/objects/deals/${id}`, {
      properties: { pipeline: 'default' },
    });
    expect(namedFields(noStage)).toEqual(['dealstage']);
    const unknown = await call('PATCH', `/crm/v3/objects/deals/${id}`, {
      properties: { pipeline: 'nope' },
    });
    expect(namedFields(unknown)).toEqual(['pipeline']);

    const move = await call(
      'PATCH',
      `/crm/v3/objects/deals/${id}`,
      { properties: { dealstage: renewed.id } },
      'sales',
    );
    expect(move.statusCode).toBe(200);
    const back = await call('PATCH', `/crm/v3/objects/deals/${id}`, {
      properties: { pipeline: 'default', dealstage: 'qualifiedtobuy' },
    });
    expect(back.statusCode).toBe(200);

    const history = await t.testStore.store.db
      .selectFrom('crm_stage_history')
      .select(['property', 'from_value', 'to_value', 'changed_by'])
      .where('object_id', '=', Number(id))
      .orderBy('id')
      .execute();
    expect(history.map((h) => [h.from_value, h.to_value])).toEqual([
      [null, due.id],
      [due.id, renewed.id],
      [renewed.id, 'qualifiedtobuy'],
    ]);
    expect(
      history.every((h) => h.property === 'dealstage' && h.changed_by.startsWith('tok_')),
    ).toBe(true);

    // A pipeline that holds deals cannot be archived; an empty one can.
    await call('PATCH', `/crm/v3/objects/deals/${id}`, {
      properties: { pipeline: pipeline.id, dealstage: due.id },
    });
    expect((await call('DELETE', `/crm/v3/pipelines/deals/${pipeline.id}`)).statusCode).toBe(409);
    await call('DELETE', `/crm/v3/objects/deals/${id}`);
    expect((await call('DELETE', `/crm/v3/pipelines/deals/${pipeline.id}`)).statusCode).toBe(204);
    expect((await call('GET', '/crm/v3/pipelines/deals')).json().results).toHaveLength(1);
  });

  it('ticket pipelines use ticket states; deal stages need a probability', async () => {
    const ticket = await call(
      'POST',
      '/crm/v3/objects/tickets',
      { properties: { subject: 'Help' } },
      'support',
    );
    expect(ticket.json().properties).toMatchObject({ hs_pipeline: '0', hs_pipeline_stage: '1' });
    const bad = await call('POST', '/crm/v3/pipelines/deals', {
      label: 'x',
      stages: [{ label: 'a' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(namedFields(bad)).toEqual(['stages[0].metadata.probability']);
    const stage = await call('POST', '/crm/v3/pipelines/tickets/0/stages', {
      label: 'Escalated',
      metadata: { ticketState: 'OPEN' },
    });
    expect(stage.statusCode).toBe(201);
    expect((await call('GET', '/crm/v3/pipelines/contacts')).statusCode).toBe(400);
  });
});

describe('associations', () => {
  it('labels, lists, the default association and deletion', async () => {
    const contact = (
      await call('POST', '/crm/v3/objects/contacts', { properties: { firstname: 'A' } })
    ).json().id;
    const deal = (
      await call('POST', '/crm/v3/objects/deals', { properties: { dealname: 'B' } })
    ).json().id;
    const label = await call('POST', '/crm/v4/associations/deals/contacts/labels', {
      label: 'Decision maker',
      name: 'decision_maker',
      inverseLabel: 'Decides on',
    });
    expect(label.statusCode, label.body).toBe(200);
    const [forward] = label.json().results;
    const put = await call(
      'PUT',
      `/crm/v4/objects/deals/${deal}/associations/contacts/${contact}`,
      [{ associationCategory: 'USER_DEFINED', associationTypeId: forward.typeId }],
    );
    expect(put.statusCode, put.body).toBe(201);
    expect(put.json().labels).toEqual(['Decision maker']);

    const fromDeal = await call('GET', `/crm/v4/objects/deals/${deal}/associations/contacts`);
    expect(fromDeal.json().results[0].associationTypes).toEqual(
      expect.arrayContaining([
        { category: 'HUBSPOT_DEFINED', typeId: 3, label: null },
        { category: 'USER_DEFINED', typeId: forward.typeId, label: 'Decision maker' },
      ]),
    );
    const fromContact = await call('GET', `/crm/v4/objects/contacts/${contact}/associations/deals`);
    expect(
      fromContact.json().results[0].associationTypes.map((a: { label: string | null }) => a.label),
    ).toEqual(expect.arrayContaining([null, 'Decides on']));
    const labels = await call('GET', '/crm/v4/associations/deals/contacts/labels');
    expect(labels.json().results.map((l: { label: string | null }) => l.label)).toContain(
      'Decision maker',
    );

    expect(
      (await call('DELETE', `/crm/v4/objects/deals/${deal}/associations/contacts/${contact}`))
        .statusCode,
    ).toBe(204);
    expect(
      (await call('GET', `/crm/v4/objects/contacts/${contact}/associations/deals`)).json().results,
    ).toEqual([]);
  });

  it('refuses unknown association types and records', async () => {
    const a = (await call('POST', '/crm/v3/objects/contacts', { properties: {} })).json().id;
    const b = (await call('POST', '/crm/v3/objects/companies', { properties: {} })).json().id;
    const badType = await call('PUT', `/crm/v4/objects/contacts/${a}/associations/companies/${b}`, [
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 9999 },
    ]);
    expect(badType.statusCode).toBe(400);
    const missing = await call(
      'PUT',
      `/crm/v4/objects/contacts/${a}/associations/companies/424242`,
      [],
    );
    expect(missing.statusCode).toBe(404);
    const wrongKind = await call(
      'PUT',
      `/crm/v4/objects/contacts/${a}/associations/deals/${b}`,
      [],
    );
    expect(wrongKind.statusCode).toBe(404);
    const atCreate = await call('POST', '/crm/v3/objects/notes', {
      properties: { hs_note_body: 'hi' },
      associations: [{ to: { id: '424242' }, types: [] }],
    });
    expect(atCreate.statusCode).toBe(400);
    expect(namedFields(atCreate)).toEqual(['associations[0].to.id']);
  });

  it('associates many-to-many between any two types, at create time too', async () => {
    const c1 = (
      await call('POST', '/crm/v3/objects/companies', { properties: { name: 'c1' } })
    ).json().id;
    const c2 = (
      await call('POST', '/crm/v3/objects/companies', { properties: { name: 'c2' } })
    ).json().id;
    const types = [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 190 }];
    const note = await call('POST', '/crm/v3/objects/notes', {
      properties: { hs_note_body: 'two companies', hs_timestamp: '2026-02-01T00:00:00Z' },
      associations: [
        { to: { id: c1 }, types },
        { to: { id: c2 }, types },
      ],
    });
    expect(note.statusCode, note.body).toBe(201);
    const listed = await call(
      'GET',
      `/crm/v4/objects/notes/${note.json().id}/associations/companies?limit=1`,
    );
    expect(listed.json().results).toHaveLength(1);
    const next = listed.json().paging.next.after;
    const page2 = await call(
      'GET',
      `/crm/v4/objects/notes/${note.json().id}/associations/companies?after=${next}`,
    );
    expect(page2.json().results.map((r: { toObjectId: number }) => String(r.toObjectId))).toEqual([
      c2,
    ]);
    const withAssoc = await call('GET', `/crm/v3/objects/companies/${c1}?associations=notes`);
    expect(withAssoc.json().associations.notes.results).toEqual([
      { id: note.json().id, type: 'company_to_note' },
    ]);
  });
});
