import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newDmpId } from '../../src/dmp/ids/dmp-id.js';
import {
  addDmpListMembers,
  dmpListSizes,
  ensureDmpList,
  forgetDmpListMembers,
  isSuppressedDmpId,
  seedListMembers,
} from '../../src/dmp/index.js';
import { enginesUnderTest, type TestStore } from '../helpers/stores.js';

/** The DMP side of CDP lists: only DMP IDs get in, seeds only IDs the DMP holds. */
describe.each(enginesUnderTest())('DMP lists on $name', (engine) => {
  let s: TestStore;
  const clock = { now: () => new Date('2026-03-01T00:00:00Z') };
  const deps = () => ({ db: s.store.db, clock });
  const known = newDmpId();
  const unknown = newDmpId();

  beforeEach(async () => {
    s = await engine.open();
    await s.store.db
      .insertInto('dmp_ids')
      .values({
        id: known,
        created_at: '2026-03-01T00:00:00Z',
        last_seen_at: '2026-03-01T00:00:00Z',
        activatable: 1,
      })
      .execute();
    await ensureDmpList(deps(), 'seeds', 'seed');
    await ensureDmpList(deps(), 'customers', 'suppression');
  });
  afterEach(() => s.destroy());

  it('refuses anything that is not a DMP ID, and seeds the DMP does not hold', async () => {
    const raw = [known, unknown, 'ada@example.com', 'u-42', known];
    expect(await addDmpListMembers(deps(), 'seeds', raw)).toEqual({ added: 1, refused: 3 });
    expect(await addDmpListMembers(deps(), 'customers', raw)).toEqual({ added: 2, refused: 2 });
    const rows = await s.store.db.selectFrom('dmp_list_members').selectAll().execute();
    expect(rows.map((r) => `${r.list_name}:${r.dmp_id}`).sort()).toEqual(
      [`customers:${known}`, `customers:${unknown}`, `seeds:${known}`].sort(),
    );
    expect(await dmpListSizes(s.store.db, 2)).toEqual([
      { name: 'customers', kind: 'suppression', size: 2, belowMinimum: false },
      { name: 'seeds', kind: 'seed', size: 1, belowMinimum: true },
    ]);
    expect(await seedListMembers(s.store.db, 'seeds', 2)).toBeUndefined();
    expect(await seedListMembers(s.store.db, 'customers', 1)).toBeUndefined();
  });

  it('suppresses only IDs on a suppression list, and forgets IDs on every list', async () => {
    await addDmpListMembers(deps(), 'seeds', [known]);
    expect(await isSuppressedDmpId(s.store.db, known)).toBe(false);
    await addDmpListMembers(deps(), 'customers', [known]);
    expect(await isSuppressedDmpId(s.store.db, known)).toBe(true);
    await forgetDmpListMembers(s.store.db, [known]);
    expect(await isSuppressedDmpId(s.store.db, known)).toBe(false);
    expect(await s.store.db.selectFrom('dmp_list_members').selectAll().execute()).toEqual([]);
  });

  it('sees another process’s list changes within a second', async () => {
    await addDmpListMembers(deps(), 'customers', [known]);
    expect(await isSuppressedDmpId(s.store.db, known)).toBe(true);
    // What another process's removal leaves in the store (its own cache is not ours).
    await s.store.db.deleteFrom('dmp_list_members').execute();
    await s.store.db
      .updateTable('dmp_lists')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .execute();
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await isSuppressedDmpId(s.store.db, known)).toBe(false);
  });
});
