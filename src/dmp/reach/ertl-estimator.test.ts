import { describe, expect, it } from 'vitest';
import { estimateFromHistogram, relativeStandardError, sigma, tau } from './ertl-estimator.js';

describe('sigma and tau', () => {
  it('sigma(0) = 0, sigma(1) = ∞, and it grows faster than x', () => {
    expect(sigma(0)).toBe(0);
    expect(sigma(1)).toBe(Number.POSITIVE_INFINITY);
    expect(sigma(0.5)).toBeCloseTo(0.5 + 0.25 + 2 * 0.0625 + 4 * 0.00390625 + 8 * 0.5 ** 16, 6);
    expect(sigma(0.9)).toBeGreaterThan(0.9);
  });

  it('tau vanishes at both ends and is positive in between', () => {
    expect(tau(0)).toBe(0);
    expect(tau(1)).toBe(0);
    expect(tau(0.5)).toBeGreaterThan(0);
    expect(tau(0.5)).toBeLessThan(1 / 3);
  });
});

describe('estimateFromHistogram', () => {
  const m = 1024;
  const q = 53 - 10;

  it('is 0 for an empty sketch', () => {
    const counts = new Array<number>(q + 2).fill(0);
    counts[0] = m;
    expect(estimateFromHistogram(counts, m)).toBe(0);
  });

  it('matches linear counting m·ln(m/V) when only rank-1 registers are set', () => {
    // With few items nearly every non-zero register has rank 1 and the estimate must reduce to
    // linear counting, which is what the sigma term is there for.
    const counts = new Array<number>(q + 2).fill(0);
    counts[0] = m - 10;
    counts[1] = 10;
    const linear = m * Math.log(m / (m - 10));
    expect(estimateFromHistogram(counts, m)).toBeCloseTo(linear, 0);
  });

  it('grows with the register values', () => {
    const low = new Array<number>(q + 2).fill(0);
    low[3] = m;
    const high = new Array<number>(q + 2).fill(0);
    high[6] = m;
    const a = estimateFromHistogram(low, m);
    const b = estimateFromHistogram(high, m);
    // Every register 3 bits "higher" means roughly 8x more items.
    expect(b / a).toBeGreaterThan(7);
    expect(b / a).toBeLessThan(9);
  });
});

describe('relativeStandardError', () => {
  it('is 1.04/√m for large cardinalities', () => {
    expect(relativeStandardError(1e9, 16384)).toBeCloseTo(1.04 / 128, 10);
  });

  it('is smaller in the linear-counting range and 0 for an empty sketch', () => {
    expect(relativeStandardError(0, 16384)).toBe(0);
    expect(relativeStandardError(500, 16384)).toBeLessThan(1.04 / 128);
    expect(relativeStandardError(500, 16384)).toBeGreaterThan(0);
  });
});
