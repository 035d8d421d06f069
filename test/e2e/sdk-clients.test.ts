import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The official SDKs, unmodified, against a listening Triad. A small fault-injecting proxy sits
 * in front when a test needs the server to fail first (500s, 429s): Triad itself is real.
 */
let t: TestApp;
let triadUrl: string;

beforeAll(async () => {
  t = await createTestApp();
  triadUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

async function newSource(name: string): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { ...bearer(t.adminToken), 'content-type': 'application/json' },
    payload: { name },
  });
  return response.json().writeKey;
}

async function eventsOf(writeKey: string) {
  const sources = (
    await t.app.inject({
      method: 'GET',
      url: '/api/v1/sources?limit=200',
      headers: bearer(t.adminToken),
    })
  ).json();
  const source = sources.data.find((s: { writeKey: string }) => s.writeKey === writeKey);
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/events?limit=200&sourceId=${source.id}`,
    headers: bearer(t.adminToken),
  });
  return response.json().data as {
    type: string;
    messageId: string;
    userId: string | null;
    event: string | null;
  }[];
}

interface FaultProxy {
  url: string;
  seen: { path: string; retryCount: string | undefined }[];
  close(): Promise<void>;
}

/** Answers the first failures with the given responses, then forwards to Triad byte for byte. */
async function faultProxy(
  failures: { status: number; headers?: Record<string, string> }[],
): Promise<FaultProxy> {
  const seen: FaultProxy['seen'] = [];
  const queue = [...failures];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({
      path: req.url ?? '',
      retryCount: req.headers['x-retry-count'] as string | undefined,
    });
    const failure = queue.shift();
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
      res.end('{"error":"injected"}');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length')
        headers[name] = value;
    }
    const upstream = await fetch(`${triadUrl}${req.url}`, {
      method: req.method ?? 'POST',
      headers,
      body: Buffer.concat(chunks),
    });
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function sendWithSegment(host: string, writeKey: string) {
  const analytics = new SegmentAnalytics({ writeKey, host, flushAt: 5, maxRetries: 5 });
  analytics.identify({ userId: 'u-42', traits: { email: ' Ada@Example.COM ', plan: 'pro' } });
  analytics.track({ userId: 'u-42', event: 'Order Completed', properties: { total: 99.5 } });
  analytics.page({
    userId: 'u-42',
    name: 'Pricing',
    properties: { url: 'https://shop.example/pricing?utm_source=news' },
  });
  analytics.group({ userId: 'u-42', groupId: 'acme', traits: { name: 'Acme' } });
  analytics.alias({ userId: 'u-42', previousId: 'anon-7' });
  await analytics.closeAndFlush({ timeout: 20_000 });
}

function sendWithRudder(dataPlaneUrl: string, writeKey: string): Promise<void> {
  const client = new RudderAnalytics(writeKey, {
    dataPlaneUrl,
    flushAt: 5,
    flushInterval: 100,
    logLevel: 'error',
  });
  client.identify({ userId: 'r-1', traits: { email: 'grace@example.com' } });
  client.track({ userId: 'r-1', event: 'Signed Up', properties: { plan: 'free' } });
  client.page({ userId: 'r-1', name: 'Home' });
  client.group({ userId: 'r-1', groupId: 'navy' });
  client.alias({ userId: 'r-1', previousId: 'anon-r' });
  return new Promise((resolve, reject) =>
    client.flush((error?: Error) => (error ? reject(error) : resolve())),
  );
}

const expectedTypes = ['alias', 'group', 'identify', 'page', 'track'];

describe('@segment/analytics-node', () => {
  it('delivers identify, track, page, group and alias exactly once', async () => {
    const writeKey = await newSource('segment node');
    await sendWithSegment(triadUrl, writeKey);
    const events = await eventsOf(writeKey);
    expect(events.map((e) => e.type).sort()).toEqual(expectedTypes);
    const identify = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/events?type=identify&userId=u-42',
        headers: bearer(t.adminToken),
      })
    ).json();
    expect(identify.data[0].payload.traits.email).toBe('ada@example.com');
  });

  it('stores each message once when the server answers 500 twice before 200', async () => {
    const writeKey = await newSource('segment node 500');
    const proxy = await faultProxy([{ status: 500 }, { status: 500 }]);
    try {
      await sendWithSegment(proxy.url, writeKey);
      expect(proxy.seen.length).toBeGreaterThanOrEqual(3);
      expect(proxy.seen.some((s) => s.retryCount !== undefined)).toBe(true);
    } finally {
      await proxy.close();
    }
    const events = await eventsOf(writeKey);
    expect(events.map((e) => e.type).sort()).toEqual(expectedTypes);
    expect(new Set(events.map((e) => e.messageId)).size).toBe(5);
  });

  it('waits out a 429 with Retry-After and then delivers once', async () => {
    const writeKey = await newSource('segment node 429');
    const proxy = await faultProxy([{ status: 429, headers: { 'retry-after': '1' } }]);
    try {
      await sendWithSegment(proxy.url, writeKey);
      expect(proxy.seen.length).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.close();
    }
    expect((await eventsOf(writeKey)).map((e) => e.type).sort()).toEqual(expectedTypes);
  });
});

describe('@rudderstack/rudder-sdk-node', () => {
  it('delivers its gzip batches exactly once', async () => {
    const writeKey = await newSource('rudder node');
    await sendWithRudder(triadUrl, writeKey);
    const events = await eventsOf(writeKey);
    expect(events.map((e) => e.type).sort()).toEqual(expectedTypes);
  });

  it('stores each message once when the server answers 500 twice before 200', async () => {
    const writeKey = await newSource('rudder node 500');
    const proxy = await faultProxy([{ status: 500 }, { status: 500 }]);
    try {
      await sendWithRudder(proxy.url, writeKey);
      expect(proxy.seen.length).toBeGreaterThanOrEqual(3);
    } finally {
      await proxy.close();
    }
    const events = await eventsOf(writeKey);
    expect(events.map((e) => e.type).sort()).toEqual(expectedTypes);
    expect(new Set(events.map((e) => e.messageId)).size).toBe(5);
  });
});
