import { describe, expect, it } from 'vitest';
import { clusterRecords, type ScoredLink } from './clustering.js';
import { FIELD_LEVELS } from './comparisons.js';
import { resolvePersons } from './matcher.js';
import type { ComparedField, FellegiSunterModel, PersonRecord } from './types.js';

/** Chain probability: neighbours 0.99, two apart 0.3, further apart 0.01. */
function chainProbability(i: number, j: number): number {
  const gap = Math.abs(i - j);
  if (gap === 1) return 0.99;
  return gap === 2 ? 0.3 : 0.01;
}

describe('clusterRecords', () => {
  const size = 10;
  const links: ScoredLink[] = Array.from({ length: size - 1 }, (_, i) => ({
    a: i,
    b: i + 1,
    probability: chainProbability(i, i + 1),
  }));

  it('does not let a chain of pairwise links collapse into one cluster', () => {
    const result = clusterRecords(size, links, chainProbability, {
      threshold: 0.9,
      linkage: 0.5,
      maxCrossPairs: 2500,
    });
    expect(result.labels[0]).not.toBe(result.labels[size - 1]);
    expect(result.largestCluster).toBeLessThan(size);
    expect(result.refused.length).toBeGreaterThan(0);
    // Every cluster is internally supported: no two members more than two links apart.
    for (let i = 0; i < size; i++) {
      for (let j = i + 3; j < size; j++) {
        expect(result.labels[i]).not.toBe(result.labels[j]);
      }
    }
  });

  it('would collapse the chain under plain transitive closure (the guard is what stops it)', () => {
    const closure = clusterRecords(size, links, chainProbability, {
      threshold: 0.9,
      linkage: 0,
      maxCrossPairs: 2500,
    });
    expect(closure.clusterCount).toBe(1);
    expect(closure.largestCluster).toBe(size);
  });

  it('merges a genuine group whose members all support each other', () => {
    const all = () => 0.97;
    const group: ScoredLink[] = [
      { a: 0, b: 1, probability: 0.97 },
      { a: 1, b: 2, probability: 0.97 },
      { a: 2, b: 3, probability: 0.97 },
    ];
    const result = clusterRecords(5, group, all, {
      threshold: 0.9,
      linkage: 0.5,
      maxCrossPairs: 2500,
    });
    expect(result.largestCluster).toBe(4);
    expect(result.clusterCount).toBe(2);
    expect(result.merges).toHaveLength(3);
  });

  it('ignores links below the threshold', () => {
    const result = clusterRecords(2, [{ a: 0, b: 1, probability: 0.8 }], () => 0.8, {
      threshold: 0.9,
      linkage: 0.5,
      maxCrossPairs: 2500,
    });
    expect(result.clusterCount).toBe(2);
  });
});

describe('resolvePersons against chaining', () => {
  // Seven records; each shares four of six fields with the next, two with the one after, and
  // none with records three or more steps away. Field j of record k holds value
  // floor((k + offset_j) / 3), offsets 0, 1, 2, 0, 1, 2, so two fields change at every step.
  const fields: ComparedField[] = [
    'last_name',
    'email',
    'phone',
    'city',
    'address_line1',
    'postcode',
  ];
  const offsets = [0, 1, 2, 0, 1, 2];
  const words = ['oak', 'mars', 'quill', 'zebra', 'lumen'];
  const phones = ['0711111119', '0722222228', '0733333337', '0744444446', '0755555554'];
  const postcodes = ['13579', '24680', '35791', '46802', '57913'];
  const valueFor = (field: ComparedField, v: number): string => {
    const word = words[v] ?? '';
    switch (field) {
      case 'email':
        return `${word}@${words[(v + 2) % words.length]}mail.com`;
      case 'phone':
        return phones[v] ?? '';
      case 'postcode':
        return postcodes[v] ?? '';
      default:
        return word;
    }
  };
  const records: PersonRecord[] = Array.from({ length: 7 }, (_, k) => {
    const record: Record<string, string> = { id: `c${k}` };
    fields.forEach((field, j) => {
      record[field] = valueFor(field, Math.floor((k + (offsets[j] ?? 0)) / 3));
    });
    return record as PersonRecord;
  });
  // A fixed model (no estimation on seven records): exact agreement +9.8 bits, disagreement
  // about -4.9 bits, partial agreement slightly negative, prior odds 1:1,000,000 (-20 bits). Neighbours score 4 * 9.8 - 2 * 4.9 - 20
  // = +9.4 bits (p = 0.9985); records two apart -20 bits.
  const model: FellegiSunterModel = {
    lambda: 1e-6,
    fields: fields.map((field) => {
      const levels = FIELD_LEVELS[field];
      const rest = levels.length - 1;
      return {
        field,
        levels,
        m: [0.9, ...new Array<number>(rest).fill(0.1 / rest)],
        u: [0.001, ...new Array<number>(rest - 1).fill(0.05), 0.999 - 0.05 * (rest - 1)],
      };
    }),
  };
  const config = {
    model,
    termFrequency: false,
    blockingRules: [{ name: 'all', key: () => 'all' }],
  };

  it('keeps the ends of the chain apart', () => {
    const resolution = resolvePersons(records, config);
    const clusterOf = new Map(records.map((r, i) => [r.id, resolution.clusterIds[i]]));
    expect(clusterOf.get('c0')).not.toBe(clusterOf.get('c6'));
    for (let i = 0; i < 7; i++) {
      for (let j = i + 3; j < 7; j++) {
        expect(clusterOf.get(`c${i}`)).not.toBe(clusterOf.get(`c${j}`));
      }
    }
    expect(resolution.stats.largestCluster).toBeLessThanOrEqual(2);
    expect(resolution.merges.length).toBeGreaterThan(0);
  });

  it('chains everything when cluster support is switched off', () => {
    const resolution = resolvePersons(records, { ...config, clusterLinkage: 0 });
    expect(new Set(resolution.clusterIds).size).toBe(1);
  });
});
