import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { isPlainObject } from './json.js';
import { type NormalizeResult, normalizeBody } from './normalize.js';
import { BODY_INDEX, EVENT_TYPES, type EventType } from './types.js';

const receivedAt = new Date('2026-06-01T12:00:00.000Z');
const maxBatchItems = 20;
const limits = { maxBatchItems };

const hostileKey = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString') },
);

/** Anything JS can hold, with prototype-related keys mixed into objects. */
const anyValue = fc.anything({
  key: hostileKey,
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

const isoDate = fc
  .date({ min: new Date('1960-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Mostly the valid choice, sometimes anything: keeps accepting paths common. */
function mostly<T>(valid: fc.Arbitrary<T>, junk: fc.Arbitrary<unknown> = anyValue) {
  return fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: junk });
}

/** Message-like objects, so the test also walks the accepting paths, not only rejections. */
const messageLike = fc.record(
  {
    type: mostly(fc.constantFrom(...EVENT_TYPES), fc.oneof(fc.string(), anyValue)),
    messageId: mostly(fc.uuid(), fc.string({ maxLength: 120 })),
    userId: mostly(fc.oneof(fc.string({ minLength: 1 }), fc.integer())),
    anonymousId: mostly(fc.uuid()),
    event: mostly(fc.string({ minLength: 1 })),
    name: fc.string(),
    groupId: mostly(fc.string({ minLength: 1 })),
    previousId: mostly(fc.string({ minLength: 1 })),
    properties: mostly(fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 3 }))),
    traits: fc.record(
      { email: fc.string(), phone: fc.oneof(fc.string(), fc.constant('(415) 555-2671')) },
      { requiredKeys: [] },
    ),
    context: fc.record(
      {
        locale: fc.oneof(fc.constantFrom('en-US', 'de_DE', 'xx', ''), fc.string()),
        userAgent: fc.string(),
        ip: fc.oneof(fc.constant('198.51.100.1'), fc.string()),
        page: fc.record({ url: fc.oneof(fc.webUrl({ withQueryParameters: true }), fc.string()) }),
        campaign: mostly(fc.dictionary(fc.string(), fc.string())),
      },
      { requiredKeys: [] },
    ),
    timestamp: mostly(isoDate, fc.oneof(fc.string(), anyValue)),
    originalTimestamp: mostly(isoDate, fc.string()),
    sentAt: mostly(isoDate, fc.string()),
  },
  { requiredKeys: ['type', 'userId', 'event', 'groupId', 'previousId'] },
);

const item = fc.oneof(messageLike, anyValue, fc.jsonValue());

const batchBody = fc.record(
  {
    batch: fc.array(item, { maxLength: maxBatchItems + 3 }),
    context: fc.oneof(fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 })), anyValue),
    integrations: fc.oneof(fc.dictionary(fc.string(), fc.boolean()), anyValue),
    sentAt: fc.oneof(isoDate, anyValue),
    writeKey: fc.string(),
  },
  { requiredKeys: ['batch'] },
);

const body = fc.oneof(batchBody, fc.jsonValue(), anyValue, messageLike);
const endpoint = fc.option(fc.constantFrom(...EVENT_TYPES), { nil: undefined });

/** What the batch accounting contract says, derived from the body independently. */
function expectedBatchSize(value: unknown): number | null {
  if (!isPlainObject(value)) return null;
  const batch = Object.hasOwn(value, 'batch') ? value.batch : undefined;
  if (!Array.isArray(batch) || batch.length > maxBatchItems) return null;
  for (const name of ['context', 'integrations']) {
    const v = Object.hasOwn(value, name) ? value[name] : undefined;
    if (v !== undefined && v !== null && !isPlainObject(v)) return null;
  }
  return batch.length;
}

