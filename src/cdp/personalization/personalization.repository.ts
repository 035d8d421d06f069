import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

type Db = Kysely<DB>;

export async function existingAudienceKeys(db: Db, keys: string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('audience_definitions')
    .select('key')
    .where('key', 'in', keys)
    .execute();
  return new Set(rows.map((r) => r.key));
}

/** What personalization reads of a profile: traits, identifiers (consent subjects), audiences. */
export async function profileFacts(db: Db, profileId: string) {
  const [profile, identifiers, audiences] = await Promise.all([
    db
      .selectFrom('identity_profiles')
      .select('traits')
      .where('id', '=', profileId)
      .executeTakeFirst(),
    db
      .selectFrom('identity_identifiers')
      .select(['type', 'value'])
      .where('profile_id', '=', profileId)
      .execute(),
    db
      .selectFrom('audience_members')
      .innerJoin('audience_definitions', 'audience_definitions.id', 'audience_members.audience_id')
      .select('audience_definitions.key')
      .where('audience_members.profile_id', '=', profileId)
      .orderBy('audience_definitions.key')
      .execute(),
  ]);
  if (!profile) return undefined;
  return {
    traits: JSON.parse(profile.traits) as Record<string, unknown>,
    identifiers: identifiers.map((i) => ({ type: i.type, value: i.value })),
    audiences: audiences.map((a) => a.key),
  };
}
