import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairwiseMetrics } from './metrics.js';

describe('pairwiseMetrics', () => {
  it('counts pairs through cluster sizes', () => {
    // Predicted {0,1,2},{3}: 3 links. True {0,1},{2,3}: 2 links. Shared: (0,1) only.
    const m = pairwiseMetrics(['a', 'a', 'a', 'b'], ['x', 'x', 'y', 'y']);
    expect(m.predictedPairs).toBe(3);
    expect(m.truePairs).toBe(2);
    expect(m.truePositives).toBe(1);
    expect(m.precision).toBeCloseTo(1 / 3, 12);
    expect(m.recall).toBeCloseTo(1 / 2, 12);
    expect(m.f1).toBeCloseTo(0.4, 12);
  });

  it('handles the degenerate cases', () => {
    expect(pairwiseMetrics(['a', 'b'], ['x', 'y'])).toMatchObject({ precision: 1, recall: 1 });
    expect(pairwiseMetrics(['a', 'b'], ['x', 'x'])).toMatchObject({
      precision: 1,
      recall: 0,
      f1: 0,
    });
    expect(() => pairwiseMetrics(['a'], [])).toThrow(RangeError);
  });

  it('agrees with brute-force pair counting', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), {
          maxLength: 30,
        }),
        (rows) => {
          const predicted = rows.map(([p]) => p);
          const truth = rows.map(([, t]) => t);
          let tp = 0;
          let pp = 0;
          let tt = 0;
          for (let i = 0; i < rows.length; i++) {
            for (let j = i + 1; j < rows.length; j++) {
              const samePredicted = predicted[i] === predicted[j];
              const sameTrue = truth[i] === truth[j];
              if (samePredicted) pp++;
              if (sameTrue) tt++;
              if (samePredicted && sameTrue) tp++;
            }
          }
          const m = pairwiseMetrics(predicted, truth);
          expect(m.truePositives).toBe(tp);
          expect(m.predictedPairs).toBe(pp);
          expect(m.truePairs).toBe(tt);
        },
      ),
    );
  });
});
