/**
 * The person matcher end to end: prepare → block → fit (unless a model is given) → score →
 * cluster → decisions with explanations.
 */
import { candidatePairs, type OversizedBlock } from './blocking.js';
import { clusterRecords, type ScoredLink } from './clustering.js';
import { namesSwapped } from './comparisons.js';
import { DEFAULT_PERSON_CONFIG, type MatcherConfig } from './config.js';
import { candidateVectors, estimateModel, type TrainingReport } from './estimate.js';
import { estimateRelativeShare, personalWeight } from './household-guard.js';
import { pairWeight, probabilityFromWeight } from './model.js';
import { type PreparedBatch, prepareRecords, type SharedPlaceholder } from './prepare.js';
import { createScorer } from './scoring.js';
import {
  COMPARED_FIELDS,
  type ComparedField,
  type FellegiSunterModel,
  type PairDecision,
  type PersonRecord,
} from './types.js';

/** An automatic merge: the link that joined two clusters and the support it had. */
export interface MergeDecision extends PairDecision {
  /** Average probability over all cross pairs of the two clusters merged. */
  readonly support: number;
}

/** Counters and timings of one resolution. */
export interface ResolutionStats {
  readonly records: number;
  readonly comparedFields: readonly ComparedField[];
  readonly candidatePairs: number;
  /** Pairs compared in total (candidates plus cross pairs checked during clustering). */
  readonly comparisons: number;
  readonly oversizedBlocks: readonly OversizedBlock[];
  readonly sharedPlaceholders: readonly SharedPlaceholder[];
  /** EM training passes run (empty when a fitted model was given). */
  readonly training: readonly TrainingReport[];
  /** Estimated share of relatives among candidate pairs sharing a home (household guard). */
  readonly relativeShare: number;
  readonly clusterCount: number;
  readonly largestCluster: number;
  readonly milliseconds: number;
}

/** The outcome of resolving a batch of person records. */
export interface Resolution {
  /** Cluster id per input record, in input order; a cluster's id is its first record's id. */
  readonly clusterIds: readonly string[];
  /** Record ids grouped by cluster, clusters in order of first record. */
  readonly clusters: readonly (readonly string[])[];
  /** Links that merged clusters, strongest first, each explained. */
  readonly merges: readonly MergeDecision[];
  /** Pairs left in different clusters with probability in the review band, strongest first. */
  readonly suggestions: readonly PairDecision[];
  readonly model: FellegiSunterModel;
  readonly stats: ResolutionStats;
}

function activeFields(batch: PreparedBatch, config: MatcherConfig): ComparedField[] {
  if (config.model) return config.model.fields.map((f) => f.field);
  const wanted = config.fields ?? COMPARED_FIELDS;
  // A field that fewer than two records have can never agree; it would only add noise to EM.
  return COMPARED_FIELDS.filter(
    (field, index) => wanted.includes(field) && (batch.present[index] ?? 0) >= 2,
  );
}

/**
 * Personal weights (see household-guard.ts) of the candidate pairs whose other fields alone
 * would merge them: the pairs sharing a home, among which the share of relatives is estimated.
 */
function householdPairWeights(
  batch: PreparedBatch,
  model: FellegiSunterModel,
  vectors: Int8Array,
  pairs: { readonly left: ArrayLike<number>; readonly right: ArrayLike<number> },
  config: MatcherConfig,
): number[] {
  const tf = config.termFrequency ? batch : undefined;
  const width = model.fields.length;
  const weights: number[] = [];
  const { left, right } = pairs;
  for (let p = 0; p < left.length; p++) {
    const a = batch.records[left[p] ?? 0];
    const b = batch.records[right[p] ?? 0];
    if (a === undefined || b === undefined) continue;
    const levels = vectors.subarray(p * width, (p + 1) * width);
    // The swap is looked for only on pairs that pass, since it costs four string comparisons.
    const household = pairWeight(model, levels, a, tf) - personalWeight(model, levels, a, tf);
    if (probabilityFromWeight(household) < config.upperThreshold) continue;
    weights.push(personalWeight(model, levels, a, tf, namesSwapped(a, b)));
  }
  return weights;
}

