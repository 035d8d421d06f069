import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './limits.js';
import { FORBIDDEN_KEYS, structureStep } from './structure.step.js';

const limits = { ...DEFAULT_LIMITS, maxDepth: 4, maxStringLength: 10 };

function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i++) value = { child: value };
  return value;
}

describe('structureStep', () => {
  const rejected: [string, unknown, string, string][] = [
    ['a string body', 'hello', 'message_not_object', 'a string'],
    ['an array body', [1], 'message_not_object', 'an array'],
    ['null', null, 'message_not_object', 'null'],
    ['a Date', new Date(0), 'message_not_object', 'non-plain'],
    ['__proto__ at top level', JSON.parse('{"__proto__":{"x":1}}'), 'forbidden_key', '__proto__'],
    [
      '__proto__ deep inside',
      JSON.parse('{"properties":{"a":[{"__proto__":{"polluted":true}}]}}'),
      'forbidden_key',
      'properties.a[0].__proto__',
    ],
    ['constructor key', { traits: { constructor: 'x' } }, 'forbidden_key', 'traits.constructor'],
    ['prototype key', { context: { prototype: {} } }, 'forbidden_key', 'context.prototype'],
    ['too deep', nested(5), 'too_deep', 'limit is 4'],
    ['long string value', { event: 'x'.repeat(11) }, 'string_too_long', 'event'],
    ['long key', { ['k'.repeat(11)]: 1 }, 'string_too_long', 'a key in the message'],
    ['NaN', { properties: { n: Number.NaN } }, 'invalid_value', 'properties.n'],
    ['Infinity in array', { p: [Number.POSITIVE_INFINITY] }, 'invalid_value', 'p[0]'],
    ['a function', { p: () => 1 }, 'invalid_value', 'a function'],
    ['a bigint', { p: 1n }, 'invalid_value', 'a bigint'],
    ['a Map', { p: new Map() }, 'invalid_value', 'non-plain'],
    [
      'a getter',
      Object.defineProperty({}, 'p', { enumerable: true, get: () => 1 }),
      'invalid_value',
      'accessor',
    ],
    [
      'a proxy that throws',
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('boom');
          },
        },
      ),
      'invalid_value',
      'boom',
    ],
  ];

  it.each(rejected)('rejects %s', (_name, input, code, reasonPart) => {
    const result = structureStep(input, limits);
    expect(result).toMatchObject({ kind: 'dlq', code });
    expect(result.kind !== 'ok' && result.reason).toContain(reasonPart);
  });

  const accepted: [string, Record<string, unknown>, unknown][] = [
    [
      'a flat message',
      { type: 'track', n: 1.5, b: true, z: null },
      { type: 'track', n: 1.5, b: true, z: null },
    ],
    ['exactly at the depth limit', nested(4), nested(4)],
    ['undefined in an object is omitted', { a: undefined, b: 1 }, { b: 1 }],
    ['undefined in an array becomes null', { a: [undefined, 1] }, { a: [null, 1] }],
    ['a string at the length limit', { s: 'x'.repeat(10) }, { s: 'x'.repeat(10) }],
    ['proto-like but harmless keys', { proto: 1, __proto: 2 }, { proto: 1, __proto: 2 }],
  ];

  it.each(accepted)('accepts %s', (_name, input, expected) => {
    expect(structureStep(input, limits)).toEqual({ kind: 'ok', value: expected });
  });

  it('returns a deep copy that shares nothing with the input', () => {
    const input = { context: { page: { url: 'u' } }, list: [{ a: 1 }] };
    const result = structureStep(input, limits);
    if (result.kind !== 'ok') throw new Error('expected ok');
    expect(result.value.context).not.toBe(input.context);
    expect(result.value.list).not.toBe(input.list);
    input.context.page.url = 'changed';
    expect(result.value).toEqual({ context: { page: { url: 'u' } }, list: [{ a: 1 }] });
  });

  it('accepts null-prototype objects but returns ordinary ones', () => {
    const input = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const result = structureStep(input, limits);
    if (result.kind !== 'ok') throw new Error('expected ok');
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
  });

  it('rejects a cycle instead of recursing forever', () => {
    const input: Record<string, unknown> = {};
    input.self = input;
    expect(structureStep(input, limits)).toMatchObject({ kind: 'dlq', code: 'too_deep' });
  });

  it('never leaks a forbidden key onto Object.prototype', () => {
    structureStep(JSON.parse('{"a":{"__proto__":{"polluted":"yes"}}}'), limits);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('structureStep number normalization', () => {
  it('turns negative zero into zero, as JSON storage would', () => {
    const result = structureStep({ type: 'track', properties: { x: -0 } }, DEFAULT_LIMITS);
    expect(result.kind).toBe('ok');
    const properties =
      result.kind === 'ok' ? (result.value as { properties: { x: number } }).properties : undefined;
    expect(Object.is(properties?.x, 0)).toBe(true);
  });
});

describe('structureStep size bound', () => {
  const roomy = { ...DEFAULT_LIMITS, maxDepth: 64, maxStringLength: 100_000 };

  it('is never below the serialized size of the copy', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ unit: 'grapheme', maxLength: 12 }).filter((k) => !FORBIDDEN_KEYS.has(k)),
          fc.jsonValue({ maxDepth: 4 }),
          { maxKeys: 12 },
        ),
        (message) => {
          const bound = { bytes: 0 };
          const result = structureStep(message, roomy, bound);
          if (result.kind !== 'ok') return true;
          const actual = Buffer.byteLength(JSON.stringify(result.value), 'utf8');
          expect(bound.bytes).toBeGreaterThanOrEqual(actual);
          return true;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is exact for plain ASCII strings and close for typical events', () => {
    const bound = { bytes: 0 };
    const message = { type: 'track', event: 'Signed Up', properties: { plan: 'pro' } };
    const result = structureStep(message, roomy, bound);
    expect(result.kind).toBe('ok');
    const actual = Buffer.byteLength(JSON.stringify(message), 'utf8');
    expect(bound.bytes).toBeGreaterThanOrEqual(actual);
    expect(bound.bytes).toBeLessThan(actual * 1.5);
  });
});
