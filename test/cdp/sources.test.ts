import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSourceByWriteKey } from '../../src/cdp/sources/source.service.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let auth: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  auth = { ...bearer(await t.tokenFor('marketer')), 'content-type': 'application/json' };
});
afterAll(() => t.close());

describe('sources and write keys', () => {
  it('creates a source with a write key, renames, rotates and disables it', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: auth,
      payload: { name: ' Website ' },
    });
    expect(created.statusCode).toBe(201);
    const source = created.json();
    expect(source).toMatchObject({ name: 'Website', enabled: true });
    expect(source.id).toMatch(/^src_/);
    expect(source.writeKey).toMatch(/^[0-9a-f]{32}$/);

    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${source.id}`,
      headers: auth,
      payload: { name: 'Marketing site' },
    });
    expect(renamed.json()).toMatchObject({ name: 'Marketing site', writeKey: source.writeKey });

    const rotated = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sources/${source.id}/rotate-key`,
      headers: bearer(await t.tokenFor('marketer')),
    });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().writeKey).not.toBe(source.writeKey);
    const deps = { db: t.testStore.store.db };
    expect(await findSourceByWriteKey(deps, source.writeKey)).toBeUndefined();
    expect((await findSourceByWriteKey(deps, rotated.json().writeKey))?.id).toBe(source.id);

    const disabled = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${source.id}`,
      headers: auth,
      payload: { enabled: false },
    });
    expect(disabled.json().enabled).toBe(false);
    const fetched = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sources/${source.id}`,
      headers: auth,
    });
    expect(fetched.json()).toMatchObject({ enabled: false, name: 'Marketing site' });

    const empty = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${source.id}`,
      headers: auth,
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
    const blank = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: auth,
      payload: { name: '   ' },
    });
    expect(blank.statusCode).toBe(400);
  });

  it('lists sources with cursor paging in creation order', async () => {
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: auth,
        payload: { name: `app ${i}` },
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/sources?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ method: 'GET', url, headers: auth })).json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((s: { id: string }) => s.id));
      cursor = page.next;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
  });
});
