import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { createPrivacyRequest, processPrivacyRequest } from '../../src/privacy/index.js';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';

interface Summary {
  id: string;
  type: string;
  identityType: string;
  status: string;
  createdAt: string;
  receipts: { pending: number; completed: number; failed: number };
}

describe.each(enginesUnderTest())('privacy request list ($name)', (engine) => {
  let t: TestApp;
  const clock = manualClock('2026-03-01T00:00:00.000Z');
  // Filed in this order, one second apart: newest first is the reverse.
  const filed: { id: string; type: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp({ clock, testStore: await engine.open() });
    const deps = { db: t.testStore.store.db, clock, log: silentLogger };
    const plan = [
      ['access', 'email', 'list-a@example.org'],
      ['erase', 'user_id', 'list-user-b'],
      ['suppress', 'email', 'list-c@example.org'],
      ['erase', 'email', 'list-d@example.org'],
      ['access', 'user_id', 'list-user-e'],
    ] as const;
    for (const [type, idType, value] of plan) {
      const created = await createPrivacyRequest(
        deps,
        { type, identity: { type: idType, value: `${value}.${engine.name}` } },
        'tok_test',
        'req_test',
      );
      filed.push({ id: created.id, type });
      clock.advance(1000);
    }
    // Two run to completion; the rest stay pending.
    for (const i of [1, 2]) await processPrivacyRequest(deps, filed[i]?.id ?? '');
    // Same second, different ids: the id breaks the tie.
    for (let i = 0; i < 3; i++) {
      const created = await createPrivacyRequest(
        deps,
        { type: 'suppress', identity: { type: 'user_id', value: `tie-${i}-${engine.name}` } },
        'tok_test',
        'req_test',
      );
      filed.push({ id: created.id, type: 'suppress' });
    }
  }, 60_000);
  afterAll(() => t?.close());

  const list = async (query: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/privacy/requests${query}`,
      headers: bearer(t.adminToken),
    });
    return res;
  };

  it('lists every request newest first, paging with the cursor without gaps or repeats', async () => {
    const seen: Summary[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { data: Summary[]; next: string | null };
      expect(body.data.length).toBeLessThanOrEqual(3);
      seen.push(...body.data);
      cursor = body.next;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    // The three filed in the same instant come first, their ids descending.
    const tied = filed
      .slice(5)
      .map((f) => f.id)
      .sort()
      .reverse();
    const older = filed
      .slice(0, 5)
      .map((f) => f.id)
      .reverse();
    expect(seen.map((s) => s.id)).toEqual([...tied, ...older]);
    // Identifier values are never listed.
    expect(JSON.stringify(seen)).not.toContain('example.org');
    expect(JSON.stringify(seen)).not.toContain('list-user');
  });

  it('filters by status and by type, and counts receipts by status', async () => {
    const completed = (await list('?status=completed')).json() as { data: Summary[] };
    expect(completed.data.map((s) => s.id).sort()).toEqual([filed[1]?.id, filed[2]?.id].sort());
    const erase = completed.data.find((s) => s.type === 'erase');
    expect(erase?.receipts.pending).toBe(0);
    expect(erase?.receipts.completed).toBeGreaterThan(5);
    const suppressDone = completed.data.find((s) => s.type === 'suppress');
    expect(suppressDone?.receipts).toEqual({ pending: 0, completed: 1, failed: 0 });

    const access = (await list('?type=access')).json() as { data: Summary[] };
    expect(access.data.map((s) => s.id)).toEqual([filed[4]?.id, filed[0]?.id]);
    expect(access.data.every((s) => s.status === 'pending' && s.receipts.completed === 0)).toBe(
      true,
    );

    const pendingErase = (await list('?type=erase&status=pending')).json() as {
      data: Summary[];
    };
    expect(pendingErase.data.map((s) => s.id)).toEqual([filed[3]?.id]);
    expect(pendingErase.data[0]?.identityType).toBe('email');
  });

  it('refuses unknown filters and cursors it did not issue', async () => {
    const unknownStatus = await list('?status=done');
    expect(unknownStatus.statusCode).toBe(400);
    expect(problemOf(unknownStatus).code).toBe('validation_failed');
    expect((await list('?type=forget')).statusCode).toBe(400);
    expect((await list('?limit=0')).statusCode).toBe(400);
    const bad = await list('?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).code).toBe('bad_request');
  });

  it('is for admins only', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/privacy/requests',
      headers: bearer(await t.tokenFor('marketer')),
    });
    expect(res.statusCode).toBe(403);
  });
});
