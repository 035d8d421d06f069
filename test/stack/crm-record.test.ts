import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/roles.js';
import { withoutPii } from '../../src/stack/crm-record/cdp-facts.service.js';
import { type AudienceHarness, audienceHarness } from '../audiences/harness.js';
import { bearer, problemOf } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';

const contactLink = (id: string) => ({
  externalIds: [{ id, type: 'crm_contact_id', collection: 'users', encoding: 'none' }],
});

describe('withoutPii', () => {
  it('drops what names a person, by key or by value, and keeps the rest', () => {
    expect(
      withoutPii({
        email: 'x@example.org',
        name: 'Grace Hopper',
        phone_number: '+1 415 555 0100',
        note: 'write to grace@example.org',
        plan: 'pro',
        orders: 3,
        email_opened: true,
      }),
    ).toEqual({ plan: 'pro', orders: 3, email_opened: true });
  });
});

describe.each(enginesUnderTest())('the CRM record and the CDP ($name)', (engine) => {
  let h: AudienceHarness;
  const tag = engine.name;
  const contacts: Record<
    'grace' | 'graceAgain' | 'ada' | 'adaAgain' | 'nobody' | 'byEmail',
    string
  > = { grace: '', graceAgain: '', ada: '', adaAgain: '', nobody: '', byEmail: '' };
  const profiles: Record<string, string> = {};

  const as = async (role: Role, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    h.t.app.inject({
      method,
      url,
      headers: {
        ...bearer(await h.t.tokenFor(role)),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const profileOf = async (key: string) =>
    (await h.api<{ id: string }>('GET', `/api/v1/profiles/${encodeURIComponent(key)}`)).body.id;
  const suggest = async (a: string, b: string, probability: number) => {
    const [x, y] = a < b ? [a, b] : [b, a];
    const now = new Date().toISOString();
    // What a duplicate scan records for a pair in the review band.
    await h.t.testStore.store.db
      .insertInto('identity_duplicates')
      .values({
        id: `${x}|${y}`,
        profile_a: x,
        profile_b: y,
        probability,
        explanation: JSON.stringify([
          { field: 'first_name', level: 'exact', weight: 4.5 },
          { field: 'dob', level: 'missing', weight: 0 },
          { field: 'last_name', level: 'exact', weight: 7.25 },
          { field: 'email', level: 'different', weight: -3 },
        ]),
        status: 'open',
        created_at: now,
        updated_at: now,
      })
      .execute();
    return `${x}|${y}`;
  };

  beforeAll(async () => {
    h = await audienceHarness({ engine });
    const trait = await h.api<{ id: string }>('POST', '/api/v1/computed-traits', {
      key: 'orders',
      name: 'Orders',
      definition: { aggregation: 'count', event: 'Order Completed' },
    });
    expect(trait.status).toBe(201);
    await h.ready(`/api/v1/computed-traits/${trait.body.id}`);
    const audience = await h.api<{ id: string }>('POST', '/api/v1/audiences', {
      key: 'buyers',
      name: 'Buyers',
      text: 'performed "Order Completed" at least 1 times',
    });
    expect(audience.status, JSON.stringify(audience.body)).toBe(201);
    await h.ready(`/api/v1/audiences/${audience.body.id}`);

    const people = {
      grace: { email: `grace.${tag}@example.org`, firstname: 'Grace', lastname: 'Hopper' },
      graceAgain: { email: `g.hopper.${tag}@example.org`, firstname: 'Grace', lastname: 'Hopper' },
      ada: { email: `ada.${tag}@example.org`, firstname: 'Ada', lastname: 'Lovelace' },
      adaAgain: { email: `a.lovelace.${tag}@example.org`, firstname: 'Ada', lastname: 'Lovelace' },
      nobody: { email: `nobody.${tag}@example.org`, firstname: 'No', lastname: 'Body' },
      byEmail: { email: `by.email.${tag}@example.org`, firstname: 'Eve' },
    };
    for (const [key, properties] of Object.entries(people)) {
      const created = await as('admin', 'POST', '/crm/v3/objects/contacts', { properties });
      expect(created.statusCode, created.body).toBe(201);
      contacts[key as keyof typeof contacts] = created.json().id;
    }
    await h.send([
      {
        type: 'identify',
        userId: `u-grace-${tag}`,
        traits: { email: people.grace.email, plan: 'pro', predicted_churn: 0.2 },
        context: contactLink(contacts.grace),
      },
      { type: 'track', userId: `u-grace-${tag}`, event: 'Order Completed' },
      // The same person under a second e-mail, no user ID: a duplicate the matcher suggests.
      {
        type: 'identify',
        anonymousId: `anon-grace-${tag}`,
        traits: { email: people.graceAgain.email, plan: 'free' },
        context: contactLink(contacts.graceAgain),
      },
      {
        type: 'identify',
        userId: `u-ada-${tag}`,
        traits: { email: people.ada.email },
        context: contactLink(contacts.ada),
      },
      {
        type: 'identify',
        anonymousId: `anon-ada-${tag}`,
        traits: { email: people.adaAgain.email },
        context: contactLink(contacts.adaAgain),
      },
      // Linked only through the e-mail the contact has too.
      { type: 'identify', userId: `u-eve-${tag}`, traits: { email: people.byEmail.email } },
      // A profile with no contact at all.
      { type: 'identify', userId: `u-lonely-${tag}`, traits: { plan: 'free' } },
    ]);
    await h.drain();
    for (const key of ['grace', 'ada', 'eve', 'lonely'])
      profiles[key] = await profileOf(`user_id:u-${key}-${tag}`);
    profiles.graceAgain = await profileOf(`anonymous_id:anon-grace-${tag}`);
    profiles.adaAgain = await profileOf(`anonymous_id:anon-ada-${tag}`);
  }, 60_000);
  afterAll(() => h?.close());

  describe('CDP facts on the contact', () => {
    it('shows the linked profile: traits, computed traits, predictions and audiences', async () => {
      for (const role of ['sales', 'support', 'marketer', 'admin'] as const) {
        const res = await as(role, 'GET', `/api/v1/crm/contacts/${contacts.grace}/cdp`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toEqual({
          contactId: contacts.grace,
          profileId: profiles.grace,
          linkedBy: 'crm_contact_id',
          traits: { email: `grace.${tag}@example.org`, plan: 'pro' },
          computedTraits: { orders: 1 },
          predictions: { predicted_churn: 0.2 },
          audiences: ['buyers'],
        });
      }
      // A personal-data read: audited like reading the contact.
      const audited = await h.t.testStore.store.db
        .selectFrom('audit_log')
        .select(['action', 'resource'])
        .where('resource', '=', `/api/v1/crm/contacts/${contacts.grace}/cdp`)
        .execute();
      expect(audited.length).toBeGreaterThanOrEqual(4);
      expect(new Set(audited.map((a) => a.action))).toEqual(new Set(['read']));
    });

    it('falls back to the e-mail when the contact ID was never recorded', async () => {
      const res = await as('sales', 'GET', `/api/v1/crm/contacts/${contacts.byEmail}/cdp`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ profileId: profiles.eve, linkedBy: 'email' });
    });

    it('answers 404 naming the missing link when no profile is linked', async () => {
      const res = await as('sales', 'GET', `/api/v1/crm/contacts/${contacts.nobody}/cdp`);
      expect(res.statusCode).toBe(404);
      const problem = problemOf(res);
      expect(problem.code).toBe('not_found');
      expect(problem.errors?.[0]?.field).toBe('profile');
      const unknown = await as('sales', 'GET', '/api/v1/crm/contacts/987654321/cdp');
      expect(unknown.statusCode).toBe(404);
      expect(problemOf(unknown).errors?.[0]?.field).toBe('id');
    });

    it('is not for roles that may not read contacts', async () => {
      for (const role of ['analyst', 'advertiser'] as const) {
        const res = await as(role, 'GET', `/api/v1/crm/contacts/${contacts.grace}/cdp`);
        expect(res.statusCode).toBe(403);
      }
    });
  });

  describe('the merge queue', () => {
    let graceId = '';
    let adaId = '';
    beforeAll(async () => {
      graceId = await suggest(profiles.grace ?? '', profiles.graceAgain ?? '', 0.72);
      adaId = await suggest(profiles.ada ?? '', profiles.adaAgain ?? '', 0.64);
      // Only one side has a contact: identity review only, not the CRM's queue.
      await suggest(profiles.grace ?? '', profiles.lonely ?? '', 0.55);
    });

    it('lists suggestions whose two profiles are linked to two contacts', async () => {
      const res = await as('support', 'GET', '/api/v1/crm/duplicates');
      expect(res.statusCode, res.body).toBe(200);
      const data = res.json().data as {
        id: string;
        contacts: { id: string; profileId: string; properties: Record<string, string> }[];
        score: number;
        reasons: { field: string }[];
      }[];
      expect(data.map((d) => d.id)).toEqual([graceId, adaId]);
      const [grace] = data;
      expect(grace?.score).toBe(0.72);
      expect(grace?.contacts.map((c) => c.id).sort()).toEqual(
        [contacts.grace, contacts.graceAgain].sort(),
      );
      const byProfile = Object.fromEntries(grace?.contacts.map((c) => [c.profileId, c]) ?? []);
      expect(byProfile[profiles.graceAgain ?? '']?.id).toBe(contacts.graceAgain);
      expect(byProfile[profiles.grace ?? '']?.properties).toMatchObject({
        firstname: 'Grace',
        email: `grace.${tag}@example.org`,
      });
      // Agreeing fields only, strongest first.
      expect(grace?.reasons.map((r) => r.field)).toEqual(['last_name', 'first_name']);
      expect((await as('marketer', 'GET', '/api/v1/crm/duplicates')).statusCode).toBe(403);
    });

    it('merges the contacts the HubSpot way and confirms the suggestion', async () => {
      expect(
        (
          await as(
            'support',
            'POST',
            `/api/v1/crm/duplicates/${encodeURIComponent(graceId)}/merge`,
            {},
          )
        ).statusCode,
      ).toBe(403);
      const wrong = await as(
        'sales',
        'POST',
        `/api/v1/crm/duplicates/${encodeURIComponent(graceId)}/merge`,
        { primaryContactId: contacts.ada },
      );
      expect(wrong.statusCode).toBe(400);
      const res = await as(
        'sales',
        'POST',
        `/api/v1/crm/duplicates/${encodeURIComponent(graceId)}/merge`,
        {},
      );
      expect(res.statusCode, res.body).toBe(200);
      const older = Number(contacts.grace) < Number(contacts.graceAgain);
      const [primary, merged] = older
        ? [contacts.grace, contacts.graceAgain]
        : [contacts.graceAgain, contacts.grace];
      expect(res.json()).toMatchObject({
        primaryContactId: primary,
        mergedContactId: merged,
        linkMessageId: expect.any(String),
      });
      // The merged contact's ID now answers with the primary, which took its e-mail.
      const read = await as(
        'admin',
        'GET',
        `/crm/v3/objects/contacts/${merged}?properties=email,hs_additional_emails`,
      );
      expect(read.json().id).toBe(primary);
      expect(read.json().properties.hs_additional_emails).toContain('@example.org');
      const row = await h.t.testStore.store.db
        .selectFrom('identity_duplicates')
        .select('status')
        .where('id', '=', graceId)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('merged');
      // The CDP links the two profiles through the log.
      await h.drain();
      expect(await profileOf(`anonymous_id:anon-grace-${tag}`)).toBe(
        await profileOf(`user_id:u-grace-${tag}`),
      );
      const queue = (await as('sales', 'GET', '/api/v1/crm/duplicates')).json().data as {
        id: string;
      }[];
      expect(queue.map((d) => d.id)).toEqual([adaId]);
      // Merging again: the pair has left the queue.
      const again = await as(
        'sales',
        'POST',
        `/api/v1/crm/duplicates/${encodeURIComponent(graceId)}/merge`,
        {},
      );
      expect(again.statusCode).toBe(404);
      // The CDP facts follow the merged contact ID to the primary.
      const facts = await as('sales', 'GET', `/api/v1/crm/contacts/${merged}/cdp`);
      expect(facts.statusCode).toBe(200);
      expect(facts.json().contactId).toBe(primary);
    });

    it('dismisses a pair: the suggestion is dismissed and leaves the queue', async () => {
      const url = `/api/v1/crm/duplicates/${encodeURIComponent(adaId)}/dismiss`;
      expect((await as('marketer', 'POST', url, {})).statusCode).toBe(403);
      expect((await as('support', 'POST', url, {})).statusCode).toBe(204);
      const row = await h.t.testStore.store.db
        .selectFrom('identity_duplicates')
        .select('status')
        .where('id', '=', adaId)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('dismissed');
      expect((await as('sales', 'GET', '/api/v1/crm/duplicates')).json().data).toEqual([]);
      const again = await as('support', 'POST', url, {});
      expect(again.statusCode).toBe(404);
      expect(problemOf(again).code).toBe('not_found');
      // The contacts are both still there.
      for (const id of [contacts.ada, contacts.adaAgain]) {
        expect((await as('admin', 'GET', `/crm/v3/objects/contacts/${id}`)).json().id).toBe(id);
      }
    });
  });
});
