import { describe, expect, it } from 'vitest';
import { MISSING } from './comparisons.js';
import { buildPatterns, expectationMaximisation } from './em.js';
import { resolvePersons } from './matcher.js';
import { randomInt, seededRandom } from './random.js';
import { GIVEN_NAMES, SURNAMES } from './synthetic/name-lists.js';
import { typo } from './synthetic/population.js';
import type { PersonRecord } from './types.js';

function draw(random: () => number, probabilities: readonly number[]): number {
  let r = random();
  for (let level = 0; level < probabilities.length; level++) {
    r -= probabilities[level] ?? 0;
    if (r < 0) return level;
  }
  return probabilities.length - 1;
}

describe('buildPatterns', () => {
  it('groups identical vectors and counts them', () => {
    const vectors = Int8Array.from([0, 1, 0, 1, 2, MISSING, 0, 1]);
    const patterns = buildPatterns(vectors, [3, 2]);
    expect(patterns.counts.length).toBe(2);
    expect([...patterns.counts]).toEqual([3, 1]);
    expect([...patterns.vectors]).toEqual([0, 1, 2, MISSING]);
  });
});

describe('expectationMaximisation', () => {
  it('recovers known m, u and match rate from a two-class mixture', () => {
    const truth = {
      m: [
        [0.85, 0.1, 0.05],
        [0.7, 0.2, 0.1],
        [0.9, 0.1],
        [0.6, 0.3, 0.1],
      ],
      u: [
        [0.02, 0.08, 0.9],
        [0.05, 0.15, 0.8],
        [0.3, 0.7],
        [0.1, 0.2, 0.7],
      ],
      lambda: 0.25,
    };
    const random = seededRandom(11);
    const pairs = 60_000;
    const fields = truth.m.length;
    const vectors = new Int8Array(pairs * fields);
    for (let p = 0; p < pairs; p++) {
      const match = random() < truth.lambda;
      for (let k = 0; k < fields; k++) {
        const probs = (match ? truth.m[k] : truth.u[k]) ?? [];
        // One field in ten is missing: EM must ignore it rather than count it as disagreement.
        vectors[p * fields + k] = random() < 0.1 ? MISSING : draw(random, probs);
      }
    }
    const levelCounts = truth.m.map((row) => row.length);
    const start = {
      m: levelCounts.map((n) => [0.6, ...new Array<number>(n - 1).fill(0.4 / (n - 1))]),
      u: levelCounts.map((n) => new Array<number>(n).fill(1 / n)),
      lambda: 0.5,
    };
    const result = expectationMaximisation(buildPatterns(vectors, levelCounts), start, {
      maxIterations: 500,
      tolerance: 1e-7,
    });
    expect(result.converged).toBe(true);
    expect(result.lambda).toBeCloseTo(truth.lambda, 1);
    truth.m.forEach((row, k) => {
      row.forEach((value, level) => {
        expect(Math.abs((result.m[k]?.[level] ?? 0) - value)).toBeLessThan(0.03);
        expect(Math.abs((result.u[k]?.[level] ?? 0) - (truth.u[k]?.[level] ?? 0))).toBeLessThan(
          0.03,
        );
      });
    });
  });
});

describe('unsupervised fit on a synthetic population with known error rates', () => {
  // 3,000 people with names drawn uniformly from 60 given names and 300 surnames and birth
  // dates uniform over ten years; 1,000 of them get a second record in which the surname is
  // mistyped with probability 0.2, the given name with 0.1, and the city replaced by a random
  // one (of 20) with 0.3. So m(surname exact) = 0.8, m(given name exact) = 0.9,
  // m(city exact) = 0.7 + 0.3 / 20, u(given name exact) = 1/60, u(city exact) = 1/20.
  const random = seededRandom(5);
  const given = GIVEN_NAMES.slice(0, 60);
  const surnames = SURNAMES.slice(0, 300);
  const cities = Array.from({ length: 20 }, (_, i) => `city${String.fromCharCode(97 + i)}town`);
  const records: PersonRecord[] = [];
  const mistype = (value: string) => {
    const changed = typo(random, value);
    return changed === value ? `${value}x` : changed;
  };
  for (let p = 0; p < 3000; p++) {
    const day = new Date(Date.UTC(1970, 0, 1) + randomInt(random, 3650) * 86_400_000);
    const person = {
      first_name: given[randomInt(random, given.length)] ?? '',
      last_name: surnames[randomInt(random, surnames.length)] ?? '',
      dob: day.toISOString().slice(0, 10),
      city: cities[randomInt(random, cities.length)] ?? '',
    };
    records.push({ id: `p${p}`, ...person });
    if (p < 1000) {
      records.push({
        id: `p${p}-dup`,
        first_name: random() < 0.1 ? mistype(person.first_name) : person.first_name,
        last_name: random() < 0.2 ? mistype(person.last_name) : person.last_name,
        dob: person.dob,
        city: random() < 0.3 ? (cities[randomInt(random, cities.length)] ?? '') : person.city,
      });
    }
  }
  const { model } = resolvePersons(records);
  const field = (name: string) => model.fields.find((f) => f.field === name);

  it('estimates m within a few points of the generating rates', () => {
    expect(field('last_name')?.m[0]).toBeCloseTo(0.8, 1);
    expect(Math.abs((field('last_name')?.m[0] ?? 0) - 0.8)).toBeLessThan(0.04);
    expect(Math.abs((field('first_name')?.m[0] ?? 0) - 0.9)).toBeLessThan(0.04);
    expect(Math.abs((field('city')?.m[0] ?? 0) - 0.715)).toBeLessThan(0.05);
  });

  it('estimates u from random pairs', () => {
    expect(Math.abs((field('first_name')?.u[0] ?? 0) - 1 / 60)).toBeLessThan(0.003);
    expect(Math.abs((field('city')?.u[0] ?? 0) - 1 / 20)).toBeLessThan(0.005);
  });

  it('puts the prior near the true share of matching pairs', () => {
    const pairs = (4000 * 3999) / 2;
    expect(model.lambda * pairs).toBeGreaterThan(800);
    expect(model.lambda * pairs).toBeLessThan(1200);
  });
});
