import { describe, expect, it } from 'vitest';
import {
  ExpressionError,
  evaluateSegment,
  parseSegmentExpression,
  referencedTraits,
  type TraitState,
} from './expression.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-01T00:00:00Z');

describe('parseSegmentExpression', () => {
  it.each([
    'trt_a',
    'trt_a AND trt_b',
    'trt_a OR trt_b AND trt_c',
    '(trt_a OR trt_b) AND NOT trt_c',
    'frequency(trt_a) >= 3',
    'frequency([trt_a]) > 0',
    'frequency(trt_a, 7d) >= 2',
    'recency(trt_a) <= 30d',
    'trt_a AND frequency(trt_a) <= 5',
    'trt_b and (trt_c or frequency(trt_a) < 2)',
    'trt_a AND frequency(trt_b) = 0',
  ])('accepts %s', (text) => {
    expect(() => parseSegmentExpression(text)).not.toThrow();
  });

  it.each([
    ['', 'empty'],
    ['trt_a AND', 'expected a trait'],
    ['(trt_a', 'expected ")"'],
    ['trt_a trt_b', 'unexpected'],
    ['frequency(trt_a) >= 3d', 'a count'],
    ['recency(trt_a) <= 3', 'days'],
    ['frequency(trt_a) >= 101', 'above 100'],
    ['trt_a $ trt_b', 'unexpected character'],
    // Upper-bounded frequency and NOT must be ANDed with a positive condition.
    ['frequency(trt_a) <= 5', 'AND it with a positive condition'],
    ['frequency(trt_a) < 2', 'AND it with a positive condition'],
    ['trt_b OR frequency(trt_a) <= 5', 'AND it with a positive condition'],
    ['NOT trt_a', 'AND it with a positive condition'],
    ['frequency(trt_a) <= 5 AND NOT trt_b', 'AND it with a positive condition'],
    ['frequency(trt_a) >= 0', 'AND it with a positive condition'],
    ['NOT (trt_a AND trt_b) OR NOT trt_c', 'AND it with a positive condition'],
  ])('refuses %j (%s)', (text, reason) => {
    expect(() => parseSegmentExpression(text)).toThrow(ExpressionError);
    expect(() => parseSegmentExpression(text)).toThrow(reason);
  });

  it('lists the traits a rule mentions', () => {
    const expr = parseSegmentExpression('trt_a AND (recency(trt_b) <= 3d OR NOT trt_c)');
    expect([...referencedTraits(expr)].sort()).toEqual(['trt_a', 'trt_b', 'trt_c']);
  });
});

describe('evaluateSegment', () => {
  const state = (daysAgo: number[], qualified = daysAgo.length > 0): TraitState => ({
    hits: daysAgo.map((d) => NOW - d * DAY).sort((a, b) => a - b),
    qualified,
  });
  const traits = new Map<string, TraitState>([
    ['trt_a', state([1, 2, 10])],
    ['trt_b', state([40])],
  ]);
  it.each([
    ['trt_a', true],
    ['trt_c', false],
    ['trt_a AND trt_b', true],
    ['trt_a AND NOT trt_b', false],
    ['trt_a AND NOT trt_c', true],
    ['frequency(trt_a) >= 3', true],
    ['frequency(trt_a) >= 4', false],
    ['frequency(trt_a, 7d) >= 2', true],
    ['frequency(trt_a, 7d) >= 3', false],
    ['trt_a AND frequency(trt_a) <= 3', true],
    ['trt_a AND frequency(trt_a) <= 2', false],
    ['trt_a AND frequency(trt_c) = 0', true],
    ['recency(trt_a) <= 1d', true],
    ['recency(trt_b) <= 30d', false],
    ['recency(trt_c) <= 300d', false],
    ['recency(trt_b) >= 30d', true],
    ['trt_c OR (trt_b AND recency(trt_a) < 2d)', true],
  ])('%s -> %s', (text, expected) => {
    expect(evaluateSegment(parseSegmentExpression(text), traits, NOW)).toBe(expected);
  });
});
