import { describe, expect, it } from 'vitest';
import { compareDates, dayDifference, dayNumber } from './date-compare.js';
import { normalizeDate } from './normalize.js';

describe('compareDates', () => {
  it.each([
    ['19850312', '19850312', 'exact'],
    // Day and month exchanged (12 March entered as 3 December).
    ['19850312', '19851203', 'swapped-day-month'],
    // One substituted digit; two adjacent digits transposed.
    ['19850312', '19850313', 'one-edit'],
    ['19850312', '19850321', 'one-edit'],
    ['19850312', '19580312', 'one-edit'],
    // 12 March to 30 November: 263 days, several digits apart.
    ['19850312', '19851130', 'within-year'],
    // A wrong decade digit and a wrong day digit: two edits, ten years apart.
    ['19740105', '19840103', 'two-edits'],
    // Same year, but day 99 is not a date and four digits differ.
    ['19850101', '19851399', 'same-year'],
    ['19500101', '19991231', 'different'],
  ])('compareDates(%s, %s) = %s', (a, b, expected) => {
    expect(compareDates(a, b)).toBe(expected);
    expect(compareDates(b, a)).toBe(expected);
  });
});

describe('dayNumber and dayDifference', () => {
  it('rejects dates that are not in the calendar', () => {
    expect(dayNumber('20230229')).toBeUndefined();
    expect(dayNumber('20241301')).toBeUndefined();
    expect(dayNumber('2024022')).toBeUndefined();
    expect(dayNumber('20240229')).toBeDefined();
  });

  it('counts days across a leap day', () => {
    expect(dayDifference('20240228', '20240301')).toBe(2);
    expect(dayDifference('20230228', '20230301')).toBe(1);
    expect(dayDifference('20240101', 'garbage1')).toBeUndefined();
  });
});

describe('normalizeDate', () => {
  it.each([
    ['19850312', '19850312'],
    ['1985-03-12', '19850312'],
    ['1985/3/2', '19850302'],
    ['12/03/1985', '19850312'],
    [' 12.3.1985 ', '19850312'],
    ['March 1985', ''],
    ['', ''],
  ])('normalizeDate(%j) = %j', (input, expected) => {
    expect(normalizeDate(input)).toBe(expected);
  });
});
