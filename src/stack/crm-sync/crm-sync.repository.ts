import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { CrmSyncLogRow } from './crm-sync.tables.js';

type Db = Kysely<DB>;

export async function readState(db: Db, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('crm_sync_state')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function writeState(db: Db, key: string, value: string, at: string): Promise<void> {
  await db
    .insertInto('crm_sync_state')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}

export interface SyncOutcome {
  direction: 'crm_to_cdp' | 'cdp_to_crm';
  ref: string;
  outcome: 'ok' | 'skipped' | 'refused';
  detail: string;
}

export async function recordOutcomes(db: Db, outcomes: SyncOutcome[], at: string): Promise<void> {
  if (outcomes.length === 0) return;
  await db
    .insertInto('crm_sync_log')
    .values(outcomes.map((o) => ({ ...o, at })))
    .execute();
}

export async function recentOutcomes(db: Db, limit: number): Promise<CrmSyncLogRow[]> {
  return db.selectFrom('crm_sync_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/** The first source named `name`, oldest first (names are not unique). */
export async function sourceIdByName(db: Db, name: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sources')
    .select('id')
    .where('name', '=', name)
    .orderBy('created_at')
    .executeTakeFirst();
  return row?.id;
}

export interface MembershipChange {
  id: number;
  audienceId: string;
  profileId: string;
  kind: 'entered' | 'exited';
  at: string;
}

/** Audience entries and exits with an id above `afterId`, oldest first. */
export async function membershipChangesSince(
  db: Db,
  afterId: number,
  limit: number,
): Promise<MembershipChange[]> {
  const rows = await db
    .selectFrom('audience_membership_log')
    .select(['id', 'audience_id', 'profile_id', 'kind', 'at'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    audienceId: r.audience_id,
    profileId: r.profile_id,
    kind: r.kind === 'exited' ? 'exited' : 'entered',
    at: r.at,
  }));
}
