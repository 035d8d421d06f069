import type { Selectable } from 'kysely';

/**
 * A lookalike model (an "algorithmic trait"): trained on a seed's trait vectors, it scores the
 * rest of the population; once activated, the IDs it ranks highest realize the onboarded-style
 * trait whose ID is the lookalike's own ID. No DMP ID is stored here: the seed is named (a
 * segment or a seed list) and read again when the model is refreshed or activated.
 */
export interface DmpLookalikeTable {
  /** `lal_...`; also the ID of the trait activation realizes. */
  id: string;
  name: string;
  description: string;
  /** `segment` or `list`. */
  seed_kind: string;
  /** The segment ID or the seed list name. */
  seed_ref: string;
  /** `traitWeight` or `logistic`. */
  model: string;
  /** `trained` or `active` (its trait is realized for the chosen reach). */
  status: string;
  /** Fraction of seed members (and of non-seed IDs) held out for evaluation. */
  holdout: number;
  /** JSON array of the reach levels (fractions of the non-seed population) the curve reports. */
  reach_levels: string;
  ttl_days: number;
  seed_size: number;
  population_size: number;
  /** JSON `ModelWeights`: bias and per-trait weights. */
  weights: string;
  /** JSON `CurvePoint[]`: precision and recall of held-out seed members at each reach. */
  curve: string;
  /** JSON array of trait IDs left out of the features (those the seed segment's rule names). */
  excluded_traits: string;
  active_reach: number | null;
  active_count: number | null;
  activated_at: string | null;
  trained_at: string;
  created_at: string;
  updated_at: string;
}

export interface DmpLookalikeTables {
  dmp_lookalikes: DmpLookalikeTable;
}

export type DmpLookalikeRow = Selectable<DmpLookalikeTable>;
