import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { createPrivacyRequest, getPrivacyRequest } from '../../src/privacy/index.js';
import { privacyJobs } from '../../src/privacy/privacy.jobs.js';
import { enginesUnderTest, type TestStore } from '../helpers/stores.js';

describe.each(enginesUnderTest())('privacy requests run by the retry job ($name)', (engine) => {
  let store: TestStore;
  const clock = manualClock('2026-02-01T00:00:00.000Z');
  const job = privacyJobs.find((j) => j.name === 'privacy-requests');

  beforeAll(async () => {
    store = await engine.open();
  });
  afterAll(() => store?.destroy());

  const deps = () => ({ db: store.store.db, clock, log: silentLogger });

  it('completes a request nobody started (a crash right after the 202)', async () => {
    await store.store.db
      .insertInto('privacy_consents')
      .values({
        subject_type: 'email',
        subject_value: `job.${engine.name}@example.org`,
        purpose: 'marketing',
        channel: '*',
        granted: 1,
        source: 'api',
        recorded_at: clock.now().toISOString(),
        evidence: null,
      })
      .execute();
    const created = await createPrivacyRequest(
      deps(),
      { type: 'erase', identity: { type: 'email', value: `job.${engine.name}@example.org` } },
      'tok_test',
      'req_test',
    );
    expect(created.status).toBe('pending');
    expect(created.receipts.every((r) => r.status === 'pending')).toBe(true);
    await job?.run(deps());
    const done = await getPrivacyRequest(store.store.db, created.id);
    expect(done.status).toBe('completed');
    expect(done.attempts).toBe(1);
    expect(done.receipts.find((r) => r.store === 'consents')).toMatchObject({ affected: 1 });
    // Completed requests are not run again.
    await job?.run(deps());
    expect((await getPrivacyRequest(store.store.db, created.id)).attempts).toBe(1);
  });

  it('takes over a request abandoned mid-run, but not one still running', async () => {
    const created = await createPrivacyRequest(
      deps(),
      { type: 'suppress', identity: { type: 'user_id', value: `stuck-${engine.name}` } },
      'tok_test',
      'req_test',
    );
    await store.store.db
      .updateTable('privacy_requests')
      .set({ status: 'running', updated_at: clock.now().toISOString() })
      .where('id', '=', created.id)
      .execute();
    await job?.run(deps());
    expect((await getPrivacyRequest(store.store.db, created.id)).status).toBe('running');
    clock.advance(61_000);
    await job?.run(deps());
    expect((await getPrivacyRequest(store.store.db, created.id)).status).toBe('completed');
  });
});
