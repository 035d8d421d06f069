import { seededRandom } from '../predictions/synthetic.js';
import type { Interaction } from './recommend.js';

/**
 * Shopping sessions with structure a recommender can learn: items belong to categories,
 * each shopper prefers one or two categories (most sessions stay in them; half the shoppers
 * move to another category at some point), popularity is
 * skewed both between and within categories, and a session is views, maybe an add-to-cart,
 * maybe a purchase of something looked at.
 */
export interface SessionOptions {
  users: number;
  categories: number;
  itemsPerCategory: number;
  sessionsPerUser: number;
  seed: number;
  now: number;
  days?: number;
}

export interface SyntheticSession {
  userId: string;
  start: number;
  interactions: Interaction[];
}

const day = 86_400_000;

/** A Zipf-like pick over `n` ranks (rank 0 most likely). */
function zipf(random: () => number, n: number, s = 1): number {
  let total = 0;
  for (let i = 1; i <= n; i++) total += 1 / i ** s;
  let r = random() * total;
  for (let i = 1; i <= n; i++) {
    r -= 1 / i ** s;
    if (r <= 0) return i - 1;
  }
  return n - 1;
}

export function generateSessions(opts: SessionOptions): SyntheticSession[] {
  const random = seededRandom(opts.seed);
  const days = opts.days ?? 120;
  const item = (c: number, i: number) => `sku-${c}-${i}`;
  const sessions: SyntheticSession[] = [];
  for (let u = 0; u < opts.users; u++) {
    const userId = `u${u}`;
    const favourite = [zipf(random, opts.categories, 0.7)];
    if (random() < 0.5) favourite.push(Math.floor(random() * opts.categories));
    // Tastes drift: half the shoppers move to another category at some point.
    const later = random() < 0.5 ? [zipf(random, opts.categories, 0.7)] : favourite;
    const switchAt = opts.now - random() * days * day;
    const count = 1 + Math.floor(random() * opts.sessionsPerUser * 2);
    const starts = Array.from({ length: count }, () => opts.now - random() * days * day).sort(
      (a, b) => a - b,
    );
    for (const start of starts) {
      const tastes = start >= switchAt ? later : favourite;
      const category =
        random() < 0.85
          ? (tastes[Math.floor(random() * tastes.length)] as number)
          : zipf(random, opts.categories, 0.7);
      const interactions: Interaction[] = [];
      let at = start;
      const viewed: string[] = [];
      const views = 2 + Math.floor(random() * 5);
      for (let v = 0; v < views; v++) {
        at += 30_000 + random() * 120_000;
        const id = item(category, zipf(random, opts.itemsPerCategory, 0.9));
        viewed.push(id);
        interactions.push({ userId, itemId: id, kind: 'view', at });
      }
      if (random() < 0.45) {
        const chosen = viewed[Math.floor(random() * viewed.length)] as string;
        at += 60_000;
        interactions.push({ userId, itemId: chosen, kind: 'cart', at });
        if (random() < 0.6) {
          at += 120_000;
          interactions.push({ userId, itemId: chosen, kind: 'purchase', at });
        }
      }
      sessions.push({ userId, start, interactions });
    }
  }
  return sessions;
}

export interface HoldoutSplit {
  /** Every interaction except each evaluated user's last purchase session and what followed. */
  train: Interaction[];
  /** The held-back purchased item per evaluated user (users with at least two purchases). */
  heldOut: Map<string, string>;
  /** When each held-back session started: recommendations are made as of then. */
  asOf: Map<string, number>;
}

/**
 * Holds back each user's last purchase with its whole session (so the views that led to it
 * are not there to give it away) and everything after it.
 */
export function holdOutLastPurchase(sessions: SyntheticSession[]): HoldoutSplit {
  const byUser = new Map<string, SyntheticSession[]>();
  for (const s of sessions) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
  const train: Interaction[] = [];
  const heldOut = new Map<string, string>();
  const asOf = new Map<string, number>();
  for (const [userId, list] of byUser) {
    const purchases = list.filter((s) => s.interactions.some((x) => x.kind === 'purchase'));
    const last = purchases.length >= 2 ? purchases[purchases.length - 1] : undefined;
    for (const s of list) {
      if (last && s.start >= last.start) continue;
      train.push(...s.interactions);
    }
    if (last) {
      const bought = last.interactions.find((x) => x.kind === 'purchase');
      if (bought) {
        heldOut.set(userId, bought.itemId);
        asOf.set(userId, last.start);
      }
    }
  }
  return { train, heldOut, asOf };
}

/** Precision@k and recall@k with one relevant item per user. */
export function precisionRecallAt(
  recommended: Map<string, string[]>,
  heldOut: Map<string, string>,
  k: number,
): { precision: number; recall: number } {
  let hits = 0;
  for (const [user, item] of heldOut) {
    if ((recommended.get(user) ?? []).slice(0, k).includes(item)) hits++;
  }
  const users = Math.max(1, heldOut.size);
  return { precision: hits / (users * k), recall: hits / users };
}

/** Segment `track` messages for the collection API. */
export function messagesOfSessions(sessions: SyntheticSession[]): Record<string, unknown>[] {
  const names = { view: 'Product Viewed', cart: 'Product Added', purchase: 'Order Completed' };
  return sessions.flatMap((s) =>
    s.interactions.map((x) => ({
      type: 'track',
      userId: x.userId,
      event: names[x.kind],
      timestamp: new Date(x.at).toISOString(),
      properties:
        x.kind === 'purchase'
          ? { order_id: `o-${x.userId}-${x.at}`, revenue: 20, products: [{ product_id: x.itemId }] }
          : { product_id: x.itemId },
    })),
  );
}
