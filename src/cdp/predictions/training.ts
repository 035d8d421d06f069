import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import { withComputedTraits } from './computed-features.js';
import { extractFeatures, recencyIndex, windowActivity } from './features.js';
import {
  fitLogistic,
  fitRidge,
  type LinearModel,
  linearScore,
  predictProbability,
} from './logistic.js';
import { auc, mae, percentiles, rmse } from './metrics.js';
import {
  cohortOf,
  type FeatureWeight,
  minExamplesPerClass,
  type PredictionKind,
  type PredictionMetrics,
  type StoredModel,
} from './prediction.js';
import { patchProfileTraits } from './prediction.repository.js';

const day = 86_400_000;

/** A stable ~20% holdout: the same profile always lands on the same side of the split. */
export function inHoldout(profileId: string): boolean {
  let h = 2166136261;
  for (let i = 0; i < profileId.length; i++) {
    h ^= profileId.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % 5 === 0;
}

export interface Fit {
  model: LinearModel;
  metrics: Omit<PredictionMetrics, 'cutoff' | 'trainedAt' | 'scoredProfiles' | 'tookMs'>;
}

const topFeaturesOf = (model: LinearModel, names: string[]): FeatureWeight[] =>
  names
    .map((feature, j) => ({ feature, weight: round(model.weights[j + 1] as number, 4) }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, 10);

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Fits a model on the training side of the split, measures it on the holdout beside the
 * recency-only baseline, then refits on every example for scoring. Refuses (422
 * `insufficient_data`) with fewer than 100 examples of either class.
 */
export function fitAndEvaluate(
  kind: PredictionKind,
  names: string[],
  rows: { profileId: string; values: number[] }[],
  targets: number[],
): Fit {
  const positives = targets.filter((t) => t > 0).length;
  const negatives = targets.length - positives;
  if (positives < minExamplesPerClass || negatives < minExamplesPerClass) {
    const what = kind === 'value' ? ['spenders', 'non-spenders'] : ['positive', 'negative'];
    throw new AppError(
      'insufficient_data',
      `Training needs at least ${minExamplesPerClass} ${what[0]} and ${minExamplesPerClass} ${what[1]} examples; found ${positives} and ${negatives}`,
      [{ field: 'examples', message: `${positives} ${what[0]}, ${negatives} ${what[1]}` }],
    );
  }
  const train: number[] = [];
  const holdout: number[] = [];
  rows.forEach((r, i) => {
    (inHoldout(r.profileId) ? holdout : train).push(i);
  });
  const pick = (idx: number[]) => idx.map((i) => (rows[i] as { values: number[] }).values);
  const labelsOf = (idx: number[]) => idx.map((i) => targets[i] as number);
  const recency = (idx: number[]) =>
    idx.map((i) => (rows[i] as { values: number[] }).values[recencyIndex] as number);
  const all = rows.map((r) => r.values);
  const base = {
    examples: rows.length,
    positives,
    negatives,
    holdoutExamples: holdout.length,
  };
  if (kind === 'value') {
    const fitted = fitRidge(pick(train), labelsOf(train));
    const baseline = fitRidge(
      recency(train).map((r) => [r]),
      labelsOf(train),
    );
    const actual = labelsOf(holdout);
    const predicted = pick(holdout).map((x) => Math.max(0, linearScore(fitted, x)));
    const basePredicted = recency(holdout).map((r) => Math.max(0, linearScore(baseline, [r])));
    const model = fitRidge(all, targets);
    return {
      model,
      metrics: {
        ...base,
        mae: round(mae(predicted, actual), 4),
        rmse: round(rmse(predicted, actual), 4),
        baselineMae: round(mae(basePredicted, actual), 4),
        baselineRmse: round(rmse(basePredicted, actual), 4),
        topFeatures: topFeaturesOf(model, names),
      },
    };
  }
  const fitted = fitLogistic(pick(train), labelsOf(train));
  const actual = labelsOf(holdout);
  const scores = pick(holdout).map((x) => linearScore(fitted, x));
  // Recency alone: recent activity means a likely purchase and an unlikely churn.
  const sign = kind === 'churn' ? 1 : -1;
  const model = fitLogistic(all, targets);
  return {
    model,
    metrics: {
      ...base,
      auc: round(auc(scores, actual), 4),
      baselineAuc: round(
        auc(
          recency(holdout).map((r) => sign * r),
          actual,
        ),
        4,
      ),
      topFeatures: topFeaturesOf(model, names),
    },
  };
}

export interface TrainResult {
  stored: StoredModel;
  metrics: PredictionMetrics;
}

/**
 * Trains one model from the event history with a time split: features from events before
 * `now - window`, labels from the window after (purchased / no activity / revenue), then
 * scores every profile on features as of now and writes the score, percentile and cohort
 * traits.
 */
export async function trainAndScore(
  deps: Pick<Deps, 'db' | 'clock'>,
  def: { kind: PredictionKind; windowDays: number; traitKey: string },
): Promise<TrainResult> {
  const started = Date.now();
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - def.windowDays * day);
  const features = await withComputedTraits(
    deps.db,
    cutoff,
    await extractFeatures(deps.db, cutoff),
  );
  const activity = await windowActivity(deps.db, cutoff, now);
  const targets = features.rows.map((r) => {
    const a = activity.get(r.profileId);
    if (def.kind === 'purchase') return a && a.purchases > 0 ? 1 : 0;
    if (def.kind === 'churn') return a && a.events > 0 ? 0 : 1;
    return a?.revenue ?? 0;
  });
  const fit = fitAndEvaluate(def.kind, features.names, features.rows, targets);
  const stored: StoredModel = {
    features: features.names,
    eventNames: features.eventNames,
    computedTraits: features.computedTraits,
    mean: fit.model.scaler.mean,
    std: fit.model.scaler.std,
    weights: fit.model.weights,
  };
  const scoredProfiles = await scoreProfiles(deps, def, stored);
  return {
    stored,
    metrics: {
      cutoff: cutoff.toISOString(),
      trainedAt: now.toISOString(),
      ...fit.metrics,
      scoredProfiles,
      tookMs: Date.now() - started,
    },
  };
}

/** Scores every profile with events on features as of now and writes its traits. */
export async function scoreProfiles(
  deps: Pick<Deps, 'db' | 'clock'>,
  def: { kind: PredictionKind; traitKey: string },
  stored: StoredModel,
): Promise<number> {
  const now = deps.clock.now();
  const asOf = new Date(now.getTime() + 1);
  const features = await withComputedTraits(
    deps.db,
    asOf,
    await extractFeatures(deps.db, asOf, stored.eventNames),
    stored.computedTraits ?? [],
  );
  const model: LinearModel = {
    scaler: { mean: stored.mean, std: stored.std },
    weights: stored.weights,
  };
  const scores = features.rows.map((r) =>
    def.kind === 'value'
      ? Math.max(0, linearScore(model, r.values))
      : predictProbability(model, r.values),
  );
  const pct = percentiles(scores);
  await patchProfileTraits(
    deps.db,
    features.rows.map((r, i) => ({
      profileId: r.profileId,
      traits: {
        [def.traitKey]: round(scores[i] as number, def.kind === 'value' ? 2 : 4),
        [`${def.traitKey}_percentile`]: pct[i],
        [`${def.traitKey}_cohort`]: cohortOf(pct[i] as number),
      },
    })),
    now.toISOString(),
  );
  return features.rows.length;
}
