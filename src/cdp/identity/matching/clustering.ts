/**
 * Clustering of scored pairs into people, guarded against chaining.
 *
 * Plain transitive closure (connected components) lets one weak or wrong link fuse two large
 * groups, and lets a chain A~B~C~D end with A and D in one cluster although they share nothing.
 * Here links at or above the merge threshold are taken strongest first, and two clusters are
 * merged only if the link is backed by the clusters as wholes: the average match probability
 * over every cross pair (average linkage) must reach `linkage`. Pairs that were never candidates
 * are scored on demand, so dissimilar members count against the merge.
 */

/** A scored candidate pair, by record index. */
export interface ScoredLink {
  readonly a: number;
  readonly b: number;
  readonly probability: number;
}

/** A link that was considered, with the cluster-level support it had. */
export interface LinkOutcome extends ScoredLink {
  /** Mean probability over all cross pairs of the two clusters at the time. */
  readonly support: number;
}

/** Clustering settings. */
export interface ClusteringOptions {
  /** Links below this probability are never used for merging. */
  readonly threshold: number;
  /** Minimum average cross-pair probability for two clusters to merge. */
  readonly linkage: number;
  /**
   * At most this many cross pairs are scored per merge decision; larger products are sampled
   * at an even stride, which bounds the cost when clusters grow large.
   */
  readonly maxCrossPairs: number;
}

/** Cluster assignment and the merge decisions that produced it. */
export interface ClusteringResult {
  /** Cluster number per record index, 0-based and dense, in order of first record. */
  readonly labels: Int32Array;
  readonly clusterCount: number;
  readonly largestCluster: number;
  /** Links that merged two clusters. */
  readonly merges: readonly LinkOutcome[];
  /** Links above the threshold that were refused for lack of cluster-level support. */
  readonly refused: readonly LinkOutcome[];
}

function averageCrossProbability(
  left: readonly number[],
  right: readonly number[],
  probability: (i: number, j: number) => number,
  maxCrossPairs: number,
): number {
  const total = left.length * right.length;
  const step = Math.max(1, Math.ceil(total / maxCrossPairs));
  let sum = 0;
  let count = 0;
  for (let t = 0; t < total; t += step) {
    const i = left[Math.floor(t / right.length)] ?? 0;
    const j = right[t % right.length] ?? 0;
    sum += probability(i, j);
    count++;
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * Clusters `size` records from scored links. `probability(i, j)` must return the match
 * probability of any pair (it is called for cross pairs that were not candidates). Links are
 * processed in descending probability (ties by index, so the result is deterministic).
 */
export function clusterRecords(
  size: number,
  links: readonly ScoredLink[],
  probability: (i: number, j: number) => number,
  options: ClusteringOptions,
): ClusteringResult {
  const parent = new Int32Array(size);
  const members: number[][] = [];
  for (let i = 0; i < size; i++) {
    parent[i] = i;
    members.push([i]);
  }
  const find = (i: number): number => {
    let root = i;
    while ((parent[root] ?? root) !== root) root = parent[root] ?? root;
    let node = i;
    while (node !== root) {
      const next = parent[node] ?? root;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  const ordered = links
    .filter((link) => link.probability >= options.threshold)
    .sort((x, y) => y.probability - x.probability || x.a - y.a || x.b - y.b);
  const merges: LinkOutcome[] = [];
  const refused: LinkOutcome[] = [];
  for (const link of ordered) {
    const ra = find(link.a);
    const rb = find(link.b);
    if (ra === rb) continue;
    const ma = members[ra] ?? [];
    const mb = members[rb] ?? [];
    const support =
      ma.length === 1 && mb.length === 1
        ? link.probability
        : averageCrossProbability(ma, mb, probability, options.maxCrossPairs);
    if (support < options.linkage) {
      refused.push({ ...link, support });
      continue;
    }
    const [big, small] = ma.length >= mb.length ? [ra, rb] : [rb, ra];
    parent[small] = big;
    const target = members[big] ?? [];
    for (const m of members[small] ?? []) target.push(m);
    members[small] = [];
    merges.push({ ...link, support });
  }
  const labels = new Int32Array(size);
  const labelOfRoot = new Map<number, number>();
  let largestCluster = size === 0 ? 0 : 1;
  for (let i = 0; i < size; i++) {
    const root = find(i);
    let label = labelOfRoot.get(root);
    if (label === undefined) {
      label = labelOfRoot.size;
      labelOfRoot.set(root, label);
      largestCluster = Math.max(largestCluster, members[root]?.length ?? 1);
    }
    labels[i] = label;
  }
  return { labels, clusterCount: labelOfRoot.size, largestCluster, merges, refused };
}
