import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { enginesUnderTest } from '../helpers/stores.js';

const json = { 'content-type': 'application/json' };
const basic = (key: string) => ({
  authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
});

const plan = (mode: string) => ({
  mode,
  track: {
    'Order Completed': {
      type: 'object',
      properties: { total: { type: 'number' }, currency: { type: 'string' } },
      required: ['total'],
    },
  },
  identify: { type: 'object', properties: { email: { type: 'string' } } },
});

describe.each(enginesUnderTest())('tracking plans on $name', (engine) => {
  let t: TestApp;
  let marketer: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({ testStore: await engine.open() });
    marketer = bearer(await t.tokenFor('marketer'));
  });
  afterAll(() => t.close());

  async function newSource() {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...marketer, ...json },
      payload: { name: 'shop' },
    });
    return created.json() as { id: string; writeKey: string };
  }

  const putPlan = (id: string, body: unknown) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/sources/${id}/tracking-plan`,
      headers: { ...marketer, ...json },
      payload: JSON.stringify(body),
    });

  const send = (writeKey: string, batch: unknown[]) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { ...json, ...basic(writeKey) },
      payload: { batch },
    });

  async function stored(sourceId: string, messageId: string) {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/events?sourceId=${sourceId}&messageId=${messageId}`,
      headers: marketer,
    });
    return r.json().data as { payload: { properties: Record<string, unknown> } }[];
  }

  it('creates, reads, versions and deletes a plan', async () => {
    const source = await newSource();
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sources/${source.id}/tracking-plan`,
      headers: marketer,
    });
    expect(missing.statusCode).toBe(404);
    const first = await putPlan(source.id, plan('flag'));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ sourceId: source.id, version: 1, mode: 'flag' });
    const second = await putPlan(source.id, plan('block'));
    expect(second.json()).toMatchObject({ version: 2, mode: 'block' });
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sources/${source.id}/tracking-plan`,
      headers: marketer,
    });
    expect(read.json()).toMatchObject({
      version: 2,
      track: { 'Order Completed': { required: ['total'] } },
    });
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/sources/${source.id}/tracking-plan`,
      headers: marketer,
    });
    expect(deleted.statusCode).toBe(204);
    // Without a plan, anything goes again, at once.
    const response = await send(source.writeKey, [
      { type: 'track', userId: 'u', event: 'Anything', messageId: 'after-delete' },
    ]);
    expect(response.json()).toMatchObject({ accepted: 1, rejected: [] });
  });

  it('refuses an invalid schema, an unknown mode and an unknown source with 4xx problems', async () => {
    const source = await newSource();
    const bad = await putPlan(source.id, { mode: 'flag', track: { X: { type: 'nonsense' } } });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors?.[0]?.field).toBe('track.X');
    const mode = await putPlan(source.id, { mode: 'strict' });
    expect(problemOf(mode).code).toBe('validation_failed');
    const unknown = await putPlan('src_nope', plan('flag'));
    expect(unknown.statusCode).toBe(404);
  });

  it('flag mode accepts violating events and counts violations per event, property and kind', async () => {
    const source = await newSource();
    await putPlan(source.id, plan('flag'));
    const response = await send(source.writeKey, [
      {
        type: 'track',
        userId: 'u',
        event: 'Order Completed',
        messageId: 'f1',
        properties: { total: '9' },
      },
      {
        type: 'track',
        userId: 'u',
        event: 'Order Completed',
        messageId: 'f2',
        properties: { total: 'x' },
      },
      {
        type: 'track',
        userId: 'u',
        event: 'Order Completed',
        messageId: 'f3',
        properties: { total: 1, coupon: 'A' },
      },
      { type: 'track', userId: 'u', event: 'Cart Viewed', messageId: 'f4' },
      {
        type: 'track',
        userId: 'u',
        event: 'Order Completed',
        messageId: 'f5',
        properties: { total: 2 },
      },
    ]);
    expect(response.json()).toMatchObject({ accepted: 5, rejected: [] });
    const report = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/sources/${source.id}/violations`,
        headers: marketer,
      })
    ).json();
    const counts = Object.fromEntries(
      report.counts.map(
        (c: { event: string; property: string | null; kind: string; count: number }) => [
          `${c.event}|${c.property}|${c.kind}`,
          c.count,
        ],
      ),
    );
    expect(counts).toEqual({
      'Order Completed|properties.total|type': 2,
      'Order Completed|properties.coupon|unplanned_property': 1,
      'Cart Viewed|null|unplanned_event': 1,
    });
    expect(report.examples.map((e: { messageId: string }) => e.messageId).sort()).toEqual([
      'f1',
      'f2',
      'f3',
      'f4',
    ]);
    expect(report.examples[0]).toMatchObject({ action: 'flagged' });
    const filtered = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/sources/${source.id}/violations?kind=unplanned_event`,
        headers: marketer,
      })
    ).json();
    expect(filtered.counts).toHaveLength(1);
  });

  it('omit mode stores the event without its unplanned properties', async () => {
    const source = await newSource();
    await putPlan(source.id, plan('omit'));
    await send(source.writeKey, [
      {
        type: 'track',
        userId: 'u',
        event: 'Order Completed',
        messageId: 'o1',
        properties: { total: 3, secret: 'x' },
      },
    ]);
    const [event] = await stored(source.id, 'o1');
    expect(event?.payload.properties).toEqual({ total: 3 });
  });

  it('block mode keeps valid events, rejects the others as drops (200) and keeps them for inspection', async () => {
    const source = await newSource();
    await putPlan(source.id, plan('block'));
    const response = await send(source.writeKey, [
      {
        type: 'track',
        userId: 'u',
        event: 'Order Completed',
        messageId: 'b1',
        properties: { total: 1 },
      },
      { type: 'track', userId: 'u', event: 'Unknown Event', messageId: 'b2' },
      { type: 'track', userId: 'u', event: 'Order Completed', messageId: 'b3', properties: {} },
    ]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      accepted: 1,
      rejected: [
        { index: 1, messageId: 'b2', code: 'tracking_plan_unplanned_event' },
        { index: 2, messageId: 'b3', code: 'tracking_plan_violation' },
      ],
    });
    expect(await stored(source.id, 'b1')).toHaveLength(1);
    expect(await stored(source.id, 'b2')).toHaveLength(0);
    const rejected = await t.app.inject({
      method: 'GET',
      url: `/api/v1/events/rejected?sourceId=${source.id}`,
      headers: marketer,
    });
    expect(
      rejected
        .json()
        .data.map((r: { code: string }) => r.code)
        .sort(),
    ).toEqual(['tracking_plan_unplanned_event', 'tracking_plan_violation']);
    // A single blocked event is a success for the sender (Segment answers it the same way).
    const single = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { ...json, ...basic(source.writeKey) },
      payload: { userId: 'u', event: 'Unknown Event', messageId: 'b4' },
    });
    expect(single.statusCode).toBe(200);
    expect(single.json()).toMatchObject({
      accepted: 0,
      rejected: [{ code: 'tracking_plan_unplanned_event' }],
    });
  });

  it('still answers 400 when a batch holds only invalid events', async () => {
    const source = await newSource();
    await putPlan(source.id, plan('block'));
    const response = await send(source.writeKey, [{ type: 'track', userId: 'u' }]);
    expect(response.statusCode).toBe(400);
  });
});
