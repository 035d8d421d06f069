import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { syncCdpToCrm } from '../../src/stack/crm-sync/cdp-to-crm.js';
import { crmSyncStatus } from '../../src/stack/crm-sync/crm-sync.service.js';
import { syncCrmToCdp } from '../../src/stack/crm-sync/crm-to-cdp.js';
import { enginesUnderTest, type TestStore } from '../helpers/stores.js';

let store: TestStore | undefined;
afterEach(async () => {
  await store?.destroy();
  store = undefined;
});

describe.each(enginesUnderTest())('CDP <-> CRM offsets on $name', (engine) => {
  it('waits at a fresh gap in membership ids on PostgreSQL, and passes it once it is old', async () => {
    store = await engine.open();
    const db = store.store.db;
    const clock = manualClock('2026-11-01T09:00:00.000Z');
    const row = (id: number) => ({
      id,
      audience_id: 'aud_gone',
      profile_id: `prof_${id}`,
      kind: 'entered',
      at: '2026-11-01T08:59:00.000Z',
      seq: null,
      reason: 'test',
    });
    // Id 2 is missing: on PostgreSQL it may be an insert still committing.
    await db
      .insertInto('audience_membership_log')
      .values([row(1), row(3)])
      .execute();
    const deps = { db, clock };
    const first = await syncCdpToCrm(deps);
    const offset = async () => (await crmSyncStatus(deps)).offsets.audienceMemberships;
    if (engine.name === 'postgres') {
      expect(first).toBe(1);
      expect(await offset()).toBe(1);
      clock.advance(10_000);
      expect(await syncCdpToCrm(deps)).toBe(0);
      clock.advance(25_000);
      expect(await syncCdpToCrm(deps)).toBe(1);
    } else {
      // One connection, one writer: a gap there is a deleted row, never a pending one.
      expect(first).toBe(2);
    }
    expect(await offset()).toBe(3);
  });

  it('does nothing on an empty CRM feed and keeps its offset at zero', async () => {
    store = await engine.open();
    const deps = { db: store.store.db, clock: manualClock() };
    expect(await syncCrmToCdp(deps)).toBe(0);
    expect((await crmSyncStatus(deps)).offsets.crmChanges).toBe(0);
  });
});
