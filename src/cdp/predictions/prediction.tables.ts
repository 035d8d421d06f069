import type { Selectable } from 'kysely';

/** Kysely table types of prediction models and the recommendation model. */
export interface PredictionTables {
  prediction_models: PredictionModelTable;
  recommendation_neighbors: RecommendationNeighborTable;
  recommendation_popularity: RecommendationPopularityTable;
  recommendation_runs: RecommendationRunTable;
}

export interface PredictionModelTable {
  id: string;
  /** `purchase`, `churn` or `value`. */
  kind: string;
  window_days: number;
  /** The profile trait the scores land in, e.g. `predicted_purchase_30d`. */
  trait_key: string;
  /** `hourly`, `daily`, `weekly` or null (trained on demand only). */
  schedule: string | null;
  /** `untrained`, `ready` or `failed` (the last attempt; an older fit may still be kept). */
  status: string;
  /** JSON: the fitted model (feature names, standardization, weights). */
  model: string | null;
  /** JSON: holdout metrics of the latest successful training. */
  metrics: string | null;
  last_error: string | null;
  trained_at: string | null;
  next_train_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RecommendationNeighborTable {
  item_id: string;
  neighbor_id: string;
  score: number;
}

export interface RecommendationPopularityTable {
  /** An audience key, or `` for global popularity. */
  segment: string;
  item_id: string;
  score: number;
}

export interface RecommendationRunTable {
  id: string;
  started_at: string;
  finished_at: string;
  /** JSON: counts of interactions, items, profiles written. */
  stats: string;
}

export type PredictionModelRow = Selectable<PredictionModelTable>;
