import { describe, expect, it } from 'vitest';
import { comparePair, FIELD_LEVELS } from './comparisons.js';
import {
  estimateRelativeShare,
  householdGuard,
  MAX_RELATIVE_SHARE,
  MIN_HOUSEHOLD_PAIRS,
  personalWeight,
} from './household-guard.js';
import { prepareRecords } from './prepare.js';
import type { ComparedField, FellegiSunterModel, PersonRecord } from './types.js';

function field(name: ComparedField, m: number[], u: number[]) {
  return { field: name, levels: FIELD_LEVELS[name], m, u };
}

// Four levels each: exact, close, weak, different. Disagreement on a given name costs
// log2(0.05/0.9) ≈ −4.2 bits, on a date of birth log2(0.02/0.97) ≈ −5.6 bits.
const model: FellegiSunterModel = {
  lambda: 0.001,
  fields: [
    field('first_name', [0.85, 0.05, 0.05, 0.05], [0.02, 0.03, 0.05, 0.9]),
    field('last_name', [0.9, 0.04, 0.03, 0.03], [0.01, 0.02, 0.02, 0.95]),
    field('dob', [0.9, 0.05, 0.03, 0.02], [0.001, 0.004, 0.025, 0.97]),
    field('email', [0.8, 0.1, 0.05, 0.05], [0.001, 0.001, 0.001, 0.997]),
  ],
};
const fields = model.fields.map((f) => f.field);

function compared(a: PersonRecord, b: PersonRecord) {
  const batch = prepareRecords([a, b], { maxIdentifierShare: 10 });
  const [first, second] = batch.records;
  if (first === undefined || second === undefined) throw new Error('two records expected');
  const levels = new Int8Array(fields.length);
  const swapped = comparePair(fields, first, second, levels);
  return { a: first, levels, swapped };
}

const margaret: PersonRecord = {
  id: 'm',
  first_name: 'margaret',
  last_name: 'kowalczyk',
  dob: '1961-04-02',
  email: 'kowalczykfamily@gmail.com',
};

describe('estimateRelativeShare', () => {
  it('keeps the strictest share when there are too few pairs sharing a home to estimate from', () => {
    expect(estimateRelativeShare(new Array(MIN_HOUSEHOLD_PAIRS - 1).fill(-30))).toBe(
      MAX_RELATIVE_SHARE,
    );
  });

  it('finds almost no relatives where personal evidence always agrees', () => {
    expect(estimateRelativeShare(new Array(1000).fill(15))).toBeLessThan(1e-4);
  });

  it('recovers the share of relatives in a mixture', () => {
    const weights = [...new Array(900).fill(20), ...new Array(100).fill(-20)];
    expect(estimateRelativeShare(weights)).toBeCloseTo(0.1, 3);
  });

  it('never goes above one half', () => {
    expect(estimateRelativeShare(new Array(1000).fill(-20))).toBe(MAX_RELATIVE_SHARE);
  });
});

describe('householdGuard', () => {
  const douglas = { ...margaret, id: 'd', first_name: 'douglas', dob: '1959-11-23' };

  it('guards a relative when relatives are common, whatever the shared contact details', () => {
    const pair = compared(margaret, douglas);
    expect(personalWeight(model, pair.levels, pair.a, undefined, pair.swapped)).toBeLessThan(-9);
    expect(householdGuard(model, pair.levels, pair.a, undefined, pair.swapped, 0.3)).toContain(
      'possible relative',
    );
  });

  it('lets the same differences through where relatives are estimated to be rare', () => {
    const pair = compared(margaret, douglas);
    expect(
      householdGuard(model, pair.levels, pair.a, undefined, pair.swapped, 1e-6),
    ).toBeUndefined();
  });

  it('never guards a pair whose personal evidence agrees', () => {
    const pair = compared(margaret, { ...margaret, id: 'm2', first_name: 'maggie' });
    expect(
      householdGuard(model, pair.levels, pair.a, undefined, pair.swapped, MAX_RELATIVE_SHARE),
    ).toBe(undefined);
  });

  it('compares given names under a first/last swap, whichever record is swapped', () => {
    const swapped = { ...douglas, first_name: 'kowalczyk', last_name: 'douglas' };
    for (const pair of [compared(margaret, swapped), compared(swapped, margaret)]) {
      expect(pair.swapped).toBe(true);
      expect(personalWeight(model, pair.levels, pair.a, undefined, true)).toBeLessThan(-9);
      expect(householdGuard(model, pair.levels, pair.a, undefined, true, 0.3)).toBeDefined();
    }
  });

  it('still finds a swapped true duplicate agreeing on the given name', () => {
    const pair = compared(margaret, {
      ...margaret,
      first_name: 'kowalczyk',
      last_name: 'margaret',
    });
    expect(householdGuard(model, pair.levels, pair.a, undefined, true, 0.3)).toBeUndefined();
  });
});
