/**
 * Unsupervised estimation of Fellegi–Sunter parameters by expectation–maximisation.
 *
 * Candidate pairs are a mixture of matches and non-matches. Under conditional independence each
 * class is a product of per-field categorical distributions (m for matches, u for non-matches),
 * so EM alternates between the posterior match probability of each pair (E-step) and the
 * weighted level frequencies (M-step). Pairs are first grouped by identical comparison vector,
 * so an iteration costs the number of distinct vectors (hundreds), not the number of pairs.
 */
import { MISSING } from './comparisons.js';

/** Distinct comparison vectors with their multiplicities. */
export interface ComparisonPatterns {
  /** Number of levels of each field (missing excluded). */
  readonly levelCounts: readonly number[];
  /** Distinct vectors, flattened: pattern p, field k at p * fields + k. */
  readonly vectors: Int8Array;
  /** How many pairs share each distinct vector. */
  readonly counts: Float64Array;
}

/** The parameters of the two-class mixture. */
export interface MixtureParameters {
  /** m[k][level] = P(level of field k | match). */
  readonly m: readonly (readonly number[])[];
  /** u[k][level] = P(level of field k | non-match). */
  readonly u: readonly (readonly number[])[];
  /** Share of matches among the pairs. */
  readonly lambda: number;
}

/** Result of an EM run. */
export interface EmResult extends MixtureParameters {
  readonly iterations: number;
  readonly converged: boolean;
}

/** EM settings. */
export interface EmOptions {
  readonly maxIterations: number;
  /** Stop when no parameter moves by more than this between iterations. */
  readonly tolerance: number;
  /** Keep u as given (e.g. when u was measured on random pairs). */
  readonly fixU?: boolean;
  /** Pseudo-count added to every level, so no level's probability collapses to exactly 0. */
  readonly smoothing?: number;
}

/**
 * Groups comparison vectors (pair i, field k at i * fields + k; {@link MISSING} allowed) into
 * distinct patterns with counts.
 */
export function buildPatterns(
  vectors: Int8Array,
  levelCounts: readonly number[],
): ComparisonPatterns {
  const fields = levelCounts.length;
  const pairs = fields === 0 ? 0 : vectors.length / fields;
  const index = new Map<number, number>();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // Base-16 positional key: a level is at most 14, 15 encodes missing; 13 fields fit 2^52.
    let key = 0;
    for (let k = 0; k < fields; k++) {
      const level = vectors[i * fields + k] ?? MISSING;
      key = key * 16 + (level === MISSING ? 15 : level);
    }
    const seen = index.get(key);
    if (seen !== undefined) {
      counts[seen] = (counts[seen] ?? 0) + 1;
      continue;
    }
    index.set(key, counts.length);
    counts.push(1);
    for (let k = 0; k < fields; k++) distinct.push(vectors[i * fields + k] ?? MISSING);
  }
  return {
    levelCounts,
    vectors: Int8Array.from(distinct),
    counts: Float64Array.from(counts),
  };
}

function productOf(probs: readonly (readonly number[])[], vectors: Int8Array, p: number): number {
  const fields = probs.length;
  let product = 1;
  for (let k = 0; k < fields; k++) {
    const level = vectors[p * fields + k] ?? MISSING;
    if (level !== MISSING) product *= probs[k]?.[level] ?? 0;
  }
  return product;
}

/** Posterior match probability of each pattern under the given parameters. */
export function posteriors(patterns: ComparisonPatterns, params: MixtureParameters): Float64Array {
  const out = new Float64Array(patterns.counts.length);
  for (let p = 0; p < out.length; p++) {
    const match = params.lambda * productOf(params.m, patterns.vectors, p);
    const nonMatch = (1 - params.lambda) * productOf(params.u, patterns.vectors, p);
    const total = match + nonMatch;
    out[p] = total > 0 ? match / total : 0;
  }
  return out;
}

function normalise(counts: number[], smoothing: number): number[] {
  let total = 0;
  for (const c of counts) total += c + smoothing;
  return counts.map((c) => (total > 0 ? (c + smoothing) / total : 1 / counts.length));
}

function maxChange(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  let change = 0;
  a.forEach((row, k) => {
    row.forEach((value, level) => {
      change = Math.max(change, Math.abs(value - (b[k]?.[level] ?? 0)));
    });
  });
  return change;
}

/**
 * Runs EM from `initial` until parameters settle or `maxIterations` is reached. Missing levels
 * are skipped in both steps: a field is only estimated from pairs where both values exist.
 */
export function expectationMaximisation(
  patterns: ComparisonPatterns,
  initial: MixtureParameters,
  options: EmOptions,
): EmResult {
  const fields = patterns.levelCounts.length;
  const smoothing = options.smoothing ?? 0.01;
  let params: MixtureParameters = initial;
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    const gamma = posteriors(patterns, params);
    const mCounts = patterns.levelCounts.map((n) => new Array<number>(n).fill(0));
    const uCounts = patterns.levelCounts.map((n) => new Array<number>(n).fill(0));
    let matches = 0;
    let total = 0;
    for (let p = 0; p < gamma.length; p++) {
      const n = patterns.counts[p] ?? 0;
      const g = (gamma[p] ?? 0) * n;
      matches += g;
      total += n;
      for (let k = 0; k < fields; k++) {
        const level = patterns.vectors[p * fields + k] ?? MISSING;
        if (level === MISSING) continue;
        const mRow = mCounts[k];
        const uRow = uCounts[k];
        if (mRow !== undefined) mRow[level] = (mRow[level] ?? 0) + g;
        if (uRow !== undefined) uRow[level] = (uRow[level] ?? 0) + n - g;
      }
    }
    const next: MixtureParameters = {
      m: mCounts.map((row) => normalise(row, smoothing)),
      u: options.fixU ? params.u : uCounts.map((row) => normalise(row, smoothing)),
      lambda: total > 0 ? Math.min(1 - 1e-9, Math.max(1e-9, matches / total)) : params.lambda,
    };
    const change = Math.max(
      maxChange(next.m, params.m),
      maxChange(next.u, params.u),
      Math.abs(next.lambda - params.lambda),
    );
    params = next;
    if (change < options.tolerance) return { ...params, iterations: iteration, converged: true };
  }
  return { ...params, iterations: options.maxIterations, converged: false };
}
