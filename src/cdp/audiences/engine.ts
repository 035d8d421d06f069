import {
  type AggregateEvent,
  applyEvent,
  emptyState,
  expiresAt,
  isEmpty,
  prune,
  type TraitSpec,
  type TraitState,
  traitMatches,
  traitValue,
} from './aggregates.js';
import * as repo from './audience.repository.js';
import type { TraitStateRow } from './audience.tables.js';
import { evaluate, type ProfileFacts } from './evaluate.js';
import type { AudienceInfo, AudienceModel } from './model.js';

/**
 * The per-profile step shared by streaming, window timers, backfills and recomputes: fold new
 * events (or a profile's whole history) into trait states, drop what left rolling windows,
 * then re-evaluate audiences and record entries and exits. Callers own the transaction and
 * hold the audience lock (`lockAudienceState`), so each step is applied exactly once.
 */

/** Pseudo-trait holding the latest `context.consent.categoryPreferences` seen on a profile. */
export const consentTraitId = '$consent';
const maxAccountSize = 1000;

export interface EngineEvent extends AggregateEvent {
  payload: Record<string, unknown>;
}

export interface UpdateInput {
  now: Date;
  /** New events per profile, in log order. */
  events: Map<string, EngineEvent[]>;
  /** Profiles whose state is recomputed from their history up to `uptoSeq`. */
  rebuild: Set<string>;
  /** Restricts a rebuild to these traits (a backfill); default: everything. */
  rebuildTraits?: TraitSpec[];
  uptoSeq: number;
  /** Audiences to evaluate; default: real-time audiences that finished their backfill. */
  evaluate?: (a: AudienceInfo) => boolean;
  /** Why memberships changed, recorded in the history (`event`, `window`, `backfill`...). */
  reason: string;
}

export interface MembershipChange {
  logId: number;
  audienceId: string;
  audienceKey: string;
  audienceName: string;
  profileId: string;
  kind: 'entered' | 'exited';
  at: string;
  seq: number | null;
}

/**
 * A (profile, trait) pair in the step. Stored states are parsed only when an event, a rebuild or
 * an expired window touches them; an untouched slot keeps its stored value and is not written.
 */
interface Slot {
  spec: TraitSpec | undefined;
  /** Undefined until parsed from `before`. */
  state: TraitState | undefined;
  before: TraitStateRow | undefined;
  touched: boolean;
}

function stateOf(slot: Slot): TraitState {
  if (slot.state === undefined)
    slot.state = slot.before ? (JSON.parse(slot.before.state) as TraitState) : (null as never);
  slot.touched = true;
  return slot.state;
}

const defaultSelection = (a: AudienceInfo) => a.mode === 'realtime' && a.status === 'ready';

type ConsentState = { at: number; seq: number; prefs: unknown };

function foldConsent(slot: Slot, e: EngineEvent): void {
  const context = e.payload.context as { consent?: { categoryPreferences?: unknown } } | undefined;
  const prefs = context?.consent?.categoryPreferences;
  if (typeof prefs !== 'object' || prefs === null) return;
  const current = stateOf(slot) as unknown as ConsentState | null;
  if (current && (current.at > e.at || (current.at === e.at && current.seq > e.seq))) return;
  slot.state = { at: e.at, seq: e.seq, prefs } as unknown as TraitState;
}

/** Traits by the event name they can match, and those matching every name. */
interface TraitIndex {
  named: Map<string, TraitSpec[]>;
  any: TraitSpec[];
}

function indexTraits(traits: TraitSpec[]): TraitIndex {
  const index: TraitIndex = { named: new Map(), any: [] };
  const add = (name: string, spec: TraitSpec) => {
    const list = index.named.get(name) ?? [];
    if (!list.includes(spec)) list.push(spec);
    index.named.set(name, list);
  };
  for (const spec of traits) {
    if (spec.kind === 'funnel') {
      add(spec.first.event, spec);
      add(spec.second.event, spec);
    } else if (spec.event === undefined) index.any.push(spec);
    else add(spec.event, spec);
  }
  return index;
}

