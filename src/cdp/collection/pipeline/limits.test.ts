import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';

describe('resolveLimits', () => {
  it('uses the documented defaults', () => {
    expect(resolveLimits()).toEqual({
      maxEventBytes: 32768,
      maxBatchItems: 2500,
      maxMessageIdLength: 100,
      maxObjectKeys: 300,
      maxDepth: 32,
      maxStringLength: 16384,
      minTimestampMs: Date.UTC(2000, 0, 1),
    });
  });

  it.each([
    ['a valid override applies', { maxBatchItems: 10 }, { maxBatchItems: 10 }],
    ['NaN is ignored', { maxDepth: Number.NaN }, { maxDepth: 32 }],
    ['Infinity is ignored', { maxEventBytes: Number.POSITIVE_INFINITY }, { maxEventBytes: 32768 }],
  ])('%s', (_name, overrides, expected) => {
    expect(resolveLimits(overrides)).toMatchObject(expected);
  });

  it('never changes the shared defaults', () => {
    resolveLimits({ maxDepth: 2 }).maxDepth = 1;
    expect(DEFAULT_LIMITS.maxDepth).toBe(32);
  });
});
