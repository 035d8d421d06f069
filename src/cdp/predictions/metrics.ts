/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative (ties count half), computed from ranks in O(n log n).
 */
export function auc(scores: number[], labels: number[]): number {
  const order = scores.map((s, i) => [s, labels[i] as number] as const).sort((a, b) => a[0] - b[0]);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (
      j + 1 < order.length &&
      (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]
    )
      j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if ((order[k] as readonly [number, number])[1] === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function mae(predicted: number[], actual: number[]): number {
  let sum = 0;
  for (let i = 0; i < predicted.length; i++)
    sum += Math.abs((predicted[i] as number) - (actual[i] as number));
  return predicted.length === 0 ? 0 : sum / predicted.length;
}

export function rmse(predicted: number[], actual: number[]): number {
  let sum = 0;
  for (let i = 0; i < predicted.length; i++)
    sum += ((predicted[i] as number) - (actual[i] as number)) ** 2;
  return predicted.length === 0 ? 0 : Math.sqrt(sum / predicted.length);
}

/** Percentile rank (0–100) of each score within the list: the share of scores below it. */
export function percentiles(scores: number[]): number[] {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(scores.length).fill(0);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (
      j + 1 < order.length &&
      (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]
    )
      j++;
    const pct = order.length <= 1 ? 100 : Math.round((100 * i) / (order.length - 1));
    for (let k = i; k <= j; k++) out[(order[k] as readonly [number, number])[1]] = pct;
    i = j + 1;
  }
  return out;
}
