import type { Generated, Selectable } from 'kysely';

/** Kysely table types of the identity graph and the unified profiles. */
export interface IdentityTables {
  identity_profiles: ProfileTable;
  identity_identifiers: IdentifierTable;
  identity_profile_events: ProfileEventTable;
  identity_event_ids: EventIdentifierTable;
  identity_merge_log: MergeLogTable;
  identity_separations: SeparationTable;
  identity_shared_identifiers: SharedIdentifierTable;
  identity_rules: IdentityRuleTable;
  identity_duplicates: DuplicateTable;
}

export interface DuplicateTable {
  /** `profileA|profileB`, the two IDs sorted. */
  id: string;
  profile_a: string;
  profile_b: string;
  probability: number;
  /** JSON: per-field comparison levels and weights. */
  explanation: string;
  /** `open`, `merged` (linked through the log) or `dismissed`. */
  status: string;
  created_at: string;
  updated_at: string;
}

export interface ProfileTable {
  id: string;
  /** Set when the profile was merged into another; lookups follow it. */
  merged_into: string | null;
  created_at: string;
  updated_at: string;
  /** Event times (corrected `timestamp`) of the first and latest event. */
  first_seen: string;
  last_seen: string;
  /** JSON object: trait name -> latest value by event time. */
  traits: string;
  /** JSON object: trait name -> event time of the value kept. */
  trait_times: string;
  /** JSON object: trait name -> priority of the source it came from (absent: 0). */
  trait_priorities: Generated<string>;
}

export interface IdentifierTable {
  type: string;
  value: string;
  profile_id: string;
  first_seen: string;
  last_seen: string;
  /** Log position of the event that first carried it. */
  first_seq: number;
}

export interface ProfileEventTable {
  seq: number;
  profile_id: string;
  /** The profile this event created or first joined: where an unmerge sends it back. */
  origin_profile_id: string;
  timestamp: string;
}

export interface EventIdentifierTable {
  seq: number;
  type: string;
  value: string;
}

export interface MergeLogTable {
  id: string;
  kind: string;
  profile_id: string;
  other_profile_id: string | null;
  seq: number | null;
  /** JSON: which identifiers, which event, which rule. */
  reason: string;
  created_at: string;
  reversed_by: string | null;
}

export interface SeparationTable {
  id: string;
  /** JSON arrays of `type:value` identifiers that may never share a profile. */
  left_ids: string;
  right_ids: string;
  merge_id: string;
  created_at: string;
}

export interface SharedIdentifierTable {
  type: string;
  value: string;
  conflicts: number;
  flagged_at: string | null;
}

export interface IdentityRuleTable {
  type: string;
  max_per_profile: number;
  priority: number;
  /** JSON array of blocked values: exact strings, or `/regex/flags`. */
  blocked: string;
  /** Only values seen within this many days count toward the limit; null: all do. */
  window_days: number | null;
  updated_at: string;
}

export type ProfileRow = Selectable<ProfileTable>;
export type IdentifierRow = Selectable<IdentifierTable>;
export type MergeLogRow = Selectable<MergeLogTable>;
