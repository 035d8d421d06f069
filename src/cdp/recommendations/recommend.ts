/**
 * Item-to-item collaborative filtering with recency weighting.
 *
 * Each profile is a sparse vector over items: every view, add-to-cart and purchase adds its
 * kind's weight times `0.5^(age / halfLife)`. Two items are similar when the same profiles
 * engage with both — the cosine of their profile vectors — so "people who looked at this also
 * bought that" falls out without any item metadata. A profile's candidates are the neighbours
 * of its items, each weighted by how strongly (and how recently) the profile engaged with the
 * item that led there. Items it already purchased are never recommended; empty slots and cold
 * starts are filled by recency-weighted popularity within the profile's segment, else overall.
 */

export type InteractionKind = 'view' | 'cart' | 'purchase';

export interface Interaction {
  userId: string;
  itemId: string;
  kind: InteractionKind;
  /** Epoch milliseconds. */
  at: number;
}

export interface RecommendOptions {
  /** Days after which an interaction counts half in what a profile is interested in now. */
  halfLifeDays: number;
  /**
   * The same for item similarity: an old co-occurrence still says the items go together, so
   * it fades much more slowly than a profile's own interests (tested on drifting tastes).
   */
  modelHalfLifeDays: number;
  /** Items kept per profile (its strongest), bounding the pairs each profile adds. */
  maxItemsPerUser: number;
  /** Neighbours kept per item. */
  neighbors: number;
}

export const defaultRecommendOptions: RecommendOptions = {
  halfLifeDays: 30,
  modelHalfLifeDays: 180,
  maxItemsPerUser: 50,
  neighbors: 50,
};

export const kindWeights: Record<InteractionKind, number> = { view: 1, cart: 3, purchase: 5 };

export interface Neighbor {
  item: string;
  score: number;
}

export interface ItemModel {
  neighbors: Map<string, Neighbor[]>;
  /** Items by recency-weighted number of engaged profiles, best first. */
  popularity: Neighbor[];
}

export interface UserProfile {
  weights: Map<string, number>;
  purchased: Set<string>;
}

const day = 86_400_000;

/** Folds a profile's interactions into item weights and the set of items it bought. */
export function profileOf(
  interactions: Interaction[],
  now: number,
  opts: RecommendOptions = defaultRecommendOptions,
  /** `model`: weights for building item similarity (the slower decay). */
  use: 'profile' | 'model' = 'profile',
): UserProfile {
  const weights = new Map<string, number>();
  const purchased = new Set<string>();
  const halfLife = use === 'model' ? opts.modelHalfLifeDays : opts.halfLifeDays;
  for (const x of interactions) {
    const decay = 0.5 ** (Math.max(0, now - x.at) / (halfLife * day));
    weights.set(x.itemId, (weights.get(x.itemId) ?? 0) + kindWeights[x.kind] * decay);
    if (x.kind === 'purchase') purchased.add(x.itemId);
  }
  if (weights.size > opts.maxItemsPerUser) {
    const kept = [...weights].sort((a, b) => b[1] - a[1]).slice(0, opts.maxItemsPerUser);
    return { weights: new Map(kept), purchased };
  }
  return { weights, purchased };
}

export function groupByUser(interactions: Interaction[]): Map<string, Interaction[]> {
  const byUser = new Map<string, Interaction[]>();
  for (const x of interactions) {
    const list = byUser.get(x.userId);
    if (list) list.push(x);
    else byUser.set(x.userId, [x]);
  }
  return byUser;
}

/** Recency-weighted popularity: each profile adds its (decayed) engagement per item, capped at 1. */
export function popularityOf(profiles: Iterable<UserProfile>): Neighbor[] {
  const score = new Map<string, number>();
  for (const p of profiles) {
    for (const [item, w] of p.weights) score.set(item, (score.get(item) ?? 0) + Math.min(1, w));
  }
  return [...score]
    .map(([item, s]) => ({ item, score: s }))
    .sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : 1));
}

