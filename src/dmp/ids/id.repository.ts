import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

/** Inserts the ID or refreshes its activity time and activation flag. */
export async function touchId(
  db: Kysely<DB>,
  id: string,
  now: string,
  activatable: boolean,
): Promise<void> {
  await db
    .insertInto('dmp_ids')
    .values({ id, created_at: now, last_seen_at: now, activatable: activatable ? 1 : 0 })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ last_seen_at: now, activatable: activatable ? 1 : 0 }),
    )
    .execute();
}

export async function idExists(db: Kysely<DB>, id: string): Promise<boolean> {
  const row = await db.selectFrom('dmp_ids').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export async function findActivatable(db: Kysely<DB>, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('dmp_ids')
    .select('activatable')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.activatable === 1;
}

export async function findAlias(
  db: Kysely<DB>,
  kind: string,
  value: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('dmp_aliases')
    .select('dmp_id')
    .where('kind', '=', kind)
    .where('value', '=', value)
    .executeTakeFirst();
  return row?.dmp_id;
}

export async function insertAlias(
  db: Kysely<DB>,
  row: { kind: string; value: string; dmp_id: string; created_at: string },
): Promise<void> {
  await db
    .insertInto('dmp_aliases')
    .values(row)
    .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
    .execute();
}

/** IDs not seen since `before` (oldest first), for retention. */
export async function findIdsUnseenSince(
  db: Kysely<DB>,
  before: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('dmp_ids')
    .select('id')
    .where('last_seen_at', '<', before)
    .orderBy('last_seen_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Removes every row keyed by these IDs, in every DMP table: the ID, its aliases, its partner
 * matches, its trait realizations, its segment memberships and its places on seed and
 * suppression lists.
 */
export async function deleteIdsEverywhere(db: Kysely<DB>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('dmp_memberships').where('dmp_id', 'in', ids).execute();
  await db.deleteFrom('dmp_list_members').where('dmp_id', 'in', ids).execute();
  await db.deleteFrom('dmp_export_items').where('dmp_id', 'in', ids).execute();
  await db.deleteFrom('dmp_trait_hits').where('dmp_id', 'in', ids).execute();
  await db.deleteFrom('dmp_media_hits').where('dmp_id', 'in', ids).execute();
  await db.deleteFrom('dmp_matches').where('dmp_id', 'in', ids).execute();
  await db.deleteFrom('dmp_aliases').where('dmp_id', 'in', ids).execute();
  await db.deleteFrom('dmp_ids').where('id', 'in', ids).execute();
}
