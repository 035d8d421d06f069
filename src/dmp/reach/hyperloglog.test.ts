import { describe, expect, it } from 'vitest';
import { DEFAULT_EXACT_LIMIT, HyperLogLog } from './hyperloglog.js';

function sketchOf(ids: Iterable<string>, options?: ConstructorParameters<typeof HyperLogLog>[0]) {
  const sketch = new HyperLogLog(options);
  for (const id of ids) sketch.add(id);
  return sketch;
}

function* range(from: number, to: number, prefix = 'u'): Generator<string> {
  for (let i = from; i < to; i++) yield `${prefix}${i}`;
}

describe('HyperLogLog accuracy', () => {
  it.each([1_000, 10_000, 100_000, 1_000_000])('estimates %i distinct IDs within 2%%', (n) => {
    // Realistic cookie-like IDs rather than tiny integers.
    const sketch = sketchOf(range(0, n, 'tr_c7f3e1a2-'));
    const error = Math.abs(sketch.estimate() / n - 1);
    expect(error).toBeLessThan(0.02);
  });

  it('ignores duplicates', () => {
    const sketch = new HyperLogLog();
    for (let round = 0; round < 5; round++) for (const id of range(0, 50_000)) sketch.add(id);
    expect(Math.abs(sketch.estimate() / 50_000 - 1)).toBeLessThan(0.02);
  });

  it('is 0 when empty, in both representations', () => {
    expect(new HyperLogLog().estimate()).toBe(0);
    expect(new HyperLogLog({ exactLimit: 0 }).estimate()).toBe(0);
  });

  it('stays accurate at other precisions, with error shrinking as p grows', () => {
    const n = 200_000;
    const ids = [...range(0, n)];
    const coarse = sketchOf(ids, { precision: 8 });
    const fine = sketchOf(ids, { precision: 16 });
    expect(Math.abs(coarse.estimate() / n - 1)).toBeLessThan(0.2);
    expect(Math.abs(fine.estimate() / n - 1)).toBeLessThan(0.015);
    expect(fine.registerCount).toBe(65_536);
  });

  it('rejects invalid options', () => {
    expect(() => new HyperLogLog({ precision: 3 })).toThrow(RangeError);
    expect(() => new HyperLogLog({ precision: 19 })).toThrow(RangeError);
    expect(() => new HyperLogLog({ precision: 14.5 })).toThrow(RangeError);
    expect(() => new HyperLogLog({ seed: -1 })).toThrow(RangeError);
  });
});

describe('HyperLogLog exact representation', () => {
  it('counts exactly up to the limit, then switches to registers', () => {
    const sketch = new HyperLogLog();
    for (const id of range(0, DEFAULT_EXACT_LIMIT)) sketch.add(id);
    expect(sketch.isExact).toBe(true);
    expect(sketch.estimate()).toBe(DEFAULT_EXACT_LIMIT);
    expect(sketch.estimateWithInterval()).toMatchObject({
      low: DEFAULT_EXACT_LIMIT,
      high: DEFAULT_EXACT_LIMIT,
      exact: true,
    });
    sketch.add('one-more');
    expect(sketch.isExact).toBe(false);
    expect(Math.abs(sketch.estimate() / (DEFAULT_EXACT_LIMIT + 1) - 1)).toBeLessThan(0.02);
  });

  it('derives the same registers from exact hashes as a dense sketch computes directly', () => {
    const ids = [...range(0, 1000)];
    const exact = sketchOf(ids);
    const dense = sketchOf(ids, { exactLimit: 0 });
    expect(exact.isExact).toBe(true);
    expect(dense.isExact).toBe(false);
    expect(exact.registers()).toEqual(dense.registers());
  });
});

describe('HyperLogLog.merge', () => {
  const cases: [string, number, number, number][] = [
    // [label, |A|, |B|, overlap]
    ['two dense sketches', 40_000, 30_000, 10_000],
    ['two exact sketches that stay exact', 500, 400, 100],
    ['two exact sketches whose union exceeds the limit', 1_200, 1_000, 200],
    ['an exact sketch into a dense one', 20_000, 300, 50],
    ['a dense sketch into an exact one', 300, 20_000, 50],
  ];

  it.each(cases)(
    'merging %s equals the sketch of the union, register for register',
    (_, a, b, overlap) => {
      const idsA = [...range(0, a)];
      const idsB = [...range(a - overlap, a - overlap + b)];
      const merged = sketchOf(idsA).merge(sketchOf(idsB));
      const union = sketchOf([...idsA, ...idsB]);
      expect(merged.isExact).toBe(union.isExact);
      expect(merged.registers()).toEqual(union.registers());
      expect(merged.estimate()).toBe(union.estimate());
    },
  );

  it('is commutative and idempotent', () => {
    const a = sketchOf(range(0, 5_000));
    const b = sketchOf(range(2_000, 9_000));
    const ab = a.clone().merge(b);
    const ba = b.clone().merge(a);
    expect(ab.registers()).toEqual(ba.registers());
    expect(ab.clone().merge(b).registers()).toEqual(ab.registers());
  });

  it('does not modify the other sketch', () => {
    const a = sketchOf(range(0, 100));
    const b = sketchOf(range(100, 200));
    a.merge(b);
    expect(b.estimate()).toBe(100);
    expect(a.estimate()).toBe(200);
  });

  it('refuses to merge sketches with different precision or seed', () => {
    expect(() => new HyperLogLog().merge(new HyperLogLog({ precision: 12 }))).toThrow(RangeError);
    expect(() => new HyperLogLog().merge(new HyperLogLog({ seed: 7 }))).toThrow(RangeError);
  });
});

describe('HyperLogLog.estimateWithInterval', () => {
  it('covers the true count in about 95% of independent trials', () => {
    // Each seed gives an independent hash function, hence an independent estimation error.
    const trials = 40;
    let covered = 0;
    let widthSum = 0;
    const n = 30_000;
    for (let seed = 1; seed <= trials; seed++) {
      const { low, high, estimate } = sketchOf(range(0, n), { seed }).estimateWithInterval();
      if (low <= n && n <= high) covered++;
      widthSum += (high - low) / estimate;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.85);
    // And it is not vacuous: ±1.96 × 0.81% ≈ 3.2% wide on average.
    expect(widthSum / trials).toBeLessThan(0.04);
  });

  it('widens with the confidence level', () => {
    const sketch = sketchOf(range(0, 50_000));
    const narrow = sketch.estimateWithInterval(0.5);
    const wide = sketch.estimateWithInterval(0.99);
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
    expect(narrow.estimate).toBe(wide.estimate);
  });
});
