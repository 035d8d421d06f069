import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { enforceRetention } from '../../src/privacy/index.js';
import { privacyJobs } from '../../src/privacy/privacy.jobs.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { json, newSource, sendBatch } from './helpers.js';

const DAY_MS = 86_400_000;
const clock = manualClock('2026-01-01T00:00:00.000Z');
let t: TestApp;
let writeKey: string;

beforeAll(async () => {
  t = await createTestApp({ identity: true, clock, dmp: { idTtlDays: 90 } });
  writeKey = await newSource(t);
});
afterAll(() => t.close());

async function policies() {
  const res = await t.app.inject({
    method: 'GET',
    url: '/api/v1/privacy/retention',
    headers: bearer(t.adminToken),
  });
  expect(res.statusCode).toBe(200);
  return Object.fromEntries(res.json().data.map((p: { context: string }) => [p.context, p]));
}

async function setPolicy(payload: unknown) {
  return t.app.inject({
    method: 'PUT',
    url: '/api/v1/privacy/retention',
    headers: { ...bearer(t.adminToken), ...json },
    payload: payload as object,
  });
}

const countEvents = async () =>
  Number(
    (
      await t.testStore.store.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('retention policies', () => {
  it('shows every context: CDP off by default, the DMP from its setting, CRM until erased', async () => {
    const all = await policies();
    expect(all.cdp).toMatchObject({ days: null, editable: true, lastRun: null });
    expect(all.dmp).toMatchObject({ days: 90, basis: 'last_seen', editable: false });
    expect(all.crm).toMatchObject({ days: null, basis: 'until_erased', editable: false });
  });

  it('keeps everything while the CDP policy is off', async () => {
    await sendBatch(t, writeKey, [{ type: 'track', userId: 'u1', event: 'Old' }]);
    await t.drain();
    clock.advance(400 * DAY_MS);
    const run = await enforceRetention({ db: t.testStore.store.db, clock });
    expect(run).toMatchObject({ removed: 0, cutoff: null, error: null });
    expect(await countEvents()).toBe(1);
  });

  it('deletes raw events older than the policy, in batches, and reports the run', async () => {
    const old = Array.from({ length: 1200 }, (_, i) => ({
      type: 'track',
      userId: `u${i % 7}`,
      event: 'Old',
    }));
    for (let i = 0; i < old.length; i += 400) {
      await sendBatch(t, writeKey, old.slice(i, i + 400));
    }
    await sendBatch(t, writeKey, [{ type: 'track', event: 'bad' }]); // rejected, old too
    clock.advance(40 * DAY_MS);
    await sendBatch(t, writeKey, [{ type: 'track', userId: 'u1', event: 'Recent' }]);
    await t.drain();
    expect(await countEvents()).toBe(1202);

    const set = await setPolicy({ context: 'cdp', days: 30 });
    expect(set.statusCode, set.body).toBe(200);
    // The job the worker runs, with the same clock.
    const job = privacyJobs.find((j) => j.name === 'privacy-retention');
    await job?.run({ db: t.testStore.store.db, clock, log: silentLogger });
    expect(await countEvents()).toBe(1);
    const rejected = await t.testStore.store.db.selectFrom('rejected_events').selectAll().execute();
    expect(rejected).toEqual([]);
    const cdp = (await policies()).cdp;
    expect(cdp.days).toBe(30);
    expect(cdp.lastRun).toMatchObject({
      at: clock.now().toISOString(),
      removed: 1202,
      cutoff: new Date(clock.now().getTime() - 30 * DAY_MS).toISOString(),
      error: null,
    });
    expect(cdp.updatedBy).toMatch(/^tok_/);
  });

  it('never deletes events a log consumer has not read yet', async () => {
    await sendBatch(t, writeKey, [{ type: 'track', userId: 'u1', event: 'Unread' }]);
    await t.drain();
    await t.testStore.store.db
      .insertInto('log_offsets')
      .values({ consumer: 'lagging', position: 0, updated_at: clock.now().toISOString() })
      .execute();
    clock.advance(60 * DAY_MS);
    const run = await enforceRetention({ db: t.testStore.store.db, clock });
    expect(run.removed).toBe(0);
    expect(await countEvents()).toBe(2);
    await t.testStore.store.db
      .deleteFrom('log_offsets')
      .where('consumer', '=', 'lagging')
      .execute();
    expect((await enforceRetention({ db: t.testStore.store.db, clock })).removed).toBe(2);
  });

  it('turns off with null and refuses the contexts it does not own', async () => {
    expect((await setPolicy({ context: 'cdp', days: null })).json().data[0].days).toBeNull();
    expect(problemOf(await setPolicy({ context: 'dmp', days: 10 })).code).toBe('bad_request');
    expect(problemOf(await setPolicy({ context: 'crm', days: 10 })).code).toBe('bad_request');
    expect(problemOf(await setPolicy({ context: 'mars', days: 10 })).code).toBe('bad_request');
    expect(problemOf(await setPolicy({ context: 'cdp', days: 0 })).status).toBe(400);
    expect(problemOf(await setPolicy({ context: 'cdp', days: 'ten' })).status).toBe(400);
    const marketer = await t.app.inject({
      method: 'GET',
      url: '/api/v1/privacy/retention',
      headers: bearer(await t.tokenFor('marketer')),
    });
    expect(marketer.statusCode).toBe(403);
  });
});
