import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';

let t: TestApp;
let writeKey: string;
let sourceId: string;
let marketer: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ collect: { maxRequestBytes: 64 * 1024 } });
  marketer = bearer(await t.tokenFor('marketer'));
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { ...marketer, 'content-type': 'application/json' },
    payload: { name: 'web' },
  });
  ({ writeKey, id: sourceId } = created.json());
});
afterAll(() => t.close());

const basic = (key: string) => ({
  authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
});
const json = { 'content-type': 'application/json' };

function track(messageId: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'track',
    event: 'Order Completed',
    userId: 'u-1',
    messageId,
    properties: { total: 42 },
    ...extra,
  };
}

async function storedEvents(query: string) {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/v1/events?${query}`,
    headers: marketer,
  });
  expect(response.statusCode).toBe(200);
  return response.json().data as {
    messageId: string;
    timestamp: string;
    receivedAt: string;
    payload: Record<string, unknown>;
  }[];
}

describe('collection API', () => {
  it('stores a track call authorized by Basic auth, with receivedAt and the skew-corrected timestamp', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { ...json, ...basic(writeKey) },
      payload: track('m-basic', {
        originalTimestamp: '2026-01-01T10:00:00.000Z',
        sentAt: '2026-01-01T10:00:05.000Z',
      }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, accepted: 1, duplicates: 0, rejected: [] });
    const [stored] = await storedEvents('messageId=m-basic');
    expect(stored).toBeDefined();
    const receivedAt = Date.parse(stored?.receivedAt as string);
    // timestamp = receivedAt - (sentAt - originalTimestamp): 5 s before receipt.
    expect(receivedAt - Date.parse(stored?.timestamp as string)).toBe(5000);
    expect(stored?.payload).toMatchObject({ event: 'Order Completed', properties: { total: 42 } });
  });

  it('accepts the write key in the body (Segment server libraries send both)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: json,
      payload: { ...track('m-body'), writeKey },
    });
    expect(response.statusCode).toBe(200);
  });

  it('stores a retried message once and says it was a duplicate', async () => {
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { ...json, ...basic(writeKey) },
        payload: { batch: [track('m-retry')] },
      });
    expect((await send()).json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await send()).json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await storedEvents('messageId=m-retry')).toHaveLength(1);
  });

  it('keeps the valid events of a batch and reports and keeps the invalid ones', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { ...json, ...basic(writeKey) },
      payload: JSON.stringify({
        batch: [
          track('m-ok-1'),
          { type: 'track', messageId: 'm-bad-1', userId: 'u' },
          track('m-ok-2'),
          JSON.parse(
            '{"type":"identify","userId":"u","messageId":"m-proto","traits":{"__proto__":{"admin":true}}}',
          ),
        ],
        context: { library: { name: 'test' } },
      }),
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, 'missing_field'],
      [3, 'forbidden_key'],
    ]);
    const [ok] = await storedEvents('messageId=m-ok-2');
    expect(ok?.payload).toMatchObject({ context: { library: { name: 'test' } } });
    const rejected = await t.app.inject({
      method: 'GET',
      url: `/api/v1/events/rejected?sourceId=${sourceId}`,
      headers: marketer,
    });
    const codes = rejected
      .json()
      .data.map((r: { code: string; messageId: string }) => `${r.messageId}:${r.code}`);
    expect(codes).toEqual(
      expect.arrayContaining(['m-bad-1:missing_field', 'm-proto:forbidden_key']),
    );
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('answers 400 problem+json when every event is rejected', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { ...json, ...basic(writeKey) },
      payload: { type: 'track', userId: 'u' },
    });
    expect(response.statusCode).toBe(400);
    const problem = problemOf(response);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors?.[0]?.message).toContain('missing_field');
  });

  it('reads text/plain JSON (analytics.js) and gzip JSON labelled form-urlencoded (RudderStack)', async () => {
    const plain = await t.app.inject({
      method: 'POST',
      url: '/v1/p',
      headers: { 'content-type': 'text/plain', ...basic(writeKey) },
      payload: JSON.stringify({
        type: 'page',
        name: 'Home',
        anonymousId: 'a-1',
        messageId: 'm-plain',
      }),
    });
    expect(plain.statusCode).toBe(200);
    const gz = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-encoding': 'gzip',
        ...basic(writeKey),
      },
      payload: gzipSync(JSON.stringify({ batch: [track('m-gzip')] })),
    });
    expect(gz.statusCode).toBe(200);
    expect(await storedEvents('messageId=m-gzip')).toHaveLength(1);
  });

  it.each([
    [
      'bad gzip',
      { 'content-encoding': 'gzip' },
      Buffer.from('not gzip at all'),
      400,
      'bad_request',
    ],
    [
      'a gzip bomb',
      { 'content-encoding': 'gzip' },
      gzipSync(Buffer.alloc(5_000_000, 32)),
      413,
      'payload_too_large',
    ],
    [
      'an oversized body',
      {},
      JSON.stringify({ batch: [track('x', { properties: { s: 'x'.repeat(70_000) } })] }),
      413,
      'payload_too_large',
    ],
    ['invalid UTF-8', {}, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 400, 'bad_request'],
    ['an empty body', {}, '', 400, 'malformed_json'],
    ['broken JSON', {}, '{"batch": [', 400, 'malformed_json'],
    ['an unknown encoding', { 'content-encoding': 'zstd' }, 'x', 415, 'unsupported_media_type'],
    ['a non-array batch', {}, '{"batch": {}}', 400, 'validation_failed'],
  ])('refuses %s with a clear 4xx', async (_name, headers, payload, status, code) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', ...basic(writeKey), ...headers },
      payload,
    });
    expect(response.statusCode).toBe(status);
    expect(problemOf(response).code).toBe(code);
  });

  it('answers 401 for a missing or unknown write key and 403 for a disabled source', async () => {
    const missing = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: json,
      payload: track('m-x'),
    });
    expect(missing.statusCode).toBe(401);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { ...json, ...basic('nope') },
      payload: track('m-x'),
    });
    expect(unknown.statusCode).toBe(401);
    const other = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: { ...marketer, ...json },
        payload: { name: 'old app' },
      })
    ).json();
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/sources/${other.id}`,
      headers: { ...marketer, ...json },
      payload: { enabled: false },
    });
    const disabled = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { ...json, ...basic(other.writeKey) },
      payload: track('m-x'),
    });
    expect(disabled.statusCode).toBe(403);
    expect(problemOf(disabled).code).toBe('forbidden');
  });

  it('answers CORS preflights for browser SDKs', async () => {
    const response = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/t',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example');
    const allowed = String(response.headers['access-control-allow-headers']);
    for (const header of ['authorization', 'content-type', 'x-retry-count'])
      expect(allowed).toContain(header);
  });

  it('serves analytics.js settings that point the library at this server only', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/v1/projects/${writeKey}/settings`,
      headers: { host: 'cdp.example:8080' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      integrations: {
        'Segment.io': { apiKey: writeKey, apiHost: 'cdp.example:8080/v1', protocol: 'http' },
      },
      metrics: { sampleRate: 0 },
    });
    const unknown = await t.app.inject({ method: 'GET', url: '/v1/projects/unknown/settings' });
    expect(unknown.statusCode).toBe(404);
  });

  it('answers 429 with Retry-After while more events wait for their commit than allowed', async () => {
    const small = await createTestApp({ collect: { maxPendingEvents: 100 } });
    try {
      const source = (
        await small.app.inject({
          method: 'POST',
          url: '/api/v1/sources',
          headers: { ...bearer(small.adminToken), ...json },
          payload: { name: 's' },
        })
      ).json();
      const batches = Array.from({ length: 8 }, (_, i) => ({
        batch: Array.from({ length: 60 }, (_, j) => track(`p-${i}-${j}`)),
      }));
      const responses = await Promise.all(
        batches.map((payload) =>
          small.app.inject({
            method: 'POST',
            url: '/v1/batch',
            headers: { ...json, ...basic(source.writeKey) },
            payload,
          }),
        ),
      );
      const statuses = responses.map((r) => r.statusCode);
      expect(statuses).toContain(429);
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      const limited = responses.find((r) => r.statusCode === 429);
      expect(limited?.headers['retry-after']).toBe('1');
      const acceptedCount = responses
        .filter((r) => r.statusCode === 200)
        .reduce((n, r) => n + r.json().accepted, 0);
      const stored = await small.app.inject({
        method: 'GET',
        url: '/api/v1/events?limit=200',
        headers: bearer(small.adminToken),
      });
      let total = stored.json().data.length;
      let next = stored.json().next;
      while (next) {
        const page = await small.app.inject({
          method: 'GET',
          url: `/api/v1/events?limit=200&cursor=${next}`,
          headers: bearer(small.adminToken),
        });
        total += page.json().data.length;
        next = page.json().next;
      }
      expect(total).toBe(acceptedCount);
    } finally {
      await small.close();
    }
  });
});
