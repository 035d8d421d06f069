import { describe, expect, it } from 'vitest';
import { compareCodes, numericCloseness, numericGap } from './numeric-compare.js';

describe('numericGap and numericCloseness', () => {
  it('measures plain numbers, leading zeros allowed', () => {
    expect(numericGap('0800', '0810')).toBe(10);
    expect(numericGap('2600', '2600')).toBe(0);
    expect(numericGap('12a', '12')).toBeUndefined();
    expect(numericGap('', '1')).toBeUndefined();
  });

  it('falls linearly from 1 to 0 over the scale', () => {
    expect(numericCloseness('2600', '2605', 10)).toBeCloseTo(0.5, 10);
    expect(numericCloseness('2600', '2600', 10)).toBe(1);
    expect(numericCloseness('2600', '2700', 10)).toBe(0);
    expect(numericCloseness('sw1a', '2700', 10)).toBeUndefined();
  });
});

describe('compareCodes', () => {
  it.each([
    ['2602', '2602', 'exact'],
    ['2602', '2608', 'one-edit'], // one substituted digit
    ['2602', '2620', 'one-edit'], // adjacent transposition
    ['2602', '262', 'one-edit'], // dropped digit
    ['2599', '2601', 'numerically-close'], // three digits differ, 2 apart
    ['2600', '3000', 'different'],
    ['26000', '2601', 'different'], // lengths differ: no numeric comparison
  ])('compareCodes(%s, %s) = %s', (a, b, expected) => {
    expect(compareCodes(a, b, 10)).toBe(expected);
  });
});
