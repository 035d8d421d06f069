import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { Interaction, InteractionKind, Neighbor } from './recommend.js';

export type Db = Kysely<DB>;

/** Event names read as interactions, and the kind each one is. */
export const interactionEvents: Record<string, InteractionKind> = {
  'Product Viewed': 'view',
  'Product Clicked': 'view',
  'Product Added': 'cart',
  'Product Purchased': 'purchase',
  'Order Completed': 'purchase',
};

const itemIdOf = (o: unknown): string | undefined => {
  if (typeof o !== 'object' || o === null) return undefined;
  const p = o as Record<string, unknown>;
  const id = p.product_id ?? p.productId ?? p.sku ?? p.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 200) : undefined;
};

/** The items one event is about: `products[]` of an order, else the product properties. */
export function itemsOf(event: string, payload: string): string[] {
  let properties: unknown;
  try {
    properties = (JSON.parse(payload) as { properties?: unknown }).properties;
  } catch {
    return [];
  }
  if (typeof properties !== 'object' || properties === null) return [];
  const products = (properties as { products?: unknown }).products;
  if (event === 'Order Completed' || Array.isArray(products)) {
    if (!Array.isArray(products)) return [];
    return products.map(itemIdOf).filter((x): x is string => x !== undefined);
  }
  const one = itemIdOf(properties);
  return one ? [one] : [];
}

interface Row {
  seq: number;
  profile_id: string;
  event: string | null;
  timestamp: string;
  payload: string;
}

function toInteractions(rows: Row[], out: Interaction[]): void {
  for (const r of rows) {
    const kind = r.event ? interactionEvents[r.event] : undefined;
    if (!kind || !r.event) continue;
    const at = Date.parse(r.timestamp);
    for (const itemId of itemsOf(r.event, r.payload)) {
      out.push({ userId: r.profile_id, itemId, kind, at });
    }
  }
}

/**
 * Every interaction since `since`, read in log-position pages so memory holds the compact
 * interactions, never all payloads at once.
 */
export async function loadInteractions(db: Db, since: string, page = 5000): Promise<Interaction[]> {
  const out: Interaction[] = [];
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('events as e')
      .innerJoin('identity_profile_events as pe', 'pe.seq', 'e.seq')
      .innerJoin('identity_profiles as p', 'p.id', 'pe.profile_id')
      .select(['e.seq', 'pe.profile_id', 'e.event', 'pe.timestamp', 'e.payload'])
      .where('p.merged_into', 'is', null)
      .where('e.type', '=', 'track')
      .where('e.event', 'in', Object.keys(interactionEvents))
      .where('pe.timestamp', '>=', since)
      .where('e.seq', '>', after)
      .orderBy('e.seq')
      .limit(page)
      .execute();
    toInteractions(
      rows.map((r) => ({ ...r, seq: Number(r.seq) })),
      out,
    );
    const last = rows[rows.length - 1];
    if (!last || rows.length < page) return out;
    after = Number(last.seq);
  }
}

export async function profileInteractions(
  db: Db,
  profileId: string,
  since: string,
): Promise<Interaction[]> {
  const rows = await db
    .selectFrom('identity_profile_events as pe')
    .innerJoin('events as e', 'e.seq', 'pe.seq')
    .select(['e.seq', 'pe.profile_id', 'e.event', 'pe.timestamp', 'e.payload'])
    .where('pe.profile_id', '=', profileId)
    .where('e.type', '=', 'track')
    .where('e.event', 'in', Object.keys(interactionEvents))
    .where('pe.timestamp', '>=', since)
    .orderBy('pe.timestamp', 'desc')
    .limit(10000)
    .execute();
  const out: Interaction[] = [];
  toInteractions(
    rows.map((r) => ({ ...r, seq: Number(r.seq) })),
    out,
  );
  return out;
}

/** Audience memberships of current profiles (audience ID per profile). */
export async function memberships(db: Db): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('audience_members')
    .select(['audience_id', 'profile_id'])
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.profile_id);
    if (list) list.push(r.audience_id);
    else out.set(r.profile_id, [r.audience_id]);
  }
  return out;
}

export async function audiencesOf(db: Db, profileId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audience_members')
    .select('audience_id')
    .where('profile_id', '=', profileId)
    .execute();
  return rows.map((r) => r.audience_id);
}

export async function currentProfileIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('identity_profiles')
    .select('id')
    .where('merged_into', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

const chunk = <T>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

/** Replaces the stored model (neighbours and popularity lists) in one transaction. */
export async function saveModel(
  db: Db,
  neighbors: Map<string, Neighbor[]>,
  popularity: Map<string, Neighbor[]>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('recommendation_neighbors').execute();
    await trx.deleteFrom('recommendation_popularity').execute();
    const pairs = [...neighbors].flatMap(([item, list]) =>
      list.map((n) => ({ item_id: item, neighbor_id: n.item, score: n.score })),
    );
    for (const part of chunk(pairs, 300)) {
      await trx.insertInto('recommendation_neighbors').values(part).execute();
    }
    const popular = [...popularity].flatMap(([segment, list]) =>
      list.map((n) => ({ segment, item_id: n.item, score: n.score })),
    );
    for (const part of chunk(popular, 300)) {
      await trx.insertInto('recommendation_popularity').values(part).execute();
    }
  });
}

export async function neighborsOfItems(db: Db, items: string[]): Promise<Map<string, Neighbor[]>> {
  const out = new Map<string, Neighbor[]>();
  for (const part of chunk(items, 500)) {
    const rows = await db
      .selectFrom('recommendation_neighbors')
      .selectAll()
      .where('item_id', 'in', part)
      .execute();
    for (const r of rows) {
      const list = out.get(r.item_id) ?? [];
      list.push({ item: r.neighbor_id, score: Number(r.score) });
      out.set(r.item_id, list);
    }
  }
  return out;
}

export async function popularityIn(db: Db, segments: string[]): Promise<Map<string, Neighbor[]>> {
  if (segments.length === 0) return new Map();
  const rows = await db
    .selectFrom('recommendation_popularity')
    .selectAll()
    .where('segment', 'in', segments)
    .orderBy('score', 'desc')
    .orderBy('item_id')
    .execute();
  const out = new Map<string, Neighbor[]>();
  for (const r of rows) {
    const list = out.get(r.segment) ?? [];
    list.push({ item: r.item_id, score: Number(r.score) });
    out.set(r.segment, list);
  }
  return out;
}

export async function insertRun(
  db: Db,
  row: { id: string; started_at: string; finished_at: string; stats: string },
): Promise<void> {
  await db.insertInto('recommendation_runs').values(row).execute();
}

export function latestRun(db: Db) {
  return db
    .selectFrom('recommendation_runs')
    .selectAll()
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
