import { describe, expect, it } from 'vitest';
import { normalQuantile, zForConfidence } from './normal-quantile.js';

describe('normalQuantile', () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959963985],
    [0.95, 1.644853627],
    [0.995, 2.575829304],
    [0.001, -3.090232306],
    [0.9999, 3.719016485],
  ])('quantile(%f) = %f', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 7);
  });

  it('is antisymmetric around 0.5', () => {
    for (const p of [0.01, 0.1, 0.3]) {
      expect(normalQuantile(p)).toBeCloseTo(-normalQuantile(1 - p), 9);
    }
  });

  it('rejects probabilities outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) {
      expect(() => normalQuantile(p)).toThrow(RangeError);
    }
  });
});

describe('zForConfidence', () => {
  it('gives the two-sided multipliers', () => {
    expect(zForConfidence(0.95)).toBeCloseTo(1.959964, 5);
    expect(zForConfidence(0.9)).toBeCloseTo(1.644854, 5);
    expect(() => zForConfidence(1)).toThrow(RangeError);
  });
});
