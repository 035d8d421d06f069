import { afterEach, describe, expect, it } from 'vitest';
import { enginesUnderTest } from '../helpers/stores.js';
import { type DmpTestApp, dmpApp } from './helpers.js';

describe.each(enginesUnderTest())('DMP reach and minimum sizes on $name', (engine) => {
  let t: DmpTestApp;
  afterEach(() => t.close());

  async function setup() {
    t = await dmpApp({ testStore: await engine.open(), dmp: { minSegmentSize: 50 } });
    const a = await t.trait({ name: 'a', rule: { conditions: [{ key: 'a', op: 'exists' }] } });
    const b = await t.trait({ name: 'b', rule: { conditions: [{ key: 'b', op: 'exists' }] } });
    const big = await t.segment({ name: 'big', expression: a });
    const small = await t.segment({ name: 'small', expression: b });
    const signals = Array.from({ length: 120 }, (_, i) => ({
      id: { type: 'ifa', value: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}` },
      // 120 IDs realize a; 40 of them (i < 40) realize b too.
      signals: i < 40 ? { a: 1, b: 1 } : { a: 1 },
    }));
    const res = await t.app.inject({
      method: 'POST',
      url: '/dmp/v1/signals',
      headers: t.advertiser,
      payload: { signals },
    });
    expect(res.json().recorded).toBe(120);
    return { big, small, a };
  }

  it('reports reach with an interval and suppresses segments under minSegmentSize', async () => {
    const { big, small } = await setup();
    const reach = await t.app.inject({
      method: 'GET',
      url: `/api/v1/dmp/segments/${big}/reach`,
      headers: await t.tokenFor('analyst').then((tok) => ({ authorization: `Bearer ${tok}` })),
    });
    expect(reach.json()).toEqual({
      segmentId: big,
      suppressed: false,
      reach: { estimate: 120, low: 120, high: 120, confidence: 0.95, exact: true },
    });
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/api/v1/dmp/segments/${small}/reach`,
      headers: t.advertiser,
    });
    expect(hidden.json()).toEqual({ segmentId: small, suppressed: true, reach: null });

    const report = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dmp/reports/segments',
      headers: t.advertiser,
    });
    expect(report.json()).toEqual({
      minSegmentSize: 50,
      data: expect.arrayContaining([
        { segmentId: big, name: 'big', suppressed: false, count: 120 },
        { segmentId: small, name: 'small', suppressed: true, count: null },
      ]),
    });
    // The overlap involves a suppressed segment: suppressed too.
    const overlap = await t.app.inject({
      method: 'GET',
      url: `/api/v1/dmp/segments/${big}/overlap?with=${small}`,
      headers: t.advertiser,
    });
    expect(overlap.json()).toMatchObject({ suppressed: true, overlap: null });
  });

  it('reports the overlap of two large enough segments', async () => {
    const { big, a } = await setup();
    const twin = await t.segment({ name: 'twin', expression: `${a} AND recency(${a}) <= 30d` });
    const overlap = await t.app.inject({
      method: 'GET',
      url: `/api/v1/dmp/segments/${big}/overlap?with=${twin}`,
      headers: t.advertiser,
    });
    // `twin` was backfilled from the same 120 IDs' history.
    expect(overlap.json()).toMatchObject({
      suppressed: false,
      overlap: { estimate: 120, exact: true },
    });
  });
});
