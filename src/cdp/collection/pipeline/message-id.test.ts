import { describe, expect, it } from 'vitest';
import { canonicalJson, generateMessageId } from './message-id.js';

describe('generateMessageId', () => {
  const timed = { type: 'track', event: 'A', timestamp: '2026-01-01T00:00:00Z', userId: 'u' };

  it('is stable across retries that only change sentAt', () => {
    const first = generateMessageId({ ...timed, sentAt: '2026-01-01T00:00:01Z' });
    const retry = generateMessageId({ ...timed, sentAt: '2026-01-01T00:00:09Z' });
    expect(first).toBe(retry);
    expect(first).toMatch(/^triad-[0-9a-f]{32}$/);
  });

  it('does not depend on key order', () => {
    const reordered = { userId: 'u', timestamp: timed.timestamp, event: 'A', type: 'track' };
    expect(generateMessageId(reordered)).toBe(generateMessageId(timed));
  });

  it('differs when the content differs', () => {
    expect(generateMessageId({ ...timed, event: 'B' })).not.toBe(generateMessageId(timed));
  });

  it('is random when the message carries no client time', () => {
    const ids = ['r1', 'r2'];
    const next = () => ids.shift() ?? 'none';
    const message = { type: 'track', event: 'A', userId: 'u' };
    expect(generateMessageId(message, next)).toBe('triad-r1');
    expect(generateMessageId(message, next)).toBe('triad-r2');
  });
});

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [{ d: 2, c: null }] }, '{"a":[{"c":null,"d":2}],"b":1}'],
    ['text', '"text"'],
    [[3, 'x', true], '[3,"x",true]'],
  ])('serializes %j with sorted keys', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});
