import { describe, expect, it } from 'vitest';
import { resolvePersons } from './matcher.js';
import { pairwiseMetrics } from './metrics.js';
import { generatePopulation } from './synthetic/population.js';

const population = generatePopulation({ records: 3000, seed: 13 });
const resolution = resolvePersons(population.records);

describe('resolvePersons', () => {
  it('resolves a realistic population well without labels', () => {
    const metrics = pairwiseMetrics(resolution.clusterIds, population.truth);
    expect(metrics.precision).toBeGreaterThan(0.95);
    expect(metrics.recall).toBeGreaterThan(0.9);
    expect(resolution.stats.training.map((s) => s.rule)).toEqual([
      'same date of birth',
      'same first and last name',
    ]);
  });

  it('explains every merge: field weights plus the prior add up to the total weight', () => {
    expect(resolution.merges.length).toBeGreaterThan(100);
    for (const merge of resolution.merges.slice(0, 50)) {
      const sum = merge.fields.reduce((total, f) => total + f.weight, merge.priorWeight);
      expect(sum).toBeCloseTo(merge.weight, 6);
      expect(merge.probability).toBeCloseTo(1 / (1 + 2 ** -merge.weight), 9);
      expect(merge.probability).toBeGreaterThanOrEqual(0.9);
      expect(merge.support).toBeGreaterThanOrEqual(0.5);
      for (const f of merge.fields) {
        if (f.level === 'missing') expect(f.weight).toBe(0);
      }
    }
  });

  it('returns suggestions in the review band, across clusters, strongest first', () => {
    const clusterOf = new Map(population.records.map((r, i) => [r.id, resolution.clusterIds[i]]));
    expect(resolution.suggestions.length).toBeGreaterThan(0);
    let previous = 1;
    for (const s of resolution.suggestions) {
      expect(s.probability).toBeGreaterThanOrEqual(0.5);
      expect(s.probability).toBeLessThanOrEqual(previous);
      expect(clusterOf.get(s.a)).not.toBe(clusterOf.get(s.b));
      previous = s.probability;
    }
  });

  it('reports cluster ids as the id of each cluster’s first record', () => {
    const firstOf = new Map<string, string>();
    population.records.forEach((r, i) => {
      const cluster = resolution.clusterIds[i] ?? '';
      if (!firstOf.has(cluster)) firstOf.set(cluster, r.id);
    });
    for (const [cluster, first] of firstOf) expect(cluster).toBe(first);
    expect(resolution.stats.largestCluster).toBe(
      Math.max(...resolution.clusters.map((c) => c.length)),
    );
  });

  it('is deterministic', () => {
    const again = resolvePersons(population.records);
    expect(again.clusterIds).toEqual(resolution.clusterIds);
  });

  describe('name handling', () => {
    // Two special pairs added to the population, so the model is fitted on ordinary data.
    const extra = resolvePersons([
      ...population.records,
      { id: 'full-a', full_name: 'Ana María Lopezova', dob: '1980-01-02', email: 'ana@x.org' },
      { id: 'full-b', first_name: 'Ana', last_name: 'Lopezova', dob: '1980-01-02' },
      { id: 'swap-a', first_name: 'Hallworth', last_name: 'Isla', dob: '1985-02-07' },
      { id: 'swap-b', first_name: 'Isla', last_name: 'Hallworth', dob: '1985-02-07' },
    ]);
    const mergeOf = (a: string, b: string) =>
      extra.merges.find((m) => (m.a === a && m.b === b) || (m.a === b && m.b === a));

    it('splits a full name when first and last are absent', () => {
      const names = mergeOf('full-a', 'full-b')?.fields.filter((f) => f.field.endsWith('_name'));
      expect(names).toHaveLength(2);
      expect(names?.every((f) => f.level === 'exact')).toBe(true);
    });

    it('compares names crossed when they were entered in each other’s field', () => {
      const first = mergeOf('swap-a', 'swap-b')?.fields.find((f) => f.field === 'first_name');
      expect(first?.level).toBe('exact');
      expect(first?.values).toEqual(['hallworth', 'hallworth']);
    });
  });
});