/** Folds events into a profile's slots (consent and every trait they match). */
function foldEvents(
  slots: Map<string, Slot>,
  traits: TraitIndex,
  events: EngineEvent[],
  now: number,
  withConsent: boolean,
): void {
  for (const e of events) {
    if (withConsent) {
      let slot = slots.get(consentTraitId);
      if (!slot) {
        slot = { spec: undefined, state: null as never, before: undefined, touched: false };
        slots.set(consentTraitId, slot);
      }
      foldConsent(slot, e);
    }
    if (e.type !== 'track') continue;
    const named = e.event === null ? undefined : traits.named.get(e.event);
    for (const list of named ? [named, traits.any] : [traits.any]) {
      for (const spec of list) {
        if (!traitMatches(spec, e)) continue;
        let slot = slots.get(spec.id);
        if (!slot) {
          slot = { spec, state: emptyState(spec), before: undefined, touched: true };
          slots.set(spec.id, slot);
        }
        applyEvent(spec, stateOf(slot), e, now);
      }
    }
  }
}

const toEngineEvent = (row: {
  seq: number;
  type: string;
  event: string | null;
  timestamp: string;
  payload: string;
}): EngineEvent => {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  const props = payload.properties;
  return {
    seq: row.seq,
    type: row.type,
    event: row.event,
    at: Date.parse(row.timestamp),
    properties:
      typeof props === 'object' && props !== null ? (props as Record<string, unknown>) : {},
    payload,
  };
};

export { toEngineEvent };

const groupIdOf = (e: EngineEvent): string | undefined => {
  const g = e.payload.groupId;
  return e.type === 'group' && (typeof g === 'string' || typeof g === 'number') && String(g) !== ''
    ? String(g)
    : undefined;
};

/**
 * Applies new events and rebuilds to profiles, re-evaluates the selected audiences for them
 * (and for their account co-members when account conditions exist) and records changes.
 */
