/**
 * The matcher's configuration and its one documented default for person data.
 */
import { type BlockingRule, DEFAULT_BLOCKING_RULES } from './blocking.js';
import { DEFAULT_TRAINING_RULES, type TrainingRule } from './estimate.js';
import type { ComparedField, FellegiSunterModel } from './types.js';

/** Matcher settings; every field has a default in {@link DEFAULT_PERSON_CONFIG}. */
export interface MatcherConfig {
  /** Pairs at or above this probability are merged automatically (if the cluster agrees). */
  readonly upperThreshold: number;
  /** Pairs from here up to the upper threshold are returned as suggestions for review. */
  readonly lowerThreshold: number;
  /** Minimum average cross-pair probability for two clusters to merge (anti-chaining). */
  readonly clusterLinkage: number;
  /** Cap on cross pairs scored per merge decision (sampled beyond it). */
  readonly maxCrossPairs: number;
  /** Blocking keys shared by more records than this are skipped. */
  readonly maxBlockSize: number;
  /** An email, phone or national id held by more records than this is a placeholder. */
  readonly maxIdentifierShare: number;
  /** Random pairs drawn to estimate u. */
  readonly randomPairSamples: number;
  readonly emMaxIterations: number;
  readonly emTolerance: number;
  /** Seed of the random-pair sampler: same input and seed, same output. */
  readonly seed: number;
  readonly blockingRules: readonly BlockingRule[];
  /** EM training passes (see estimate.ts). */
  readonly trainingRules: readonly TrainingRule[];
  /** Price exact agreement by the value's frequency. */
  readonly termFrequency: boolean;
  /** Apply the household guard (see household-guard.ts). */
  readonly householdGuard: boolean;
  /** Compare only these fields (default: every field some record has). */
  readonly fields?: readonly ComparedField[];
  /** A fitted model to use as is, skipping estimation (e.g. from labelled pairs). */
  readonly model?: FellegiSunterModel;
}

/**
 * The default for person data, chosen a priori rather than fitted to any benchmark:
 * - auto-merge at 0.9, i.e. only at odds of 9:1 or better, because a wrong merge fuses two
 *   customers' histories and consents, which is costlier than a missed duplicate;
 * - suggest from 0.5, "more likely than not", the natural point where a reviewer's time is
 *   better spent checking than ignoring;
 * - cluster linkage 0.5: a merge must be more likely right than wrong on average over all
 *   member pairs, not just the one link that triggered it;
 * - blocks over 200 records skipped; identifiers held by more than 10 records are placeholders;
 * - 200,000 random pairs for u, which puts a few hundred samples in even the rarer levels.
 */
export const DEFAULT_PERSON_CONFIG: MatcherConfig = {
  upperThreshold: 0.9,
  lowerThreshold: 0.5,
  clusterLinkage: 0.5,
  maxCrossPairs: 2500,
  maxBlockSize: 200,
  maxIdentifierShare: 10,
  randomPairSamples: 200_000,
  emMaxIterations: 100,
  emTolerance: 1e-5,
  seed: 20_240_601,
  blockingRules: DEFAULT_BLOCKING_RULES,
  trainingRules: DEFAULT_TRAINING_RULES,
  termFrequency: true,
  householdGuard: true,
};
