/**
 * Synthetic data shared by the audience benchmarks: profiles and event history written straight
 * into the tables the identity graph maintains (so a figure measures audiences, not identity),
 * and a varied set of computed traits and audience definitions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAudience, createComputedTrait } from '../../src/cdp/audiences/index.js';
import type { AudienceDeps } from '../../src/cdp/audiences/streaming.js';
import { newId } from '../../src/kernel/ids.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStore, type Store } from '../../src/storage/store.js';

export const eventNames = [
  'Page Viewed',
  'Product Viewed',
  'Added to Cart',
  'Checkout Started',
  'Order Completed',
  'Signed Up',
  'Email Opened',
  'Searched',
];
export const categories = ['shoes', 'shirts', 'hats', 'bags', 'socks', 'coats'];

export interface BenchStore {
  store: Store;
  sqlite: NonNullable<Store['sqlite']>;
  close(): Promise<void>;
}

/** A fresh, migrated SQLite store in a temporary directory (removed on close). */
export async function openBenchStore(): Promise<BenchStore> {
  const dir = mkdtempSync(join(tmpdir(), 'triad-bench-'));
  const store = openStore({ engine: 'sqlite', file: join(dir, 'triad.db') });
  const sqlite = store.sqlite;
  if (!sqlite) throw new Error('needs SQLite');
  await migrateToLatest(store.db);
  return {
    store,
    sqlite,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Inserts `count` profiles (a third on plan "pro"); returns their ids. */
export function insertProfiles(bench: BenchStore, count: number, now: number): string[] {
  const ids: string[] = [];
  const at = new Date(now).toISOString();
  const p = bench.sqlite.prepare(
    `insert into identity_profiles (id, merged_into, created_at, updated_at, first_seen, last_seen, traits, trait_times) values (?, null, ?, ?, ?, ?, ?, '{}')`,
  );
  bench.sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = newId('profile');
      ids.push(id);
      p.run(id, at, at, at, at, JSON.stringify({ plan: i % 3 === 0 ? 'pro' : 'free' }));
    }
  })();
  return ids;
}

/** The i-th synthetic event: deterministic name, properties and profile. */
export function syntheticEvent(i: number, profiles: string[], at: number) {
  const name = eventNames[(i * 7919) % eventNames.length] as string;
  const profile = profiles[(Math.imul(i, 2654435761) >>> 0) % profiles.length] as string;
  const properties = { total: i % 200, category: categories[i % categories.length] };
  return { name, profile, properties, at };
}

/**
 * Writes `count` track events spread over the last 60 days with their profile placements
 * (`identity_profile_events`), as the identity graph would have.
 */
export function insertHistory(
  bench: BenchStore,
  profiles: string[],
  count: number,
  now: number,
): void {
  const e = bench.sqlite.prepare(
    `insert into events (source_id, message_id, type, event, user_id, anonymous_id, timestamp, received_at, payload) values ('src', ?, 'track', ?, ?, null, ?, ?, ?)`,
  );
  const pe = bench.sqlite.prepare(
    `insert into identity_profile_events (seq, profile_id, origin_profile_id, timestamp) values (?, ?, ?, ?)`,
  );
  // Loading is set-up, not the measured work: no fsync per chunk while it runs.
  bench.sqlite.pragma('synchronous = OFF');
  const chunk = 200_000;
  for (let done = 0; done < count; done += chunk) {
    bench.sqlite.transaction(() => {
      for (let i = done; i < Math.min(count, done + chunk); i++) {
        const ev = syntheticEvent(i, profiles, now - ((i * 104729) % (60 * 86_400_000)));
        const ts = new Date(ev.at).toISOString();
        const payload = JSON.stringify({
          type: 'track',
          event: ev.name,
          userId: ev.profile,
          properties: ev.properties,
        });
        const r = e.run(`h${i}`, ev.name, ev.profile, ts, ts, payload);
        pe.run(r.lastInsertRowid, ev.profile, ev.profile, ts);
      }
    })();
  }
  bench.sqlite.pragma('synchronous = FULL');
}