export async function updateProfiles(
  trx: repo.Db,
  model: AudienceModel,
  input: UpdateInput,
): Promise<{ changes: MembershipChange[]; facts: Map<string, ProfileFacts> }> {
  const now = input.now.getTime();
  const nowIso = input.now.toISOString();
  const profiles = [...new Set([...input.events.keys(), ...input.rebuild])];
  const allTraits = [...model.traits.values()];

  // 1. Current states.
  const slotsOf = new Map<string, Map<string, Slot>>();
  for (const id of profiles) slotsOf.set(id, new Map());
  for (const row of await repo.statesOf(trx, profiles)) {
    const spec = model.traits.get(row.trait_id);
    const slots = slotsOf.get(row.profile_id);
    if (!slots) continue;
    // States of deleted traits are dropped on the next write of this profile.
    slots.set(row.trait_id, {
      spec: row.trait_id === consentTraitId ? undefined : spec,
      state: undefined,
      before: row,
      touched: false,
    });
  }

  // 2. Rebuilds: reset the traits concerned and fold the history back in.
  const rebuildList = [...input.rebuild];
  if (rebuildList.length > 0) {
    const full = input.rebuildTraits === undefined;
    const specs = input.rebuildTraits ?? allTraits;
    for (const id of rebuildList) {
      const slots = slotsOf.get(id) ?? new Map<string, Slot>();
      for (const spec of specs) {
        const slot = slots.get(spec.id);
        if (slot) {
          slot.state = emptyState(spec);
          slot.touched = true;
        }
      }
      if (full) {
        const consent = slots.get(consentTraitId);
        if (consent) {
          consent.state = null as never;
          consent.touched = true;
        }
      }
    }
    if (full) await repo.clearGroups(trx, rebuildList);
    const names = full ? undefined : eventNamesOf(specs);
    const specIndex = indexTraits(specs);
    const groups: { group_id: string; profile_id: string; joined_at: string }[] = [];
    // No trait left to rebuild (deleted while its backfill ran): there is no history to read.
    const parts = names?.length === 0 ? [] : repo.chunks(rebuildList, 100);
    for (const part of parts) {
      const rows = await repo.historyOf(trx, part, input.uptoSeq, names);
      const byProfile = new Map<string, EngineEvent[]>();
      for (const row of rows) {
        const e = toEngineEvent(row);
        const list = byProfile.get(row.profile_id) ?? [];
        list.push(e);
        byProfile.set(row.profile_id, list);
        const g = full ? groupIdOf(e) : undefined;
        if (g) groups.push({ group_id: g, profile_id: row.profile_id, joined_at: row.timestamp });
      }
      for (const [id, events] of byProfile) {
        const slots = slotsOf.get(id);
        if (slots) foldEvents(slots, specIndex, events, now, full);
      }
    }
    await repo.addGroups(trx, groups);
  }

  // 3. New events.
  const groups: { group_id: string; profile_id: string; joined_at: string }[] = [];
  const allIndex = indexTraits(allTraits);
  for (const [id, events] of input.events) {
    const slots = slotsOf.get(id);
    if (slots) foldEvents(slots, allIndex, events, now, true);
    for (const e of events) {
      const g = groupIdOf(e);
      if (g) groups.push({ group_id: g, profile_id: id, joined_at: new Date(e.at).toISOString() });
    }
  }
  await repo.addGroups(trx, groups);

  // 4. Prune windows, compute values, write what changed.
  const upserts: TraitStateRow[] = [];
  const deletes: { profileId: string; traitId: string }[] = [];
  const values = new Map<string, Map<string, unknown>>();
  for (const [profileId, slots] of slotsOf) {
    const vals = new Map<string, unknown>();
    values.set(profileId, vals);
    for (const [traitId, slot] of slots) {
      const before = slot.before;
      // Untouched, and no window entry has expired since it was written: the stored value
      // still holds (a rebuilt or folded slot, or an expired window, takes the full path).
      if (
        !slot.touched &&
        before &&
        (slot.spec || traitId === consentTraitId) &&
        (before.expires_at === null || before.expires_at > nowIso)
      ) {
        vals.set(traitId, JSON.parse(before.value) as unknown);
        continue;
      }
      if (traitId === consentTraitId) {
        const consent = stateOf(slot) as unknown as ConsentState | null;
        if (consent) vals.set(traitId, consent.prefs);
        writeSlot(
          slot,
          profileId,
          traitId,
          consent ? JSON.stringify(consent) : null,
          consent?.prefs,
          null,
        );
        continue;
      }
      const spec = slot.spec;
      if (!spec) {
        deletes.push({ profileId, traitId });
        continue;
      }
      const state = stateOf(slot);
      prune(spec, state, now);
      const empty = isEmpty(spec, state);
      const value = traitValue(spec, state);
      if (!empty) vals.set(traitId, value);
      const expiry = expiresAt(spec, state);
      writeSlot(
        slot,
        profileId,
        traitId,
        empty ? null : JSON.stringify(state),
        value,
        expiry === null ? null : new Date(expiry).toISOString(),
      );
    }
  }
  function writeSlot(
    slot: Slot,
    profileId: string,
    traitId: string,
    state: string | null,
    value: unknown,
    expires: string | null,
  ) {
    if (state === null) {
      if (slot.before) deletes.push({ profileId, traitId });
      return;
    }
    if (slot.before?.state === state && slot.before.expires_at === expires) return;
    upserts.push({
      profile_id: profileId,
      trait_id: traitId,
      state,
      value: JSON.stringify(value ?? null),
      expires_at: expires,
      updated_at: nowIso,
    });
  }
  await repo.deleteStates(trx, deletes);
  await repo.upsertStates(trx, upserts);

  // 5. Audiences.
  const select = input.evaluate ?? defaultSelection;
  const selected = model.audiences.filter(select);
  const { facts, targets: accountTargets } = await loadFacts(trx, model, profiles, values);
  if (selected.length === 0) return { changes: [], facts };
  // A user's change can move every user of their accounts in or out.
  const targets = selected.some((a) => a.accounts) ? accountTargets : profiles;
  const firstSeq = new Map<string, number>();
  for (const [id, events] of input.events) {
    const first = events[0];
    if (first) firstSeq.set(id, first.seq);
  }
  // Memberships read by later audiences ("in audience") are updated in `facts` as we go; the
  // changes are written together once every audience has been evaluated.
  const found: { audience: AudienceInfo; change: repo.NewMembershipChange }[] = [];
  for (const audience of selected) {
    for (const profileId of targets) {
      const f = facts.get(profileId);
      if (!f) continue;
      const inside = evaluate(audience.compiled, f, model.defaults);
      if (inside === f.members.has(audience.id)) continue;
      if (inside) f.members.add(audience.id);
      else f.members.delete(audience.id);
      found.push({
        audience,
        change: {
          audienceId: audience.id,
          profileId,
          kind: inside ? 'entered' : 'exited',
          at: nowIso,
          seq: firstSeq.get(profileId) ?? null,
          reason: input.reason,
        },
      });
    }
  }
  const logIds = await repo.recordChanges(
    trx,
    found.map((x) => x.change),
  );
  const changes: MembershipChange[] = found.map(({ audience, change }, i) => ({
    logId: logIds[i] as number,
    audienceId: audience.id,
    audienceKey: audience.key,
    audienceName: audience.name,
    profileId: change.profileId,
    kind: change.kind,
    at: nowIso,
    seq: change.seq,
  }));
  return { changes, facts };
}

