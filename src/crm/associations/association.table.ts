import type { Selectable } from 'kysely';

/**
 * One row per direction: associating A with B writes (A -> B, type t) and (B -> A, inverse of
 * t), so either side lists its associations with one index range scan.
 */
export interface AssociationTable {
  from_type: string;
  from_id: number;
  to_type: string;
  to_id: number;
  category: string;
  type_id: number;
  created_at: string;
}

/** User-defined association labels ("Decision maker"): one row per direction. */
export interface AssociationLabelTable {
  type_id: number;
  inverse_type_id: number;
  from_type: string;
  to_type: string;
  label: string;
  name: string;
  created_at: string;
}

export type AssociationRow = Selectable<AssociationTable>;
export type AssociationLabelRow = Selectable<AssociationLabelTable>;
