import { describe, expect, it } from 'vitest';
import {
  fitLogistic,
  fitRidge,
  linearScore,
  predictProbability,
} from '../../src/cdp/predictions/logistic.js';
import { auc, mae, percentiles, rmse } from '../../src/cdp/predictions/metrics.js';
import { cohortOf } from '../../src/cdp/predictions/prediction.js';
import { seededRandom } from '../../src/cdp/predictions/synthetic.js';
import { fitAndEvaluate } from '../../src/cdp/predictions/training.js';
import { AppError } from '../../src/kernel/errors.js';

describe('metrics', () => {
  it.each([
    { scores: [1, 2, 3, 4], labels: [0, 0, 1, 1], expected: 1 },
    { scores: [4, 3, 2, 1], labels: [0, 0, 1, 1], expected: 0 },
    { scores: [1, 1, 1, 1], labels: [0, 1, 0, 1], expected: 0.5 },
    { scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1], expected: 0.75 },
  ])('auc($scores, $labels) = $expected', ({ scores, labels, expected }) => {
    expect(auc(scores, labels)).toBeCloseTo(expected, 10);
  });

  it('mae and rmse', () => {
    expect(mae([1, 2, 3], [2, 2, 5])).toBeCloseTo(1, 10);
    expect(rmse([1, 2, 3], [2, 2, 5])).toBeCloseTo(Math.sqrt(5 / 3), 10);
  });

  it('percentiles rank scores, ties share the lower rank', () => {
    expect(percentiles([10, 30, 20, 20, 40])).toEqual([0, 75, 25, 25, 100]);
    expect([95, 80, 79, 50, 49, 0].map(cohortOf)).toEqual([
      'high',
      'high',
      'medium',
      'medium',
      'low',
      'low',
    ]);
  });
});

/** Rows x ~ N(0, 1) (two scaled by 10), labels drawn from a known logistic model. */
function logisticData(n: number, seed: number) {
  const random = seededRandom(seed);
  const gauss = () =>
    Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [gauss(), 10 * gauss(), gauss()];
    const z = -0.5 + 1.5 * (x[0] as number) - 0.08 * (x[1] as number);
    rows.push(x);
    labels.push(random() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return { rows, labels };
}

describe('logistic regression (IRLS with L2)', () => {
  it('recovers the coefficients of a known model (in standardized units)', () => {
    const { rows, labels } = logisticData(20_000, 1);
    const model = fitLogistic(rows, labels, { lambda: 0.01 });
    const [b0, b1, b2, b3] = model.weights as [number, number, number, number];
    // Standardized weights = raw weight x feature std: 1.5 x 1 and -0.08 x 10.
    expect(b1).toBeCloseTo(1.5, 1);
    expect(b2).toBeCloseTo(-0.8, 1);
    expect(Math.abs(b3)).toBeLessThan(0.06);
    expect(b0).toBeCloseTo(-0.5, 1);
    const p = predictProbability(model, [1, 0, 0]);
    expect(p).toBeGreaterThan(0.65);
    expect(p).toBeLessThan(0.78);
  });

  it('a stronger penalty shrinks the weights', () => {
    const { rows, labels } = logisticData(2_000, 2);
    const loose = fitLogistic(rows, labels, { lambda: 0.01 });
    const tight = fitLogistic(rows, labels, { lambda: 2_000 });
    expect(Math.abs(tight.weights[1] as number)).toBeLessThan(
      Math.abs(loose.weights[1] as number) / 2,
    );
  });

  it('ridge regression fits a linear target', () => {
    const random = seededRandom(3);
    const rows = Array.from({ length: 2_000 }, () => [random() * 10, random()]);
    const targets = rows.map(([a, b]) => 3 * (a as number) - 2 * (b as number) + 5);
    const model = fitRidge(rows, targets, 1e-6);
    expect(linearScore(model, [4, 0.5])).toBeCloseTo(16, 3);
  });
});

describe('fitAndEvaluate', () => {
  it('refuses with insufficient_data below 100 examples of a class', () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({
      profileId: `p${i}`,
      values: [i, i % 7],
    }));
    const targets = rows.map((_, i) => (i < 99 ? 1 : 0));
    let error: unknown;
    try {
      fitAndEvaluate('purchase', ['a', 'b'], rows, targets);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('insufficient_data');
    expect((error as AppError).message).toContain('found 99 and 401');
  });
});
