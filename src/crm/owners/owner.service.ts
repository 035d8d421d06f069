import type { Kysely } from 'kysely';
import type { Principal, Role } from '../../access/roles.js';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, conflict, notFound } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import * as repo from './owner.repository.js';

/** HubSpot's owner shape, built from a Triad user. */
export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: string;
  teams: { id: string; name: string; primary: boolean }[];
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Team {
  id: string;
  name: string;
  members: { userId: string; primary: boolean }[];
  createdAt: string;
  updatedAt: string;
}

type UserRow = Awaited<ReturnType<typeof repo.findUserRow>> & object;

/** Users have one display name; HubSpot wants first and last: split on the first space. */
function splitName(name: string | null): { firstName: string; lastName: string } {
  const trimmed = (name ?? '').trim();
  const space = trimmed.indexOf(' ');
  if (space < 0) return { firstName: trimmed, lastName: '' };
  return { firstName: trimmed.slice(0, space), lastName: trimmed.slice(space + 1).trim() };
}

async function toOwners(db: Kysely<DB>, users: UserRow[]): Promise<Owner[]> {
  const memberships = await repo.membershipsOf(
    db,
    users.map((u) => u.id),
  );
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    ...splitName(u.name),
    userId: u.id,
    teams: memberships
      .filter((m) => m.user_id === u.id)
      .map((m) => ({ id: String(m.id), name: m.name, primary: m.is_primary === 1 })),
    archived: u.disabled_at !== null,
    createdAt: u.created_at,
    updatedAt: u.updated_at,
  }));
}

export async function listOwners(
  deps: Pick<Deps, 'db'>,
  opts: {
    after?: string | undefined;
    limit: number;
    archived: boolean;
    email?: string | undefined;
  },
): Promise<{ owners: Owner[]; after: string | undefined }> {
  const rows = await repo.listUserRows(deps.db, {
    ...opts,
    email: opts.email?.trim().toLowerCase(),
  });
  const page = rows.slice(0, opts.limit);
  return {
    owners: await toOwners(deps.db, page),
    after: rows.length > opts.limit ? page.at(-1)?.id : undefined,
  };
}

export async function getOwner(deps: Pick<Deps, 'db'>, id: string): Promise<Owner> {
  const row = await repo.findUserRow(deps.db, id);
  if (!row) {
    throw new AppError('not_found', `No owner with id ${id}`, [
      { field: 'ownerId', message: `${id} was not found` },
    ]);
  }
  const [owner] = await toOwners(deps.db, [row]);
  if (!owner) throw notFound(`owner ${id}`);
  return owner;
}

// Teams

export interface TeamInput {
  name: string;
  members: { userId: string; primary?: boolean | undefined }[];
}

function parseTeamId(raw: string): number {
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id)) throw notFound(`team ${raw}`);
  return id;
}

