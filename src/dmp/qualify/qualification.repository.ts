import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

export interface HitRow {
  trait_id: string;
  hits: number[];
}

export async function loadHits(db: Kysely<DB>, dmpId: string): Promise<HitRow[]> {
  const rows = await db
    .selectFrom('dmp_trait_hits')
    .select(['trait_id', 'hits'])
    .where('dmp_id', '=', dmpId)
    .execute();
  return rows.map((row) => ({ trait_id: row.trait_id, hits: parseHits(row.hits) }));
}

function parseHits(text: string): number[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((v): v is number => typeof v === 'number') : [];
}

export async function upsertHits(
  db: Kysely<DB>,
  row: { dmp_id: string; trait_id: string; hits: number[]; last_at: string; expires_at: string },
): Promise<void> {
  const values = { ...row, hits: JSON.stringify(row.hits) };
  await db
    .insertInto('dmp_trait_hits')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['dmp_id', 'trait_id']).doUpdateSet({
        hits: values.hits,
        last_at: values.last_at,
        expires_at: values.expires_at,
      }),
    )
    .execute();
}

export async function loadMemberships(db: Kysely<DB>, dmpId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('dmp_memberships')
    .select('segment_id')
    .where('dmp_id', '=', dmpId)
    .orderBy('segment_id')
    .execute();
  return rows.map((row) => row.segment_id);
}

/** Makes the stored memberships of one ID equal `segmentIds`. */
export async function replaceMemberships(
  db: Kysely<DB>,
  dmpId: string,
  segmentIds: readonly string[],
  now: string,
): Promise<void> {
  const current = new Set(await loadMemberships(db, dmpId));
  const wanted = new Set(segmentIds);
  const gone = [...current].filter((id) => !wanted.has(id));
  const added = [...wanted].filter((id) => !current.has(id));
  if (gone.length > 0) {
    await db
      .deleteFrom('dmp_memberships')
      .where('dmp_id', '=', dmpId)
      .where('segment_id', 'in', gone)
      .execute();
  }
  if (added.length > 0) {
    await db
      .insertInto('dmp_memberships')
      .values(added.map((segment_id) => ({ dmp_id: dmpId, segment_id, qualified_at: now })))
      .execute();
  }
}

/** Forgets everything profiling learned about one ID (its consent to profiling is gone). */
export async function clearProfile(db: Kysely<DB>, dmpId: string): Promise<void> {
  await db.deleteFrom('dmp_memberships').where('dmp_id', '=', dmpId).execute();
  await db.deleteFrom('dmp_trait_hits').where('dmp_id', '=', dmpId).execute();
}

/** IDs holding a realization that expired before `now`, for the expiry job. */
export async function findIdsWithExpiredHits(
  db: Kysely<DB>,
  now: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('dmp_trait_hits')
    .select('dmp_id')
    .distinct()
    .where('expires_at', '<=', now)
    .limit(limit)
    .execute();
  return rows.map((row) => row.dmp_id);
}

export async function deleteExpiredHits(db: Kysely<DB>, dmpId: string, now: string) {
  await db
    .deleteFrom('dmp_trait_hits')
    .where('dmp_id', '=', dmpId)
    .where('expires_at', '<=', now)
    .execute();
}

/** Exact member count and member IDs of a segment (reach builds its sketch from these). */
export async function countMembers(db: Kysely<DB>, segmentId: string): Promise<number> {
  const row = await db
    .selectFrom('dmp_memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('segment_id', '=', segmentId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function memberPage(
  db: Kysely<DB>,
  segmentId: string,
  after: string | undefined,
  limit: number,
): Promise<string[]> {
  let query = db
    .selectFrom('dmp_memberships')
    .select('dmp_id')
    .where('segment_id', '=', segmentId)
    .orderBy('dmp_id')
    .limit(limit);
  if (after !== undefined) query = query.where('dmp_id', '>', after);
  return (await query.execute()).map((row) => row.dmp_id);
}
