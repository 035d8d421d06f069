import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, problemOf, type TestApp } from '../helpers/app.js';

/**
 * Generated hostile input against the real app through inject(): every answer is a 4xx
 * problem+json with a reason, or a 200 that names each rejected item; never a 5xx; and the
 * valid events of a batch are stored whatever sits beside them.
 */
let t: TestApp;
let writeKey: string;
const maxRequestBytes = 256 * 1024;

beforeAll(async () => {
  t = await createTestApp({ collect: { maxRequestBytes } });
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { ...bearer(t.adminToken), 'content-type': 'application/json' },
    payload: { name: 'fuzz' },
  });
  writeKey = created.json().writeKey;
});
afterAll(() => t.close());

const auth = () => ({ authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` });
const paths = [
  'track',
  'identify',
  'page',
  'screen',
  'group',
  'alias',
  'batch',
  't',
  'i',
  'p',
  'b',
];
const contentTypes = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  '',
];

function post(path: string, payload: string | Buffer, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/v1/${path}`,
    headers: { ...auth(), ...headers },
    payload,
  });
}

/** The contract every answer must keep. */
function checkAnswer(response: LightMyRequestResponse) {
  expect(response.statusCode).toBeLessThan(500);
  if (response.statusCode >= 400) {
    const problem = problemOf(response);
    expect(problem.code).toMatch(/^[a-z_]+$/);
    expect(problem.detail.length).toBeGreaterThan(0);
  } else {
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.success).toBe(true);
    for (const r of body.rejected) {
      expect(typeof r.code).toBe('string');
      expect(r.reason.length).toBeGreaterThan(0);
    }
  }
}

async function storedIds(ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await t.testStore.store.db
    .selectFrom('events')
    .select('message_id')
    .where('message_id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.message_id));
}

let counter = 0;
const validEvent = fc
  .record({ n: fc.integer(), s: fc.string({ maxLength: 40 }) })
  .map((properties) => ({
    type: 'track',
    event: 'Fuzzed',
    userId: 'fuzzer',
    messageId: `fz-${counter++}`,
    properties,
  }));

const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
  'a'.repeat(500),
);
const nested = (depth: number) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { d: value };
  return value;
};
const garbageItem = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ type: fc.jsonValue({ maxDepth: 1 }), userId: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({
    type: fc.constantFrom('track', 'identify', 'group', 'alias'),
    userId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    event: fc.oneof(fc.string(), fc.constant(undefined)),
    timestamp: fc.oneof(
      fc.string(),
      fc.integer(),
      fc.date().map((d) => d.toString()),
    ),
    properties: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.integer())),
  }),
  hostileKey.map((key) =>
    JSON.parse(
      `{"type":"track","userId":"u","event":"e","properties":{${JSON.stringify(key)}:{"x":1}}}`,
    ),
  ),
  fc
    .integer({ min: 33, max: 80 })
    .map((depth) => ({ type: 'identify', userId: 'u', traits: nested(depth) })),
  fc
    .integer({ min: 16_385, max: 40_000 })
    .map((n) => ({ type: 'identify', userId: 'u', traits: { big: 'x'.repeat(n) } })),
);