/** Ten computed traits of different shapes. */
export function traitDefinitions(): { key: string; definition: Record<string, unknown> }[] {
  return [
    {
      key: 'views_30d',
      definition: {
        aggregation: 'count',
        event: 'Page Viewed',
        where: [],
        window: { amount: 30, unit: 'days' },
      },
    },
    {
      key: 'products_7d',
      definition: {
        aggregation: 'count',
        event: 'Product Viewed',
        where: [],
        window: { amount: 7, unit: 'days' },
      },
    },
    { key: 'carts', definition: { aggregation: 'count', event: 'Added to Cart', where: [] } },
    { key: 'orders', definition: { aggregation: 'count', event: 'Order Completed', where: [] } },
    {
      key: 'revenue',
      definition: { aggregation: 'sum', event: 'Order Completed', property: 'total', where: [] },
    },
    {
      key: 'max_order',
      definition: { aggregation: 'max', event: 'Order Completed', property: 'total', where: [] },
    },
    {
      key: 'avg_cart',
      definition: { aggregation: 'avg', event: 'Added to Cart', property: 'total', where: [] },
    },
    {
      key: 'categories_seen',
      definition: {
        aggregation: 'unique_count',
        event: 'Product Viewed',
        property: 'category',
        where: [],
      },
    },
    {
      key: 'last_category',
      definition: { aggregation: 'last', event: 'Product Viewed', property: 'category', where: [] },
    },
    {
      key: 'emails_14d',
      definition: {
        aggregation: 'count',
        event: 'Email Opened',
        where: [],
        window: { amount: 14, unit: 'days' },
      },
    },
  ];
}

/** Fifty audiences: windowed counts, traits with filtered events, funnels, trait thresholds. */
export function audienceTexts(count = 50): string[] {
  const thresholds: [string, string][] = [
    ['views_30d', '>= 3'],
    ['products_7d', '>= 2'],
    ['carts', '>= 2'],
    ['orders', '>= 1'],
    ['revenue', '> 150'],
    ['max_order', '> 120'],
    ['avg_cart', '> 80'],
    ['categories_seen', '>= 3'],
    ['last_category', '= "shoes"'],
    ['emails_14d', '>= 2'],
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = eventNames[i % eventNames.length] as string;
    const b = eventNames[(i + 3) % eventNames.length] as string;
    const [trait, rule] = thresholds[i % thresholds.length] as [string, string];
    switch (i % 5) {
      case 0:
        out.push(`performed "${a}" at least ${1 + (i % 4)} times within ${7 + i} days`);
        break;
      case 1:
        out.push(`trait plan = "pro" and performed "${a}" where total > ${(i * 7) % 180}`);
        break;
      case 2:
        out.push(`performed "${a}" then "${b}" within ${1 + (i % 3)} days`);
        break;
      case 3:
        out.push(`computed ${trait} ${rule}`);
        break;
      default:
        out.push(
          `(computed ${trait} ${rule} or trait plan = "free") and performed "${a}" where category = "${categories[i % categories.length]}" within 30 days`,
        );
    }
  }
  return out;
}

/** Creates the definitions through the services and waits until every backfill finished. */
export async function defineAudiences(
  deps: AudienceDeps,
  traits: { key: string; definition: Record<string, unknown> }[],
  texts: string[],
): Promise<void> {
  for (const t of traits) await createComputedTrait(deps, { ...t, name: t.key });
  for (const [i, text] of texts.entries())
    await createAudience(deps, { key: `bench_${i}`, name: `Bench ${i}`, text });
  for (;;) {
    const pending = await deps.db
      .selectFrom('audience_definitions')
      .select('id')
      .where('status', '!=', 'ready')
      .unionAll(deps.db.selectFrom('audience_traits').select('id').where('status', '!=', 'ready'))
      .execute();
    if (pending.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
