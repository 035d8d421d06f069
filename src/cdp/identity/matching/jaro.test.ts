import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jaro, jaroWinkler } from './jaro.js';

describe('jaro', () => {
  // Winkler's published examples, checked by hand: MARTHA/MARHTA has m = 6 and one
  // transposition (TH/HT: two out-of-order characters, t = 1): (1 + 1 + 5/6) / 3 = 0.9444.
  it.each([
    ['MARTHA', 'MARHTA', 0.944444],
    ['DWAYNE', 'DUANE', 0.822222],
    ['DIXON', 'DICKSONX', 0.766667],
    ['CRATE', 'TRACE', 0.733333],
  ])('jaro(%s, %s) = %f', (a, b, expected) => {
    expect(jaro(a, b)).toBeCloseTo(expected, 5);
  });

  it('treats identical strings as 1, disjoint or one-sided empty as 0', () => {
    expect(jaro('', '')).toBe(1);
    expect(jaro('abc', 'abc')).toBe(1);
    expect(jaro('abc', '')).toBe(0);
    expect(jaro('abc', 'xyz')).toBe(0);
  });

  it('is symmetric and within [0, 1]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const s = jaro(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(jaro(b, a)).toBeCloseTo(s, 12);
      }),
    );
  });
});

describe('jaroWinkler (p = 0.1, prefix up to 4)', () => {
  // MARTHA/MARHTA share the prefix MAR (l = 3): 0.9444 + 3 * 0.1 * 0.0556 = 0.9611.
  // DWAYNE/DUANE share D (l = 1): 0.8222 + 0.1 * 0.1778 = 0.84.
  // DIXON/DICKSONX share DI (l = 2): 0.7667 + 0.2 * 0.2333 = 0.8133.
  // CRATE/TRACE share no prefix: unchanged.
  it.each([
    ['MARTHA', 'MARHTA', 0.961111],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.813333],
    ['CRATE', 'TRACE', 0.733333],
  ])('jaroWinkler(%s, %s) = %f', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 5);
  });

  it('caps the prefix at four characters', () => {
    // ABCDEFGH vs ABCDEFGX: jaro = (7/8 + 7/8 + 1) / 3 = 0.916667; the common prefix is 7
    // characters long but counts as 4: 0.916667 + 0.4 * 0.083333 = 0.95.
    expect(jaro('ABCDEFGH', 'ABCDEFGX')).toBeCloseTo(0.916667, 5);
    expect(jaroWinkler('ABCDEFGH', 'ABCDEFGX')).toBeCloseTo(0.95, 5);
  });

  it('never scores below jaro and never above 1', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const jw = jaroWinkler(a, b);
        expect(jw).toBeGreaterThanOrEqual(jaro(a, b) - 1e-12);
        expect(jw).toBeLessThanOrEqual(1);
      }),
    );
  });
});
