/**
 * Pairwise evaluation of a clustering against the truth: every pair of records placed in one
 * cluster is a predicted link (a cluster of n records predicts n(n−1)/2 links), every pair of
 * records of one true person is a true link.
 */

/** Pairwise precision, recall and F1 with the underlying counts. */
export interface PairwiseMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly truePositives: number;
  readonly predictedPairs: number;
  readonly truePairs: number;
}

function pairsWithin(sizes: Iterable<number>): number {
  let total = 0;
  for (const n of sizes) total += (n * (n - 1)) / 2;
  return total;
}

/**
 * Compares predicted cluster labels with true entity labels, both given per record in the same
 * order. Counts pairs through cluster sizes, so it runs in linear time. With no predicted pair,
 * precision is 1 (nothing claimed, nothing wrong); with no true pair, recall is 1.
 */
export function pairwiseMetrics(
  predicted: readonly (string | number)[],
  truth: readonly (string | number)[],
): PairwiseMetrics {
  if (predicted.length !== truth.length) {
    throw new RangeError(`${predicted.length} predicted labels for ${truth.length} true ones`);
  }
  const predictedSizes = new Map<string | number, number>();
  const trueSizes = new Map<string | number, number>();
  const jointSizes = new Map<string, number>();
  predicted.forEach((p, i) => {
    const t = truth[i] ?? '';
    predictedSizes.set(p, (predictedSizes.get(p) ?? 0) + 1);
    trueSizes.set(t, (trueSizes.get(t) ?? 0) + 1);
    const joint = JSON.stringify([p, t]);
    jointSizes.set(joint, (jointSizes.get(joint) ?? 0) + 1);
  });
  const truePositives = pairsWithin(jointSizes.values());
  const predictedPairs = pairsWithin(predictedSizes.values());
  const truePairs = pairsWithin(trueSizes.values());
  const precision = predictedPairs === 0 ? 1 : truePositives / predictedPairs;
  const recall = truePairs === 0 ? 1 : truePositives / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePositives, predictedPairs, truePairs };
}
