/**
 * Estimating u — P(level | different people) — from random record pairs. Two records drawn at
 * random from a batch are almost never the same person, so the level frequencies over a random
 * sample are an unbiased estimate of u for the whole population, which the blocked candidate
 * pairs (selected precisely because they agree on something) cannot provide.
 */
import { compareField, MISSING, namesSwapped } from './comparisons.js';
import type { PreparedBatch } from './prepare.js';
import { randomInt, seededRandom } from './random.js';
import { type ComparedField, FIELD_INDEX } from './types.js';

/** Pseudo-count per level so that a level unseen in the sample keeps a small probability. */
const SMOOTHING = 0.5;

/**
 * Probability that two random records holding the field agree exactly, computed from value
 * counts: Σ c(c−1) / (n(n−1)). Exact, where a sample would see few or no agreements.
 */
export function exactAgreementRate(counts: ReadonlyMap<string, number>, present: number): number {
  if (present < 2) return 0;
  let same = 0;
  for (const c of counts.values()) same += c * (c - 1);
  return same / (present * (present - 1));
}

/**
 * u per field and level. The exact level comes from value frequencies; the other levels share
 * the rest in the proportions seen over `samples` random pairs (drawn with a seeded generator).
 */
export function estimateU(
  batch: PreparedBatch,
  fields: readonly ComparedField[],
  levelCounts: readonly number[],
  options: { readonly samples: number; readonly seed: number },
): number[][] {
  const records = batch.records;
  const counts = levelCounts.map((n) => new Array<number>(n).fill(0));
  const random = seededRandom(options.seed);
  if (records.length >= 2) {
    for (let s = 0; s < options.samples; s++) {
      const i = randomInt(random, records.length);
      let j = randomInt(random, records.length - 1);
      if (j >= i) j++;
      const a = records[i];
      const b = records[j];
      if (a === undefined || b === undefined) continue;
      const swapped = namesSwapped(a, b);
      fields.forEach((field, k) => {
        const level = compareField(field, a, b, swapped);
        const row = counts[k];
        if (level !== MISSING && row !== undefined) row[level] = (row[level] ?? 0) + 1;
      });
    }
  }
  return fields.map((field, k) => {
    const row = counts[k] ?? [];
    const index = FIELD_INDEX[field];
    const exact = exactAgreementRate(
      batch.frequencies[index] ?? new Map<string, number>(),
      batch.present[index] ?? 0,
    );
    const rest = row.slice(1).map((c) => c + SMOOTHING);
    const restTotal = rest.reduce((sum, c) => sum + c, 0);
    // Floor exact agreement at one in a million pairs so its weight stays finite.
    const u0 = Math.min(0.99, Math.max(exact, 1e-6));
    return [u0, ...rest.map((c) => ((1 - u0) * c) / restTotal)];
  });
}
