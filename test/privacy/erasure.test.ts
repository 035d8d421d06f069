import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { privacyJobs } from '../../src/privacy/privacy.jobs.js';
import { isPostgres } from '../../src/storage/dialect.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { fileRequest, json, newSource, scanAllTables, sendBatch } from './helpers.js';

describe.each(enginesUnderTest())('erasure across every store ($name)', (engine) => {
  // Suppression lists live in process memory, shared by the databases a test process opens: each
  // engine's run gets people of its own.
  const tag = engine.name;
  const email = `grace.hopper.${tag}@example.org`;
  const userId = `user-grace-1906-${tag}`;
  const anonymousId = `anon-grace-7f3a9c-${tag}`;
  const secondAnonymousId = `anon-grace-second-b41e-${tag}`;
  const phone = tag === 'sqlite' ? '+14155550123' : '+14155550124';
  const identifiers = [email, userId, anonymousId, secondAnonymousId, phone];
  // Someone else, who must survive the erasure untouched.
  const otherEmail = `ada.lovelace.${tag}@example.org`;
  const otherUserId = `user-ada-${tag}`;
  let t: TestApp;
  let writeKey: string;

  beforeAll(async () => {
    t = await createTestApp({ identity: true, testStore: await engine.open() });
    writeKey = await newSource(t);
    const sent = await sendBatch(t, writeKey, [
      { type: 'page', anonymousId, name: 'Pricing', messageId: 'g1' },
      {
        type: 'identify',
        anonymousId,
        userId,
        traits: {
          email: email.replace('grace', 'Grace').replace('example', 'Example'),
          phone,
          name: 'Grace Hopper',
        },
        messageId: 'g2',
      },
      // A second device, merged in through the user ID: its profile is merged away.
      { type: 'track', anonymousId: secondAnonymousId, event: 'Viewed', messageId: 'g3' },
      { type: 'identify', anonymousId: secondAnonymousId, userId, messageId: 'g4' },
      {
        type: 'track',
        userId,
        event: 'Order Completed',
        properties: { contact: email, total: 42 },
        messageId: 'g5',
      },
      { type: 'identify', userId: otherUserId, traits: { email: otherEmail }, messageId: 'a1' },
    ]);
    expect(sent.json().accepted).toBe(6);
    // A malformed event that names her: kept raw in rejected_events.
    await sendBatch(t, writeKey, [{ type: 'track', userId, traits: { email }, messageId: 'bad' }]);
    await t.drain();

    const admin = { ...bearer(t.adminToken), ...json };
    const contact = await t.app.inject({
      method: 'POST',
      url: '/crm/v3/objects/contacts',
      headers: admin,
      payload: { properties: { email, phone, firstname: 'Grace', lastname: 'Hopper' } },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    const otherContact = await t.app.inject({
      method: 'POST',
      url: '/crm/v3/objects/contacts',
      headers: admin,
      payload: { properties: { email: otherEmail, firstname: 'Ada' } },
    });
    expect(otherContact.statusCode).toBe(201);

    const hem = createHash('sha256').update(email).digest('hex');
    const signal = await t.app.inject({
      method: 'POST',
      url: '/dmp/v1/signals',
      headers: admin,
      payload: { signals: [{ id: { type: 'hem', value: hem }, signals: { action: 'buy' } }] },
    });
    expect(signal.statusCode, signal.body).toBe(200);

    const consent = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/profiles/email:${email}/consents`,
      headers: admin,
      payload: { decisions: [{ purpose: 'marketing', channel: 'email', granted: true }] },
    });
    expect(consent.statusCode, consent.body).toBe(200);
    // A profile read: audited, with the identifier digested.
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/profiles/email:${email}`,
      headers: bearer(t.adminToken),
    });
    expect(read.statusCode).toBe(200);
  }, 60_000);
  afterAll(() => t?.close());

  it('holds her data everywhere before the request (the scan can find it)', async () => {
    const pg = isPostgres(t.testStore.store.db as never);
    const hits = await scanAllTables(t.testStore.store.db, pg, identifiers);
    const tables = new Set(hits.map((h) => h.split('.')[0]));
    for (const table of ['events', 'rejected_events', 'identity_identifiers', 'crm_objects']) {
      expect(tables, table).toContain(table);
    }
    const aliases = await t.testStore.store.db.selectFrom('dmp_aliases').selectAll().execute();
    expect(aliases).toHaveLength(1);
  });

  it('access returns one document across CDP, CRM and DMP links', async () => {
    const done = await fileRequest(t, 'access', { type: 'user_id', value: userId });
    expect(done.status).toBe('completed');
    const doc = await t.app.inject({
      method: 'GET',
      url: `/api/v1/privacy/requests/${done.id}/document`,
      headers: bearer(t.adminToken),
    });
    expect(doc.statusCode).toBe(200);
    const body = doc.json();
    expect(body.subject.profileIds.length).toBe(2);
    const ids = body.subject.identifiers.map((i: { value: string }) => i.value);
    expect(ids).toEqual(expect.arrayContaining([email, userId, anonymousId, secondAnonymousId]));
    expect(body.stores.events.length).toBeGreaterThanOrEqual(5);
    expect(body.stores.identity.profiles.length).toBe(2);
    expect(body.stores.crm[0].properties.email).toBe(email);
    expect(body.stores.dmp).toHaveLength(1);
    expect(body.stores.consents[0]).toMatchObject({ purpose: 'marketing', channel: 'email' });
    expect(JSON.stringify(body)).not.toContain(otherEmail);
  });

  it('erase removes every identifier from every table, and the rest stays', async () => {
    const done = await fileRequest(t, 'erase', {
      type: 'email',
      value: email.replace('grace.hopper', 'GRACE.HOPPER'),
    });
    expect(done.status).toBe('completed');
    const byStore = Object.fromEntries(done.receipts.map((r) => [r.store, r]));
    for (const store of [
      'suppression',
      'events',
      'rejected_events',
      'destinations',
      'audiences',
      'crm',
      'dmp',
      'consents',
      'identity',
      'privacy_requests',
    ]) {
      expect(byStore[store]?.status, store).toBe('completed');
    }
    expect(byStore.events?.affected).toBeGreaterThanOrEqual(5);
    expect(byStore.crm?.affected).toBe(1);
    expect(byStore.dmp?.affected).toBe(1);
    expect(byStore.identity?.affected).toBeGreaterThan(0);

    const pg = isPostgres(t.testStore.store.db as never);
    expect(await scanAllTables(t.testStore.store.db, pg, identifiers)).toEqual([]);
    expect(await t.testStore.store.db.selectFrom('dmp_aliases').selectAll().execute()).toEqual([]);
    // The other person is untouched in the CDP and the CRM.
    expect((await scanAllTables(t.testStore.store.db, pg, [otherEmail])).length).toBeGreaterThan(2);
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/profiles/email:${otherEmail}`,
      headers: bearer(t.adminToken),
    });
    expect(other.statusCode).toBe(200);
    const gone = await t.app.inject({
      method: 'GET',
      url: `/api/v1/profiles/user_id:${userId}`,
      headers: bearer(t.adminToken),
    });
    expect(gone.statusCode).toBe(404);
  });

  it('drops a later event carrying an erased identifier', async () => {
    const before = await t.testStore.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const sent = await sendBatch(t, writeKey, [
      { type: 'identify', userId: 'someone-new', traits: { email: ` ${email.toUpperCase()} ` } },
      { type: 'track', anonymousId, event: 'Came Back' },
      { type: 'track', userId: otherUserId, event: 'Still Here' },
    ]);
    expect(sent.statusCode).toBe(200);
    expect(sent.json().accepted).toBe(1);
    await t.drain();
    const after = await t.testStore.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
    // The dropped events' raw copies are swept by the suppression job; then no table holds her.
    const job = privacyJobs.find((j) => j.name === 'privacy-suppressions');
    await job?.run({ db: t.testStore.store.db, clock: systemClock, log: silentLogger });
    const pg = isPostgres(t.testStore.store.db as never);
    expect(await scanAllTables(t.testStore.store.db, pg, identifiers)).toEqual([]);
    const profile = await t.app.inject({
      method: 'GET',
      url: `/api/v1/profiles/email:${email}`,
      headers: bearer(t.adminToken),
    });
    expect(profile.statusCode).toBe(404);
  });

  it('answers bad requests with problem+json', async () => {
    const admin = { ...bearer(t.adminToken), ...json };
    const cases: [unknown, number][] = [
      [{ type: 'erase', identity: { type: 'shoe_size', value: '42' } }, 400],
      [{ type: 'forget', identity: { type: 'email', value: 'x@example.org' } }, 400],
      [{ type: 'erase', identity: { type: 'email', value: '   ' } }, 400],
      [{ type: 'erase' }, 400],
    ];
    for (const [payload, status] of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/privacy/requests',
        headers: admin,
        payload: payload as object,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(problemOf(res).code).toMatch(/bad_request|validation_failed/);
    }
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/v1/privacy/requests/dsr_nope',
      headers: bearer(t.adminToken),
    });
    expect(problemOf(unknown).code).toBe('not_found');
    const erase = await fileRequest(t, 'suppress', { type: 'user_id', value: 'nobody-at-all' });
    const noDoc = await t.app.inject({
      method: 'GET',
      url: `/api/v1/privacy/requests/${erase.id}/document`,
      headers: bearer(t.adminToken),
    });
    expect(problemOf(noDoc).code).toBe('conflict');
  });

  it('suppress only suppresses: the data stays, new events are dropped', async () => {
    const done = await fileRequest(t, 'suppress', { type: 'email', value: otherEmail });
    expect(done.status).toBe('completed');
    expect(done.receipts.map((r) => r.store)).toEqual(['suppression']);
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/profiles/email:${otherEmail}`,
      headers: bearer(t.adminToken),
    });
    expect(other.statusCode).toBe(200);
    const sent = await sendBatch(t, writeKey, [
      { type: 'track', userId: otherUserId, event: 'Dropped' },
    ]);
    expect(sent.json().accepted).toBe(0);
    const row = await t.testStore.store.db
      .selectFrom('privacy_requests')
      .select(['identity_value', 'identity_digest'])
      .where('id', '=', done.id)
      .executeTakeFirstOrThrow();
    expect(row.identity_value).toBeNull();
    expect(row.identity_digest).not.toContain('ada');
  });
});
