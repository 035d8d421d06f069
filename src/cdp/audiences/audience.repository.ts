import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import type { DB } from '../../storage/schema.js';
import type { TraitStateRow } from './audience.tables.js';

export type Db = Kysely<DB>;

/** Row locks and `skip locked` exist only on PostgreSQL (SQLite serializes writers anyway). */
export const onPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** The log consumer whose offset row doubles as the lock every audience writer takes. */
export const audienceConsumerName = 'audiences';

const chunks = <T>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

export { chunks };

/**
 * Serializes writers of audience state (the streaming consumer, window timers, backfills) and
 * returns the consumer's position. On PostgreSQL this is a row lock on the consumer's offset
 * row; SQLite serializes write transactions already. Call inside a transaction.
 */
export async function lockAudienceState(trx: Db, clock: Clock): Promise<number> {
  await trx
    .insertInto('log_offsets')
    .values({ consumer: audienceConsumerName, position: 0, updated_at: clock.now().toISOString() })
    .onConflict((oc) => oc.column('consumer').doNothing())
    .execute();
  let query = trx
    .selectFrom('log_offsets')
    .select('position')
    .where('consumer', '=', audienceConsumerName);
  if (onPostgres(trx)) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row?.position ?? 0;
}

export async function statesOf(db: Db, profileIds: string[]): Promise<TraitStateRow[]> {
  const out: TraitStateRow[] = [];
  for (const part of chunks(profileIds, 500)) {
    out.push(
      ...(await db
        .selectFrom('audience_trait_states')
        .selectAll()
        .where('profile_id', 'in', part)
        .execute()),
    );
  }
  return out;
}

export async function upsertStates(db: Db, rows: TraitStateRow[]): Promise<void> {
  for (const part of chunks(rows, 200)) {
    await db
      .insertInto('audience_trait_states')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['profile_id', 'trait_id']).doUpdateSet((eb) => ({
          state: eb.ref('excluded.state'),
          value: eb.ref('excluded.value'),
          expires_at: eb.ref('excluded.expires_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function deleteStates(db: Db, keys: { profileId: string; traitId: string }[]) {
  for (const part of chunks(keys, 200)) {
    await db
      .deleteFrom('audience_trait_states')
      .where((eb) =>
        eb.or(
          part.map((k) =>
            eb.and([eb('profile_id', '=', k.profileId), eb('trait_id', '=', k.traitId)]),
          ),
        ),
      )
      .execute();
  }
}

/** Events of the given profiles up to a log position, in log order. */
export async function historyOf(
  db: Db,
  profileIds: string[],
  uptoSeq: number,
  eventNames?: string[],
) {
  // `in ()` is a syntax error on PostgreSQL; no names means no matching event.
  if (profileIds.length === 0 || eventNames?.length === 0) return [];
  let query = db
    .selectFrom('identity_profile_events')
    .innerJoin('events', 'events.seq', 'identity_profile_events.seq')
    .select([
      'identity_profile_events.profile_id',
      'events.seq',
      'events.type',
      'events.event',
      'events.timestamp',
      'events.payload',
    ])
    .where('identity_profile_events.profile_id', 'in', profileIds)
    .where('events.seq', '<=', uptoSeq);
  if (eventNames) query = query.where('events.event', 'in', eventNames);
  return query.orderBy('events.seq').execute();
}

/** The current (not merged-away) profile of each log position. */
export async function profilesOfSeqs(db: Db, seqs: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const part of chunks(seqs, 500)) {
    const rows = await db
      .selectFrom('identity_profile_events')
      .select(['seq', 'profile_id'])
      .where('seq', 'in', part)
      .execute();
    for (const r of rows) out.set(r.seq, r.profile_id);
  }
  // Merges re-point events, but follow `merged_into` anyway in case a chain is still settling.
  let pending = [...new Set(out.values())];
  for (let hop = 0; hop < 16 && pending.length > 0; hop++) {
    const moved = new Map<string, string>();
    for (const part of chunks(pending, 500)) {
      const rows = await db
        .selectFrom('identity_profiles')
        .select(['id', 'merged_into'])
        .where('id', 'in', part)
        .where('merged_into', 'is not', null)
        .execute();
      for (const r of rows) if (r.merged_into) moved.set(r.id, r.merged_into);
    }
    for (const [seq, id] of out) {
      const to = moved.get(id);
      if (to) out.set(seq, to);
    }
    pending = [...new Set(moved.values())];
  }
  return out;
}

/** Profiles merged into the given ones that still hold audience state of their own. */
export async function absorbedWithState(db: Db, survivors: string[]) {
  const out: { id: string; survivor: string }[] = [];
  for (const part of chunks(survivors, 500)) {
    const rows = await db
      .selectFrom('identity_profiles')
      .select(['id', 'merged_into'])
      .where('merged_into', 'in', part)
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('audience_trait_states')
              .select('profile_id')
              .whereRef('audience_trait_states.profile_id', '=', 'identity_profiles.id'),
          ),
          eb.exists(
            eb
              .selectFrom('audience_members')
              .select('profile_id')
              .whereRef('audience_members.profile_id', '=', 'identity_profiles.id'),
          ),
        ]),
      )
      .execute();
    for (const r of rows) if (r.merged_into) out.push({ id: r.id, survivor: r.merged_into });
  }
  return out;
}

export async function profileTraits(
  db: Db,
  ids: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const part of chunks(ids, 500)) {
    const rows = await db
      .selectFrom('identity_profiles')
      .select(['id', 'traits'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.id, JSON.parse(r.traits) as Record<string, unknown>);
  }
  return out;
}