async function checkMembers(
  db: Kysely<DB>,
  members: TeamInput['members'],
): Promise<{ userId: string; primary: boolean }[]> {
  const ids = [...new Set(members.map((m) => m.userId))];
  if (ids.length !== members.length) {
    throw new AppError('bad_request', 'A user is listed twice', [
      { field: 'members', message: 'each user may appear once' },
    ]);
  }
  const known = new Set((await repo.existingUserIds(db, ids)).map((r) => r.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new AppError(
      'bad_request',
      `Unknown users: ${unknown.join(', ')}`,
      unknown.map((id) => ({ field: 'members', message: `${id} is not a Triad user` })),
    );
  }
  return members.map((m) => ({ userId: m.userId, primary: m.primary ?? false }));
}

async function teamsWithMembers(db: Kysely<DB>, rows: repo.TeamRows): Promise<Team[]> {
  const members = await repo.membersOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    members: members
      .filter((m) => Number(m.team_id) === Number(r.id))
      .map((m) => ({ userId: m.user_id, primary: m.is_primary === 1 })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export async function listTeams(deps: Pick<Deps, 'db'>): Promise<Team[]> {
  return teamsWithMembers(deps.db, await repo.listTeamRows(deps.db));
}

export async function getTeam(deps: Pick<Deps, 'db'>, rawId: string): Promise<Team> {
  const row = await repo.findTeamRow(deps.db, parseTeamId(rawId));
  if (!row) throw notFound(`team ${rawId}`);
  const [team] = await teamsWithMembers(deps.db, [row]);
  if (!team) throw notFound(`team ${rawId}`);
  return team;
}

export async function createTeam(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: TeamInput,
): Promise<Team> {
  const id = await deps.db.transaction().execute(async (trx) => {
    if (await repo.findTeamByName(trx, input.name)) {
      throw conflict(`A team named ${input.name} exists`);
    }
    const members = await checkMembers(trx, input.members);
    const teamId = await repo.insertTeam(trx, input.name, iso(deps.clock.now()));
    await repo.replaceMembers(trx, teamId, members);
    return teamId;
  });
  return getTeam(deps, String(id));
}

export async function updateTeam(
  deps: Pick<Deps, 'db' | 'clock'>,
  rawId: string,
  input: Partial<TeamInput>,
): Promise<Team> {
  const id = parseTeamId(rawId);
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.findTeamRow(trx, id);
    if (!row) throw notFound(`team ${rawId}`);
    const name = input.name ?? row.name;
    const other = await repo.findTeamByName(trx, name);
    if (other && Number(other.id) !== id) throw conflict(`A team named ${name} exists`);
    await repo.updateTeamRow(trx, id, name, iso(deps.clock.now()));
    if (input.members) await repo.replaceMembers(trx, id, await checkMembers(trx, input.members));
  });
  return getTeam(deps, rawId);
}

export async function deleteTeam(deps: Pick<Deps, 'db'>, rawId: string): Promise<void> {
  const id = parseTeamId(rawId);
  if (!(await repo.findTeamRow(deps.db, id))) throw notFound(`team ${rawId}`);
  await repo.deleteTeamRow(deps.db, id);
}

// Visibility

export const visibilityScopes = ['own', 'team', 'all'] as const;
export type VisibilitySetting = (typeof visibilityScopes)[number];
/** Roles whose record reads can be narrowed to their own or their teams' records. */
export const scopedRoles = ['sales', 'support', 'marketer'] as const satisfies readonly Role[];
export type ScopedRole = (typeof scopedRoles)[number];

export async function getVisibility(
  deps: Pick<Deps, 'db'>,
): Promise<Record<ScopedRole, VisibilitySetting>> {
  const rows = await repo.listVisibilityRows(deps.db);
  const out = Object.fromEntries(scopedRoles.map((r) => [r, 'all'])) as Record<
    ScopedRole,
    VisibilitySetting
  >;
  for (const row of rows) {
    if ((scopedRoles as readonly string[]).includes(row.role)) {
      out[row.role as ScopedRole] = row.scope as VisibilitySetting;
    }
  }
  return out;
}

export async function setVisibility(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: Partial<Record<ScopedRole, VisibilitySetting>>,
): Promise<Record<ScopedRole, VisibilitySetting>> {
  const now = iso(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    for (const role of scopedRoles) {
      const scope = input[role];
      if (scope !== undefined) await repo.upsertVisibility(trx, role, scope, now);
    }
  });
  return getVisibility(deps);
}

/**
 * The records a principal may see, as owner ids. Only people signed in with a session have a
 * user id to compare with `hubspot_owner_id`; API tokens belong to no user, so they always
 * see every record their role may read.
 */
export type VisibilityScope = { kind: 'all' } | { kind: 'owners'; ownerIds: string[] };

export async function scopeOf(db: Kysely<DB>, principal: Principal): Promise<VisibilityScope> {
  if (principal.kind !== 'user' || principal.role === 'admin') return { kind: 'all' };
  const row = await repo.findVisibilityRow(db, principal.role);
  if (!row || row.scope === 'all') return { kind: 'all' };
  if (row.scope === 'own') return { kind: 'owners', ownerIds: [principal.id] };
  return { kind: 'owners', ownerIds: await repo.teammatesOf(db, principal.id) };
}

/** Whether a record with this owner is visible within the scope. */
export function inScope(scope: VisibilityScope, ownerId: string | undefined): boolean {
  return scope.kind === 'all' || (ownerId !== undefined && scope.ownerIds.includes(ownerId));
}
