import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs } from '../../src/cdp/destinations/delivery.worker.js';
import { addressAllowed, allowListOf } from '../../src/cdp/destinations/egress.js';
import { type AudienceHarness, audienceHarness } from './harness.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** A webhook receiver: answers each path with the statuses queued for it (then 200). */
function receiver() {
  const received: Received[] = [];
  const script = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body, at: Date.now() });
      const status = script.get(path)?.shift() ?? 200;
      res.writeHead(status).end();
    });
  });
  return { server, received, script };
}

type Delivery = {
  id: string;
  status: string;
  attempts: number;
  messageId: string;
  payload: Record<string, unknown>;
  log: { statusCode: number | null; latencyMs: number; error: string | null }[];
};

describe('destinations', () => {
  let h: AudienceHarness;
  const r = receiver();
  let base = '';
  const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((res) => setTimeout(res, 20));
    }
  };
  const createDestination = async (body: Record<string, unknown>) => {
    const res = await h.api<{ id: string; secret: string }>('POST', '/api/v1/destinations', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const log = async (id: string, status?: string) =>
    (
      await h.api<{ data: Delivery[] }>(
        'GET',
        `/api/v1/destinations/${id}/deliveries${status ? `?status=${status}` : ''}`,
      )
    ).body.data;

  beforeAll(async () => {
    await new Promise<void>((res) => r.server.listen(0, '127.0.0.1', res));
    base = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}`;
    h = await audienceHarness({
      consumer: { delivery: { baseBackoffMs: 30, maxBackoffMs: 100, pollMs: 30 } },
    });
  });
  afterAll(async () => {
    await h.close();
    await new Promise((res) => r.server.close(res));
  });

  it('refuses private addresses until an admin allow-lists them (resolved IPs are checked)', async () => {
    const d = await createDestination({
      name: 'local',
      kind: 'events',
      url: `${base}/blocked`,
      settings: { consentPurpose: 'none' },
    });
    await h.send([{ type: 'track', userId: 'ssrf', event: 'Ping' }]);
    await h.drain();
    await until(async () => (await log(d.id, 'dead')).length === 1);
    const [dead] = await log(d.id, 'dead');
    expect(dead?.log[0]?.error).toContain('egress refused');
    expect(r.received.filter((x) => x.path === '/blocked')).toEqual([]);
    // `localhost` resolves to loopback: refused by address, whatever the name says.
    const allow = allowListOf([]);
    expect(addressAllowed('localhost', '127.0.0.1', allow)).toBe(false);
    expect(addressAllowed('evil.example', '169.254.169.254', allow)).toBe(false);
    expect(addressAllowed('x', '::ffff:10.0.0.1', allow)).toBe(false);
    expect(addressAllowed('example.com', '93.184.215.14', allow)).toBe(true);
    expect(addressAllowed('x', '10.1.2.3', allowListOf(['10.0.0.0/8']))).toBe(true);
    // Admin-only allow-list; after it, the dead letter is redriven and delivered.
    const marketer = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/destinations/egress-allowlist',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      payload: { entry: '127.0.0.1/32' },
    });
    expect(marketer.statusCode).toBe(403);
    expect(
      (await h.api('POST', '/api/v1/destinations/egress-allowlist', { entry: '127.0.0.1/32' }))
        .status,
    ).toBe(204);
    expect(
      (await h.api<{ redriven: number }>('POST', `/api/v1/destinations/${d.id}/redrive`, {})).body
        .redriven,
    ).toBe(1);
    await until(() => r.received.some((x) => x.path === '/blocked'));
    await h.api('DELETE', `/api/v1/destinations/${d.id}`);
  });

  it('delivers signed, idempotent event messages with filters, mappings and consent', async () => {
    const d = await createDestination({
      name: 'orders',
      kind: 'events',
      url: `${base}/events`,
      settings: {
        events: ['Order Completed'],
        where: [{ path: 'properties.total', op: 'gte', value: 10 }],
        mappings: [
          { to: 'order.total', from: 'properties.total' },
          { to: 'user', from: 'userId' },
          { to: 'source', value: 'triad' },
        ],
        consentPurpose: 'advertising',
      },
    });
    await h.send([
      // Consent through context.consent (a consent manager's categories).
      {
        type: 'track',
        userId: 'c1',
        event: 'Order Completed',
        properties: { total: 20 },
        context: { consent: { categoryPreferences: { Advertising: true } } },
      },
      // Consent through the profile trait `consent`.
      { type: 'identify', userId: 'c2', traits: { consent: { advertising: true } } },
      { type: 'track', userId: 'c2', event: 'Order Completed', properties: { total: 30 } },
      // Refused, or no consent record: never sent.
      {
        type: 'track',
        userId: 'c3',
        event: 'Order Completed',
        properties: { total: 40 },
        context: { consent: { categoryPreferences: { Advertising: false } } },
      },
      { type: 'track', userId: 'c4', event: 'Order Completed', properties: { total: 50 } },
      // Filtered out.
      { type: 'track', userId: 'c1', event: 'Order Completed', properties: { total: 5 } },
      { type: 'track', userId: 'c1', event: 'Viewed', properties: { total: 99 } },
    ]);
    await h.drain();
    await until(() => r.received.filter((x) => x.path === '/events').length === 2);
    const got = r.received.filter((x) => x.path === '/events');
    expect(got.map((x) => JSON.parse(x.body).user).sort()).toEqual(['c1', 'c2']);
    for (const x of got) {
      const body = JSON.parse(x.body);
      expect(body).toMatchObject({ source: 'triad', order: { total: expect.any(Number) } });
      expect(x.headers['idempotency-key']).toBe(body.messageId);
      const ts = String(x.headers['x-triad-timestamp']);
      const expected = `v1=${createHmac('sha256', d.secret).update(`${ts}.${x.body}`).digest('hex')}`;
      expect(x.headers['x-triad-signature']).toBe(expected);
      expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    }
    await h.api('DELETE', `/api/v1/destinations/${d.id}`);
  });

  it('lets the consent store decide over the signals on events when it holds a decision', async () => {
    const d = await createDestination({
      name: 'ads',
      kind: 'events',
      url: `${base}/store-consent`,
      settings: { events: ['Order Completed'], consentPurpose: 'advertising' },
    });
    // s1 refused advertising through the API; s2 granted it; both send events whose consent
    // manager says the opposite.
    for (const [user, granted] of [
      ['s1', false],
      ['s2', true],
    ] as const) {
      const put = await h.api('PUT', `/api/v1/profiles/user_id:${user}/consents`, {
        decisions: [{ purpose: 'advertising', granted }],
      });
      expect(put.status).toBe(200);
    }
    await h.send([
      {
        type: 'track',
        userId: 's1',
        event: 'Order Completed',
        context: { consent: { categoryPreferences: { Advertising: true } } },
      },
      { type: 'track', userId: 's2', event: 'Order Completed' },
    ]);
    await h.drain();
    await until(() => r.received.some((x) => x.path === '/store-consent'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const got = r.received.filter((x) => x.path === '/store-consent');
    expect(got.map((x) => JSON.parse(x.body).userId)).toEqual(['s2']);
    await h.api('DELETE', `/api/v1/destinations/${d.id}`);
  });

  it('retries with backoff, dead-letters after max attempts and redrives on request', async () => {
    const d = await createDestination({
      name: 'flaky',
      kind: 'audiences',
      url: `${base}/audiences`,
      settings: { consentPurpose: 'none', maxAttempts: 3, audienceMessage: 'identify' },
    });
    r.script.set('/audiences', [500, 503, 200, 400]);
    const aud = await h.api<{ id: string }>('POST', '/api/v1/audiences', {
      key: 'pingers',
      name: 'Pingers',
      text: 'performed "Ping"',
    });
    await h.ready(`/api/v1/audiences/${aud.body.id}`);
    // The backfill already found `ssrf` (who pinged before): entry 1 -> 500, 503, 200.
    await until(async () => (await log(d.id, 'delivered')).length === 1);
    const [delivered] = await log(d.id, 'delivered');
    expect(delivered?.attempts).toBe(3);
    expect(delivered?.log.map((a) => a.statusCode)).toEqual([500, 503, 200]);
    expect(delivered?.payload).toMatchObject({
      type: 'identify',
      userId: 'ssrf',
      traits: { pingers: true },
    });
    const sent = r.received.filter((x) => x.path === '/audiences');
    expect(new Set(sent.map((x) => x.headers['idempotency-key'])).size).toBe(1);
    // A 400 is not retried: straight to the dead-letter queue, then redriven.
    await h.send([{ type: 'track', userId: 'late', event: 'Ping' }]);
    await h.drain();
    await until(async () => (await log(d.id, 'dead')).length === 1);
    const [dead] = await log(d.id, 'dead');
    expect(dead?.attempts).toBe(1);
    const redrive = await h.api<{ redriven: number }>(
      'POST',
      `/api/v1/destinations/${d.id}/redrive`,
      { ids: [dead?.id] },
    );
    expect(redrive.body.redriven).toBe(1);
    await until(async () => (await log(d.id, 'delivered')).length === 2);
  });

  it('spaces retries exponentially with jitter', () => {
    const half = () => 0.5;
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 1000, 60_000, half))).toEqual([
      750, 1500, 3000, 6000, 12000,
    ]);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffMs(3, 1000, 60_000, () => 0)).toBe(2000);
  });

  it('keeps to the per-destination rate limit', async () => {
    const d = await createDestination({
      name: 'slow',
      kind: 'events',
      url: `${base}/slow`,
      settings: { events: ['Burst'], consentPurpose: 'none', ratePerSecond: 5 },
    });
    await h.send(
      Array.from({ length: 10 }, (_, i) => ({ type: 'track', userId: `b${i}`, event: 'Burst' })),
    );
    await h.drain();
    await until(() => r.received.filter((x) => x.path === '/slow').length === 10, 8000);
    const times = r.received.filter((x) => x.path === '/slow').map((x) => x.at);
    // 5 at once (the bucket), then 5 more at 5/s: at least ~0.8 s from first to last.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(700);
    await h.api('DELETE', `/api/v1/destinations/${d.id}`);
  });

  it('rejects bad destination input with a 400', async () => {
    const bad = [
      { name: 'x', kind: 'events', url: 'ftp://example.com/x' },
      {
        name: 'x',
        kind: 'events',
        url: 'https://example.com/x',
        settings: { consentPurpose: 'whatever' },
      },
      {
        name: 'x',
        kind: 'events',
        url: 'https://example.com/x',
        settings: { where: [{ path: 'a', op: 'nope', value: 1 }] },
      },
      { name: 'x', kind: 'events', url: 'https://example.com/x', settings: { unknown: 1 } },
    ];
    for (const body of bad)
      expect((await h.api('POST', '/api/v1/destinations', body)).status).toBe(400);
    expect(
      (await h.api('POST', '/api/v1/destinations/egress-allowlist', { entry: '10.0.0.0/99' }))
        .status,
    ).toBe(400);
  });
});
