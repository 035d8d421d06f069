import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { DB } from '../../storage/schema.js';
import type { TraitState } from '../segments/expression.js';
import type { Catalog } from './catalog.js';
import { addHit, qualifiedSegments, traitState } from './engine.js';
import * as repo from './qualification.repository.js';

/**
 * Records new realizations of `traitIds` for one ID and recomputes its segment memberships.
 * Runs inside the caller's transaction; returns the segments the ID now belongs to.
 */
export async function realizeTraits(
  trx: Kysely<DB>,
  catalog: Catalog,
  dmpId: string,
  traitIds: readonly string[],
  now: Date,
): Promise<string[]> {
  const nowMs = now.getTime();
  const rows = await repo.loadHits(trx, dmpId);
  const hits = new Map(rows.map((row) => [row.trait_id, row.hits]));
  for (const traitId of new Set(traitIds)) {
    const trait = catalog.traitsById.get(traitId);
    if (!trait) continue;
    const updated = addHit(hits.get(traitId) ?? [], nowMs, trait.ttlMs);
    hits.set(traitId, updated);
    await repo.upsertHits(trx, {
      dmp_id: dmpId,
      trait_id: traitId,
      hits: updated,
      last_at: iso(now),
      expires_at: iso(new Date(nowMs + trait.ttlMs)),
    });
  }
  return requalify(trx, catalog, dmpId, hits, now);
}

/** Recomputes and stores one ID's memberships from its realization history. */
export async function requalify(
  trx: Kysely<DB>,
  catalog: Catalog,
  dmpId: string,
  hits: ReadonlyMap<string, readonly number[]>,
  now: Date,
): Promise<string[]> {
  const nowMs = now.getTime();
  const states = new Map<string, TraitState>();
  for (const [traitId, times] of hits) {
    const trait = catalog.traitsById.get(traitId);
    if (!trait) continue;
    const state = traitState(trait, times, nowMs);
    if (state.hits.length > 0) states.set(traitId, state);
  }
  const segments = qualifiedSegments(catalog.segments, states, nowMs);
  await repo.replaceMemberships(trx, dmpId, segments, iso(now));
  return segments;
}

/** Loads one ID's history and recomputes its memberships (expiry, onboarding, backfill). */
export async function requalifyId(
  trx: Kysely<DB>,
  catalog: Catalog,
  dmpId: string,
  now: Date,
): Promise<string[]> {
  const rows = await repo.loadHits(trx, dmpId);
  return requalify(trx, catalog, dmpId, new Map(rows.map((r) => [r.trait_id, r.hits])), now);
}

/** The hot-store side of requalification: a function that stores each ID's new segments. */
export interface RequalifyTarget {
  put(dmpId: string, segmentIds: readonly string[]): Promise<void>;
}

/**
 * Requalifies many IDs, each in its own short transaction (so a long backfill never holds one
 * big lock), and writes each result through to the hot store.
 */
export async function requalifyMany(
  db: Kysely<DB>,
  catalog: Catalog,
  hotStore: RequalifyTarget,
  dmpIds: readonly string[],
  now: Date,
): Promise<void> {
  for (const dmpId of dmpIds) {
    const result = await db.transaction().execute(async (trx) => {
      const segments = await requalifyId(trx, catalog, dmpId, now);
      const flag = await trx
        .selectFrom('dmp_ids')
        .select('activatable')
        .where('id', '=', dmpId)
        .executeTakeFirst();
      return flag?.activatable === 1 ? segments : [];
    });
    await hotStore.put(dmpId, result);
  }
}

/** IDs holding a realization of any of these traits, in pages (segment backfill). */
export async function idsWithTraits(
  db: Kysely<DB>,
  traitIds: readonly string[],
  after: string | undefined,
  limit: number,
): Promise<string[]> {
  if (traitIds.length === 0) return [];
  let query = db
    .selectFrom('dmp_trait_hits')
    .select('dmp_id')
    .distinct()
    .where('trait_id', 'in', [...traitIds])
    .orderBy('dmp_id')
    .limit(limit);
  if (after !== undefined) query = query.where('dmp_id', '>', after);
  return (await query.execute()).map((row) => row.dmp_id);
}
