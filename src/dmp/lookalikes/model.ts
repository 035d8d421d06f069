/**
 * Lookalike modelling, as pure functions over trait vectors (Audience Manager's "algorithmic
 * traits"). Every ID of the population is a sparse binary vector: the traits it holds a live
 * realization of. A seed is a set of those IDs; the model learns what tells seed members apart
 * from everyone else and scores the rest of the population, so the highest-scoring non-seed IDs
 * are the ones that look most like the seed.
 *
 * Two models:
 * - `traitWeight` (default): each trait gets the log odds ratio of holding it in the seed versus
 *   in the non-seed population (Bernoulli naive Bayes, which ranks exactly like summing the log
 *   lifts of held and missing traits). The seed rate is shrunk toward the population rate with
 *   `SHRINK` pseudo-members, so a trait seen on two seed members of a hundred does not get a
 *   large weight by chance, and a trait never seen in the seed gets a small negative one.
 * - `logistic`: L2-regularized logistic regression fitted by stochastic gradient descent, with
 *   seed and non-seed examples weighted to equal totals (non-seeds subsampled when many). It
 *   accounts for correlated traits, which naive Bayes counts twice.
 *
 * Evaluation (the accuracy-versus-reach curve): a fraction `holdout` of the seed members and the
 * same fraction of the non-seed IDs are held out before training. The held-out non-seeds are a
 * random sample of the population the model will rank, so the score of the ⌈r·|Nₕ|⌉-th best of
 * them estimates the score threshold of an audience of reach r (r = a fraction of the non-seed
 * population). For each reach r, over the held-out pool (held-out seeds Hₛ + held-out non-seeds
 * Nₕ, ranked by score, ties broken at random), the audience is every pooled ID ranked at or above
 * that ⌈r·|Nₕ|⌉-th non-seed, and
 *   precision(r) = held-out seeds in the audience / IDs in the audience
 *   recall(r)    = held-out seeds in the audience / |Hₛ|
 * Seeds are held out in the same proportion as non-seeds, so the pool keeps the population's
 * seed rate: a random ranking has precision |Hₛ| / (|Hₛ| + |Nₕ|) at every reach and recall r.
 * Non-seed IDs that truly resemble the seed count against precision, so it is a lower bound.
 */

export type ModelKind = 'traitWeight' | 'logistic';
export const modelKinds = ['traitWeight', 'logistic'] as const;

/** Seed pseudo-members at the population rate that every seed trait rate is shrunk toward. */
export const SHRINK = 10;

/** IDs and their trait vectors: `features[i]` holds indices into `traitIds`, ascending. */
export interface Population {
  ids: string[];
  features: Int32Array[];
  traitIds: string[];
}

export interface TraitStat {
  traitId: string;
  weight: number;
  /** Smoothed seed rate over non-seed rate. */
  lift: number;
  seedRate: number;
  populationRate: number;
}

export interface CurvePoint {
  /** Fraction of the non-seed population. */
  reach: number;
  precision: number;
  recall: number;
}

export interface FitOptions {
  kind: ModelKind;
  holdout: number;
  reachLevels: readonly number[];
  /** Seed of the generator that splits, samples and breaks ties (same seed, same result). */
  rngSeed: number;
  random: (seed: number) => () => number;
}

export interface FitResult {
  bias: number;
  /** Weight per trait index of the population. */
  weights: Float64Array;
  stats: TraitStat[];
  curve: CurvePoint[];
  /** What a random ranking scores: the held-out pool's seed rate. */
  baselinePrecision: number;
  seedSize: number;
  nonSeedSize: number;
}

export function scoreOf(weights: ArrayLike<number>, bias: number, x: Int32Array): number {
  let z = bias;
  for (let i = 0; i < x.length; i++) z += weights[x[i] as number] ?? 0;
  return z;
}

/** Fisher-Yates over a copy. */
export function shuffled<T>(items: readonly T[], rng: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = out[i] as T;
    out[i] = out[j] as T;
    out[j] = t;
  }
  return out;
}

/** Splits indices into [held out, kept]; at least one is held out when there are two or more. */
export function holdOut(indices: readonly number[], fraction: number, rng: () => number) {
  const order = shuffled(indices, rng);
  const n = indices.length < 2 ? 0 : Math.max(1, Math.round(order.length * fraction));
  return [order.slice(0, n), order.slice(n)] as const;
}

const logit = (p: number) => Math.log(p / (1 - p));

function countTraits(features: readonly Int32Array[], rows: readonly number[], size: number) {
  const counts = new Float64Array(size);
  for (const r of rows) {
    const x = features[r] as Int32Array;
    for (let i = 0; i < x.length; i++) {
      const j = x[i] as number;
      counts[j] = (counts[j] as number) + 1;
    }
  }
  return counts;
}

/** Per-trait smoothed rates, lift and the trait-weight model's weight (log odds ratio). */
export function traitStats(
  pop: Population,
  seeds: readonly number[],
  nonSeeds: readonly number[],
): TraitStat[] {
  const size = pop.traitIds.length;
  const a = countTraits(pop.features, seeds, size);
  const b = countTraits(pop.features, nonSeeds, size);
  return pop.traitIds.map((traitId, j) => {
    const populationRate = ((b[j] as number) + 0.5) / (nonSeeds.length + 1);
    const seedRate = ((a[j] as number) + SHRINK * populationRate) / (seeds.length + SHRINK);
    return {
      traitId,
      weight: logit(seedRate) - logit(populationRate),
      lift: seedRate / populationRate,
      seedRate,
      populationRate,
    };
  });
}