function checkAccounting(
  input: unknown,
  endpointType: EventType | undefined,
  result: NormalizeResult,
) {
  const { events, rejections } = result;
  if (endpointType !== undefined) {
    expect(events.length + rejections.length).toBe(1);
    if (rejections[0]) expect(rejections[0].index).toBe(0);
    return;
  }
  const size = expectedBatchSize(input);
  if (size === null) {
    expect(events).toEqual([]);
    expect(rejections).toHaveLength(1);
    expect(rejections[0]?.index).toBe(BODY_INDEX);
    return;
  }
  expect(events.length + rejections.length).toBe(size);
  const indexes = rejections.map((r) => r.index);
  expect(indexes).toEqual([...new Set(indexes)].sort((a, b) => a - b));
  for (const index of indexes) {
    expect(index).toBeGreaterThanOrEqual(0);
    expect(index).toBeLessThan(size);
  }
}

function checkEvents(result: NormalizeResult) {
  for (const event of result.events) {
    expect(EVENT_TYPES).toContain(event.type);
    expect(event.messageId.length).toBeGreaterThan(0);
    expect(event.userId ?? event.anonymousId).not.toBeNull();
    expect(Date.parse(event.timestamp)).toBeLessThanOrEqual(receivedAt.getTime());
    expect(event.receivedAt).toBe(receivedAt.toISOString());
    // Events are pure JSON: nothing is lost or changed by a round trip through storage.
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  }
  for (const rejection of result.rejections) {
    expect(typeof rejection.code).toBe('string');
    expect(typeof rejection.reason).toBe('string');
    expect(['drop', 'dlq']).toContain(rejection.kind);
  }
}

afterEach(() => {
  // No input may leave anything behind on the shared prototype.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
});
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

describe('normalizeBody never throws and accounts for every item', () => {
  it('on arbitrary bodies, batch or single', () => {
    fc.assert(
      fc.property(body, endpoint, (input, endpointType) => {
        const result = normalizeBody(input, { endpointType, receivedAt, limits });
        checkAccounting(input, endpointType, result);
        checkEvents(result);
      }),
      { numRuns: 400 },
    );
  });

  it('on message-like batches, accepting some of them', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(messageLike, { maxLength: 10 }), (batch) => {
        const result = normalizeBody(
          { batch },
          { receivedAt, limits, connectionIp: '203.0.113.1' },
        );
        accepted += result.events.length;
        checkAccounting({ batch }, undefined, result);
        checkEvents(result);
      }),
      { numRuns: 300 },
    );
    // Guards the generator: a property that only ever sees rejections proves little.
    expect(accepted).toBeGreaterThan(30);
  });

  it('on hostile in-process values', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('get');
        },
        ownKeys() {
          throw new Error('ownKeys');
        },
        getOwnPropertyDescriptor() {
          throw new Error('descriptor');
        },
        getPrototypeOf() {
          throw new Error('proto');
        },
      },
    );
    const cyclic: Record<string, unknown> = { type: 'track', userId: 'u', event: 'e' };
    cyclic.properties = cyclic;
    let deep: unknown = { type: 'identify', userId: 'u' };
    for (let i = 0; i < 10_000; i++) deep = { nested: deep };
    const getter = Object.defineProperty({ type: 'identify' }, 'userId', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    const hugeSparse: unknown[] = [];
    hugeSparse.length = 2 ** 31;
    const hostile: unknown[] = [
      throwing,
      cyclic,
      deep,
      getter,
      { batch: throwing },
      { batch: [throwing, cyclic, deep, getter, { userId: 'u', properties: hugeSparse }] },
      { batch: hugeSparse },
      { batch: [], context: throwing },
      Object.create(throwing),
      Symbol('s'),
      () => ({}),
      10n,
    ];
    for (const input of hostile) {
      for (const endpointType of [undefined, 'track'] as const) {
        const result = normalizeBody(input, { endpointType, receivedAt, limits });
        expect(result.events.length + result.rejections.length).toBeGreaterThan(0);
        checkEvents(result);
      }
    }
    const mixed = normalizeBody(
      { batch: [throwing, cyclic, deep, getter, { type: 'identify', userId: 'ok' }] },
      { receivedAt, limits },
    );
    expect(mixed.events.map((e) => e.userId)).toEqual(['ok']);
    expect(mixed.rejections.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });
});
