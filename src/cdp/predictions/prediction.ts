/** Prediction model definitions and their training results. */

export const predictionKinds = ['purchase', 'churn', 'value'] as const;
export type PredictionKind = (typeof predictionKinds)[number];

export const predictionWindows = [15, 30, 60, 90] as const;

export const schedules = { hourly: 3_600_000, daily: 86_400_000, weekly: 7 * 86_400_000 } as const;
export type Schedule = keyof typeof schedules;

/** Below this many positive or negative training examples a model refuses to train. */
export const minExamplesPerClass = 100;

export interface FeatureWeight {
  feature: string;
  /** Weight of the standardized feature: comparable across features, sign is direction. */
  weight: number;
}

export interface PredictionMetrics {
  /** Start of the label window: features are computed from events before it. */
  cutoff: string;
  trainedAt: string;
  examples: number;
  positives: number;
  negatives: number;
  holdoutExamples: number;
  /** `purchase`/`churn`: holdout AUC of the model and of recency alone. */
  auc?: number;
  baselineAuc?: number;
  /** `value`: holdout errors of the model and of a recency-only regression. */
  mae?: number;
  rmse?: number;
  baselineMae?: number;
  baselineRmse?: number;
  topFeatures: FeatureWeight[];
  scoredProfiles: number;
  tookMs: number;
}

export interface PredictionModel {
  id: string;
  kind: PredictionKind;
  windowDays: number;
  traitKey: string;
  /** Names of the traits written on profiles. */
  traits: string[];
  schedule: Schedule | null;
  status: 'untrained' | 'ready' | 'failed';
  lastError: string | null;
  metrics: PredictionMetrics | null;
  trainedAt: string | null;
  nextTrainAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The fitted model as stored: enough to score profiles again without retraining. */
export interface StoredModel {
  features: string[];
  eventNames: string[];
  /** Computed traits the model reads as features (absent on models stored before them). */
  computedTraits?: string[];
  mean: number[];
  std: number[];
  weights: number[];
}

export const traitKeyOf = (kind: PredictionKind, windowDays: number) =>
  `predicted_${kind}_${windowDays}d`;

/** Every trait a model writes: the score, its percentile and its cohort. */
export const traitsOf = (traitKey: string) => [
  traitKey,
  `${traitKey}_percentile`,
  `${traitKey}_cohort`,
];

/** `high` from the 80th percentile, `medium` from the 50th, `low` below. */
export function cohortOf(percentile: number): 'high' | 'medium' | 'low' {
  if (percentile >= 80) return 'high';
  if (percentile >= 50) return 'medium';
  return 'low';
}
