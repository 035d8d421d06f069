/**
 * Pair scoring against a fitted model, with a cache so that each pair is compared at most once
 * even when clustering asks for it again.
 */
import { comparedValues, comparePair, MISSING, namesSwapped } from './comparisons.js';
import { householdGuard } from './household-guard.js';
import { fieldWeight, pairWeight, priorWeight, probabilityFromWeight } from './model.js';
import type { PreparedBatch } from './prepare.js';
import type { ComparedField, FellegiSunterModel, FieldExplanation, PairDecision } from './types.js';

/** What the scorer knows about one pair. */
export interface PairScore {
  /** Model probability. */
  readonly probability: number;
  /** Probability used for decisions: the model's, capped at the lower threshold by a guard. */
  readonly effective: number;
  readonly weight: number;
  readonly guard: string | undefined;
}

/** Scores pairs of records of one prepared batch. */
export interface PairScorer {
  readonly fields: readonly ComparedField[];
  /** Scores a pair by record index (cached). */
  score(i: number, j: number): PairScore;
  /** Scores a pair whose comparison vector is already known (not cached). */
  scoreLevels(i: number, j: number, levels: Int8Array, swapped?: boolean): PairScore;
  /** The full explanation of a pair. */
  explain(i: number, j: number): PairDecision;
  /** Number of distinct pairs compared so far. */
  readonly comparisons: () => number;
}

/** Options of {@link createScorer}. */
export interface ScorerOptions {
  readonly termFrequency: boolean;
  readonly householdGuard: boolean;
  /** Estimated share of relatives among pairs sharing a home (see household-guard.ts). */
  readonly relativeShare: number;
  /** Guarded pairs are capped here, so they can be suggested but never auto-merged. */
  readonly guardCap: number;
}

/** Builds a scorer for `batch` under `model`. */
export function createScorer(
  model: FellegiSunterModel,
  batch: PreparedBatch,
  options: ScorerOptions,
): PairScorer {
  const fields = model.fields.map((f) => f.field);
  const records = batch.records;
  const n = records.length;
  const tf = options.termFrequency ? batch : undefined;
  const cache = new Map<number, PairScore>();
  const levels = new Int8Array(fields.length);

  const scoreLevels = (i: number, j: number, vector: Int8Array, swapped?: boolean): PairScore => {
    const a = records[i];
    const b = records[j];
    if (a === undefined || b === undefined) throw new RangeError(`no record at ${i} or ${j}`);
    const weight = pairWeight(model, vector, a, tf);
    const probability = probabilityFromWeight(weight);
    // The guard only matters for pairs that could otherwise be merged automatically.
    const guard =
      options.householdGuard && probability > options.guardCap
        ? householdGuard(model, vector, a, tf, swapped ?? namesSwapped(a, b), options.relativeShare)
        : undefined;
    const effective = guard === undefined ? probability : Math.min(probability, options.guardCap);
    return { probability, effective, weight, guard };
  };

  const compare = (i: number, j: number): boolean => {
    const a = records[i];
    const b = records[j];
    if (a === undefined || b === undefined) throw new RangeError(`no record at ${i} or ${j}`);
    return comparePair(fields, a, b, levels);
  };

  const score = (i: number, j: number): PairScore => {
    const lo = Math.min(i, j);
    const hi = Math.max(i, j);
    const key = lo * n + hi;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const swapped = compare(lo, hi);
    const result = scoreLevels(lo, hi, levels, swapped);
    cache.set(key, result);
    return result;
  };

  const explain = (i: number, j: number): PairDecision => {
    const lo = Math.min(i, j);
    const hi = Math.max(i, j);
    const a = records[lo];
    const b = records[hi];
    if (a === undefined || b === undefined) throw new RangeError(`no record at ${i} or ${j}`);
    const swapped = compare(lo, hi);
    const result = scoreLevels(lo, hi, levels, swapped);
    const explanation: FieldExplanation[] = model.fields.map((field, k) => {
      const level = levels[k] ?? MISSING;
      return {
        field: field.field,
        level: level === MISSING ? 'missing' : (field.levels[level] ?? String(level)),
        weight: level === MISSING ? 0 : fieldWeight(field, level, a, tf),
        values: comparedValues(field.field, a, b, swapped),
      };
    });
    return {
      a: a.id,
      b: b.id,
      probability: result.probability,
      weight: result.weight,
      priorWeight: priorWeight(model.lambda),
      fields: explanation,
      ...(result.guard === undefined ? {} : { guard: result.guard }),
    };
  };

  return { fields, score, scoreLevels, explain, comparisons: () => cache.size };
}