export async function membershipsOf(db: Db, ids: string[]) {
  const out: { audience_id: string; profile_id: string }[] = [];
  for (const part of chunks(ids, 500)) {
    out.push(
      ...(await db
        .selectFrom('audience_members')
        .select(['audience_id', 'profile_id'])
        .where('profile_id', 'in', part)
        .execute()),
    );
  }
  return out;
}

export async function groupsOf(db: Db, ids: string[]) {
  const out: { group_id: string; profile_id: string }[] = [];
  for (const part of chunks(ids, 500)) {
    out.push(
      ...(await db
        .selectFrom('audience_groups')
        .select(['group_id', 'profile_id'])
        .where('profile_id', 'in', part)
        .execute()),
    );
  }
  return out;
}

/** Members of groups, at most `cap` per group (account conditions stay bounded). */
export async function groupMembers(db: Db, groupIds: string[], cap: number) {
  const out: { group_id: string; profile_id: string }[] = [];
  for (const g of groupIds) {
    out.push(
      ...(await db
        .selectFrom('audience_groups')
        .select(['group_id', 'profile_id'])
        .where('group_id', '=', g)
        .orderBy('profile_id')
        .limit(cap)
        .execute()),
    );
  }
  return out;
}

export async function addGroups(
  db: Db,
  rows: { group_id: string; profile_id: string; joined_at: string }[],
) {
  for (const part of chunks(rows, 200)) {
    await db
      .insertInto('audience_groups')
      .values(part)
      .onConflict((oc) => oc.columns(['group_id', 'profile_id']).doNothing())
      .execute();
  }
}

/** Moves everything audience-related off merged-away profiles (their survivors are rebuilt). */
export async function dropProfiles(db: Db, ids: string[]): Promise<void> {
  for (const part of chunks(ids, 500)) {
    await db.deleteFrom('audience_trait_states').where('profile_id', 'in', part).execute();
    await db.deleteFrom('audience_groups').where('profile_id', 'in', part).execute();
  }
}

export async function clearGroups(db: Db, ids: string[]): Promise<void> {
  for (const part of chunks(ids, 500))
    await db.deleteFrom('audience_groups').where('profile_id', 'in', part).execute();
}

export interface NewMembershipChange {
  audienceId: string;
  profileId: string;
  kind: 'entered' | 'exited';
  at: string;
  seq: number | null;
  reason: string;
}

/** Records a membership change; returns the history row id (the change's idempotency key). */
export async function recordChange(db: Db, change: NewMembershipChange): Promise<number> {
  return (await recordChanges(db, [change]))[0] as number;
}

/**
 * Records membership changes in a few multi-row statements (members added and removed, one
 * size update per audience, history rows); returns the history row ids in input order. An
 * (audience, profile) pair may appear once per call.
 */
export async function recordChanges(db: Db, changes: NewMembershipChange[]): Promise<number[]> {
  if (changes.length === 0) return [];
  const entered = changes.filter((c) => c.kind === 'entered');
  for (const part of chunks(entered, 1000)) {
    await db
      .insertInto('audience_members')
      .values(
        part.map((c) => ({ audience_id: c.audienceId, profile_id: c.profileId, entered_at: c.at })),
      )
      .onConflict((oc) => oc.columns(['audience_id', 'profile_id']).doNothing())
      .execute();
  }
  const exitsByAudience = new Map<string, string[]>();
  const delta = new Map<string, number>();
  for (const c of changes) {
    delta.set(c.audienceId, (delta.get(c.audienceId) ?? 0) + (c.kind === 'entered' ? 1 : -1));
    if (c.kind === 'exited') {
      const list = exitsByAudience.get(c.audienceId) ?? [];
      list.push(c.profileId);
      exitsByAudience.set(c.audienceId, list);
    }
  }
  for (const [audienceId, profiles] of exitsByAudience) {
    for (const part of chunks(profiles, 1000)) {
      await db
        .deleteFrom('audience_members')
        .where('audience_id', '=', audienceId)
        .where('profile_id', 'in', part)
        .execute();
    }
  }
  for (const [audienceId, n] of delta) {
    if (n === 0) continue;
    await db
      .updateTable('audience_definitions')
      .set({ size: sql<number>`size + ${n}` })
      .where('id', '=', audienceId)
      .execute();
  }
  // Row order of RETURNING is unspecified on SQLite: ids are matched back by their pair.
  const ids = new Map<string, number>();
  for (const part of chunks(changes, 500)) {
    const rows = await db
      .insertInto('audience_membership_log')
      .values(
        part.map((c) => ({
          audience_id: c.audienceId,
          profile_id: c.profileId,
          kind: c.kind,
          at: c.at,
          seq: c.seq,
          reason: c.reason,
        })),
      )
      .returning(['id', 'audience_id', 'profile_id'])
      .execute();
    for (const r of rows) ids.set(`${r.audience_id}\u0000${r.profile_id}`, Number(r.id));
  }
  return changes.map((c) => ids.get(`${c.audienceId}\u0000${c.profileId}`) as number);
}

/** The earliest window expiry still pending (the timer's next wake-up). */
export async function nextExpiry(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('audience_trait_states')
    .select((eb) => eb.fn.min('expires_at').as('next'))
    .where('expires_at', 'is not', null)
    .executeTakeFirst();
  return row?.next ?? null;
}

export async function dueProfiles(db: Db, nowIso: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('audience_trait_states')
    .select('profile_id')
    .distinct()
    .where('expires_at', '<=', nowIso)
    .limit(limit)
    .execute();
  return rows.map((r) => r.profile_id);
}

/** Live profiles after `afterId`, in id order (for backfills and batch runs). */
export async function profilePage(db: Db, afterId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('identity_profiles')
    .select('id')
    .where('merged_into', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function countProfiles(db: Db): Promise<number> {
  const row = await db
    .selectFrom('identity_profiles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merged_into', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
