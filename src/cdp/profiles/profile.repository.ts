import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

/** Follows `merged_into` to the profile that holds everything now (merges may chain). */
export async function resolveProfileId(db: Kysely<DB>, id: string): Promise<string | undefined> {
  let current = id;
  for (let hops = 0; hops < 64; hops++) {
    const row = await db
      .selectFrom('identity_profiles')
      .select(['id', 'merged_into'])
      .where('id', '=', current)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.merged_into === null) return row.id;
    current = row.merged_into;
  }
  return undefined;
}

export function profileByIdentifier(db: Kysely<DB>, type: string, value: string) {
  return db
    .selectFrom('identity_identifiers')
    .innerJoin('identity_profiles', 'identity_profiles.id', 'identity_identifiers.profile_id')
    .selectAll('identity_profiles')
    .where('identity_identifiers.type', '=', type)
    .where('identity_identifiers.value', '=', value)
    .executeTakeFirst();
}

export function profileById(db: Kysely<DB>, id: string) {
  return db.selectFrom('identity_profiles').selectAll().where('id', '=', id).executeTakeFirst();
}

export function identifiersOf(db: Kysely<DB>, profileId: string) {
  return db
    .selectFrom('identity_identifiers')
    .selectAll()
    .where('profile_id', '=', profileId)
    .orderBy('first_seq')
    .execute();
}

/** The profile's events, newest first, keyset-paged on (timestamp, seq). */
export function timeline(
  db: Kysely<DB>,
  profileId: string,
  page: { limit: number; before?: { timestamp: string; seq: number } },
) {
  let query = db
    .selectFrom('identity_profile_events')
    .innerJoin('events', 'events.seq', 'identity_profile_events.seq')
    .select([
      'events.seq',
      'events.source_id',
      'events.message_id',
      'events.type',
      'events.event',
      'events.timestamp',
      'events.received_at',
      'events.payload',
    ])
    .where('identity_profile_events.profile_id', '=', profileId)
    .orderBy('identity_profile_events.timestamp', 'desc')
    .orderBy('identity_profile_events.seq', 'desc')
    .limit(page.limit + 1);
  const before = page.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb('identity_profile_events.timestamp', '<', before.timestamp),
        eb.and([
          eb('identity_profile_events.timestamp', '=', before.timestamp),
          eb('identity_profile_events.seq', '<', before.seq),
        ]),
      ]),
    );
  }
  return query.execute();
}

export function latestEvent(db: Kysely<DB>, profileId: string) {
  return db
    .selectFrom('identity_profile_events')
    .innerJoin('events', 'events.seq', 'identity_profile_events.seq')
    .select(['events.source_id', 'events.message_id', 'events.timestamp'])
    .where('identity_profile_events.profile_id', '=', profileId)
    .orderBy('identity_profile_events.timestamp', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function mergeLogOf(db: Kysely<DB>, profileIds: string[]) {
  return db
    .selectFrom('identity_merge_log')
    .selectAll()
    .where((eb) =>
      eb.or([eb('profile_id', 'in', profileIds), eb('other_profile_id', 'in', profileIds)]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}

export function profilesMergedInto(db: Kysely<DB>, profileId: string) {
  return db
    .selectFrom('identity_profiles')
    .select('id')
    .where('merged_into', '=', profileId)
    .execute();
}

/** Search for the console: an identifier value (exact) or text inside the traits. */
export function searchProfiles(db: Kysely<DB>, query: string, limit: number) {
  const needle = query.trim();
  return db
    .selectFrom('identity_profiles')
    .selectAll()
    .where('merged_into', 'is', null)
    .where((eb) =>
      eb.or([
        eb(
          'id',
          'in',
          eb
            .selectFrom('identity_identifiers')
            .select('profile_id')
            .where((w) => w.or([w('value', '=', needle), w('value', '=', needle.toLowerCase())])),
        ),
        eb('id', '=', needle),
        eb('traits', 'like', `%${needle.replace(/[%_]/g, '')}%`),
      ]),
    )
    .orderBy('last_seen', 'desc')
    .limit(limit)
    .execute();
}
