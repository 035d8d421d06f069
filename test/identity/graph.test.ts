import { afterEach, describe, expect, it } from 'vitest';
import { unmerge } from '../../src/cdp/identity/graph/identity.service.js';
import { saveRules } from '../../src/cdp/identity/graph/rules.service.js';
import { enginesUnderTest, type TestStore } from '../helpers/stores.js';
import { graphWorld } from './graph-harness.js';

describe.each(enginesUnderTest())('identity graph on $name', (engine) => {
  let current: TestStore | undefined;
  afterEach(async () => {
    await current?.destroy();
    current = undefined;
  });
  const world = async (opts = {}) => {
    current = await engine.open();
    return { w: graphWorld(current.store, opts), db: current.store.db };
  };

  it('joins an anonymous visitor to the person once they identify, and merges a second device', async () => {
    const { w, db } = await world();
    await w.send(
      { anonymousId: 'a1' },
      { anonymousId: 'a1', userId: 'u1', email: 'Ada@Example.com' },
      { anonymousId: 'a2' },
    );
    await w.process();
    const p1 = await w.profileOf('user_id', 'u1');
    expect(p1).toBeDefined();
    expect(await w.profileOf('anonymous_id', 'a1')).toBe(p1);
    expect(await w.profileOf('email', 'ada@example.com')).toBe(p1);
    const p2 = await w.profileOf('anonymous_id', 'a2');
    expect(p2).not.toBe(p1);

    await w.send({ anonymousId: 'a2', userId: 'u1' });
    await w.process();
    expect(await w.profileOf('anonymous_id', 'a2')).toBe(p1);
    const merged = await db
      .selectFrom('identity_profiles')
      .select(['merged_into'])
      .where('id', '=', p2 as string)
      .executeTakeFirst();
    expect(merged?.merged_into).toBe(p1);
    const log = await db.selectFrom('identity_merge_log').selectAll().execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ kind: 'merge', profile_id: p1, other_profile_id: p2 });
    expect(JSON.parse(log[0]?.reason ?? '{}')).toMatchObject({
      absorbedIdentifiers: ['anonymous_id:a2'],
    });
    const events = await db
      .selectFrom('identity_profile_events')
      .select('seq')
      .where('profile_id', '=', p1 as string)
      .execute();
    expect(events).toHaveLength(4);
  });

  it('never puts two user IDs in one profile: the lower-priority identifier gives way', async () => {
    const { w } = await world();
    await w.send(
      { userId: 'u1', anonymousId: 'shared-browser' },
      { userId: 'u2', anonymousId: 'shared-browser' },
    );
    await w.process();
    const p1 = await w.profileOf('user_id', 'u1');
    const p2 = await w.profileOf('user_id', 'u2');
    expect(p1).toBeDefined();
    expect(p2).toBeDefined();
    expect(p1).not.toBe(p2);
    expect(await w.profileOf('anonymous_id', 'shared-browser')).toBe(p1);
  });

  it('placeholders, a family e-mail and a shared device never merge unrelated people', async () => {
    const { w, db } = await world();
    const people = ['ann', 'bob', 'cat', 'dan', 'eve'];
    for (const name of people) {
      await w.send(
        { userId: `u-${name}`, email: 'test@test.com' },
        { userId: `u-${name}`, anonymousId: '0', traits: { name } },
        { userId: `u-${name}`, anonymousId: 'anonymous' },
        { userId: `u-${name}`, email: 'family@smith.example' },
        { userId: `u-${name}`, deviceId: 'kiosk-1' },
      );
    }
    await w.process();
    const profiles = new Set<string>();
    for (const name of people) profiles.add((await w.profileOf('user_id', `u-${name}`)) as string);
    expect(profiles.size).toBe(people.length);
    expect(await w.profileOf('email', 'test@test.com')).toBeUndefined();
    expect(await w.profileOf('anonymous_id', '0')).toBeUndefined();
    const shared = await db
      .selectFrom('identity_shared_identifiers')
      .selectAll()
      .where('flagged_at', 'is not', null)
      .execute();
    expect(shared.map((s) => `${s.type}:${s.value}`).sort()).toEqual([
      'device_id:kiosk-1',
      'email:family@smith.example',
    ]);
  });

  it("counts only values seen within a rule's time window toward its limit", async () => {
    const { w, db } = await world();
    await saveRules({ db, clock: w.clock }, [
      { type: 'anonymous_id', maxPerProfile: 1, priority: 6, blocked: [], windowDays: 30 },
    ]);
    await w.send(
      { userId: 'u1', anonymousId: 'old-phone', at: '2026-01-01T00:00:00.000Z' },
      { userId: 'u1', anonymousId: 'new-phone', at: '2026-02-15T00:00:00.000Z' },
      { userId: 'u2', anonymousId: 'laptop', at: '2026-01-01T00:00:00.000Z' },
      { userId: 'u2', anonymousId: 'tablet', at: '2026-01-10T00:00:00.000Z' },
    );
    await w.process();
    // 45 days apart: the old value is outside the window, so the new one joins.
    expect(await w.profileOf('anonymous_id', 'new-phone')).toBe(await w.profileOf('user_id', 'u1'));
    // 9 days apart: inside the window, the limit of one holds and the newcomer gives way.
    expect(await w.profileOf('anonymous_id', 'tablet')).not.toBe(
      await w.profileOf('user_id', 'u2'),
    );
  });

  it('applies a batch delivered twice once', async () => {
    const { w, db } = await world();
    await w.send({ anonymousId: 'x' }, { anonymousId: 'x', userId: 'ux' });
    await w.process();
    const before = await w.partition();
    const records = await w.log.read(0, 100);
    const { identityConsumer } = await import('../../src/cdp/identity/graph/identity.service.js');
    await identityConsumer({ db, clock: w.clock }).process(records);
    expect(await w.partition()).toEqual(before);
  });

  it('keeps the latest trait value by event time, whatever the arrival order', async () => {
    const { w, db } = await world();
    await w.send(
      { userId: 'u1', traits: { plan: 'pro' }, at: '2026-03-02T00:00:00.000Z' },
      { userId: 'u1', traits: { plan: 'free', city: 'Oslo' }, at: '2026-03-01T00:00:00.000Z' },
    );
    await w.process();
    const profile = await db
      .selectFrom('identity_profiles')
      .select('traits')
      .where('id', '=', (await w.profileOf('user_id', 'u1')) as string)
      .executeTakeFirst();
    expect(JSON.parse(profile?.traits ?? '{}')).toEqual({ plan: 'pro', city: 'Oslo' });
  });

  it('unmerges: identifiers, events and traits go back, and the two stay apart afterwards', async () => {
    const { w, db } = await world();
    await w.send(
      { userId: 'u1', anonymousId: 'a1', traits: { plan: 'pro' } },
      { anonymousId: 'a2', traits: { nickname: 'wrong' } },
      { anonymousId: 'a2', userId: 'u1' },
    );
    await w.process();
    const p1 = (await w.profileOf('user_id', 'u1')) as string;
    const absorbed =
      (await db.selectFrom('identity_merge_log').selectAll().executeTakeFirst()) ?? null;
    expect(absorbed?.other_profile_id).toBeDefined();
    const { unmergeId } = await unmerge(
      { db, clock: w.clock },
      absorbed?.id as string,
      'usr_admin',
    );

    const p2 = await w.profileOf('anonymous_id', 'a2');
    expect(p2).toBe(absorbed?.other_profile_id);
    expect(await w.profileOf('user_id', 'u1')).toBe(p1);
    const second = await db
      .selectFrom('identity_profiles')
      .select(['traits', 'merged_into'])
      .where('id', '=', p2 as string)
      .executeTakeFirst();
    expect(second?.merged_into).toBeNull();
    expect(JSON.parse(second?.traits ?? '{}')).toEqual({ nickname: 'wrong' });
    const log = await db
      .selectFrom('identity_merge_log')
      .selectAll()
      .orderBy('created_at')
      .execute();
    expect(log.find((l) => l.id === absorbed?.id)?.reversed_by).toBe(unmergeId);
    expect(log.find((l) => l.id === unmergeId)?.kind).toBe('unmerge');

    await w.send({ anonymousId: 'a2', userId: 'u1' });
    await w.process();
    expect(await w.profileOf('anonymous_id', 'a2')).toBe(p2);
    await expect(
      unmerge({ db, clock: w.clock }, absorbed?.id as string, 'usr_admin'),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});
