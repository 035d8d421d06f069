/**
 * Recommendation quality on synthetic shopping sessions (USERS shoppers, default 5,000, over
 * 40 categories x 50 items): each shopper's last purchase is held back with its whole session,
 * the model is built from everything else, and precision@10 / recall@10 of the held-back item
 * are printed for the item-to-item method beside the popularity baseline (both exclude items
 * already purchased). Then the same data goes through the stored path: events and profiles in
 * SQLite, `refreshRecommendations`, and the `recommended_items` traits are scored the same way.
 *
 *   npx tsx bench/recommendations.ts          USERS=20000 npx tsx bench/recommendations.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildItemModel,
  defaultRecommendOptions,
  groupByUser,
  type Interaction,
  profileOf,
  recommend,
  recommendPopular,
  type UserProfile,
} from '../src/cdp/recommendations/recommend.js';
import { refreshRecommendations } from '../src/cdp/recommendations/recommendation.service.js';
import {
  generateSessions,
  holdOutLastPurchase,
  precisionRecallAt,
} from '../src/cdp/recommendations/synthetic.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openStore } from '../src/storage/store.js';

const users = Number(process.env.USERS ?? 5000);
const now = Date.parse('2026-06-01T00:00:00.000Z');
const sessions = generateSessions({
  users,
  categories: 40,
  itemsPerCategory: 50,
  sessionsPerUser: 6,
  seed: Number(process.env.SEED ?? 3),
  now,
});
const split = holdOutLastPurchase(sessions);
console.log(
  `${users} shoppers, ${sessions.length} sessions, ${split.train.length} training interactions, ${split.heldOut.size} held-back purchases`,
);

function evaluate(halfLifeDays: number, modelHalfLifeDays: number) {
  const opts = { ...defaultRecommendOptions, halfLifeDays, modelHalfLifeDays };
  const byUser = groupByUser(split.train);
  const profiles = new Map<string, UserProfile>();
  for (const [user, list] of byUser) profiles.set(user, profileOf(list, now, opts, 'model'));
  const t = performance.now();
  const model = buildItemModel(profiles, opts);
  const buildMs = performance.now() - t;
  const ours = new Map<string, string[]>();
  const popular = new Map<string, string[]>();
  for (const user of split.heldOut.keys()) {
    const asOf = split.asOf.get(user) ?? now;
    const profile = profileOf(byUser.get(user) ?? ([] as Interaction[]), asOf, opts);
    ours.set(
      user,
      recommend(profile, (i) => model.neighbors.get(i), [model.popularity], 10),
    );
    popular.set(user, recommendPopular(profile, model.popularity, 10));
  }
  return {
    ours: precisionRecallAt(ours, split.heldOut, 10),
    popular: precisionRecallAt(popular, split.heldOut, 10),
    buildMs,
  };
}

const { halfLifeDays, modelHalfLifeDays } = defaultRecommendOptions;
const weighted = evaluate(halfLifeDays, modelHalfLifeDays);
const flat = evaluate(1e9, 1e9);
const row = (name: string, r: { precision: number; recall: number }) =>
  console.log(`${name.padEnd(40)} ${r.precision.toFixed(4)}        ${r.recall.toFixed(4)}`);
console.log('\nmethod                                   precision@10  recall@10');
row(`item-to-item, half-lives ${halfLifeDays}/${modelHalfLifeDays} days`, weighted.ours);
row('item-to-item, no recency weighting', flat.ours);
row('popularity baseline', weighted.popular);
console.log(
  `ratio (item-to-item / popularity) recall@10: ${(weighted.ours.recall / weighted.popular.recall).toFixed(2)}x; model built in ${Math.round(weighted.buildMs)} ms`,
);

// The stored path: the same training interactions as events on profiles.
const dir = mkdtempSync(join(tmpdir(), 'triad-bench-'));
const store = openStore({ engine: 'sqlite', file: join(dir, 'triad.db') });
const sqlite = store.sqlite;
try {
  if (!sqlite) throw new Error('needs SQLite');
  await migrateToLatest(store.db);
  const at = new Date(now).toISOString();
  const names = { view: 'Product Viewed', cart: 'Product Added', purchase: 'Order Completed' };
  sqlite.transaction(() => {
    const p = sqlite.prepare(
      `insert into identity_profiles (id, merged_into, created_at, updated_at, first_seen, last_seen, traits, trait_times) values (?, null, ?, ?, ?, ?, '{}', '{}')`,
    );
    for (let u = 0; u < users; u++) p.run(`prof_u${u}`, at, at, at, at);
    const e = sqlite.prepare(
      `insert into events (seq, source_id, message_id, type, event, user_id, anonymous_id, timestamp, received_at, payload) values (?, 'src', ?, 'track', ?, ?, null, ?, ?, ?)`,
    );
    const pe = sqlite.prepare(
      `insert into identity_profile_events (seq, profile_id, origin_profile_id, timestamp) values (?, ?, ?, ?)`,
    );
    split.train.forEach((x, i) => {
      const ts = new Date(x.at).toISOString();
      const properties =
        x.kind === 'purchase' ? { products: [{ product_id: x.itemId }] } : { product_id: x.itemId };
      e.run(i + 1, `m${i}`, names[x.kind], x.userId, ts, ts, JSON.stringify({ properties }));
      pe.run(i + 1, `prof_${x.userId}`, `prof_${x.userId}`, ts);
    });
  })();
  const t = performance.now();
  const stats = await refreshRecommendations({ db: store.db, clock: { now: () => new Date(now) } });
  const refreshMs = performance.now() - t;
  const stored = new Map<string, string[]>();
  for (const r of await store.db
    .selectFrom('identity_profiles')
    .select(['id', 'traits'])
    .execute()) {
    stored.set(r.id.replace(/^prof_/, ''), JSON.parse(r.traits).recommended_items ?? []);
  }
  const s = precisionRecallAt(stored, split.heldOut, 10);
  console.log(
    `\nstored path: refresh of ${stats.profilesWritten} profiles from ${stats.interactions} interactions in ${Math.round(refreshMs)} ms; recommended_items precision@10 ${s.precision.toFixed(4)}, recall@10 ${s.recall.toFixed(4)}`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
