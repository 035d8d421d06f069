/**
 * Probabilistic person matching for identity resolution.
 *
 * The pipeline (see {@link resolvePersons}): normalise records and blank placeholders →
 * block with several unioned rules → fit a Fellegi–Sunter model without labels (u from random
 * pairs, m by EM in training passes, prior by fixed point) → score candidate pairs with
 * term-frequency-adjusted weights and a household guard → cluster with average-linkage support
 * against chaining → auto-merges above the upper threshold, review suggestions between the
 * thresholds, every decision explained field by field.
 *
 * {@link resolveCsvFile} runs the same on a CSV file (the `triad resolve` command).
 */

export {
  type BlockingRule,
  type CandidatePairs,
  candidatePairs,
  DEFAULT_BLOCKING_RULES,
  type OversizedBlock,
} from './blocking.js';
export {
  type ClusteringOptions,
  type ClusteringResult,
  clusterRecords,
  type LinkOutcome,
  type ScoredLink,
} from './clustering.js';
export { compareField, comparePair, FIELD_LEVELS, MISSING, namesSwapped } from './comparisons.js';
export { DEFAULT_PERSON_CONFIG, type MatcherConfig } from './config.js';
export { formatCsvRow, parseCsv, readCsvFile } from './csv.js';
export { compareDates, type DateAgreement, dayDifference, dayNumber } from './date-compare.js';
export { levenshtein, levenshteinSimilarity, osaDistance } from './edit-distance.js';
export {
  buildPatterns,
  type ComparisonPatterns,
  type EmOptions,
  type EmResult,
  expectationMaximisation,
  type MixtureParameters,
  posteriors,
} from './em.js';
export { compareEmails, type EmailAgreement } from './email-compare.js';
export {
  candidateVectors,
  DEFAULT_TRAINING_RULES,
  type EstimatedModel,
  estimateModel,
  estimatePrior,
  monotoneM,
  type TrainingReport,
  type TrainingRule,
} from './estimate.js';
export {
  estimateRelativeShare,
  householdGuard,
  MAX_RELATIVE_SHARE,
  personalWeight,
} from './household-guard.js';
export { jaro, jaroWinkler, WINKLER_MAX_PREFIX, WINKLER_PREFIX_SCALE } from './jaro.js';
export { fitFromLabelledPairs, type LabelledPair } from './labelled-fit.js';
export {
  type MergeDecision,
  type Resolution,
  type ResolutionStats,
  resolvePersons,
} from './matcher.js';
export { type PairwiseMetrics, pairwiseMetrics } from './metrics.js';
export {
  exactWeight,
  levelWeight,
  pairWeight,
  priorWeight,
  probabilityFromWeight,
  type TermFrequencies,
} from './model.js';
export { areNicknameVariants } from './nicknames.js';
export {
  digitsOnly,
  isPlaceholder,
  normalizeDate,
  normalizeEmail,
  normalizeName,
  normalizeText,
} from './normalize.js';
export {
  type CodeAgreement,
  compareCodes,
  numericCloseness,
  numericGap,
} from './numeric-compare.js';
export { nysiis, soundex } from './phonetic.js';
export { type PreparedBatch, prepareRecords, type SharedPlaceholder } from './prepare.js';
export {
  type CsvRow,
  type FieldMap,
  febrlEntity,
  type LoadCsvOptions,
  type LoadedCsv,
  loadPersonCsv,
  type ResolveCsvOptions,
  type ResolveCsvResult,
  resolveCsvFile,
  type TruthSource,
} from './resolve-csv.js';
export { createScorer, type PairScore, type PairScorer } from './scoring.js';
export {
  COMPARED_FIELDS,
  type ComparedField,
  type FellegiSunterModel,
  type FieldExplanation,
  type FieldParameters,
  type PairDecision,
  PERSON_FIELDS,
  type PersonField,
  type PersonRecord,
  type PreparedRecord,
} from './types.js';
export { estimateU, exactAgreementRate } from './u-estimate.js';
