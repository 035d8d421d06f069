import { describe, expect, it } from 'vitest';
import { frequencyHolds, ruleMatches, type TraitRule, validateTraitRule } from './trait-rule.js';

const signals = { page: 'sports/football', price: '42.5', logged: true, views: 3 };

describe('ruleMatches', () => {
  it.each<[TraitRule, boolean]>([
    [{ conditions: [{ key: 'page', op: 'eq', value: 'sports/football' }] }, true],
    [{ conditions: [{ key: 'page', op: 'eq', value: 'Sports/football' }] }, false],
    [{ conditions: [{ key: 'page', op: 'prefix', value: 'sports/' }] }, true],
    [{ conditions: [{ key: 'page', op: 'contains', value: 'foot' }] }, true],
    [{ conditions: [{ key: 'page', op: 'neq', value: 'news' }] }, true],
    [{ conditions: [{ key: 'page', op: 'in', value: ['news', 'sports/football'] }] }, true],
    [{ conditions: [{ key: 'price', op: 'gt', value: 40 }] }, true],
    [{ conditions: [{ key: 'price', op: 'lte', value: 40 }] }, false],
    [{ conditions: [{ key: 'views', op: 'gte', value: 3 }] }, true],
    [{ conditions: [{ key: 'logged', op: 'eq', value: 'true' }] }, true],
    [{ conditions: [{ key: 'missing', op: 'exists' }] }, false],
    [{ conditions: [{ key: 'page', op: 'exists' }] }, true],
    [{ conditions: [{ key: 'missing', op: 'neq', value: 'x' }] }, false],
    [
      {
        conditions: [
          { key: 'page', op: 'eq', value: 'news' },
          { key: 'views', op: 'gt', value: 1 },
        ],
      },
      false,
    ],
    [
      {
        match: 'any',
        conditions: [
          { key: 'page', op: 'eq', value: 'news' },
          { key: 'views', op: 'gt', value: 1 },
        ],
      },
      true,
    ],
  ])('%j -> %s', (rule, expected) => {
    expect(ruleMatches(rule, signals)).toBe(expected);
  });

  it('does not read inherited properties', () => {
    expect(ruleMatches({ conditions: [{ key: 'toString', op: 'exists' }] }, {})).toBe(false);
  });
});

describe('frequencyHolds', () => {
  const now = 100 * 86_400_000;
  const hits = [now - 10 * 86_400_000, now - 2 * 86_400_000, now - 86_400_000];
  it('counts realizations, optionally within a window', () => {
    expect(frequencyHolds(null, hits, now)).toBe(true);
    expect(frequencyHolds({ conditions: [], frequency: { min: 3 } }, hits, now)).toBe(true);
    expect(
      frequencyHolds({ conditions: [], frequency: { min: 3, withinDays: 7 } }, hits, now),
    ).toBe(false);
    expect(
      frequencyHolds({ conditions: [], frequency: { min: 2, withinDays: 7 } }, hits, now),
    ).toBe(true);
  });
});

describe('validateTraitRule', () => {
  it('names each problem', () => {
    const issues = validateTraitRule(
      {
        conditions: [
          { key: 'bad key', op: 'eq', value: 'x' },
          { key: 'n', op: 'gt', value: 'ten' },
          { key: 'l', op: 'in', value: [] },
        ],
        frequency: { min: 0, withinDays: 500 },
      },
      120,
    );
    expect(issues.map((i) => i.field)).toEqual([
      'rule.conditions[0].key',
      'rule.conditions[1].value',
      'rule.conditions[2].value',
      'rule.frequency.min',
      'rule.frequency.withinDays',
    ]);
  });
});