function eventNamesOf(specs: TraitSpec[]): string[] | undefined {
  const names = new Set<string>();
  for (const s of specs) {
    if (s.kind === 'funnel') {
      names.add(s.first.event);
      names.add(s.second.event);
    } else if (s.event === undefined) return undefined;
    else names.add(s.event);
  }
  return [...names];
}

/**
 * Facts of the profiles (values already computed) and, when account conditions exist, of
 * their account co-members (read from stored values). Returns the profiles whose account
 * lists are complete, which are the ones that may be evaluated: the profiles themselves and
 * their co-members. Members of the co-members' other accounts are loaded as facts only.
 */
export async function loadFacts(
  trx: repo.Db,
  model: AudienceModel,
  profiles: string[],
  values: Map<string, Map<string, unknown>>,
): Promise<{ facts: Map<string, ProfileFacts>; targets: string[] }> {
  let ids = profiles;
  let targets = profiles;
  let groupRows: { group_id: string; profile_id: string }[] = [];
  if (model.hasAccounts && profiles.length > 0) {
    const own = await repo.groupsOf(trx, profiles);
    const firstHop = await repo.groupMembers(
      trx,
      [...new Set(own.map((g) => g.group_id))],
      maxAccountSize,
    );
    targets = [...new Set([...profiles, ...firstHop.map((g) => g.profile_id)])];
    const targetGroups = await repo.groupsOf(trx, targets);
    groupRows = await repo.groupMembers(
      trx,
      [...new Set(targetGroups.map((g) => g.group_id))],
      maxAccountSize,
    );
    ids = [...new Set([...targets, ...groupRows.map((g) => g.profile_id)])];
  }
  const others = ids.filter((id) => !values.has(id));
  for (const row of await repo.statesOf(trx, others)) {
    const vals = values.get(row.profile_id) ?? new Map<string, unknown>();
    vals.set(row.trait_id, JSON.parse(row.value) as unknown);
    values.set(row.profile_id, vals);
  }
  const [traits, members] = await Promise.all([
    repo.profileTraits(trx, ids),
    repo.membershipsOf(trx, ids),
  ]);
  const facts = new Map<string, ProfileFacts>();
  for (const id of ids) {
    facts.set(id, {
      traits: traits.get(id) ?? {},
      values: values.get(id) ?? new Map(),
      members: new Set(),
      accounts: [],
    });
  }
  for (const m of members) facts.get(m.profile_id)?.members.add(m.audience_id);
  if (groupRows.length > 0) {
    const byGroup = new Map<string, ProfileFacts[]>();
    const groupsOfProfile = new Map<string, string[]>();
    for (const g of groupRows) {
      const f = facts.get(g.profile_id);
      if (!f) continue;
      byGroup.set(g.group_id, [...(byGroup.get(g.group_id) ?? []), f]);
      groupsOfProfile.set(g.profile_id, [...(groupsOfProfile.get(g.profile_id) ?? []), g.group_id]);
    }
    for (const [id, groupIds] of groupsOfProfile) {
      const f = facts.get(id);
      if (f) f.accounts = groupIds.map((g) => byGroup.get(g) ?? []);
    }
  }
  return { facts, targets };
}
