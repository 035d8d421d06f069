/**
 * Unsupervised model fitting for a batch:
 *
 * 1. u from random pairs of the whole batch (see u-estimate.ts);
 * 2. m by EM in training passes, Splink-style: each pass takes the pairs that agree exactly
 *    on some fields (same date of birth; same first and last name) and runs EM over the *other*
 *    fields. Within "same date of birth" the two classes are "same person" and "stranger born
 *    the same day", so EM cannot mistake another regularity for identity — over all candidate
 *    pairs it would: relatives sharing a surname, address, phone and email form a class as
 *    clear-cut as true duplicates, and EM happily fits that class instead. A field's m is the
 *    average over the passes that estimated it; a field no pass could estimate takes m
 *    from EM over all candidate pairs;
 * 3. the prior λ (probability that two random records of the batch are one person) as the
 *    fixed point of λ = Σ P(match | candidate pair; λ) / (number of all pairs), counting
 *    non-candidates as non-matches;
 * 4. monotone weights (see {@link monotoneM}).
 */
import { type BlockingRule, candidatePairs } from './blocking.js';
import { comparePair, FIELD_LEVELS, MISSING } from './comparisons.js';
import { buildPatterns, type ComparisonPatterns, expectationMaximisation } from './em.js';
import { levelWeight, priorWeight, probabilityFromWeight } from './model.js';
import type { PreparedBatch } from './prepare.js';
import { type ComparedField, type FellegiSunterModel, FIELD_INDEX } from './types.js';
import { estimateU } from './u-estimate.js';

/** A training pass: pairs agreeing on `fields` (by `key`) train the other fields' m. */
export interface TrainingRule extends BlockingRule {
  readonly fields: readonly ComparedField[];
}

function fieldValue(values: readonly string[], field: ComparedField): string {
  return values[FIELD_INDEX[field]] ?? '';
}

/** The default training passes for person data. */
export const DEFAULT_TRAINING_RULES: readonly TrainingRule[] = [
  {
    name: 'same date of birth',
    fields: ['dob'],
    key: (r) => fieldValue(r.values, 'dob') || undefined,
  },
  {
    name: 'same first and last name',
    fields: ['first_name', 'last_name'],
    key: (r) => {
      const first = fieldValue(r.values, 'first_name');
      const last = fieldValue(r.values, 'last_name');
      return first !== '' && last !== '' ? `${first}|${last}` : undefined;
    },
  },
];

/** A pass needs this many pairs for its m to be trusted. */
const MIN_TRAINING_PAIRS = 30;

/** Starting m: most matches agree exactly, the rest spread over the weaker levels. */
export function initialM(levelCount: number): number[] {
  if (levelCount <= 1) return [1];
  const rest = new Array<number>(levelCount - 1).fill(0.2 / (levelCount - 1));
  return [0.8, ...rest];
}

/**
 * Makes a field's weights non-increasing from the strongest level to the weakest. EM can leave
 * a sparsely populated partial level with m near zero, which would price "nearly equal" below
 * "completely different" — evidence cannot work that way, and one such level would veto true
 * matches with a small typo. Adjacent levels that violate the order are pooled (pool-adjacent-
 * violators on the likelihood ratio m/u, weighted by u): within a pool every level gets the
 * pool's ratio, and the pool's total m is kept, so m still sums to 1. Pooling, rather than
 * raising one level to its neighbour, keeps a level with almost no data from dragging a
 * well-populated neighbour along.
 */
export function monotoneM(m: readonly number[], u: readonly number[]): number[] {
  const pools: { start: number; end: number; m: number; u: number }[] = [];
  m.forEach((value, level) => {
    pools.push({ start: level, end: level, m: value, u: u[level] ?? 0 });
    for (;;) {
      const last = pools[pools.length - 1];
      const previous = pools[pools.length - 2];
      if (last === undefined || previous === undefined) break;
      // previous.m / previous.u < last.m / last.u, cross-multiplied to avoid dividing by 0.
      if (previous.m * last.u >= last.m * previous.u) break;
      pools.splice(pools.length - 2, 2, {
        start: previous.start,
        end: last.end,
        m: previous.m + last.m,
        u: previous.u + last.u,
      });
    }
  });
  const out = [...m];
  for (const pool of pools) {
    if (pool.start === pool.end || pool.u <= 0) continue;
    for (let level = pool.start; level <= pool.end; level++) {
      out[level] = ((u[level] ?? 0) * pool.m) / pool.u;
    }
  }
  return out;
}

/** Comparison vectors of pairs, flattened pair-major. */
export function candidateVectors(
  batch: PreparedBatch,
  fields: readonly ComparedField[],
  pairs: { readonly left: Uint32Array; readonly right: Uint32Array },
): Int8Array {
  const width = fields.length;
  const vectors = new Int8Array(pairs.left.length * width);
  const levels = new Int8Array(width);
  for (let p = 0; p < pairs.left.length; p++) {
    const a = batch.records[pairs.left[p] ?? 0];
    const b = batch.records[pairs.right[p] ?? 0];
    if (a === undefined || b === undefined) continue;
    comparePair(fields, a, b, levels);
    vectors.set(levels, p * width);
  }
  return vectors;
}

/** Settings of {@link estimateModel}. */
export interface EstimateOptions {
  readonly randomPairSamples: number;
  readonly seed: number;
  readonly emMaxIterations: number;
  readonly emTolerance: number;
  readonly maxBlockSize: number;
  readonly trainingRules: readonly TrainingRule[];
}

/** What one training pass produced. */
export interface TrainingReport {
  readonly rule: string;
  readonly pairs: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Fields whose m this pass estimated. */
  readonly fields: readonly ComparedField[];
}

