/**
 * The household guard. Relatives share a surname, an address, a landline and often one e-mail;
 * these agreements are correlated, but the independence assumption of the model adds them up as
 * if each were separate proof, so they can outweigh the attributes that tell household members
 * apart: given name, date of birth, national id. The guard keeps such a pair from being merged
 * automatically (it stays a suggestion) when it is more likely two relatives than one person.
 *
 * That is a second decision, "same person or relative?", taken among pairs whose household
 * evidence already says "same home". For it, the personal attributes of relatives are
 * distributed like those of any two people (different given names, unrelated dates of birth),
 * so the model's personal weight log2(m/u) is also the log likelihood ratio of same person
 * against relative. What it lacks is the prior: how common relatives are among pairs sharing a
 * home. That share is estimated from the batch itself, without labels, by a one-parameter EM
 * over those pairs (see {@link estimateRelativeShare}). Where relatives are common, a clear
 * difference in given name or date of birth suffices; where data entry is noisy and relatives
 * rare, a difference that typos routinely produce is not taken for a second person. The share
 * is never taken above one half, i.e. the guard is never stricter than "personal evidence
 * against the match", and with too few such pairs to estimate from, one half is used.
 */
import { MISSING } from './comparisons.js';
import { fieldWeight, type TermFrequencies } from './model.js';
import type { ComparedField, FellegiSunterModel, PreparedRecord } from './types.js';

/** Fields that tell members of one household apart. */
const PERSONAL_FIELDS: ReadonlySet<ComparedField> = new Set(['first_name', 'dob', 'national_id']);

/** Relative share used when it cannot be estimated, and the largest one ever used. */
export const MAX_RELATIVE_SHARE = 0.5;

/** Smallest share used, only to keep the prior odds finite. */
const MIN_RELATIVE_SHARE = 1e-6;

/** Fewer household pairs than this leave the share at {@link MAX_RELATIVE_SHARE}. */
export const MIN_HOUSEHOLD_PAIRS = 50;

const EM_ITERATIONS = 500;
const EM_TOLERANCE = 1e-9;

/**
 * The weight of the personal fields of a compared pair (term-frequency adjusted). When the
 * names were compared crossed (`swapped`), either record may be the one whose names sit in the
 * wrong boxes, so either name slot may hold the two given names; the other holds the surnames,
 * which relatives share. The given-name evidence is then the weaker of the two slots.
 */
export function personalWeight(
  model: FellegiSunterModel,
  levels: Int8Array,
  a: PreparedRecord,
  tf: TermFrequencies | undefined,
  swapped = false,
): number {
  let weight = 0;
  let given: number | undefined;
  for (let k = 0; k < model.fields.length; k++) {
    const field = model.fields[k];
    const level = levels[k] ?? MISSING;
    if (field === undefined || level === MISSING) continue;
    const name = field.field;
    const isName = name === 'first_name' || (swapped && name === 'last_name');
    if (!isName && !PERSONAL_FIELDS.has(name)) continue;
    const w = fieldWeight(field, level, a, tf);
    if (isName) given = given === undefined ? w : Math.min(given, w);
    else weight += w;
  }
  return weight + (given ?? 0);
}

/**
 * Estimates the share of relatives among pairs that share a home, from their personal weights
 * W (log2 of P(personal evidence | same person) / P(personal evidence | relative)). A mixture
 * of the two classes with known likelihoods has one unknown, the share π; EM alternates the
 * posterior of each pair being relatives, π / (π + (1 − π)·2^W), with π = their mean.
 */
export function estimateRelativeShare(weights: readonly number[]): number {
  if (weights.length < MIN_HOUSEHOLD_PAIRS) return MAX_RELATIVE_SHARE;
  const ratios = weights.map((w) => 2 ** Math.max(-60, Math.min(60, w)));
  let share = MAX_RELATIVE_SHARE;
  for (let iteration = 0; iteration < EM_ITERATIONS; iteration++) {
    let sum = 0;
    for (const ratio of ratios) sum += share / (share + (1 - share) * ratio);
    const next = Math.max(MIN_RELATIVE_SHARE, Math.min(MAX_RELATIVE_SHARE, sum / ratios.length));
    const converged = Math.abs(next - share) < EM_TOLERANCE;
    share = next;
    if (converged) break;
  }
  return share;
}

/**
 * The guard: returns the reason when a pair is more likely relatives than one person, given the
 * share of relatives among pairs sharing a home; else undefined.
 */
export function householdGuard(
  model: FellegiSunterModel,
  levels: Int8Array,
  a: PreparedRecord,
  tf: TermFrequencies | undefined,
  swapped: boolean,
  relativeShare: number,
): string | undefined {
  const personal = personalWeight(model, levels, a, tf, swapped);
  const priorOdds = Math.log2((1 - relativeShare) / relativeShare);
  if (personal + priorOdds >= 0) return undefined;
  return (
    `personal evidence (given name, date of birth, national id) of ${personal.toFixed(1)} bits ` +
    `outweighs the ${priorOdds.toFixed(1)}-bit prior against relatives among records sharing a ` +
    'home: possible relative sharing contact details'
  );
}
