import type { ObjectType } from '../objects/object-types.js';

export const changeKinds = [
  'created',
  'updated',
  'stage_changed',
  'archived',
  'merged',
  'associated',
] as const;
export type ChangeKind = (typeof changeKinds)[number];

/** A property's value before and after a write (null: not set). */
export interface ValueChange {
  old: string | null;
  new: string | null;
}

/** One entry of the CRM change feed. */
export interface CrmChange {
  id: number;
  objectType: ObjectType;
  objectId: number;
  kind: ChangeKind;
  changes: Record<string, ValueChange>;
  /** The user id, `workflow:<id>` for automation, or `system`. */
  actor: string;
  at: string;
}