/**
 * Builds the item-item cosine neighbours from every profile's weights, one item at a time:
 * the item's profiles are walked through an inverted index and their other items' products
 * summed in a dense scratch array, so the work is the number of co-occurring pairs and the
 * memory one row, whatever the catalogue size.
 */
export function buildItemModel(
  profiles: Map<string, UserProfile>,
  opts: RecommendOptions = defaultRecommendOptions,
): ItemModel {
  const index = new Map<string, number>();
  const names: string[] = [];
  const userItems: { items: Int32Array; weights: Float64Array }[] = [];
  for (const p of profiles.values()) {
    const items = new Int32Array(p.weights.size);
    const weights = new Float64Array(p.weights.size);
    let k = 0;
    for (const [item, w] of p.weights) {
      let i = index.get(item);
      if (i === undefined) {
        i = names.length;
        index.set(item, i);
        names.push(item);
      }
      items[k] = i;
      weights[k] = w;
      k++;
    }
    userItems.push({ items, weights });
  }
  const n = names.length;
  const norms = new Float64Array(n);
  const itemUsers: { user: number; weight: number }[][] = Array.from({ length: n }, () => []);
  userItems.forEach((u, user) => {
    for (let k = 0; k < u.items.length; k++) {
      const i = u.items[k] as number;
      const w = u.weights[k] as number;
      norms[i] = (norms[i] as number) + w * w;
      (itemUsers[i] as { user: number; weight: number }[]).push({ user, weight: w });
    }
  });
  const scratch = new Float64Array(n);
  const touched: number[] = [];
  const neighbors = new Map<string, Neighbor[]>();
  const byScore = (x: Neighbor, y: Neighbor) => y.score - x.score || (x.item < y.item ? -1 : 1);
  for (let a = 0; a < n; a++) {
    for (const { user, weight } of itemUsers[a] as { user: number; weight: number }[]) {
      const u = userItems[user] as { items: Int32Array; weights: Float64Array };
      for (let k = 0; k < u.items.length; k++) {
        const b = u.items[k] as number;
        if (b === a) continue;
        if (scratch[b] === 0) touched.push(b);
        scratch[b] = (scratch[b] as number) + weight * (u.weights[k] as number);
      }
    }
    let list: Neighbor[] = [];
    for (const b of touched) {
      const score = (scratch[b] as number) / Math.sqrt((norms[a] as number) * (norms[b] as number));
      scratch[b] = 0;
      list.push({ item: names[b] as string, score });
      // Sorting only when the buffer doubles keeps top-k at O(n log k) per row.
      if (list.length >= 2 * opts.neighbors) list = list.sort(byScore).slice(0, opts.neighbors);
    }
    touched.length = 0;
    if (list.length > 0)
      neighbors.set(names[a] as string, list.sort(byScore).slice(0, opts.neighbors));
  }
  return { neighbors, popularity: popularityOf(profiles.values()) };
}

/**
 * Top `limit` items for one profile: neighbour scores first, then the fallback popularity
 * lists in order (segment, then overall), skipping purchased and already chosen items.
 */
export function recommend(
  profile: UserProfile,
  neighborsOf: (item: string) => Neighbor[] | undefined,
  fallbacks: Neighbor[][],
  limit: number,
): string[] {
  const scores = new Map<string, number>();
  for (const [item, w] of profile.weights) {
    for (const n of neighborsOf(item) ?? []) {
      if (profile.purchased.has(n.item)) continue;
      scores.set(n.item, (scores.get(n.item) ?? 0) + w * n.score);
    }
  }
  const chosen = [...scores]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([item]) => item);
  const taken = new Set(chosen);
  for (const list of fallbacks) {
    for (const { item } of list) {
      if (chosen.length >= limit) return chosen;
      if (taken.has(item) || profile.purchased.has(item)) continue;
      taken.add(item);
      chosen.push(item);
    }
  }
  return chosen;
}

/** Popularity alone (the baseline): the most popular items the profile has not bought. */
export function recommendPopular(
  profile: UserProfile,
  popularity: Neighbor[],
  limit: number,
): string[] {
  return recommend(
    { weights: new Map(), purchased: profile.purchased },
    () => undefined,
    [popularity],
    limit,
  );
}
