import type { Generated, Selectable } from 'kysely';

/**
 * One row per CRM record of every object type. Ids are one global sequence (as HubSpot's are
 * numeric), so an association target can be found from its id alone. `properties` is the JSON
 * object of the stored values (strings, as on the wire); searching never reads it.
 */
export interface CrmObjectTable {
  id: Generated<number>;
  object_type: string;
  properties: string;
  /** The `hubspot_owner_id` value, kept as a column for owner-based visibility. */
  owner_id: string | null;
  created_at: string;
  updated_at: string;
  /** 0 or 1: archived records keep their row but leave every search index. */
  archived: number;
  archived_at: string | null;
  /** The record this one was merged into (merge archives the merged record). */
  merged_into: number | null;
}

/**
 * The search index: one row per (record, property) holding a value. Strings are lower-cased
 * into `v_text`; numbers, dates and date-times live in `v_num` (dates as epoch milliseconds),
 * so every EQ / IN / range filter and every sort is an index range scan.
 */
export interface CrmValueTable {
  object_type: string;
  property: string;
  object_id: number;
  v_text: string | null;
  v_num: number | null;
}

/** Words of the searchable text properties, for `query` and CONTAINS_TOKEN. */
export interface CrmTokenTable {
  object_type: string;
  property: string;
  token: string;
  object_id: number;
}

/** Values of unique properties (contact email, company domain): the primary key enforces them. */
export interface CrmUniqueValueTable {
  object_type: string;
  property: string;
  value: string;
  object_id: number;
}

export type CrmObjectRow = Selectable<CrmObjectTable>;

/** Counts per type (property `*`) and per value of enumeration and boolean properties. */
export interface CrmValueCountTable {
  object_type: string;
  property: string;
  value: string;
  n: number;
}
