import { type Kysely, sql } from 'kysely';
import type { DB } from '../../../storage/schema.js';
import { tablesWith } from '../catalog.js';
import type { Participant } from '../participant.js';

/** Tables other participants erase themselves (with their own rules and bookkeeping). */
const handledElsewhere = new Set([
  'identity_profiles',
  'identity_identifiers',
  'identity_profile_events',
  'identity_merge_log',
  'identity_duplicates',
  'audience_members',
  'audience_membership_log',
  'audience_groups',
  'audience_trait_states',
  'destination_deliveries',
]);

async function profileTables(db: Kysely<DB>): Promise<string[]> {
  return (await tablesWith(db, 'profile_id')).filter((t) => !handledElsewhere.has(t));
}

const inProfiles = (ids: string[]) => sql`profile_id in (${sql.join(ids.length > 0 ? ids : [''])})`;

/**
 * Every other table keyed by profile: insights, predictions, recommendations, and whatever
 * comes next. Found from the catalog by its `profile_id` column, so a new feature's per-profile
 * rows are erased without registering anything.
 */
export const profileKeyedParticipant: Participant = {
  store: 'profile_keyed',
  async find(db, subject) {
    if (subject.profileIds.length === 0) return 0;
    let n = 0;
    for (const table of await profileTables(db)) {
      const row = await sql<{ n: number | string }>`
        select count(*) as n from ${sql.table(table)} where ${inProfiles(subject.profileIds)}`.execute(
        db,
      );
      n += Number(row.rows[0]?.n ?? 0);
    }
    return n;
  },
  async access(deps, subject) {
    const out: Record<string, unknown[]> = {};
    if (subject.profileIds.length === 0) return out;
    for (const table of await profileTables(deps.db)) {
      const rows = await sql<Record<string, unknown>>`
        select * from ${sql.table(table)} where ${inProfiles(subject.profileIds)}`.execute(deps.db);
      if (rows.rows.length > 0) out[table] = rows.rows;
    }
    return out;
  },
  async erase(deps, subject) {
    if (subject.profileIds.length === 0) return { affected: 0 };
    let affected = 0;
    const tables = await profileTables(deps.db);
    for (const table of tables) {
      const result = await sql`
        delete from ${sql.table(table)} where ${inProfiles(subject.profileIds)}`.execute(deps.db);
      affected += Number(result.numAffectedRows ?? 0n);
    }
    return { affected, detail: { tables } };
  },
};