describe('collection endpoints under generated input', () => {
  it('keeps the valid events of batches mixed with garbage', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            validEvent.map((e) => ({ valid: true as const, e })),
            garbageItem.map((e) => ({ valid: false as const, e })),
          ),
          {
            maxLength: 12,
          },
        ),
        fc.constantFrom('batch', 'b'),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        fc.boolean(),
        async (items, path, contentType, gzip) => {
          const text = JSON.stringify({
            batch: items.map((i) => i.e),
            context: { library: { name: 'fuzz' } },
          });
          const payload = gzip ? gzipSync(text) : text;
          const response = await post(path, payload, {
            'content-type': contentType,
            ...(gzip ? { 'content-encoding': 'gzip' } : {}),
          });
          checkAnswer(response);
          const valid = items
            .filter((i) => i.valid)
            .map((i) => String((i.e as { messageId: string }).messageId));
          if (valid.length > 0) {
            expect(response.statusCode).toBe(200);
            expect(await storedIds(valid)).toEqual(new Set(valid));
          }
          if (response.statusCode === 200) {
            const body = response.json();
            expect(body.accepted + body.duplicates + body.rejected.length).toBe(items.length);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers any JSON value on any endpoint and content type without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 5 }),
        fc.constantFrom(...paths),
        fc.constantFrom(...contentTypes),
        async (value, path, contentType) => {
          const response = await post(
            path,
            JSON.stringify(value) ?? '',
            contentType ? { 'content-type': contentType } : {},
          );
          checkAnswer(response);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers random bytes, invalid UTF-8 and broken compression with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 600 }),
        fc.constantFrom('', 'gzip', 'deflate', 'br', 'compress', 'identity'),
        fc.constantFrom(...paths),
        async (bytes, encoding, path) => {
          const response = await post(path, Buffer.from(bytes), {
            'content-type': 'application/json',
            ...(encoding ? { 'content-encoding': encoding } : {}),
          });
          checkAnswer(response);
        },
      ),
      { numRuns: 150 },
    );
  });

  const valid = JSON.stringify({ type: 'track', userId: 'u', event: 'e' });
  const table: [string, string, string | Buffer, Record<string, string>, number][] = [
    ['an empty body', 'track', '', { 'content-type': 'application/json' }, 400],
    ['a JSON null', 'track', 'null', { 'content-type': 'application/json' }, 400],
    ['a bare string', 'batch', '"batch"', { 'content-type': 'text/plain' }, 400],
    ['invalid JSON', 'track', '{"type": "track",', { 'content-type': 'application/json' }, 400],
    [
      'invalid UTF-8 inside a string',
      'track',
      Buffer.concat([
        Buffer.from('{"type":"track","userId":"'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('","event":"e"}'),
      ]),
      { 'content-type': 'application/json' },
      400,
    ],
    [
      'a lone surrogate escape (valid JSON)',
      'track',
      '{"type":"track","userId":"\\ud800","event":"e"}',
      { 'content-type': 'application/json' },
      200,
    ],
    [
      'truncated gzip',
      'track',
      gzipSync(valid).subarray(0, 12),
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      400,
    ],
    [
      'gzip label on plain text',
      'track',
      valid,
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      400,
    ],
    [
      'an unknown encoding',
      'track',
      valid,
      { 'content-type': 'application/json', 'content-encoding': 'zstd' },
      415,
    ],
    [
      'a top-level __proto__',
      'track',
      '{"__proto__":{"admin":true},"type":"track","userId":"u","event":"e"}',
      { 'content-type': 'application/json' },
      400,
    ],
    [
      'a constructor.prototype key',
      'identify',
      '{"type":"identify","userId":"u","traits":{"constructor":{"prototype":{"x":1}}}}',
      { 'content-type': 'application/json' },
      400,
    ],
    [
      'nesting 5,000 deep',
      'identify',
      `{"type":"identify","userId":"u","traits":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
      { 'content-type': 'application/json' },
      400,
    ],
    [
      'a string over the request limit',
      'track',
      JSON.stringify({ type: 'track', userId: 'u', event: 'x'.repeat(maxRequestBytes) }),
      { 'content-type': 'application/json' },
      413,
    ],
    [
      'a gzip bomb',
      'track',
      gzipSync(Buffer.alloc(20 * maxRequestBytes, 32)),
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      413,
    ],
    [
      'a batch of 3,000 items',
      'batch',
      JSON.stringify({ batch: Array.from({ length: 3_000 }, () => 1) }),
      { 'content-type': 'application/json' },
      400,
    ],
    [
      'a batch that is an object',
      'batch',
      '{"batch":{"0":{}}}',
      { 'content-type': 'application/json' },
      400,
    ],
    ['an XML body', 'track', '<track userId="u"/>', { 'content-type': 'application/xml' }, 400],
    [
      'a form body',
      'track',
      'type=track&userId=u&event=e',
      { 'content-type': 'application/x-www-form-urlencoded' },
      400,
    ],
    [
      'wrong field types',
      'track',
      '{"type":"track","userId":12,"event":["e"],"properties":"x"}',
      { 'content-type': 'application/json' },
      400,
    ],
    [
      'a NUL-laden event name',
      'track',
      JSON.stringify({ type: 'track', userId: 'u', event: 'a\u0000b' }),
      { 'content-type': 'application/json' },
      200,
    ],
  ];

  it.each(table)('answers %s', async (_name, path, payload, headers, status) => {
    const response = await post(path, payload, headers);
    checkAnswer(response);
    expect(response.statusCode).toBe(status);
  });

  it('is still up and collecting afterwards', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const response = await post(
      'track',
      JSON.stringify({ type: 'track', userId: 'u', event: 'after', messageId: 'after-fuzz' }),
      {
        'content-type': 'application/json',
      },
    );
    expect(response.json()).toMatchObject({ accepted: 1 });
    expect(await storedIds(['after-fuzz'])).toEqual(new Set(['after-fuzz']));
  });
});
