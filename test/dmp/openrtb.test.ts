import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildGppString,
  buildTcString,
  fullConsentTcString,
} from '../../src/privacy/consent/consent-fixtures.js';
import { problemOf } from '../helpers/app.js';
import { type DmpTestApp, dmpApp, dmpCookie } from './helpers.js';

const domain = 'dmp.triad.test';

/** A realistic 2.6 BidRequest with fields the DMP must leave alone. */
function bidRequest(user: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    id: 'auction-1',
    at: 1,
    tmax: 120,
    cur: ['USD', 'EUR'],
    imp: [
      {
        id: '1',
        banner: { format: [{ w: 300, h: 250 }], pos: 1 },
        bidfloor: 0.75,
        bidfloorcur: 'USD',
        ext: { prebid: { bidder: { appnexus: { placementId: 123 } } } },
      },
    ],
    site: {
      id: 's1',
      domain: 'news.example',
      page: 'https://news.example/a',
      publisher: { id: 'p1' },
    },
    device: { ua: 'Mozilla/5.0', devicetype: 2, js: 1, geo: { country: 'FRA' } },
    source: {
      tid: 'tid-1',
      schain: { complete: 1, nodes: [{ asi: 'x.com', sid: '1', hp: 1 }], ver: '1.0' },
    },
    user: { ...user, ext: { keep: [1, 2, { deep: null }] } },
    ext: { prebid: { channel: { name: 'pbjs' } } },
    ...extra,
  };
}

describe('OpenRTB 2.6 enrichment', () => {
  let t: DmpTestApp;
  let id: string;
  beforeEach(async () => {
    t = await dmpApp({ dmp: { domain } });
    const trait = await t.trait({
      name: 'autos',
      rule: { conditions: [{ key: 'cat', op: 'eq', value: 'auto' }] },
    });
    await t.segment({ name: 'auto intenders', expression: trait, taxonomyIds: [3, 1_000] });
    await t.segment({ name: 'not mapped', expression: trait });
    id = dmpCookie(await t.pixel('cat=auto')) ?? '';
  });
  afterEach(() => t.close());

  const rtb = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/dmp/v1/openrtb',
      headers: { ...t.advertiser, ...headers },
      payload: payload as Record<string, unknown>,
    });

  it('adds user.data with segtax 4 and leaves every other field untouched', async () => {
    const request = bidRequest({
      id: 'exchange-user',
      data: [{ id: 'other-dmp', segment: [{ id: '77' }] }],
      eids: [
        { source: 'id5-sync.com', uids: [{ id: 'ID5-x', atype: 1 }] },
        { source: domain, uids: [{ id, atype: 1 }] },
      ],
    });
    const res = await rtb(request);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const expected = structuredClone(request);
    expected.user = {
      ...expected.user,
      data: [
        { id: 'other-dmp', segment: [{ id: '77' }] },
        { name: domain, ext: { segtax: 4 }, segment: [{ id: '3' }, { id: '1000' }] },
      ],
    } as typeof expected.user;
    expect(body).toStrictEqual(expected);
  });

  it('falls back to buyeruid, then user.id; unknown IDs leave the request unchanged', async () => {
    for (const user of [{ buyeruid: id }, { id }]) {
      const res = await rtb(bidRequest(user));
      expect(res.json().user.data).toEqual([
        { name: domain, ext: { segtax: 4 }, segment: [{ id: '3' }, { id: '1000' }] },
      ]);
    }
    const unknown = bidRequest({ buyeruid: 'td_00000000000000000000000000' });
    expect((await rtb(unknown)).json()).toStrictEqual(unknown);
    const noUser = bidRequest({});
    expect((await rtb(noUser)).json()).toStrictEqual(noUser);
  });

  it.each([
    ['gdpr=1 without consent', { regs: { gdpr: 1 } }, {}],
    [
      'gdpr=1 without Purpose 4',
      { regs: { gdpr: 1 } },
      { consent: buildTcString({ purposeConsents: [1, 3] }) },
    ],
    [
      'a US sale opt-out in GPP',
      { regs: { gpp: buildGppString({ usnat: { SaleOptOut: 1 } }), gpp_sid: [7] } },
      {},
    ],
    ['device.lmt = 1', { device: { lmt: 1 } }, {}],
  ])('%s: nothing is added', async (_what, extra, userExtra) => {
    const request = bidRequest({ buyeruid: id, ...userExtra }, extra);
    expect((await rtb(request)).json()).toStrictEqual(request);
  });

  it('gdpr=1 with full consent activates', async () => {
    const request = bidRequest(
      { buyeruid: id, consent: fullConsentTcString() },
      { regs: { gdpr: 1 } },
    );
    expect((await rtb(request)).json().user.data).toHaveLength(1);
  });

  it.each([
    ['not JSON', '{"id": "x", imp: [', 'malformed_json'],
    ['an array', '[1,2]', 'validation_failed'],
    ['no imp', '{"id":"x"}', 'bad_request'],
    ['user as a string', '{"id":"x","imp":[{}],"user":"u"}', 'bad_request'],
    [
      'a broken consent string',
      '{"id":"x","imp":[{}],"regs":{"gdpr":1},"user":{"consent":"%%%"}}',
      'bad_request',
    ],
  ])('%s is a 400', async (_what, payload, code) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/dmp/v1/openrtb',
      headers: { ...t.advertiser, 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).code).toBe(code);
  });

  it('the ID lookup answers the same segments and honours consent', async () => {
    const found = await t.segmentsOf(id);
    expect(found.taxonomyIds).toEqual([3, 1000]);
    expect(found.segments).toHaveLength(2);
    const denied = await t.app.inject({
      method: 'GET',
      url: `/dmp/v1/ids/${id}/segments?gdpr=1`,
      headers: t.advertiser,
    });
    expect(denied.json()).toEqual({ id, segments: [], taxonomyIds: [] });
  });
});
