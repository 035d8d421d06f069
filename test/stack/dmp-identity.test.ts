import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmpCookie } from '../dmp/helpers.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * DMP -> CDP: the browser's DMP ID rides on CDP events as `context.externalIds` and joins the
 * unified profile when the visitor identifies; nothing identifying flows back to the DMP.
 */
let t: TestApp;
let writeKey: string;
let dmpId: string;
const json = { 'content-type': 'application/json' };

async function batch(events: Record<string, unknown>[]) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, ...json },
    payload: { batch: events },
  });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp({ identity: true });
  const source = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { ...bearer(t.adminToken), ...json },
    payload: { name: 'web' },
  });
  writeKey = source.json().writeKey as string;
  // The DMP mints the ID in its cookie on the first pixel hit.
  dmpId = dmpCookie(await t.app.inject({ method: 'GET', url: '/dmp/v1/px?cat=shoes' })) ?? '';
  expect(dmpId).toMatch(/^td_/);
});
afterAll(() => t.close());

describe('DMP ID as a CDP external ID', () => {
  it('joins the profile of the visitor once they identify', async () => {
    const externalIds = [{ id: dmpId, type: 'dmp_id', collection: 'users', encoding: 'none' }];
    await batch([
      {
        type: 'page',
        anonymousId: 'anon-ada',
        messageId: 'p1',
        context: { externalIds, page: { url: 'https://shop.example/?utm_source=dmp' } },
      },
    ]);
    await t.drain();
    const before = await t.app.inject({
      method: 'GET',
      url: `/api/v1/customers/${encodeURIComponent(`dmp_id:${dmpId}`)}`,
      headers: bearer(t.adminToken),
    });
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json().profile.identifiers).not.toContainEqual(
      expect.objectContaining({ type: 'email' }),
    );

    await batch([
      {
        type: 'identify',
        anonymousId: 'anon-ada',
        userId: 'u-ada',
        traits: { email: 'ada@example.com' },
        messageId: 'i1',
      },
    ]);
    await t.drain();
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/customers/email:ada@example.com',
      headers: bearer(t.adminToken),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.profile.identifiers).toEqual(
      expect.arrayContaining([
        { type: 'dmp_id', value: dmpId },
        { type: 'anonymous_id', value: 'anon-ada' },
        { type: 'user_id', value: 'u-ada' },
        { type: 'email', value: 'ada@example.com' },
      ]),
    );
    // One person, one profile: the anonymous visit and the identified one are the same.
    expect(body.profile.id).toBe(before.json().profile.id);
  });

  it('hands the ID to the site through the documented sync redirect', async () => {
    const partner = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/partners',
      headers: bearer(t.adminToken),
      payload: { id: 'shop', name: 'Shop', domains: ['shop.example'] },
    });
    expect(partner.statusCode, partner.body).toBe(201);
    // The macro is literal text in the URL (built from parts so it is not read as a template).
    const macro = `$${'{'}TRIAD_DMP_ID}`;
    const redir = encodeURIComponent(`https://shop.example/dmp-id.html#${macro}`);
    const res = await t.app.inject({
      method: 'GET',
      url: `/dmp/v1/sync?partner=shop&redir=${redir}`,
      headers: { cookie: `triad_dmp_id=${dmpId}` },
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`https://shop.example/dmp-id.html#${dmpId}`);
    // What the documented middleware line reads back from the first-party cookie.
    const cookie = `other=1; triad_dmp_id=${dmpId}`;
    expect(cookie.match(/(?:^|; )triad_dmp_id=(td_[0-9a-z]{26})/)?.[1]).toBe(dmpId);
  });

  it('sends nothing identifying to the DMP', async () => {
    const db = t.testStore.store.db;
    const tables = ['dmp_ids', 'dmp_aliases', 'dmp_matches', 'dmp_trait_hits', 'dmp_memberships'];
    for (const table of tables) {
      const rows = await db
        .selectFrom(table as 'dmp_ids')
        .selectAll()
        .execute();
      const dump = JSON.stringify(rows);
      expect(dump, table).not.toContain('ada@example.com');
      expect(dump, table).not.toContain('u-ada');
      expect(dump, table).not.toContain('anon-ada');
    }
    const ids = await db.selectFrom('dmp_ids').select('id').execute();
    expect(ids.map((r) => r.id)).toEqual([dmpId]);
  });
});
