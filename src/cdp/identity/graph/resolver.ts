import type { Clock } from '../../../kernel/clock.js';
import { newId } from '../../../kernel/ids.js';
import { type ExternalId, externalIdsOf, idKey } from './external-ids.js';
import * as repo from './graph.repository.js';
import type { IdentityRules } from './rules.js';
import { applyTraits, mergeTraits, type TraitState, traitsOf } from './traits.js';

/** Two groups of identifiers an admin split apart: they may never share a profile again. */
export interface Separation {
  left: Set<string>;
  right: Set<string>;
}

export interface ResolverContext {
  rules: IdentityRules;
  separations: Separation[];
  /** Limit conflicts after which an identifier is treated as shared and stops merging. */
  sharedThreshold: number;
  /** Trait priority of each source that has one (others: 0). */
  sourcePriority: Map<string, number>;
  clock: Clock;
  /** Set while an unmerge rebuilds part of the graph by replaying its events. */
  rebuild?: {
    /** The profile each event originally created or joined: profiles get their IDs back. */
    originOf: Map<number, string>;
    /** `survivor>absorbed` pairs already in the merge log, not logged again. */
    loggedMerges: Set<string>;
  };
}

export interface EventToResolve {
  seq: number;
  sourceId?: string | undefined;
  timestamp: string;
  payload: Record<string, unknown>;
}

type Violation = { kind: 'limit'; type: string } | { kind: 'separation' };

/**
 * Places one event in the identity graph, Segment Unify style, inside the caller's
 * transaction. No profile matches: a new profile. One: the event joins it and adds its new
 * identifiers. Several: they merge. Before any merge or addition, the result is checked
 * against the per-type limits (one `user_id` per profile...) and the separations admins made;
 * a violation drops the event's lowest-priority identifier and matching is retried.
 * Applying an event twice is a no-op.
 */
