import { afterEach, describe, expect, it } from 'vitest';
import {
  createToken,
  listTokens,
  resolveToken,
  revokeToken,
} from '../../src/access/tokens/token.service.js';
import { createUser, logIn, resolveSession } from '../../src/access/users/user.service.js';
import { createSource, listSources, updateSource } from '../../src/cdp/sources/source.service.js';
import { manualClock } from '../../src/kernel/clock.js';
import { migrateToLatest, pendingMigrations } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { enginesUnderTest, type TestStore } from '../helpers/stores.js';

// One suite, run against every storage engine: what passes on SQLite must pass on PostgreSQL.
describe.each(enginesUnderTest())('storage on $name', (engine) => {
  let current: TestStore | undefined;
  afterEach(async () => {
    await current?.destroy();
    current = undefined;
  });
  const open = async (opts?: { migrate?: boolean }) => {
    current = await engine.open(opts);
    return current.store;
  };

  it('applies every migration once and is idempotent', async () => {
    const store = await open({ migrate: false });
    expect(await pendingMigrations(store.db)).toEqual(Object.keys(migrations));
    const first = await migrateToLatest(store.db);
    expect(first.applied).toEqual(Object.keys(migrations));
    expect(await pendingMigrations(store.db)).toEqual([]);
    const second = await migrateToLatest(store.db);
    expect(second.applied).toEqual([]);
  });

  it('survives concurrent migration attempts', async () => {
    const store = await open({ migrate: false });
    const results = await Promise.all([migrateToLatest(store.db), migrateToLatest(store.db)]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(Object.keys(migrations).sort());
  });

  it('round-trips users, sessions and tokens', async () => {
    const store = await open();
    const clock = manualClock('2026-03-01T10:00:00.000Z');
    const deps = { db: store.db, clock };
    const { user } = await createUser(deps, {
      email: 'x@example.com',
      role: 'analyst',
      password: 'a long enough password',
    });
    expect(user).toMatchObject({
      email: 'x@example.com',
      role: 'analyst',
      disabled: false,
      createdAt: '2026-03-01T10:00:00.000Z',
    });
    await expect(
      createUser(deps, { email: 'X@example.com', role: 'analyst' }),
    ).rejects.toMatchObject({ code: 'conflict' });

    const session = await logIn(deps, {
      email: 'x@example.com',
      password: 'a long enough password',
    });
    expect(session).not.toBeNull();
    const token = session?.sessionToken as string;
    expect(await resolveSession(deps, token)).toMatchObject({ userId: user.id, role: 'analyst' });
    clock.advance(8 * 24 * 60 * 60 * 1000);
    expect(await resolveSession(deps, token)).toBeUndefined();

    const created = await createToken(deps, { name: 'etl', role: 'marketer' });
    expect(await resolveToken(deps, created.token)).toMatchObject({
      id: created.id,
      role: 'marketer',
    });
    await revokeToken(deps, created.id);
    expect(await resolveToken(deps, created.token)).toBeUndefined();
    await expect(revokeToken(deps, 'tok_missing')).rejects.toMatchObject({ code: 'not_found' });
    expect((await listTokens(deps, { limit: 10, includeRevoked: true })).data).toHaveLength(1);
  });

  it('enforces unique write keys and pages sources by id', async () => {
    const store = await open();
    const deps = { db: store.db, clock: manualClock() };
    const created = [];
    for (let i = 0; i < 7; i++) created.push(await createSource(deps, { name: `s${i}` }));
    const page1 = await listSources(deps, { limit: 3 });
    expect(page1.data).toHaveLength(3);
    expect(page1.next).not.toBeNull();
    const all = (await listSources(deps, { limit: 100 })).data;
    expect(all.map((s) => s.id)).toEqual(created.map((s) => s.id).sort());
    const [a, b] = created as [(typeof created)[0], (typeof created)[0]];
    await expect(
      store.db
        .updateTable('sources')
        .set({ write_key: a.writeKey })
        .where('id', '=', b.id)
        .execute(),
    ).rejects.toThrow();
    const disabled = await updateSource(deps, a.id, { enabled: false });
    expect(disabled.enabled).toBe(false);
  });

  it('commits atomically: a failed transaction leaves nothing behind', async () => {
    const store = await open();
    const deps = { db: store.db, clock: manualClock() };
    await expect(
      store.db.transaction().execute(async (trx) => {
        await createSource({ ...deps, db: trx }, { name: 'half' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await listSources(deps, { limit: 10 })).data).toEqual([]);
  });

  it('answers a readiness ping', async () => {
    const store = await open();
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
