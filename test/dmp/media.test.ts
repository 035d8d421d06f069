import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { purgeOldMediaHits } from '../../src/dmp/media/media.service.js';
import { manualClock } from '../../src/kernel/clock.js';
import { buildTcString, fullConsentTcString } from '../../src/privacy/consent/consent-fixtures.js';
import { problemOf } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';
import { DAY_MS, type DmpTestApp, dmpApp, dmpCookie, setCookies } from './helpers.js';

describe.each(enginesUnderTest())('DMP media efficiency on $name', (engine) => {
  let t: DmpTestApp;
  let clock: ReturnType<typeof manualClock>;
  afterEach(() => t.close());

  /** Log lines of the current test's app (a fresh array per app: no stray line leaks in). */
  let lines: string[] = [];

  async function open(minSegmentSize = 1) {
    clock = manualClock('2026-03-01T10:00:00Z');
    const own: string[] = [];
    lines = own;
    const sink = new Writable({
      write(chunk, _encoding, done) {
        own.push(String(chunk));
        done();
      },
    });
    t = await dmpApp({
      testStore: await engine.open(),
      clock,
      dmp: { minSegmentSize },
      log: pino({ level: 'info' }, sink),
    });
    const sport = await t.trait({
      name: 'sport',
      rule: { conditions: [{ key: 'page', op: 'eq', value: 'sport' }] },
    });
    const news = await t.trait({
      name: 'news',
      rule: { conditions: [{ key: 'page', op: 'eq', value: 'news' }] },
    });
    return {
      sport: await t.segment({ name: 'sport fans', expression: sport }),
      news: await t.segment({ name: 'news readers', expression: news }),
    };
  }

  /** A DMP ID made by the signal pixel, in the segments its page qualifies for. */
  async function visitor(page: string): Promise<string> {
    const id = dmpCookie(await t.pixel(`page=${page}`));
    if (!id) throw new Error('no cookie');
    return id;
  }

  const mediaPixel = (query: string, cookie?: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'GET',
      url: `/dmp/v1/media/px?${query}`,
      headers: cookie ? { ...headers, cookie: `triad_dmp_id=${cookie}` } : headers,
    });

  const batch = (events: Record<string, unknown>[]) =>
    t.app.inject({
      method: 'POST',
      url: '/dmp/v1/media/events',
      headers: t.advertiser,
      payload: { events },
    });

  async function hits() {
    const rows = await t.testStore.store.db
      .selectFrom('dmp_media_hits')
      .select(['dmp_id', 'campaign', 'creative', 'kind', 'segment_id', 'cost_micros', 'at'])
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ ...r, cost_micros: Number(r.cost_micros) }));
  }

  async function report(query = '') {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/dmp/reports/media?from=2026-02-01&to=2026-03-31${query}`,
      headers: t.advertiser,
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  it('the pixel records an impression with storage consent, for the targeted or current segments', async () => {
    const { sport, news } = await open();
    const id = await visitor('sport');
    const tc = fullConsentTcString();
    const res = await mediaPixel(
      `e=impression&cmp=spring-26&cr=cr_300x250&seg=${news}&cost=2500&gdpr=1&gdpr_consent=${tc}`,
      id,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/gif');
    expect(res.rawPayload.length).toBe(43);
    // No `seg`: attributed to the segments the ID may be activated for now.
    await mediaPixel('e=impression&cmp=spring-26&cr=cr_300x250&cost=0.0025', id);
    expect(await hits()).toEqual([
      {
        dmp_id: id,
        campaign: 'spring-26',
        creative: 'cr_300x250',
        kind: 'impression',
        segment_id: news,
        cost_micros: 2500,
        at: '2026-03-01T10:00:00.000Z',
      },
      {
        dmp_id: id,
        campaign: 'spring-26',
        creative: 'cr_300x250',
        kind: 'impression',
        segment_id: sport,
        cost_micros: 2500,
        at: '2026-03-01T10:00:00.000Z',
      },
    ]);
  });

  it('a browser without a known DMP ID, or opted out, records nothing', async () => {
    await open();
    await mediaPixel('e=impression&cmp=c1&cr=k1');
    await mediaPixel('e=impression&cmp=c1&cr=k1', 'td_0000000000000000000000000a');
    const id = await visitor('sport');
    await t.app.inject({
      method: 'GET',
      url: '/dmp/v1/media/px?e=impression&cmp=c1&cr=k1',
      headers: { cookie: `triad_dmp_id=${id}; triad_dmp_optout=1` },
    });
    expect(await hits()).toEqual([]);
  });

  it('without storage consent: GIF, nothing recorded, and what was kept for the cookie goes', async () => {
    await open();
    const id = await visitor('sport');
    await mediaPixel('e=impression&cmp=c1&cr=k1', id);
    expect(await hits()).toHaveLength(1);
    const onlyPurpose2 = buildTcString({ purposeConsents: [2] });
    const denied = await mediaPixel(
      `e=impression&cmp=c1&cr=k1&gdpr=1&gdpr_consent=${onlyPurpose2}`,
      id,
    );
    expect(denied.rawPayload.length).toBe(43);
    expect(setCookies(denied)).toEqual([expect.stringMatching(/^triad_dmp_id=; Max-Age=0;/)]);
    expect(await hits()).toEqual([]);
  });

  it.each([
    ['an unknown event kind', 'e=view&cmp=c1&cr=k1'],
    ['a missing campaign', 'e=impression&cr=k1'],
    ['an e-mail as campaign', 'e=impression&cmp=jane.doe%40example.com&cr=k1'],
    ['a card number as creative', 'e=impression&cmp=c1&cr=4111111111111111'],
    ['a SHA-256 as campaign', `e=impression&cmp=${'a'.repeat(64)}&cr=k1`],
    ['an unknown parameter', 'e=impression&cmp=c1&cr=k1&email=x'],
    ['a repeated parameter', 'e=impression&cmp=c1&cmp=c2&cr=k1'],
    ['a malformed segment ID', 'e=impression&cmp=c1&cr=k1&seg=nope'],
    ['an unknown segment', 'e=impression&cmp=c1&cr=k1&seg=seg_00000000000000000000000000'],
    ['segments on a click', 'e=click&cmp=c1&cr=k1&seg=seg_00000000000000000000000000'],
    ['a value on an impression', 'e=impression&cmp=c1&cr=k1&value=3'],
    ['a negative cost', 'e=impression&cmp=c1&cr=k1&cost=-1'],
    ['a cost with seven decimals', 'e=impression&cmp=c1&cr=k1&cost=0.0000001'],
    ['an invalid TC string', 'e=impression&cmp=c1&cr=k1&gdpr=1&gdpr_consent=garbage'],
  ])('a media pixel with %s answers the GIF and records nothing', async (_what, query) => {
    await open();
    const id = await visitor('sport');
    const res = await mediaPixel(query, id);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBe(43);
    expect(await hits()).toEqual([]);
    // Refused for a reason (a 4xx code in the log), not failed, and no input value logged.
    const refused = lines.filter((l) => l.includes('dmp media pixel refused'));
    expect(refused).toHaveLength(1);
    expect(JSON.parse(refused[0] ?? '{}').code).toBe('bad_request');
    expect(lines.join('\n')).not.toMatch(/jane\.doe|4111111111111111|cmp=/);
  });

  it('clicks and conversions take the segments of the latest impression of the campaign', async () => {
    const { sport, news } = await open();
    const id = await visitor('sport');
    await mediaPixel(`e=impression&cmp=c1&cr=k1&seg=${sport}`, id);
    clock.advance(DAY_MS);
    await mediaPixel(`e=impression&cmp=c1&cr=k2&seg=${news}`, id);
    // Another campaign's later impression does not count for c1.
    await mediaPixel(`e=impression&cmp=c2&cr=k9&seg=${sport}`, id);
    clock.advance(DAY_MS);
    await mediaPixel('e=click&cmp=c1&cr=k2', id);
    await mediaPixel('e=conversion&cmp=c1&cr=k2&value=19.90', id);
    // Past the lookback the click finds no impression: stored, attributed to nothing.
    clock.advance(31 * DAY_MS);
    await mediaPixel('e=click&cmp=c1&cr=k2', id);
    const rows = (await hits()).map((r) => [r.kind, r.campaign, r.segment_id]);
    expect(rows).toEqual([
      ['impression', 'c1', sport],
      ['impression', 'c1', news],
      ['impression', 'c2', sport],
      ['click', 'c1', news],
      ['conversion', 'c1', news],
      ['click', 'c1', null],
    ]);
  });

  it('a server batch with one bad event is refused whole; a good one is recorded in order', async () => {
    const { sport } = await open();
    const a = await visitor('sport');
    const b = await visitor('news');
    const good = {
      id: { type: 'dmp', value: a },
      event: 'impression',
      campaign: 'c1',
      creative: 'k1',
    };
    const refused = await batch([
      good,
      { ...good, campaign: 'call 415-555-2671' },
      { ...good, id: { type: 'partner', partner: 'nobody', value: 'u1' } },
      { ...good, at: '2030-01-01T00:00:00Z' },
    ]);
    expect(refused.statusCode).toBe(400);
    expect(problemOf(refused).errors?.map((e) => e.field)).toEqual([
      'events[1].campaign',
      'events[2].id.partner',
      'events[3].at',
    ]);
    expect(await hits()).toEqual([]);

    const ok = await batch([
      { ...good, segments: [sport], costMicros: 1_000 },
      { ...good, event: 'click', at: '2026-03-01T10:00:00Z' },
      { ...good, id: { type: 'dmp', value: 'td_0000000000000000000000000a' } },
      { ...good, id: { type: 'dmp', value: b }, gdpr: 1 },
    ]);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ recorded: 2, unmatched: 1, denied: 1 });
    expect((await hits()).map((r) => [r.dmp_id, r.kind, r.segment_id])).toEqual([
      [a, 'impression', sport],
      [a, 'click', sport],
    ]);
    // The denied event's ID was forgotten, as a signal without storage consent would make it.
    const ids = await t.testStore.store.db.selectFrom('dmp_ids').select('id').execute();
    expect(ids.map((r) => r.id)).toEqual([a]);
  });

  /**
   * Segment sport, campaign c1: A (2 impressions, 1 click), B (1 impression, 1 conversion
   * worth 30.00), C (1 impression); every impression costs 1,500 micros. Campaign c2: A only.
   */
  async function seedKnownDataset() {
    const { sport } = await open();
    const [a, b, c] = [await visitor('sport'), await visitor('sport'), await visitor('sport')];
    const imp = (id: string, cmp = 'c1') => ({
      id: { type: 'dmp', value: id },
      event: 'impression',
      campaign: cmp,
      creative: 'k1',
      costMicros: 1_500,
      at: '2026-03-01T09:00:00Z',
    });
    const res = await batch([
      imp(a),
      imp(a),
      imp(b),
      imp(c),
      imp(a, 'c2'),
      { ...imp(a), event: 'click', costMicros: 0 },
      { ...imp(b), event: 'conversion', costMicros: 0, valueMicros: 30_000_000 },
    ]);
    expect(res.json()).toMatchObject({ recorded: 7 });
    return { sport };
  }

  it('reports reach, frequency, CTR, conversion rate and CPA per segment and campaign', async () => {
    const { sport } = await seedKnownDataset();
    const body = await report();
    expect(body).toMatchObject({
      from: '2026-02-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      minSegmentSize: 1,
      attributionLookbackDays: 30,
    });
    expect(body.rows).toEqual([
      {
        segmentId: sport,
        segmentName: 'sport fans',
        campaign: 'c1',
        suppressed: false,
        reach: 3,
        impressions: 4,
        frequency: 1.333333,
        clicks: 1,
        ctr: 0.25,
        conversions: 1,
        conversionRate: 0.25,
        costMicros: 6_000,
        cpaMicros: 6_000,
        valueMicros: 30_000_000,
        roas: 5000,
      },
      expect.objectContaining({ campaign: 'c2', reach: 1, impressions: 1, cpaMicros: null }),
    ]);
    expect(body.totals).toEqual([
      expect.objectContaining({
        segmentId: sport,
        suppressed: false,
        campaigns: 2,
        suppressedCampaigns: 0,
        reach: 3,
        impressions: 5,
        costMicros: 7_500,
      }),
    ]);
    // Filters and the period bound what is counted.
    expect((await report('&campaign=c2')).rows).toHaveLength(1);
    const before = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dmp/reports/media?from=2026-02-01&to=2026-02-28',
      headers: await t.tokenFor('analyst').then((tok) => ({ authorization: `Bearer ${tok}` })),
    });
    expect(before.json()).toMatchObject({ rows: [], totals: [] });
  });

  it('suppresses rows under the minimum size, and keeps them out of the segment totals', async () => {
    const { sport } = await seedKnownDataset();
    t.runtime.config.minSegmentSize = 2;
    const body = await report();
    expect(body.rows.map((r: { campaign: string; suppressed: boolean }) => r.suppressed)).toEqual([
      false,
      true,
    ]);
    expect(body.rows[1]).toMatchObject({ campaign: 'c2', reach: null, impressions: null });
    // The total covers c1 only: subtracting c1 from it gives nothing away about c2.
    expect(body.totals).toEqual([
      expect.objectContaining({
        segmentId: sport,
        campaigns: 1,
        suppressedCampaigns: 1,
        impressions: 4,
      }),
    ]);
    t.runtime.config.minSegmentSize = 4;
    const hidden = await report();
    expect(hidden.rows.every((r: { suppressed: boolean }) => r.suppressed)).toBe(true);
    expect(hidden.totals).toEqual([
      expect.objectContaining({ suppressed: true, reach: null, campaigns: 0 }),
    ]);
  });

  it('refuses malformed report parameters with a 4xx', async () => {
    await open();
    for (const query of ['from=yesterday', 'from=2026-03-02&to=2026-03-01', 'campaign=a%20b']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/dmp/reports/media?${query}`,
        headers: t.advertiser,
      });
      expect(res.statusCode).toBe(400);
    }
  });

  it('opt-out, ID retention and the age purge delete the rows keyed by the ID', async () => {
    const { sport } = await open();
    const [a, b, c] = [await visitor('sport'), await visitor('sport'), await visitor('sport')];
    for (const id of [a, b, c]) await mediaPixel(`e=impression&cmp=c1&cr=k1&seg=${sport}`, id);
    await t.app.inject({
      method: 'GET',
      url: '/dmp/v1/optout',
      headers: { cookie: `triad_dmp_id=${a}` },
    });
    expect((await hits()).map((r) => r.dmp_id)).toEqual([b, c]);
    // c stays active: its rows go by age (b's too); the retention run purges b and the rest.
    clock.advance(121 * DAY_MS);
    await t.pixel('page=sport', c);
    const deps = { db: t.testStore.store.db, clock, dmp: t.runtime };
    expect(await purgeOldMediaHits(deps)).toBe(2);
    await mediaPixel(`e=impression&cmp=c1&cr=k1&seg=${sport}`, c);
    clock.advance(121 * DAY_MS);
    await t.pixel('page=sport', c);
    expect(await t.runtime.runRetention()).toMatchObject({ purgedIds: 1, purgedMediaHits: 1 });
    expect(await hits()).toEqual([]);
    expect(await t.testStore.store.db.selectFrom('dmp_ids').select('id').execute()).toEqual([
      { id: c },
    ]);
  });
});
