import type { Generated, Selectable } from 'kysely';
import type { DestinationTables } from '../destinations/destination.tables.js';

/** Kysely table types of computed traits, audiences and destinations (see migration 0007). */
export interface AudienceTables extends DestinationTables {
  audience_traits: AudienceTraitTable;
  audience_definitions: AudienceDefinitionTable;
  audience_trait_states: TraitStateTable;
  audience_members: AudienceMemberTable;
  audience_membership_log: MembershipLogTable;
  audience_groups: AudienceGroupTable;
}

/**
 * Computed traits defined by users. (The counters an audience's event conditions compile to
 * are derived from the audience definition on load and share `audience_trait_states`.)
 */
export interface AudienceTraitTable {
  id: string;
  /** The trait name on the profile (unique among visible traits). */
  key: string;
  name: string;
  /** JSON: the compiled trait spec (see aggregates.ts `TraitSpec`). */
  spec: string;
  /** JSON: the definition as given. */
  definition: string;
  /** `backfilling` until history has been folded in, then `ready`. */
  status: string;
  created_at: string;
  updated_at: string;
}

export interface AudienceDefinitionTable {
  id: string;
  key: string;
  name: string;
  description: string;
  /** JSON: the condition AST. */
  definition: string;
  /** `realtime` (streaming) or `batch` (evaluated on a schedule or on demand). */
  mode: string;
  status: string;
  /** Backfill progress: profiles evaluated and profiles to evaluate. */
  progress_done: number;
  progress_total: number;
  size: number;
  last_batch_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface TraitStateTable {
  profile_id: string;
  trait_id: string;
  /** JSON aggregate state. */
  state: string;
  /** JSON of the current value. */
  value: string;
  /** When a rolling window next drops an entry (the timer wakes then); null: never. */
  expires_at: string | null;
  updated_at: string;
}

export interface AudienceMemberTable {
  audience_id: string;
  profile_id: string;
  entered_at: string;
}

export interface MembershipLogTable {
  id: Generated<number>;
  audience_id: string;
  profile_id: string;
  /** `entered` or `exited`. */
  kind: string;
  at: string;
  /** Log position of the event that caused it (null for timers, backfills, merges). */
  seq: number | null;
  reason: string;
}

/** Account membership from `group` calls: which profiles belong to which group. */
export interface AudienceGroupTable {
  group_id: string;
  profile_id: string;
  joined_at: string;
}

export type AudienceTraitRow = Selectable<AudienceTraitTable>;
export type AudienceDefinitionRow = Selectable<AudienceDefinitionTable>;
export type TraitStateRow = Selectable<TraitStateTable>;
export type MembershipLogRow = Selectable<MembershipLogTable>;
