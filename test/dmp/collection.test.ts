import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/kernel/clock.js';
import {
  buildGppString,
  buildTcString,
  fullConsentTcString,
} from '../../src/privacy/consent/consent-fixtures.js';
import { hashEmailForId } from '../../src/privacy/pii/index.js';
import { problemOf } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { DAY_MS, type DmpTestApp, dmpApp, dmpCookie, setCookies } from './helpers.js';

async function countRows(t: DmpTestApp, table: 'dmp_ids' | 'dmp_trait_hits' | 'dmp_aliases') {
  const row = await t.testStore.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(enginesUnderTest())('DMP collection on $name', (engine) => {
  let t: DmpTestApp;
  const clock = manualClock('2026-02-01T00:00:00Z');
  const open = async (dmp = {}) => {
    t = await dmpApp({ testStore: await engine.open(), clock, dmp });
    return t;
  };
  afterEach(() => t.close());

  it('a pixel answers a 43-byte GIF, sets a random cookie for 180 days and refreshes it', async () => {
    await open();
    const first = await t.pixel('page=home');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/gif');
    expect(first.rawPayload.length).toBe(43);
    const id = dmpCookie(first);
    expect(id).toMatch(/^td_[0-9a-z]{26}$/);
    expect(setCookies(first)[0]).toContain('Max-Age=15552000');
    expect(setCookies(first)[0]).toContain('HttpOnly');

    clock.advance(10 * DAY_MS);
    const second = await t.pixel('page=sports', id);
    // Never rotated: the same ID comes back, with a fresh 180 days.
    expect(dmpCookie(second)).toBe(id);
    const row = await t.testStore.store.db
      .selectFrom('dmp_ids')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row.id).toBe(id);
    expect(row.last_seen_at).toBe(clock.now().toISOString());
    expect(await countRows(t, 'dmp_ids')).toBe(1);
  });

  it.each([
    ['an invalid TC string', 'gdpr=1&gdpr_consent=not-a-tc-string&page=x'],
    ['an invalid GPP string', 'gpp=DBAB~garbage&gpp_sid=7&page=x'],
    ['a bad gdpr flag', 'gdpr=yes&page=x'],
    ['an e-mail in a value', 'page=x&note=jane.doe%40example.com'],
    ['a phone number', 'tel=%2B1%20415%20555%202671'],
    ['an IP address', 'client=203.0.113.9'],
    ['an over-long value', `page=${'a'.repeat(300)}`],
    ['a repeated key', 'page=a&page=b'],
    ['a key that is not a signal key', 'bad%20key=1'],
  ])('a pixel with %s still answers the GIF and records nothing', async (_what, query) => {
    await open();
    const res = await t.pixel(query);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBe(43);
    expect(dmpCookie(res)).toBeUndefined();
    expect(await countRows(t, 'dmp_ids')).toBe(0);
  });

  it('gdpr=1 without consent: no cookie, nothing stored; with consent: stored', async () => {
    await open();
    const denied = await t.pixel('gdpr=1&page=x');
    expect(dmpCookie(denied)).toBeUndefined();
    const onlyPurpose2 = await t.pixel(
      `gdpr=1&gdpr_consent=${buildTcString({ purposeConsents: [2] })}`,
    );
    expect(dmpCookie(onlyPurpose2)).toBeUndefined();
    expect(await countRows(t, 'dmp_ids')).toBe(0);
    const allowed = await t.pixel(`gdpr=1&gdpr_consent=${fullConsentTcString()}&page=x`);
    expect(dmpCookie(allowed)).toBeDefined();
    expect(await countRows(t, 'dmp_ids')).toBe(1);
  });

  it('withdrawing storage consent deletes what an earlier hit stored', async () => {
    await open();
    const id = dmpCookie(await t.pixel('page=x'));
    expect(await countRows(t, 'dmp_ids')).toBe(1);
    const withdrawn = await t.pixel('gdpr=1', id);
    expect(await countRows(t, 'dmp_ids')).toBe(0);
    expect(setCookies(withdrawn)).toEqual([expect.stringMatching(/^triad_dmp_id=; Max-Age=0;/)]);
  });

  it('store without profile: the ID is kept but realizes no trait', async () => {
    await open();
    await t.trait({ name: 'home', rule: { conditions: [{ key: 'page', op: 'eq', value: 'x' }] } });
    const tc = buildTcString({ purposeConsents: [1] });
    const res = await t.pixel(`gdpr=1&gdpr_consent=${tc}&page=x`);
    expect(dmpCookie(res)).toBeDefined();
    expect(await countRows(t, 'dmp_ids')).toBe(1);
    expect(await countRows(t, 'dmp_trait_hits')).toBe(0);
  });

  it('Sec-GPC or a US opt-out keeps profiling but blocks activation', async () => {
    await open();
    const trait = await t.trait({
      name: 'home',
      rule: { conditions: [{ key: 'page', op: 'eq', value: 'x' }] },
    });
    await t.segment({ name: 'home visitors', expression: trait, taxonomyIds: [3] });
    const gpc = dmpCookie(await t.pixel('page=x', undefined, { 'sec-gpc': '1' }));
    const gpp = buildGppString({ usnat: { SaleOptOut: 1 } });
    const optedOut = dmpCookie(await t.pixel(`page=x&gpp=${gpp}&gpp_sid=7`));
    const plain = dmpCookie(await t.pixel('page=x'));
    for (const id of [gpc, optedOut, plain]) expect(id).toBeDefined();
    expect((await t.segmentsOf(gpc ?? '')).segments).toEqual([]);
    expect((await t.segmentsOf(optedOut ?? '')).segments).toEqual([]);
    expect((await t.segmentsOf(plain ?? '')).taxonomyIds).toEqual([3]);
    expect(await countRows(t, 'dmp_trait_hits')).toBe(3);
  });

  it('the beacon takes JSON and sendBeacon text/plain; PII is a 400 that stores nothing', async () => {
    await open();
    const json = await t.app.inject({
      method: 'POST',
      url: '/dmp/v1/events',
      headers: { origin: 'https://news.example' },
      payload: { signals: { page: 'home' }, gdpr: 0 },
    });
    expect(json.statusCode).toBe(202);
    expect(json.json()).toMatchObject({ recorded: true, dropped: 0 });
    expect(json.headers['access-control-allow-origin']).toBe('https://news.example');
    const text = await t.app.inject({
      method: 'POST',
      url: '/dmp/v1/events',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      payload: JSON.stringify({ signals: { page: 'home' } }),
    });
    expect(text.statusCode).toBe(202);
    expect(await countRows(t, 'dmp_ids')).toBe(2);

    const pii = await t.app.inject({
      method: 'POST',
      url: '/dmp/v1/events',
      payload: { signals: { page: 'home', contact: 'jane.doe@example.com' } },
    });
    expect(pii.statusCode).toBe(400);
    const problem = problemOf(pii);
    expect(problem.code).toBe('bad_request');
    expect(problem.errors?.[0]?.field).toBe('signals.contact');
    expect(pii.body).not.toContain('jane');
    expect(dmpCookie(pii)).toBeUndefined();
    expect(await countRows(t, 'dmp_ids')).toBe(2);

    const notJson = await t.app.inject({
      method: 'POST',
      url: '/dmp/v1/events',
      headers: { 'content-type': 'text/plain' },
      payload: '{oops',
    });
    expect(notJson.statusCode).toBe(400);
    const badConsent = await t.app.inject({
      method: 'POST',
      url: '/dmp/v1/events',
      payload: { signals: { page: 'x' }, gdpr: 1, gdpr_consent: 'garbage' },
    });
    expect(problemOf(badConsent).errors?.[0]?.field).toBe('gdpr_consent');
  });

  it('drop mode leaves PII-looking signals out and stores the rest', async () => {
    await open({ piiMode: 'drop' });
    const trait = await t.trait({
      name: 'home',
      rule: { conditions: [{ key: 'page', op: 'eq', value: 'home' }] },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/dmp/v1/events',
      payload: { signals: { page: 'home', email: 'jane.doe@example.com' } },
    });
    expect(res.json()).toMatchObject({ recorded: true, dropped: 1 });
    const hits = await t.testStore.store.db.selectFrom('dmp_trait_hits').selectAll().execute();
    expect(hits.map((h) => h.trait_id)).toEqual([trait]);
  });

  it('server signals: device and hashed-e-mail IDs, all or nothing', async () => {
    await open();
    const trait = await t.trait({
      name: 'buyer',
      rule: { conditions: [{ key: 'action', op: 'eq', value: 'buy' }] },
    });
    const hem = hashEmailForId('jane@example.com') ?? '';
    const ok = await t.app.inject({
      method: 'POST',
      url: '/dmp/v1/signals',
      headers: t.advertiser,
      payload: {
        signals: [
          {
            id: { type: 'ifa', value: '6D92078A-8246-4BA4-AE5B-76104861E7DC' },
            signals: { action: 'buy' },
          },
          { id: { type: 'hem', value: hem }, signals: { action: 'buy' } },
          {
            id: { type: 'dmp', value: 'td_00000000000000000000000000' },
            signals: { action: 'buy' },
          },
          {
            id: { type: 'ifa', value: '5e1b2c3d-0000-4000-8000-000000000001' },
            signals: {},
            gdpr: 1,
          },
        ],
      },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ recorded: 2, unmatched: 1, denied: 1, dropped: 0 });
    const aliases = await t.testStore.store.db.selectFrom('dmp_aliases').selectAll().execute();
    expect(aliases.map((a) => a.kind).sort()).toEqual(['hem', 'ifa']);
    expect(aliases.find((a) => a.kind === 'ifa')?.value).toBe(
      '6d92078a-8246-4ba4-ae5b-76104861e7dc',
    );
    expect(await countRows(t, 'dmp_trait_hits')).toBe(2);
    expect(trait).toMatch(/^trt_/);

    const before = await countRows(t, 'dmp_ids');
    for (const bad of [
      { id: { type: 'hem', value: 'jane@example.com' }, signals: {} },
      { id: { type: 'ifa', value: '00000000-0000-0000-0000-000000000000' }, signals: {} },
      { id: { type: 'partner', value: 'u1', partner: 'nobody' }, signals: {} },
      {
        id: { type: 'ifa', value: '6d92078a-8246-4ba4-ae5b-76104861e7dd' },
        signals: { who: 'Jane Doe, 10 Downing Street' },
      },
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/dmp/v1/signals',
        headers: t.advertiser,
        payload: {
          signals: [
            {
              id: { type: 'ifa', value: '11111111-2222-4333-8444-555555555555' },
              signals: { action: 'buy' },
            },
            bad,
          ],
        },
      });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(problemOf(res).errors?.[0]?.field).toMatch(/^signals\[1\]/);
    }
    // The good first item of each refused batch was not stored either.
    expect(await countRows(t, 'dmp_ids')).toBe(before);
  });

  it('opt-out sets the opt-out cookie, deletes the ID and stops collection', async () => {
    await open();
    await t.trait({ name: 'any', rule: { conditions: [{ key: 'page', op: 'exists' }] } });
    const id = dmpCookie(await t.pixel('page=x'));
    expect(await countRows(t, 'dmp_trait_hits')).toBe(1);
    const out = await t.app.inject({
      method: 'GET',
      url: '/dmp/v1/optout',
      headers: { cookie: `triad_dmp_id=${id}` },
    });
    expect(out.statusCode).toBe(200);
    const cookies = setCookies(out);
    expect(cookies.some((c) => c.startsWith('triad_dmp_optout=1;'))).toBe(true);
    expect(cookies.some((c) => /^triad_dmp_id=;.*Max-Age=0/.test(c))).toBe(true);
    expect(await countRows(t, 'dmp_ids')).toBe(0);
    expect(await countRows(t, 'dmp_trait_hits')).toBe(0);

    const after = await t.pixel('page=x', undefined, { cookie: 'triad_dmp_optout=1' });
    expect(after.rawPayload.length).toBe(43);
    expect(dmpCookie(after)).toBeUndefined();
    expect(await countRows(t, 'dmp_ids')).toBe(0);
  });
});