const EPOCHS = 8;
const LEARNING_RATE = 0.05;
const L2 = 1e-4;
/** Non-seed examples used per seed example at most (and never fewer than this many in all). */
const NEGATIVES_PER_SEED = 20;
const MIN_NEGATIVES = 50_000;

export function fitLogistic(
  features: readonly Int32Array[],
  seeds: readonly number[],
  nonSeeds: readonly number[],
  size: number,
  rng: () => number,
): { bias: number; weights: Float64Array } {
  const cap = Math.max(MIN_NEGATIVES, NEGATIVES_PER_SEED * seeds.length);
  const negatives = nonSeeds.length > cap ? shuffled(nonSeeds, rng).slice(0, cap) : nonSeeds;
  const total = seeds.length + negatives.length;
  // Equal total weight per class: a rare seed still moves the weights.
  const wPos = total / (2 * Math.max(1, seeds.length));
  const wNeg = total / (2 * Math.max(1, negatives.length));
  const examples: [number, number][] = [
    ...seeds.map((r): [number, number] => [r, 1]),
    ...negatives.map((r): [number, number] => [r, 0]),
  ];
  const weights = new Float64Array(size);
  let bias = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const rate = LEARNING_RATE / (1 + epoch);
    for (const [row, y] of shuffled(examples, rng)) {
      const x = features[row] as Int32Array;
      const p = 1 / (1 + Math.exp(-scoreOf(weights, bias, x)));
      const g = (p - y) * (y === 1 ? wPos : wNeg);
      bias -= rate * g;
      // Lazy L2: only the weights this example touches decay (sparse updates stay cheap).
      for (let i = 0; i < x.length; i++) {
        const j = x[i] as number;
        weights[j] = (weights[j] as number) - rate * (g + L2 * (weights[j] as number));
      }
    }
  }
  return { bias, weights };
}

/** Precision and recall of held-out seeds at each reach (see the definition above). */
export function evaluate(
  seedScores: readonly number[],
  nonSeedScores: readonly number[],
  reachLevels: readonly number[],
  rng: () => number,
): CurvePoint[] {
  const pool = [
    ...seedScores.map((score) => ({ score, seed: true, tie: rng() })),
    ...nonSeedScores.map((score) => ({ score, seed: false, tie: rng() })),
  ].sort((x, y) => y.score - x.score || x.tie - y.tie);
  // seedsAbove[k] = held-out seeds ranked above the k-th held-out non-seed (1-based k).
  const seedsAbove = new Int32Array(nonSeedScores.length + 1);
  let seeds = 0;
  let nonSeeds = 0;
  for (const item of pool) {
    if (item.seed) seeds++;
    else seedsAbove[++nonSeeds] = seeds;
  }
  return reachLevels.map((reach) => {
    const k = Math.min(nonSeedScores.length, Math.max(1, Math.ceil(reach * nonSeedScores.length)));
    // The whole population is the audience at full reach, whatever the scores.
    const hit = k >= nonSeedScores.length ? seeds : (seedsAbove[k] as number);
    return {
      reach,
      precision: hit + k === 0 ? 0 : hit / (hit + k),
      recall: seedScores.length === 0 ? 0 : hit / seedScores.length,
    };
  });
}

/**
 * Holds out, trains on the rest and evaluates. The weights returned are those of the evaluated
 * model, so the curve describes exactly what activation will rank with.
 */
export function fitAndEvaluate(pop: Population, seedRows: ReadonlySet<number>, opts: FitOptions) {
  const rng = opts.random(opts.rngSeed);
  const seeds: number[] = [];
  const nonSeeds: number[] = [];
  for (let r = 0; r < pop.ids.length; r++) (seedRows.has(r) ? seeds : nonSeeds).push(r);
  const [heldSeeds, trainSeeds] = holdOut(seeds, opts.holdout, rng);
  const [heldNonSeeds, trainNonSeeds] = holdOut(nonSeeds, opts.holdout, rng);
  const stats = traitStats(pop, trainSeeds, trainNonSeeds);
  let bias = 0;
  let weights: Float64Array = Float64Array.from(stats, (s) => s.weight);
  if (opts.kind === 'logistic') {
    ({ bias, weights } = fitLogistic(
      pop.features,
      trainSeeds,
      trainNonSeeds,
      pop.traitIds.length,
      rng,
    ));
    stats.forEach((s, j) => {
      s.weight = weights[j] as number;
    });
  }
  const scoreRow = (r: number) => scoreOf(weights, bias, pop.features[r] as Int32Array);
  const curve = evaluate(
    heldSeeds.map(scoreRow),
    heldNonSeeds.map(scoreRow),
    opts.reachLevels,
    rng,
  );
  const pooled = heldSeeds.length + heldNonSeeds.length;
  return {
    bias,
    weights,
    stats,
    curve,
    baselinePrecision: pooled === 0 ? 0 : heldSeeds.length / pooled,
    seedSize: seeds.length,
    nonSeedSize: nonSeeds.length,
  } satisfies FitResult;
}

/**
 * The `count` best-scoring rows among `rows`, best first; ties go to the smaller row (the
 * population is loaded in ID order), so the same model on the same data picks the same audience.
 */
export function topRows(
  pop: Population,
  rows: readonly number[],
  bias: number,
  weights: ArrayLike<number>,
  count: number,
): number[] {
  const scores = new Float64Array(pop.ids.length);
  for (const r of rows) scores[r] = scoreOf(weights, bias, pop.features[r] as Int32Array);
  const order = Int32Array.from(rows).sort(
    (x, y) => (scores[y] as number) - (scores[x] as number) || x - y,
  );
  return Array.from(order.subarray(0, count));
}
