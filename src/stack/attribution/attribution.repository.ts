import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

/**
 * Stage IDs that mean closed won, per deal pipeline: a closed stage with probability 1, the
 * rule HubSpot and the CRM's own reports use.
 */
export async function wonStages(db: Kysely<DB>): Promise<Map<string, Set<string>>> {
  const rows = await db
    .selectFrom('crm_pipeline_stages')
    .innerJoin('crm_pipelines', 'crm_pipelines.id', 'crm_pipeline_stages.pipeline_id')
    .select(['crm_pipeline_stages.id', 'crm_pipeline_stages.pipeline_id', 'metadata'])
    .where('crm_pipelines.object_type', '=', 'deals')
    .execute();
  const won = new Map<string, Set<string>>();
  for (const row of rows) {
    const meta = JSON.parse(row.metadata) as Record<string, string>;
    if (meta.isClosed !== 'true' || Number(meta.probability) !== 1) continue;
    won.set(row.id, (won.get(row.id) ?? new Set()).add(row.pipeline_id));
  }
  return won;
}

/** The live profile holding any of these e-mails (lowest profile ID first, for a stable answer). */
export async function profileByEmails(db: Kysely<DB>, emails: string[]) {
  if (emails.length === 0) return undefined;
  const row = await db
    .selectFrom('identity_identifiers')
    .select('profile_id')
    .where('type', '=', 'email')
    .where('value', 'in', emails)
    .orderBy('profile_id')
    .executeTakeFirst();
  return row?.profile_id;
}

export function dmpIdsOf(db: Kysely<DB>, profileId: string) {
  return db
    .selectFrom('identity_identifiers')
    .select(['type', 'value'])
    .where('profile_id', '=', profileId)
    .execute();
}

/** A page of the profile's events, oldest first, keyset-paged on (timestamp, seq). */
export function eventsOldestFirst(
  db: Kysely<DB>,
  profileId: string,
  after: { timestamp: string; seq: number } | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('identity_profile_events')
    .innerJoin('events', 'events.seq', 'identity_profile_events.seq')
    .select(['events.seq', 'identity_profile_events.timestamp', 'events.payload'])
    .where('identity_profile_events.profile_id', '=', profileId);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('identity_profile_events.timestamp', '>', after.timestamp),
        eb.and([
          eb('identity_profile_events.timestamp', '=', after.timestamp),
          eb('events.seq', '>', after.seq),
        ]),
      ]),
    );
  }
  return query
    .orderBy('identity_profile_events.timestamp')
    .orderBy('events.seq')
    .limit(limit)
    .execute();
}
