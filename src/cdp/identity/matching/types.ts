/**
 * Shared types of the person matcher.
 */

/** Every person attribute the matcher understands, in canonical order. */
export const PERSON_FIELDS = [
  'first_name',
  'last_name',
  'full_name',
  'dob',
  'email',
  'phone',
  'street_number',
  'address_line1',
  'address_line2',
  'city',
  'postcode',
  'state',
  'national_id',
] as const;

/** A person attribute the matcher understands. */
export type PersonField = (typeof PERSON_FIELDS)[number];

/**
 * One person record as it arrives: an id unique within the batch and any subset of the person
 * fields. Missing, null and blank values are all "unknown" and carry no evidence either way.
 */
export type PersonRecord = { readonly id: string } & {
  readonly [F in PersonField]?: string | null | undefined;
};

/**
 * The fields that are compared pairwise. `full_name` is not among them: it is split into first
 * and last name when those are absent, so that the same evidence is never counted twice.
 */
export const COMPARED_FIELDS = [
  'first_name',
  'last_name',
  'dob',
  'email',
  'phone',
  'street_number',
  'address_line1',
  'address_line2',
  'city',
  'postcode',
  'state',
  'national_id',
] as const;

/** A field that is compared pairwise. */
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** Index of each compared field in {@link PreparedRecord.values}. */
export const FIELD_INDEX: { readonly [F in ComparedField]: number } = Object.fromEntries(
  COMPARED_FIELDS.map((field, index) => [field, index]),
) as { [F in ComparedField]: number };

/**
 * A record after normalisation: one normalised value per compared field ('' = missing, which
 * includes placeholders), plus the phonetic codes of the names used by blocking and comparison.
 */
export interface PreparedRecord {
  /** Position in the input batch. */
  readonly index: number;
  readonly id: string;
  /** Normalised values indexed by {@link FIELD_INDEX}; '' when missing. */
  readonly values: readonly string[];
  /** NYSIIS codes of first and last name ('' when missing). */
  readonly firstNysiis: string;
  readonly lastNysiis: string;
  /** Soundex codes of first and last name ('' when missing). */
  readonly firstSoundex: string;
  readonly lastSoundex: string;
}

/** The parameters of one compared field in a Fellegi–Sunter model. */
export interface FieldParameters {
  readonly field: ComparedField;
  /** Level labels, strongest agreement first; index 0 is always exact agreement. */
  readonly levels: readonly string[];
  /** P(level | match), one per level, summing to 1. */
  readonly m: readonly number[];
  /** P(level | non-match) for a random pair, one per level, summing to 1. */
  readonly u: readonly number[];
}

/**
 * A Fellegi–Sunter model: per-field level probabilities plus the prior probability `lambda`
 * that two records drawn at random from the batch are the same person.
 */
export interface FellegiSunterModel {
  readonly fields: readonly FieldParameters[];
  readonly lambda: number;
}

/** One field's part in a pair decision: its level and the weight (in bits) it contributed. */
export interface FieldExplanation {
  readonly field: ComparedField;
  /** The level label, or 'missing' when either record lacks the value (weight 0). */
  readonly level: string;
  /** log2(m/u) of the level; for exact agreement adjusted by the value's frequency. */
  readonly weight: number;
  /** The two normalised values compared ('' when missing). */
  readonly values: readonly [string, string];
}

/** A scored pair of records with the evidence behind its score. */
export interface PairDecision {
  readonly a: string;
  readonly b: string;
  /** Model probability that the two records are the same person. */
  readonly probability: number;
  /** Total match weight in bits, prior included: probability = 1 / (1 + 2^-weight). */
  readonly weight: number;
  /** Log2 prior odds, the weight before any field evidence. */
  readonly priorWeight: number;
  readonly fields: readonly FieldExplanation[];
  /** Set when a guard capped the probability below the auto-merge threshold, with the reason. */
  readonly guard?: string;
}
