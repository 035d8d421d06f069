import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { levenshtein, levenshteinSimilarity, osaDistance } from './edit-distance.js';

describe('levenshtein', () => {
  it.each([
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['same', 'same', 0],
    ['ab', 'ba', 2],
    ['19850312', '19850321', 2],
  ])('levenshtein(%s, %s) = %i', (a, b, expected) => {
    expect(levenshtein(a, b)).toBe(expected);
  });

  it('normalises to a similarity', () => {
    // kitten/sitting: 1 - 3/7.
    expect(levenshteinSimilarity('kitten', 'sitting')).toBeCloseTo(4 / 7, 10);
    expect(levenshteinSimilarity('', '')).toBe(1);
  });
});

describe('osaDistance (restricted Damerau)', () => {
  it.each([
    ['ab', 'ba', 1],
    ['19850312', '19850321', 1],
    // OSA may not edit a transposed pair again: ca → ac → abc is not allowed, so 3 (true
    // Damerau–Levenshtein would say 2).
    ['ca', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['', 'xy', 2],
  ])('osaDistance(%s, %s) = %i', (a, b, expected) => {
    expect(osaDistance(a, b)).toBe(expected);
  });

  it('is symmetric, at most levenshtein, and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (a, b) => {
        const d = osaDistance(a, b);
        expect(osaDistance(b, a)).toBe(d);
        expect(d).toBeLessThanOrEqual(levenshtein(a, b));
        expect(d === 0).toBe(a === b);
      }),
    );
  });
});