export async function resolveEvent(
  db: repo.Db,
  ctx: ResolverContext,
  event: EventToResolve,
): Promise<string | undefined> {
  let ids = externalIdsOf(event.payload).filter((id) => !ctx.rules.isBlocked(id));
  if (!ctx.rebuild && (await repo.isEventAttached(db, event.seq))) return undefined;
  if (ids.length > 0) {
    await db
      .insertInto('identity_event_ids')
      .values(ids.map((id) => ({ seq: event.seq, type: id.type, value: id.value })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  if (Number.isFinite(ctx.sharedThreshold)) {
    const flagged = new Set(
      (await repo.sharedFlags(db, ids))
        .filter((f) => f.flagged_at !== null)
        .map((f) => `${f.type}:${f.value}`),
    );
    ids = ids.filter((id) => !flagged.has(idKey(id)));
  }
  if (ids.length === 0) return undefined;

  for (;;) {
    const matches = await repo.findIdentifiers(db, ids);
    const profileIds = [...new Set(matches.map((m) => m.profile_id))];
    const held = await repo.identifiersOfProfiles(db, profileIds);
    const violation = violationOf(ctx, held, ids, event.timestamp);
    if (violation && ids.length > 1) {
      const dropped = lowestPriority(ctx, ids);
      ids = ids.filter((id) => id !== dropped);
      // A limit conflict is how a shared identifier shows itself (one device, many users).
      if (violation.kind === 'limit') await countConflict(db, ctx, dropped);
      continue;
    }
    const profileId = await placeEvent(db, ctx, event, ids, profileIds);
    return profileId;
  }
}

function violationOf(
  ctx: ResolverContext,
  held: (ExternalId & { last_seen: string })[],
  incoming: ExternalId[],
  at: string,
): Violation | undefined {
  const identifiers = [...held, ...incoming];
  const distinct = new Map<string, Set<string>>();
  const count = (id: ExternalId) => {
    const values = distinct.get(id.type) ?? new Set<string>();
    values.add(id.value);
    distinct.set(id.type, values);
  };
  for (const id of held) {
    // With a window, values not seen for that long no longer count toward the limit; the
    // cut-off comes from the event's own time, so a replay decides the same way.
    const windowDays = ctx.rules.get(id.type).windowDays;
    if (
      windowDays === undefined ||
      id.last_seen >= new Date(Date.parse(at) - windowDays * 86_400_000).toISOString()
    )
      count(id);
  }
  for (const id of incoming) count(id);
  for (const [type, values] of distinct) {
    if (values.size > ctx.rules.get(type).maxPerProfile) return { kind: 'limit', type };
  }
  if (ctx.separations.length > 0) {
    const keys = new Set(identifiers.map(idKey));
    for (const separation of ctx.separations) {
      const touchesLeft = [...separation.left].some((k) => keys.has(k));
      if (touchesLeft && [...separation.right].some((k) => keys.has(k)))
        return { kind: 'separation' };
    }
  }
  return undefined;
}

/** The identifier that gives way first: highest priority number, then by type and value. */
function lowestPriority(ctx: ResolverContext, ids: ExternalId[]): ExternalId {
  return [...ids].sort((a, b) => {
    const byPriority = ctx.rules.get(b.type).priority - ctx.rules.get(a.type).priority;
    return byPriority !== 0 ? byPriority : idKey(b).localeCompare(idKey(a));
  })[0] as ExternalId;
}

async function countConflict(db: repo.Db, ctx: ResolverContext, id: ExternalId): Promise<void> {
  if (!Number.isFinite(ctx.sharedThreshold) || id.type === 'user_id') return;
  const now = ctx.clock.now().toISOString();
  await db
    .insertInto('identity_shared_identifiers')
    .values({
      type: id.type,
      value: id.value,
      conflicts: 1,
      flagged_at: ctx.sharedThreshold <= 1 ? now : null,
    })
    .onConflict((oc) =>
      oc.columns(['type', 'value']).doUpdateSet((eb) => ({
        conflicts: eb('identity_shared_identifiers.conflicts', '+', 1),
      })),
    )
    .execute();
  await db
    .updateTable('identity_shared_identifiers')
    .set({ flagged_at: now })
    .where('type', '=', id.type)
    .where('value', '=', id.value)
    .where('flagged_at', 'is', null)
    .where('conflicts', '>=', ctx.sharedThreshold)
    .execute();
}

async function placeEvent(
  db: repo.Db,
  ctx: ResolverContext,
  event: EventToResolve,
  ids: ExternalId[],
  matchedProfiles: string[],
): Promise<string> {
  const now = ctx.clock.now().toISOString();
  let profileId: string;
  if (matchedProfiles.length === 0) {
    // A rebuilt profile gets its original ID back — unless that ID is already taken again in
    // this rebuild (the event's first profile now holds other events): then a new one.
    const origin = ctx.rebuild?.originOf.get(event.seq);
    profileId =
      origin !== undefined && !(await repo.findProfile(db, origin)) ? origin : newId('profile');
    await db
      .insertInto('identity_profiles')
      .values({
        id: profileId,
        merged_into: null,
        created_at: now,
        updated_at: now,
        first_seen: event.timestamp,
        last_seen: event.timestamp,
        traits: '{}',
        trait_times: '{}',
      })
      .execute();
  } else {
    // The oldest profile (by the log position of its first event) survives: long-lived IDs
    // stay stable, and a replay picks the same survivor.
    const firstSeqs = await repo.firstEventSeqs(db, matchedProfiles);
    const profiles = [...matchedProfiles].sort(
      (a, b) =>
        (firstSeqs.get(a) ?? Number.MAX_SAFE_INTEGER) -
          (firstSeqs.get(b) ?? Number.MAX_SAFE_INTEGER) || a.localeCompare(b),
    );
    const [survivor, ...absorbed] = profiles;
    if (!survivor) throw new Error('matched profiles vanished');
    profileId = survivor;
    for (const other of absorbed) await mergeProfiles(db, ctx, survivor, other, event, ids);
  }

  const held = new Set((await repo.identifiersOfProfiles(db, [profileId])).map(idKey));
  const fresh = ids.filter((id) => !held.has(idKey(id)));
  if (fresh.length > 0) {
    await db
      .insertInto('identity_identifiers')
      .values(
        fresh.map((id) => ({
          type: id.type,
          value: id.value,
          profile_id: profileId,
          first_seen: event.timestamp,
          last_seen: event.timestamp,
          first_seq: event.seq,
        })),
      )
      .execute();
  }
  const known = ids.filter((id) => held.has(idKey(id)));
  for (const id of known) {
    await db
      .updateTable('identity_identifiers')
      .set({ last_seen: event.timestamp })
      .where('type', '=', id.type)
      .where('value', '=', id.value)
      .where('last_seen', '<', event.timestamp)
      .execute();
  }
  await db
    .insertInto('identity_profile_events')
    .values({
      seq: event.seq,
      profile_id: profileId,
      origin_profile_id: ctx.rebuild?.originOf.get(event.seq) ?? profileId,
      timestamp: event.timestamp,
    })
    .execute();

  const profile = await repo.findProfile(db, profileId);
  if (!profile) throw new Error(`profile ${profileId} vanished`);
  const priority = event.sourceId === undefined ? 0 : (ctx.sourcePriority.get(event.sourceId) ?? 0);
  const state = applyTraits(stateOf(profile), traitsOf(event.payload), event.timestamp, priority);
  await db
    .updateTable('identity_profiles')
    .set({
      traits: JSON.stringify(state.traits),
      trait_times: JSON.stringify(state.times),
      trait_priorities: JSON.stringify(state.priorities),
      first_seen: earliest(profile.first_seen, event.timestamp),
      last_seen: latest(profile.last_seen, event.timestamp),
      updated_at: now,
    })
    .where('id', '=', profileId)
    .execute();
  return profileId;
}

function stateOf(profile: {
  traits: string;
  trait_times: string;
  trait_priorities: string;
}): TraitState {
  return {
    traits: JSON.parse(profile.traits),
    times: JSON.parse(profile.trait_times),
    priorities: JSON.parse(profile.trait_priorities),
  };
}

async function mergeProfiles(
  db: repo.Db,
  ctx: ResolverContext,
  survivorId: string,
  absorbedId: string,
  event: EventToResolve,
  linking: ExternalId[],
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const [survivor, absorbed] = await Promise.all([
    repo.findProfile(db, survivorId),
    repo.findProfile(db, absorbedId),
  ]);
  if (!survivor || !absorbed) throw new Error('merge of a missing profile');
  const [survivorIds, absorbedIds] = await Promise.all([
    repo.identifiersOfProfiles(db, [survivorId]),
    repo.identifiersOfProfiles(db, [absorbedId]),
  ]);
  await db
    .updateTable('identity_identifiers')
    .set({ profile_id: survivorId })
    .where('profile_id', '=', absorbedId)
    .execute();
  await db
    .updateTable('identity_profile_events')
    .set({ profile_id: survivorId })
    .where('profile_id', '=', absorbedId)
    .execute();
  await db
    .updateTable('identity_profiles')
    .set({ merged_into: survivorId, updated_at: now })
    .where('merged_into', '=', absorbedId)
    .execute();
  const traits = mergeTraits(stateOf(survivor), stateOf(absorbed));
  await db
    .updateTable('identity_profiles')
    .set({
      traits: JSON.stringify(traits.traits),
      trait_times: JSON.stringify(traits.times),
      trait_priorities: JSON.stringify(traits.priorities),
      first_seen: earliest(survivor.first_seen, absorbed.first_seen),
      last_seen: latest(survivor.last_seen, absorbed.last_seen),
      updated_at: now,
    })
    .where('id', '=', survivorId)
    .execute();
  await db
    .updateTable('identity_profiles')
    .set({
      merged_into: survivorId,
      traits: '{}',
      trait_times: '{}',
      trait_priorities: '{}',
      updated_at: now,
    })
    .where('id', '=', absorbedId)
    .execute();
  const pair = `${survivorId}>${absorbedId}`;
  if (ctx.rebuild?.loggedMerges.has(pair)) return;
  const absorbedKeys = new Set(absorbedIds.map(idKey));
  await db
    .insertInto('identity_merge_log')
    .values({
      id: newId('merge'),
      kind: 'merge',
      profile_id: survivorId,
      other_profile_id: absorbedId,
      seq: event.seq,
      reason: JSON.stringify({
        rule: 'shared identifiers',
        event: { seq: event.seq, messageId: event.payload.messageId ?? null },
        linking: linking
          .map(idKey)
          .filter((k) => absorbedKeys.has(k) || survivorIds.some((s) => idKey(s) === k)),
        survivorIdentifiers: survivorIds.map(idKey),
        absorbedIdentifiers: absorbedIds.map(idKey),
      }),
      created_at: now,
      reversed_by: null,
    })
    .execute();
}

/** ISO-8601 UTC times compare correctly as text. */
const earliest = (a: string, b: string) => (a < b ? a : b);
const latest = (a: string, b: string) => (a > b ? a : b);
