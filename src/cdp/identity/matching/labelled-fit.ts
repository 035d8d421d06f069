/**
 * Supervised fitting of a Fellegi–Sunter model from clerically labelled pairs, for when a
 * review team has already judged a sample: m is measured on the labelled matches, u on the
 * labelled non-matches.
 */
import { comparePair, FIELD_LEVELS, MISSING } from './comparisons.js';
import type { PreparedBatch } from './prepare.js';
import type { ComparedField, FellegiSunterModel } from './types.js';

/** A pair of record ids judged to be (or not to be) the same person. */
export interface LabelledPair {
  readonly a: string;
  readonly b: string;
  readonly match: boolean;
}

/** Pseudo-count per level, so a level absent from the labels keeps a small probability. */
const SMOOTHING = 0.5;

/**
 * Fits m and u from labelled pairs over `fields`. The prior `lambda` (probability that two
 * random records of the batch are one person) cannot be read from labels, which are never a
 * random sample of pairs; pass it if known, otherwise it is the number of labelled matches over
 * all possible pairs — right when the labels include every true match, a lower bound otherwise.
 * Pairs naming unknown ids are ignored.
 */
export function fitFromLabelledPairs(
  batch: PreparedBatch,
  fields: readonly ComparedField[],
  labels: readonly LabelledPair[],
  options: { readonly lambda?: number } = {},
): FellegiSunterModel {
  const byId = new Map(batch.records.map((r) => [r.id, r]));
  const mCounts = fields.map((f) => new Array<number>(FIELD_LEVELS[f].length).fill(0));
  const uCounts = fields.map((f) => new Array<number>(FIELD_LEVELS[f].length).fill(0));
  const levels = new Int8Array(fields.length);
  let matches = 0;
  for (const label of labels) {
    const a = byId.get(label.a);
    const b = byId.get(label.b);
    if (a === undefined || b === undefined) continue;
    if (label.match) matches++;
    comparePair(fields, a, b, levels);
    const target = label.match ? mCounts : uCounts;
    fields.forEach((_, k) => {
      const level = levels[k] ?? MISSING;
      const row = target[k];
      if (level !== MISSING && row !== undefined) row[level] = (row[level] ?? 0) + 1;
    });
  }
  const normalise = (row: number[]) => {
    const total = row.reduce((sum, c) => sum + c + SMOOTHING, 0);
    return row.map((c) => (c + SMOOTHING) / total);
  };
  const n = batch.records.length;
  const allPairs = (n * (n - 1)) / 2;
  const lambda = options.lambda ?? (allPairs > 0 ? Math.max(1, matches) / allPairs : 0.5);
  return {
    fields: fields.map((field, k) => ({
      field,
      levels: FIELD_LEVELS[field],
      m: normalise(mCounts[k] ?? []),
      u: normalise(uCounts[k] ?? []),
    })),
    lambda,
  };
}
