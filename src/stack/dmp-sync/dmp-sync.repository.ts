import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

/** Plain reads and writes of the sync's own tables and of the CDP state it follows. */

export function listSyncRows(db: Kysely<DB>) {
  return db.selectFrom('dmp_sync_lists').selectAll().orderBy('name').execute();
}

export function findAudiences(db: Kysely<DB>, refs: string[]) {
  if (refs.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('audience_definitions')
    .select(['id', 'key', 'name'])
    .where((eb) => eb.or([eb('id', 'in', refs), eb('key', 'in', refs)]))
    .execute();
}

export async function readOffset(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('dmp_sync_state')
    .select('value')
    .where('key', '=', 'membership_log_offset')
    .executeTakeFirst();
  return row ? Number(row.value) : 0;
}

export async function writeOffset(db: Kysely<DB>, offset: number): Promise<void> {
  await db
    .insertInto('dmp_sync_state')
    .values({ key: 'membership_log_offset', value: String(offset) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(offset) }))
    .execute();
}

export function membershipLogAfter(db: Kysely<DB>, offset: number, limit: number) {
  return db
    .selectFrom('audience_membership_log')
    .select(['id', 'audience_id', 'profile_id'])
    .where('id', '>', offset)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function isMember(db: Kysely<DB>, audienceId: string, profileId: string) {
  const row = await db
    .selectFrom('audience_members')
    .select('profile_id')
    .where('audience_id', '=', audienceId)
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Profiles to reconcile in a full sweep: today's members and everyone the list holds. */
export async function sweepProfiles(db: Kysely<DB>, audienceId: string, listName: string) {
  const members = await db
    .selectFrom('audience_members')
    .select('profile_id')
    .where('audience_id', '=', audienceId)
    .execute();
  const synced = await db
    .selectFrom('dmp_sync_members')
    .select('profile_id')
    .where('list_name', '=', listName)
    .distinct()
    .execute();
  return [...new Set([...members, ...synced].map((r) => r.profile_id))];
}

export function profileIdentifiers(db: Kysely<DB>, profileId: string) {
  return db
    .selectFrom('identity_identifiers')
    .select(['type', 'value'])
    .where('profile_id', '=', profileId)
    .execute();
}

export async function syncedIdsOf(db: Kysely<DB>, listName: string, profileId: string) {
  const rows = await db
    .selectFrom('dmp_sync_members')
    .select('dmp_id')
    .where('list_name', '=', listName)
    .where('profile_id', '=', profileId)
    .execute();
  return rows.map((r) => r.dmp_id);
}

/** Of these IDs, those no profile holds on the list any more (safe to take off the DMP list). */
export async function orphanedIds(db: Kysely<DB>, listName: string, dmpIds: string[]) {
  if (dmpIds.length === 0) return [];
  const still = await db
    .selectFrom('dmp_sync_members')
    .select('dmp_id')
    .where('list_name', '=', listName)
    .where('dmp_id', 'in', dmpIds)
    .execute();
  const held = new Set(still.map((r) => r.dmp_id));
  return dmpIds.filter((id) => !held.has(id));
}
