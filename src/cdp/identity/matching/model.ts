/**
 * Fellegi–Sunter scoring. Each field's comparison level contributes a weight of log2(m/u) bits,
 * where m = P(level | same person) and u = P(level | different people); fields are treated as
 * conditionally independent, so the weights add. With the prior odds λ/(1−λ) of two random
 * records being one person, the total weight W gives the match probability 1 / (1 + 2^−W).
 *
 * Exact agreement is priced by the value's own frequency (term-frequency adjustment): two
 * records both saying "Smith" is weaker evidence than both saying "Zyzniewski", so for the exact
 * level u is replaced by the share of records holding that value.
 */
import { MISSING } from './comparisons.js';
import type { PreparedBatch } from './prepare.js';
import {
  type FellegiSunterModel,
  FIELD_INDEX,
  type FieldParameters,
  type PreparedRecord,
} from './types.js';

/** Probabilities are kept inside [EPSILON, 1 − EPSILON] so every weight is finite. */
const EPSILON = 1e-9;

/** Value frequencies used for term-frequency adjustment (a subset of a prepared batch). */
export type TermFrequencies = Pick<PreparedBatch, 'frequencies' | 'present'>;

function clampProbability(p: number): number {
  return Math.min(1 - EPSILON, Math.max(EPSILON, p));
}

/** log2 prior odds of a match: the starting weight of every pair. */
export function priorWeight(lambda: number): number {
  const p = clampProbability(lambda);
  return Math.log2(p / (1 - p));
}

/** Converts a total weight in bits (prior included) into a probability. */
export function probabilityFromWeight(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

/** The weight log2(m/u) of one level of one field, without term-frequency adjustment. */
export function levelWeight(field: FieldParameters, level: number): number {
  if (level === MISSING) return 0;
  const m = clampProbability(field.m[level] ?? 0);
  const u = clampProbability(field.u[level] ?? 0);
  return Math.log2(m / u);
}

/** Share of records holding `value` in a field, or undefined when it was never seen. */
function valueShare(field: number, value: string, tf: TermFrequencies): number | undefined {
  const count = tf.frequencies[field]?.get(value);
  const present = tf.present[field] ?? 0;
  return count === undefined || present === 0 ? undefined : count / present;
}

/**
 * The weight of an exact agreement on `value`, with u taken as the value's frequency among the
 * records that have the field. For names the larger of its given-name and family-name
 * frequencies is used: after a first/last swap, "Woods" agreeing with "Woods" must be priced
 * as the common surname it is, not as the rare given name it was mistyped as. Values never
 * seen (e.g. a model applied to another batch) fall back to the average exact weight.
 */
export function exactWeight(field: FieldParameters, value: string, tf: TermFrequencies): number {
  const index = FIELD_INDEX[field.field];
  let share = valueShare(index, value, tf);
  if (field.field === 'first_name' || field.field === 'last_name') {
    const other = valueShare(
      field.field === 'first_name' ? FIELD_INDEX.last_name : FIELD_INDEX.first_name,
      value,
      tf,
    );
    if (other !== undefined) share = Math.max(share ?? 0, other);
  }
  if (share === undefined) return levelWeight(field, 0);
  const m = clampProbability(field.m[0] ?? 0);
  return Math.log2(m / clampProbability(share));
}

/** The weight a field contributes to a pair at a given level (term-frequency adjusted). */
export function fieldWeight(
  field: FieldParameters,
  level: number,
  a: PreparedRecord,
  tf: TermFrequencies | undefined,
): number {
  if (level === 0 && tf !== undefined) {
    return exactWeight(field, a.values[FIELD_INDEX[field.field]] ?? '', tf);
  }
  return levelWeight(field, level);
}

/**
 * Total match weight of a compared pair, prior included. `levels[k]` is the level of
 * `model.fields[k]`. For an exact name agreement under a first/last swap, a's value is the one
 * that both records share, so a's value is looked up.
 */
export function pairWeight(
  model: FellegiSunterModel,
  levels: Int8Array,
  a: PreparedRecord,
  tf: TermFrequencies | undefined,
): number {
  let weight = priorWeight(model.lambda);
  for (let k = 0; k < model.fields.length; k++) {
    const field = model.fields[k];
    const level = levels[k] ?? MISSING;
    if (field !== undefined && level !== MISSING) weight += fieldWeight(field, level, a, tf);
  }
  return weight;
}
