import type { Kysely } from 'kysely';
import { resolveProfileId } from '../../cdp/profiles/index.js';
import type { DB } from '../../storage/schema.js';

export interface Identifier {
  type: string;
  value: string;
}

/** The person a request is about, as far as Triad knows them. */
export interface Subject {
  /** The identifier the request named. */
  identity: Identifier;
  /** The unified profile and every profile merged into it (merged-away IDs hold data too). */
  profileIds: string[];
  /** Every identifier of those profiles, plus the requested one. */
  identifiers: Identifier[];
  /** The request being processed (its own record is not "earlier data" about the person). */
  requestId?: string | undefined;
}

/** Identifier types a request may name (those the identity graph and the CRM key people by). */
export const requestIdentityTypes = [
  'email',
  'user_id',
  'anonymous_id',
  'phone',
  'device_id',
  'advertising_id',
  'dmp_id',
  'profile_id',
] as const;
export type RequestIdentityType = (typeof requestIdentityTypes)[number];

/** The form identifiers are stored in: e-mails lower-cased, everything trimmed. */
export function normalizeRequestIdentity(identity: Identifier): Identifier {
  const value = identity.value.trim();
  return { type: identity.type, value: identity.type === 'email' ? value.toLowerCase() : value };
}

/**
 * Finds the person through the identity graph: the profile holding the identifier, the profile
 * it was merged into, every profile merged into that one, and all of their identifiers. An
 * identifier the graph does not know is still a subject on its own (CRM or consent records may
 * hold it).
 */
export async function resolveSubject(db: Kysely<DB>, identity: Identifier): Promise<Subject> {
  const given = normalizeRequestIdentity(identity);
  let start: string | undefined;
  if (given.type === 'profile_id') start = await resolveProfileId(db, given.value);
  else {
    const row = await db
      .selectFrom('identity_identifiers')
      .select('profile_id')
      .where('type', '=', given.type)
      .where('value', '=', given.value)
      .executeTakeFirst();
    start = row ? ((await resolveProfileId(db, row.profile_id)) ?? row.profile_id) : undefined;
  }
  const profileIds = start ? await withMergedAway(db, start) : [];
  const identifiers: Identifier[] = given.type === 'profile_id' ? [] : [given];
  const seen = new Set(identifiers.map(keyOf));
  if (profileIds.length > 0) {
    const rows = await db
      .selectFrom('identity_identifiers')
      .select(['type', 'value'])
      .where('profile_id', 'in', profileIds)
      .execute();
    for (const row of rows) {
      const id = { type: row.type, value: row.value };
      if (seen.has(keyOf(id))) continue;
      seen.add(keyOf(id));
      identifiers.push(id);
    }
  }
  return { identity: given, profileIds, identifiers };
}

const keyOf = (id: Identifier) => `${id.type}\u0000${id.value}`;

/** The profile and everything merged into it, transitively. */
async function withMergedAway(db: Kysely<DB>, profileId: string): Promise<string[]> {
  const all = new Set([profileId]);
  let frontier = [profileId];
  while (frontier.length > 0) {
    const rows = await db
      .selectFrom('identity_profiles')
      .select('id')
      .where('merged_into', 'in', frontier)
      .execute();
    frontier = rows.map((r) => r.id).filter((id) => !all.has(id));
    for (const id of frontier) all.add(id);
  }
  return [...all];
}

/** Identifier values of the given types. */
export function valuesOf(subject: Subject, ...types: string[]): string[] {
  return subject.identifiers.filter((id) => types.includes(id.type)).map((id) => id.value);
}

/**
 * Identifier values specific enough to search free text for (payloads, CRM properties): short
 * values such as a numeric user ID `42` would match unrelated data.
 */
export function searchableValues(subject: Subject): string[] {
  return [...new Set(subject.identifiers.map((id) => id.value).filter((v) => v.length >= 6))];
}
