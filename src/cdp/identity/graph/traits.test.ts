import { describe, expect, it } from 'vitest';
import { applyTraits, emptyTraits, mergeTraits } from './traits.js';

describe('trait resolution', () => {
  it.each([
    {
      name: 'later event wins at equal priority',
      first: ['a', '2026-01-01', 0],
      second: ['b', '2026-01-02', 0],
      kept: 'b',
    },
    {
      name: 'an older event never overwrites a newer value',
      first: ['a', '2026-01-02', 0],
      second: ['b', '2026-01-01', 0],
      kept: 'a',
    },
    {
      name: 'a higher-ranked source wins over a later event',
      first: ['crm', '2026-01-01', 10],
      second: ['web', '2026-01-05', 0],
      kept: 'crm',
    },
    {
      name: 'a higher-ranked source replaces a lower one even when older',
      first: ['web', '2026-01-05', 0],
      second: ['crm', '2026-01-01', 10],
      kept: 'crm',
    },
    {
      name: 'equal times: the later-applied value wins',
      first: ['a', '2026-01-01', 0],
      second: ['b', '2026-01-01', 0],
      kept: 'b',
    },
  ] as const)('$name', ({ first, second, kept }) => {
    const one = applyTraits(emptyTraits(), { plan: first[0] }, first[1], first[2]);
    const two = applyTraits(one, { plan: second[0] }, second[1], second[2]);
    expect(two.traits.plan).toBe(kept);
  });

  it('merges two profiles by the same rule, trait by trait', () => {
    const a = applyTraits(
      applyTraits(emptyTraits(), { plan: 'crm' }, '2026-01-01', 10),
      { city: 'Oslo' },
      '2026-01-01',
    );
    const b = applyTraits(emptyTraits(), { plan: 'web', city: 'Bergen' }, '2026-02-01');
    const merged = mergeTraits(a, b);
    expect(merged.traits).toEqual({ plan: 'crm', city: 'Bergen' });
    expect(merged.priorities).toEqual({ plan: 10 });
  });
});