/**
 * Resolves person records into clusters (one per person), with automatic merges and review
 * suggestions, each explained field by field. Deterministic for a given input and config.
 *
 * The model is fitted on the batch itself, which needs a batch of some hundreds of records
 * (enough pairs agreeing on a date of birth or a full name to train on). To match a handful of
 * records, fit once on a larger batch and pass the result as `model`.
 */
export function resolvePersons(
  input: readonly PersonRecord[],
  overrides: Partial<MatcherConfig> = {},
): Resolution {
  const started = performance.now();
  const config: MatcherConfig = { ...DEFAULT_PERSON_CONFIG, ...overrides };
  const batch = prepareRecords(input, { maxIdentifierShare: config.maxIdentifierShare });
  const fields = activeFields(batch, config);
  const pairs = candidatePairs(batch.records, config.blockingRules, config.maxBlockSize);
  const vectors = candidateVectors(batch, fields, pairs);
  const fitted = config.model
    ? { model: config.model, passes: [] }
    : estimateModel(batch, fields, vectors, config);
  const model = fitted.model;
  const width = fields.length;
  const relativeShare = config.householdGuard
    ? estimateRelativeShare(householdPairWeights(batch, model, vectors, pairs, config))
    : 0;
  const scorer = createScorer(model, batch, {
    termFrequency: config.termFrequency,
    householdGuard: config.householdGuard,
    relativeShare,
    guardCap: config.lowerThreshold,
  });

  const links: ScoredLink[] = [];
  const reviewBand: ScoredLink[] = [];
  for (let p = 0; p < pairs.left.length; p++) {
    const a = pairs.left[p] ?? 0;
    const b = pairs.right[p] ?? 0;
    const score = scorer.scoreLevels(a, b, vectors.subarray(p * width, (p + 1) * width));
    if (score.effective >= config.upperThreshold) {
      links.push({ a, b, probability: score.effective });
    } else if (score.probability >= config.lowerThreshold) {
      reviewBand.push({ a, b, probability: score.probability });
    }
  }
  const clustering = clusterRecords(
    batch.records.length,
    links,
    (i, j) => scorer.score(i, j).effective,
    {
      threshold: config.upperThreshold,
      linkage: config.clusterLinkage,
      maxCrossPairs: config.maxCrossPairs,
    },
  );
  const { labels } = clustering;
  const clusters: string[][] = Array.from({ length: clustering.clusterCount }, () => []);
  batch.records.forEach((record, i) => {
    clusters[labels[i] ?? 0]?.push(record.id);
  });
  const clusterIds = batch.records.map((_, i) => clusters[labels[i] ?? 0]?.[0] ?? '');
  const merges = clustering.merges.map((link) => ({
    ...scorer.explain(link.a, link.b),
    support: link.support,
  }));
  const suggestions = [...reviewBand, ...clustering.refused]
    .filter((link) => labels[link.a] !== labels[link.b])
    .sort((x, y) => y.probability - x.probability || x.a - y.a || x.b - y.b)
    .map((link) => scorer.explain(link.a, link.b));
  return {
    clusterIds,
    clusters,
    merges,
    suggestions,
    model,
    stats: {
      records: batch.records.length,
      comparedFields: fields,
      candidatePairs: pairs.left.length,
      comparisons: pairs.left.length + scorer.comparisons(),
      oversizedBlocks: pairs.oversized,
      sharedPlaceholders: batch.sharedPlaceholders,
      training: fitted.passes,
      relativeShare,
      clusterCount: clustering.clusterCount,
      largestCluster: clustering.largestCluster,
      milliseconds: performance.now() - started,
    },
  };
}
