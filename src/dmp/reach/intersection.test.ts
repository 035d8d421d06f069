import { describe, expect, it } from 'vitest';
import { HyperLogLog } from './hyperloglog.js';
import { estimateIntersection } from './intersection.js';

function sketchOfRange(from: number, to: number, seed = 0) {
  const sketch = new HyperLogLog({ seed });
  for (let i = from; i < to; i++) sketch.add(`user-${i}`);
  return sketch;
}

describe('estimateIntersection', () => {
  it('is exact for small audiences held exactly', () => {
    const result = estimateIntersection(sketchOfRange(0, 800), sketchOfRange(500, 1_400));
    expect(result).toMatchObject({
      method: 'exact',
      estimate: 300,
      low: 300,
      high: 300,
      union: 1_400,
      relativeError: 0,
    });
  });

  it('reports 0 for disjoint small audiences', () => {
    expect(estimateIntersection(sketchOfRange(0, 100), sketchOfRange(100, 200)).estimate).toBe(0);
  });

  it('uses inclusion–exclusion for large audiences and lands near the truth', () => {
    const a = sketchOfRange(0, 200_000);
    const b = sketchOfRange(100_000, 250_000);
    const result = estimateIntersection(a, b);
    expect(result.method).toBe('inclusion-exclusion');
    expect(Math.abs(result.estimate / 100_000 - 1)).toBeLessThan(0.08);
    expect(result.low).toBeLessThanOrEqual(result.estimate);
    expect(result.high).toBeGreaterThanOrEqual(result.estimate);
    expect(result.relativeError).toBeGreaterThan(0);
    expect(result.relativeError).toBeLessThan(0.15);
  });

  it('never exceeds the smaller audience nor goes below 0', () => {
    const a = sketchOfRange(0, 50_000);
    const same = estimateIntersection(a, a.clone());
    expect(same.estimate).toBeLessThanOrEqual(Math.min(same.sizeA, same.sizeB));
    expect(Math.abs(same.estimate / 50_000 - 1)).toBeLessThan(0.03);
    const disjoint = estimateIntersection(a, sketchOfRange(50_000, 100_000));
    expect(disjoint.estimate).toBeGreaterThanOrEqual(0);
    expect(disjoint.low).toBe(0);
  });

  it('honestly reports that a small overlap of large audiences is mostly noise', () => {
    // 2,000 shared IDs between two audiences of 100k: the error bound dwarfs the overlap.
    const a = sketchOfRange(0, 100_000);
    const b = sketchOfRange(98_000, 198_000);
    const result = estimateIntersection(a, b);
    expect(result.high - result.low).toBeGreaterThan(2_000);
    expect(result.relativeError).toBeGreaterThan(1);
  });

  it('mixes an exact and a dense sketch through inclusion–exclusion', () => {
    const result = estimateIntersection(sketchOfRange(0, 500), sketchOfRange(0, 30_000));
    expect(result.method).toBe('inclusion-exclusion');
    expect(result.low).toBeLessThanOrEqual(500);
    expect(result.high).toBeGreaterThanOrEqual(Math.min(500, result.estimate));
  });

  it('has an interval that covers the true overlap in about 95% of trials', () => {
    const trials = 40;
    let covered = 0;
    for (let seed = 1; seed <= trials; seed++) {
      const a = sketchOfRange(0, 30_000, seed);
      const b = sketchOfRange(15_000, 40_000, seed);
      const { low, high } = estimateIntersection(a, b);
      if (low <= 15_000 && 15_000 <= high) covered++;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.85);
  });
});
