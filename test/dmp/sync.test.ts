import { afterEach, describe, expect, it } from 'vitest';
import { upsertMatch } from '../../src/dmp/sync/match.repository.js';
import { DMP_ID_MACRO as M } from '../../src/dmp/sync/redirect.js';
import { problemOf } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { type DmpTestApp, dmpApp, dmpCookie } from './helpers.js';

describe.each(enginesUnderTest())('DMP ID sync on $name', (engine) => {
  let t: DmpTestApp;
  afterEach(() => t.close());
  const open = async () => {
    t = await dmpApp({ testStore: await engine.open() });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/partners',
      headers: t.admin,
      payload: { id: 'acme', name: 'Acme Ads', domains: ['acme-ads.com', 'Sync.Partner.io'] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().domains).toEqual(['acme-ads.com', 'sync.partner.io']);
  };
  const sync = (query: string, cookie?: string) =>
    t.app.inject({
      method: 'GET',
      url: `/dmp/v1/sync?${query}`,
      headers: cookie ? { cookie: `triad_dmp_id=${cookie}` } : {},
    });
  const redir = (url: string) => encodeURIComponent(url);

  it('redirects to the partner with our ID filled in and records the match', async () => {
    await open();
    const res = await sync(
      `partner=acme&puid=ACME-123&redir=${redir(`https://cm.acme-ads.com/match?triad=${M}&x=1`)}`,
    );
    expect(res.statusCode).toBe(302);
    const id = dmpCookie(res);
    expect(id).toMatch(/^td_/);
    expect(res.headers.location).toBe(`https://cm.acme-ads.com/match?triad=${id}&x=1`);
    const rows = await t.testStore.store.db.selectFrom('dmp_matches').selectAll().execute();
    expect(rows).toMatchObject([{ partner_id: 'acme', partner_uid: 'ACME-123', dmp_id: id }]);
    // The same browser again keeps its ID; a sync without redir answers the GIF.
    const again = await sync('partner=acme&puid=ACME-123', id);
    expect(again.statusCode).toBe(200);
    expect(again.rawPayload.length).toBe(43);
    expect(dmpCookie(again)).toBe(id);
  });

  it.each([
    ['an unknown partner', 'partner=nobody&puid=1', 'partner'],
    [
      'a redirect off the partner domains',
      `partner=acme&puid=1&redir=${redir('https://evil.com/?acme-ads.com')}`,
      'redir',
    ],
    [
      'a look-alike domain',
      `partner=acme&puid=1&redir=${redir('https://acme-ads.com.evil.com/')}`,
      'redir',
    ],
    ['a javascript: URL', `partner=acme&puid=1&redir=${redir('javascript:alert(1)')}`, 'redir'],
    ['a macro in the host', `partner=acme&redir=${redir(`https://${M}.evil.com/`)}`, 'redir'],
    ['an e-mail as partner ID', `partner=acme&puid=${redir('jane.doe@example.com')}`, 'puid'],
    ['a bad consent string', 'partner=acme&puid=1&gdpr=1&gdpr_consent=zzz', 'gdpr_consent'],
  ])('%s is a 400 that stores nothing', async (_what, query, field) => {
    await open();
    const res = await sync(query);
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).errors?.[0]?.field).toBe(field);
    expect(res.headers.location).toBeUndefined();
    expect(await t.testStore.store.db.selectFrom('dmp_matches').selectAll().execute()).toEqual([]);
    expect(await t.testStore.store.db.selectFrom('dmp_ids').selectAll().execute()).toEqual([]);
  });

  it('without storage consent it still redirects, with an empty ID, and keeps nothing', async () => {
    await open();
    const res = await sync(
      `partner=acme&puid=1&gdpr=1&redir=${redir(`https://acme-ads.com/m?id=${M}`)}`,
    );
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://acme-ads.com/m?id=');
    expect(dmpCookie(res)).toBeUndefined();
    expect(await t.testStore.store.db.selectFrom('dmp_matches').selectAll().execute()).toEqual([]);
  });

  it('caps partner IDs per DMP ID at 1,000 with first-in first-out eviction', async () => {
    await open();
    const id = dmpCookie(await sync('partner=acme&puid=u0'));
    for (let i = 1; i < 1005; i++) {
      const res = await sync(`partner=acme&puid=u${i}`, id);
      expect(res.statusCode).toBe(200);
    }
    const rows = await t.testStore.store.db
      .selectFrom('dmp_matches')
      .select('partner_uid')
      .where('dmp_id', '=', id ?? '')
      .orderBy('seq')
      .execute();
    expect(rows.length).toBe(1000);
    expect(rows[0]?.partner_uid).toBe('u5');
    expect(rows.at(-1)?.partner_uid).toBe('u1004');
  });

  it('a re-synced partner ID moves to the new DMP ID instead of duplicating', async () => {
    await open();
    const db = t.testStore.store.db;
    const row = (dmp: string) => ({
      partner_id: 'acme',
      partner_uid: 'same',
      dmp_id: dmp,
      created_at: '2026-01-01T00:00:00.000Z',
    });
    await upsertMatch(db, row('td_a'), 3);
    await upsertMatch(db, row('td_b'), 3);
    const rows = await db.selectFrom('dmp_matches').selectAll().execute();
    expect(rows.map((r) => r.dmp_id)).toEqual(['td_b']);
  });

  it('partners are an admin API; advertisers may not register them', async () => {
    await open();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/partners',
      headers: t.advertiser,
      payload: { id: 'x1', name: 'X', domains: ['x.com'] },
    });
    expect(res.statusCode).toBe(403);
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/partners',
      headers: t.admin,
      payload: { id: 'acme', name: 'Again', domains: ['x.com'] },
    });
    expect(dup.statusCode).toBe(409);
    const badDomain = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dmp/partners',
      headers: t.admin,
      payload: { id: 'x2', name: 'X', domains: ['*.x.com'] },
    });
    expect(badDomain.statusCode).toBe(400);
    const del = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/dmp/partners/acme',
      headers: t.admin,
    });
    expect(del.statusCode).toBe(204);
    expect((await sync('partner=acme&puid=1')).statusCode).toBe(400);
  });
});
