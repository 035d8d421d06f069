import { afterEach, describe, expect, it } from 'vitest';
import { crmChangesSince } from '../../src/crm/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { crmClient } from './helpers.js';

/** The change feed on every engine: one entry per write, committed with the write. */
describe.each(enginesUnderTest())('CRM change feed on $name', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('records creates, updates, stage moves, associations and merges in order', async () => {
    t = await createTestApp({ testStore: await engine.open() });
    const call = crmClient(t);
    const db = t.testStore.store.db;
    const contact = (
      await call('POST', '/crm/v3/objects/contacts', {
        properties: { email: 'a@x.test', firstname: 'Ada' },
      })
    ).json().id;
    await call('PATCH', `/crm/v3/objects/contacts/${contact}`, {
      properties: { firstname: 'Augusta', lastname: 'King' },
    });
    // A write that changes nothing leaves no entry; a refused write leaves none either.
    await call('PATCH', `/crm/v3/objects/contacts/${contact}`, {
      properties: { firstname: 'Augusta' },
    });
    const refused = await call('PATCH', `/crm/v3/objects/contacts/${contact}`, {
      properties: { nope: 'x' },
    });
    expect(refused.statusCode).toBe(400);
    const deal = (
      await call('POST', '/crm/v3/objects/deals', {
        properties: { dealname: 'D', dealstage: 'appointmentscheduled' },
        associations: [{ to: { id: contact }, types: [] }],
      })
    ).json().id;
    await call('PATCH', `/crm/v3/objects/deals/${deal}`, {
      properties: { dealstage: 'closedwon' },
    });
    const other = (
      await call('POST', '/crm/v3/objects/contacts', {
        properties: { email: 'b@x.test', phone: '123' },
      })
    ).json().id;
    const merged = await call('POST', '/crm/v3/objects/contacts/merge', {
      primaryObjectId: contact,
      objectIdToMerge: other,
    });
    expect(merged.statusCode, merged.body).toBe(200);

    const all = await crmChangesSince(db, 0, 100);
    const summary = all.map((c) => [c.objectType, String(c.objectId), c.kind]);
    expect(summary).toEqual([
      ['contacts', contact, 'created'],
      ['contacts', contact, 'updated'],
      ['deals', deal, 'created'],
      ['deals', deal, 'associated'],
      ['deals', deal, 'stage_changed'],
      ['contacts', other, 'created'],
      ['contacts', other, 'archived'],
      ['contacts', contact, 'merged'],
    ]);
    expect(all[1]?.changes).toEqual({
      firstname: { old: 'Ada', new: 'Augusta' },
      lastname: { old: null, new: 'King' },
    });
    expect(all[4]?.changes.dealstage).toEqual({ old: 'appointmentscheduled', new: 'closedwon' });
    expect(all[7]?.changes.phone).toEqual({ old: null, new: '123' });
    expect(all.every((c) => c.actor.startsWith('tok_'))).toBe(true);

    // Paging by offset: ids only grow.
    const first = await crmChangesSince(db, 0, 3);
    const rest = await crmChangesSince(db, first.at(-1)?.id ?? 0, 100);
    expect([...first, ...rest].map((c) => c.id)).toEqual(all.map((c) => c.id));
  });
});
