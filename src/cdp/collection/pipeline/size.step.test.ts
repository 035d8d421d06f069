import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.js';
import { sizeStep } from './size.step.js';

const limits = { maxEventBytes: 100, maxObjectKeys: 3 };

function keys(count: number): JsonObject {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));
}

describe('sizeStep', () => {
  const cases: [string, JsonObject, string | null][] = [
    ['a small message', { type: 'track', event: 'x' }, null],
    ['a message just at the byte limit', { s: 'x'.repeat(100 - '{"s":""}'.length) }, null],
    ['a message one byte over', { s: 'x'.repeat(101 - '{"s":""}'.length) }, 'event_too_large'],
    ['multi-byte characters count as bytes', { s: 'é'.repeat(47) }, 'event_too_large'],
    ['traits at the key limit', { traits: keys(3) }, null],
    ['traits over the key limit', { traits: keys(4) }, 'too_many_keys'],
    ['properties over the key limit', { properties: keys(4) }, 'too_many_keys'],
    ['context.traits over the key limit', { context: { traits: keys(4) } }, 'too_many_keys'],
    ['other objects are not key-limited', { context: keys(5) }, null],
  ];

  it.each(cases)('%s', (_name, message, code) => {
    const result = sizeStep(message, limits);
    if (code === null) expect(result).toEqual({ kind: 'ok', value: message });
    else expect(result).toMatchObject({ kind: 'dlq', code });
  });
});
