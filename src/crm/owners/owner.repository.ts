import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

export function listUserRows(
  db: Kysely<DB>,
  opts: {
    after?: string | undefined;
    limit: number;
    archived: boolean;
    email?: string | undefined;
  },
) {
  let query = db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'created_at', 'updated_at', 'disabled_at'])
    .where('disabled_at', opts.archived ? 'is not' : 'is', null)
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after) query = query.where('id', '>', opts.after);
  if (opts.email) query = query.where('email', '=', opts.email);
  return query.execute();
}

export function findUserRow(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'created_at', 'updated_at', 'disabled_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function existingUserIds(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select('id').where('id', 'in', ids).execute();
}

/** Teams of the given users, with the membership flag. */
export function membershipsOf(db: Kysely<DB>, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('crm_team_members')
    .innerJoin('crm_teams', 'crm_teams.id', 'crm_team_members.team_id')
    .select([
      'crm_team_members.user_id',
      'crm_team_members.is_primary',
      'crm_teams.id',
      'crm_teams.name',
    ])
    .where('crm_team_members.user_id', 'in', userIds)
    .orderBy('crm_teams.id')
    .execute();
}

export function listTeamRows(db: Kysely<DB>) {
  return db.selectFrom('crm_teams').selectAll().orderBy('id').execute();
}

export function findTeamRow(db: Kysely<DB>, id: number) {
  return db.selectFrom('crm_teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findTeamByName(db: Kysely<DB>, name: string) {
  return db.selectFrom('crm_teams').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function insertTeam(db: Kysely<DB>, name: string, now: string): Promise<number> {
  const row = await db
    .insertInto('crm_teams')
    .values({ name, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export function updateTeamRow(db: Kysely<DB>, id: number, name: string, now: string) {
  return db.updateTable('crm_teams').set({ name, updated_at: now }).where('id', '=', id).execute();
}

export async function deleteTeamRow(db: Kysely<DB>, id: number) {
  await db.deleteFrom('crm_team_members').where('team_id', '=', id).execute();
  await db.deleteFrom('crm_teams').where('id', '=', id).execute();
}

export function membersOf(db: Kysely<DB>, teamIds: number[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('crm_team_members')
    .selectAll()
    .where('team_id', 'in', teamIds)
    .orderBy('user_id')
    .execute();
}

export async function replaceMembers(
  db: Kysely<DB>,
  teamId: number,
  members: { userId: string; primary: boolean }[],
) {
  await db.deleteFrom('crm_team_members').where('team_id', '=', teamId).execute();
  if (members.length === 0) return;
  await db
    .insertInto('crm_team_members')
    .values(
      members.map((m) => ({ team_id: teamId, user_id: m.userId, is_primary: m.primary ? 1 : 0 })),
    )
    .execute();
}

/** Every user sharing a team with this user (the user included). */
export async function teammatesOf(db: Kysely<DB>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('crm_team_members as mine')
    .innerJoin('crm_team_members as other', 'other.team_id', 'mine.team_id')
    .select('other.user_id')
    .distinct()
    .where('mine.user_id', '=', userId)
    .execute();
  return [...new Set([userId, ...rows.map((r) => r.user_id)])];
}

export function listVisibilityRows(db: Kysely<DB>) {
  return db.selectFrom('crm_visibility').selectAll().execute();
}

export function findVisibilityRow(db: Kysely<DB>, role: string) {
  return db.selectFrom('crm_visibility').selectAll().where('role', '=', role).executeTakeFirst();
}

export function upsertVisibility(db: Kysely<DB>, role: string, scope: string, now: string) {
  return db
    .insertInto('crm_visibility')
    .values({ role, scope, updated_at: now })
    .onConflict((oc) => oc.column('role').doUpdateSet({ scope, updated_at: now }))
    .execute();
}

export type TeamRows = Awaited<ReturnType<typeof listTeamRows>>;

/** One page of a type's records owned by any of `ownerIds`, in id order (keyset). */
export function listOwnedObjectRows(
  db: Kysely<DB>,
  opts: {
    type: string;
    archived: boolean;
    after: number | undefined;
    limit: number;
    ownerIds: string[];
  },
) {
  let query = db
    .selectFrom('crm_objects')
    .selectAll()
    .where('object_type', '=', opts.type)
    .where('owner_id', 'in', opts.ownerIds)
    .where('archived', '=', opts.archived ? 1 : 0)
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after !== undefined) query = query.where('id', '>', opts.after);
  return query.execute();
}
