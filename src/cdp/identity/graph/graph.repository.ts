import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../storage/schema.js';
import type { ExternalId } from './external-ids.js';

export type Db = Kysely<DB> | Transaction<DB>;

export function findIdentifiers(db: Db, ids: ExternalId[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('identity_identifiers')
    .select(['type', 'value', 'profile_id'])
    .where((eb) =>
      eb.or(ids.map((id) => eb.and([eb('type', '=', id.type), eb('value', '=', id.value)]))),
    )
    .execute();
}

export function identifiersOfProfiles(db: Db, profileIds: string[]) {
  if (profileIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('identity_identifiers')
    .select(['type', 'value', 'profile_id', 'last_seen'])
    .where('profile_id', 'in', profileIds)
    .execute();
}

export function findProfile(db: Db, id: string) {
  return db.selectFrom('identity_profiles').selectAll().where('id', '=', id).executeTakeFirst();
}

export function isEventAttached(db: Db, seq: number) {
  return db
    .selectFrom('identity_profile_events')
    .select('seq')
    .where('seq', '=', seq)
    .executeTakeFirst();
}

export function sharedFlags(db: Db, ids: ExternalId[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('identity_shared_identifiers')
    .select(['type', 'value', 'conflicts', 'flagged_at'])
    .where((eb) =>
      eb.or(ids.map((id) => eb.and([eb('type', '=', id.type), eb('value', '=', id.value)]))),
    )
    .execute();
}

export function listSeparations(db: Db) {
  return db.selectFrom('identity_separations').select(['left_ids', 'right_ids']).execute();
}

export function listRules(db: Db) {
  return db.selectFrom('identity_rules').selectAll().execute();
}

/** The log position of each profile's first event. */
export async function firstEventSeqs(db: Db, profileIds: string[]): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('identity_profile_events')
    .select((eb) => ['profile_id', eb.fn.min('seq').as('first_seq')])
    .where('profile_id', 'in', profileIds)
    .groupBy('profile_id')
    .execute();
  return new Map(rows.map((r) => [r.profile_id, Number(r.first_seq)]));
}
