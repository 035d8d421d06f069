import { describe, expect, it } from 'vitest';
import { fitFromLabelledPairs, type LabelledPair } from './labelled-fit.js';
import { resolvePersons } from './matcher.js';
import { pairwiseMetrics } from './metrics.js';
import { prepareRecords } from './prepare.js';
import { randomInt, seededRandom } from './random.js';
import { generatePopulation } from './synthetic/population.js';
import type { ComparedField } from './types.js';

const population = generatePopulation({ records: 3000, seed: 3 });
const batch = prepareRecords(population.records, { maxIdentifierShare: 10 });
const fields: ComparedField[] = [
  'first_name',
  'last_name',
  'dob',
  'email',
  'phone',
  'city',
  'postcode',
];

function labels(): LabelledPair[] {
  const byPerson = new Map<string, string[]>();
  population.records.forEach((r, i) => {
    const person = population.truth[i] ?? '';
    byPerson.set(person, [...(byPerson.get(person) ?? []), r.id]);
  });
  const out: LabelledPair[] = [];
  for (const ids of byPerson.values()) {
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        out.push({ a: ids[x] ?? '', b: ids[y] ?? '', match: true });
      }
    }
  }
  const random = seededRandom(9);
  const n = population.records.length;
  for (let k = 0; k < 20_000; k++) {
    const i = randomInt(random, n);
    const j = randomInt(random, n);
    if (i === j || population.truth[i] === population.truth[j]) continue;
    out.push({
      a: population.records[i]?.id ?? '',
      b: population.records[j]?.id ?? '',
      match: false,
    });
  }
  return out;
}

describe('fitFromLabelledPairs', () => {
  const labelled = labels();
  const model = fitFromLabelledPairs(batch, fields, labelled);
  const field = (name: ComparedField) => model.fields.find((f) => f.field === name);

  it('measures m on matches and u on non-matches', () => {
    const truePairs = labelled.filter((l) => l.match).length;
    expect(truePairs).toBeGreaterThan(300);
    // Duplicates keep the surname unless mistyped (10%) or swapped (3%, aligned back).
    expect(field('last_name')?.m[0]).toBeGreaterThan(0.8);
    expect(field('last_name')?.u[0]).toBeLessThan(0.05);
    // Exact dates of birth almost never agree between strangers.
    expect(field('dob')?.u[0]).toBeLessThan(0.01);
    expect(field('dob')?.m[0]).toBeGreaterThan(0.6);
    // The prior defaults to labelled matches over all pairs.
    expect(model.lambda).toBeCloseTo(truePairs / ((3000 * 2999) / 2), 12);
  });

  it('gives a model the matcher can use instead of EM', () => {
    const resolution = resolvePersons(population.records, { model });
    expect(resolution.stats.training).toEqual([]);
    expect(resolution.model).toBe(model);
    const metrics = pairwiseMetrics(resolution.clusterIds, population.truth);
    expect(metrics.f1).toBeGreaterThan(0.9);
  });

  it('ignores pairs that name unknown records', () => {
    const withUnknown = fitFromLabelledPairs(batch, fields, [
      ...labelled,
      { a: 'nobody', b: 'r1', match: true },
    ]);
    expect(withUnknown.lambda).toBe(model.lambda);
  });
});