/** A fitted model with the diagnostics of the fit. */
export interface EstimatedModel {
  readonly model: FellegiSunterModel;
  readonly passes: readonly TrainingReport[];
  /** Iterations of the prior's fixed point. */
  readonly priorIterations: number;
}

function runTrainingPass(
  fields: readonly ComparedField[],
  u: readonly (readonly number[])[],
  vectors: Int8Array,
  skipped: ReadonlySet<ComparedField>,
  options: EstimateOptions,
): { m: readonly (readonly number[])[]; iterations: number; converged: boolean } {
  const width = fields.length;
  const masked = skipped.size === 0 ? vectors : Int8Array.from(vectors);
  if (skipped.size > 0) {
    for (let p = 0; p < masked.length; p += width) {
      fields.forEach((field, k) => {
        if (skipped.has(field)) masked[p + k] = MISSING;
      });
    }
  }
  const levelCounts = fields.map((f) => FIELD_LEVELS[f].length);
  const patterns: ComparisonPatterns = buildPatterns(masked, levelCounts);
  const em = expectationMaximisation(
    patterns,
    { m: levelCounts.map(initialM), u, lambda: 0.5 },
    { maxIterations: options.emMaxIterations, tolerance: options.emTolerance },
  );
  return { m: em.m, iterations: em.iterations, converged: em.converged };
}

/**
 * The prior λ as the fixed point described in the module comment. `vectors` are the candidate
 * pairs' comparison vectors; weights are level weights (no term-frequency adjustment).
 */
export function estimatePrior(
  model: FellegiSunterModel,
  vectors: Int8Array,
  allPairs: number,
  maxIterations = 200,
): { lambda: number; iterations: number } {
  const width = model.fields.length;
  const patterns = buildPatterns(
    vectors,
    model.fields.map((f) => f.levels.length),
  );
  const evidence = new Float64Array(patterns.counts.length);
  for (let p = 0; p < evidence.length; p++) {
    let w = 0;
    for (let k = 0; k < width; k++) {
      const field = model.fields[k];
      const level = patterns.vectors[p * width + k] ?? MISSING;
      if (field !== undefined) w += levelWeight(field, level);
    }
    evidence[p] = w;
  }
  // Start high (every candidate a match) and let the fixed point come down to the data.
  let lambda = Math.min(0.5, Math.max(1, vectors.length / Math.max(1, width)) / allPairs);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const prior = priorWeight(lambda);
    let expected = 0;
    for (let p = 0; p < evidence.length; p++) {
      expected += (patterns.counts[p] ?? 0) * probabilityFromWeight(prior + (evidence[p] ?? 0));
    }
    const next = Math.min(0.5, Math.max(1, expected) / allPairs);
    if (Math.abs(Math.log(next / lambda)) < 1e-6) return { lambda: next, iterations: iteration };
    lambda = next;
  }
  return { lambda, iterations: maxIterations };
}

/** Fits a model without labels; see the module comment for the method. */
export function estimateModel(
  batch: PreparedBatch,
  fields: readonly ComparedField[],
  candidates: Int8Array,
  options: EstimateOptions,
): EstimatedModel {
  const levelCounts = fields.map((f) => FIELD_LEVELS[f].length);
  const u = estimateU(batch, fields, levelCounts, {
    samples: options.randomPairSamples,
    seed: options.seed,
  });
  const sums = levelCounts.map((n) => new Array<number>(n).fill(0));
  const passesPerField = new Array<number>(fields.length).fill(0);
  const passes: TrainingReport[] = [];
  const addEstimate = (m: readonly (readonly number[])[], k: number) => {
    const row = sums[k];
    m[k]?.forEach((value, level) => {
      if (row !== undefined) row[level] = (row[level] ?? 0) + value;
    });
    passesPerField[k] = (passesPerField[k] ?? 0) + 1;
  };
  for (const rule of options.trainingRules) {
    const pairs = candidatePairs(batch.records, [rule], options.maxBlockSize);
    if (pairs.left.length < MIN_TRAINING_PAIRS) continue;
    const skipped = new Set(rule.fields);
    const vectors = candidateVectors(batch, fields, pairs);
    const pass = runTrainingPass(fields, u, vectors, skipped, options);
    const estimated = fields.filter((f) => !skipped.has(f));
    fields.forEach((field, k) => {
      if (!skipped.has(field)) addEstimate(pass.m, k);
    });
    passes.push({
      rule: rule.name,
      pairs: pairs.left.length,
      iterations: pass.iterations,
      converged: pass.converged,
      fields: estimated,
    });
  }
  if (passesPerField.some((count) => count === 0)) {
    const fallback = runTrainingPass(fields, u, candidates, new Set(), options);
    const missingFields = fields.filter((_, k) => passesPerField[k] === 0);
    fields.forEach((_, k) => {
      if (passesPerField[k] === 0) addEstimate(fallback.m, k);
    });
    passes.push({
      rule: 'all candidate pairs',
      pairs: fields.length === 0 ? 0 : candidates.length / fields.length,
      iterations: fallback.iterations,
      converged: fallback.converged,
      fields: missingFields,
    });
  }
  const withoutPrior: FellegiSunterModel = {
    fields: fields.map((field, k) => {
      const count = passesPerField[k] || 1;
      const m = (sums[k] ?? []).map((s) => s / count);
      return { field, levels: FIELD_LEVELS[field], m: monotoneM(m, u[k] ?? []), u: u[k] ?? [] };
    }),
    lambda: 0.5,
  };
  const n = batch.records.length;
  const allPairs = Math.max(1, (n * (n - 1)) / 2);
  const prior = estimatePrior(withoutPrior, candidates, allPairs);
  return {
    model: { ...withoutPrior, lambda: prior.lambda },
    passes,
    priorIterations: prior.iterations,
  };
}
