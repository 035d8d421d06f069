import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import {
  evaluate,
  fitAndEvaluate,
  holdOut,
  type Population,
  topRows,
  traitStats,
} from './model.js';

/** `n` IDs; the first `planted` hold trait 0 at `high`, everyone holds traits 1..4 at 20%. */
function population(n: number, planted: number, high: number, seed = 1): Population {
  const rng = seededRandom(seed);
  const features: Int32Array[] = [];
  for (let i = 0; i < n; i++) {
    const x: number[] = [];
    if (rng() < (i < planted ? high : 0.05)) x.push(0);
    for (let j = 1; j < 5; j++) if (rng() < 0.2) x.push(j);
    features.push(Int32Array.from(x));
  }
  return {
    ids: Array.from({ length: n }, (_, i) => `id${String(i).padStart(6, '0')}`),
    features,
    traitIds: ['t0', 't1', 't2', 't3', 't4'],
  };
}

describe('lookalike evaluation', () => {
  const rng = () => 0.5;

  it.each([
    // Perfect ranking: every held-out seed above every non-seed.
    { seeds: [9, 9, 9, 9], non: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], reach: 0.1, p: 4 / 5, r: 1 },
    // Worst ranking: every seed below: at full reach all are in, precision is the base rate.
    { seeds: [0, 0], non: [5, 5, 5, 5, 5, 5, 5, 5], reach: 0.5, p: 0, r: 0 },
    { seeds: [0, 0], non: [5, 5, 5, 5, 5, 5, 5, 5], reach: 1, p: 2 / 10, r: 1 },
    // Interleaved: seeds at ranks 1 and 4 (non-seeds 3 and 2 and 1).
    { seeds: [10, 7], non: [9, 8, 6, 5], reach: 0.5, p: 1 / 3, r: 1 / 2 },
    { seeds: [10, 7], non: [9, 8, 6, 5], reach: 0.75, p: 2 / 5, r: 1 },
  ])('precision $p and recall $r at reach $reach', ({ seeds, non, reach, p, r }) => {
    const [point] = evaluate(seeds, non, [reach], rng);
    expect(point?.precision).toBeCloseTo(p, 10);
    expect(point?.recall).toBeCloseTo(r, 10);
  });

  it('gives a random ranking the base rate as precision and the reach as recall', () => {
    const random = seededRandom(3);
    const seeds = Array.from({ length: 2_000 }, () => random());
    const non = Array.from({ length: 20_000 }, () => random());
    for (const point of evaluate(seeds, non, [0.05, 0.2, 0.5], seededRandom(4))) {
      expect(point.precision).toBeGreaterThan((2_000 / 22_000) * 0.8);
      expect(point.precision).toBeLessThan((2_000 / 22_000) * 1.2);
      expect(Math.abs(point.recall - point.reach)).toBeLessThan(0.03);
    }
  });

  it('holds out the asked fraction, at least one member', () => {
    const rows = Array.from({ length: 101 }, (_, i) => i);
    const [held, kept] = holdOut(rows, 0.25, seededRandom(1));
    expect(held).toHaveLength(25);
    expect(new Set([...held, ...kept]).size).toBe(101);
    expect(holdOut([1, 2], 0.1, seededRandom(1))[0]).toHaveLength(1);
    expect(holdOut([1], 0.5, seededRandom(1))[0]).toHaveLength(0);
  });
});

describe('lookalike models', () => {
  it('weighs an over-represented trait up and shrinks rare seed traits toward the population', () => {
    const pop = population(10_000, 1_000, 0.6);
    const seeds = Array.from({ length: 500 }, (_, i) => i);
    const rest = Array.from({ length: 9_000 }, (_, i) => 1_000 + i);
    const stats = traitStats(pop, seeds, rest);
    expect(stats[0]?.lift).toBeGreaterThan(8);
    expect(stats[0]?.weight).toBeGreaterThan(2);
    for (const s of stats.slice(1)) expect(Math.abs(s.weight)).toBeLessThan(0.3);
    // A trait no seed member holds: a small negative weight, not a large one.
    const unseen = traitStats(
      { ...pop, features: pop.features.map(() => new Int32Array()) },
      [0, 1, 2],
      rest,
    );
    expect(unseen[0]?.weight).toBeLessThanOrEqual(0);
  });

  it.each(['traitWeight', 'logistic'] as const)(
    '%s ranks planted IDs first, well above the random baseline',
    (kind) => {
      const pop = population(20_000, 2_000, 0.7);
      const seedRows = new Set(Array.from({ length: 1_000 }, (_, i) => i));
      const fit = fitAndEvaluate(pop, seedRows, {
        kind,
        holdout: 0.25,
        reachLevels: [0.02, 0.5],
        rngSeed: 9,
        random: seededRandom,
      });
      expect(fit.seedSize).toBe(1_000);
      expect(fit.nonSeedSize).toBe(19_000);
      expect(fit.baselinePrecision).toBeCloseTo(1_000 / 20_000, 2);
      // One informative trait: at best P(seed | t0) ≈ 0.3 in the pool, six times the base rate.
      expect(fit.curve[0]?.precision).toBeGreaterThan(4 * fit.baselinePrecision);
      expect(fit.curve[1]?.recall).toBeGreaterThan(0.65);
      expect(fit.weights[0]).toBeGreaterThan(1);
      // Same seed, same result.
      const again = fitAndEvaluate(pop, seedRows, {
        kind,
        holdout: 0.25,
        reachLevels: [0.02, 0.5],
        rngSeed: 9,
        random: seededRandom,
      });
      expect(again.curve).toEqual(fit.curve);
    },
  );

  it('picks the best rows, ties to the smaller ID', () => {
    const pop = population(10, 0, 0);
    pop.features = pop.features.map((_, i) => Int32Array.from(i % 2 === 0 ? [0] : [1]));
    const top = topRows(pop, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], 0, [1, 0, 0, 0, 0], 3);
    expect(top).toEqual([0, 2, 4]);
  });
});
