import type { Generated } from 'kysely';

/**
 * Lists of DMP IDs pushed in from outside the DMP (CDP audiences): seeds for lookalikes and
 * suppression lists. They hold a list name and pseudonymous DMP IDs only, never who the IDs are.
 */
export interface DmpListTable {
  name: string;
  /** `seed` (lookalike seeds) or `suppression` (IDs that must never be activated). */
  kind: string;
  /** Bumped on every change of the members (suppression caches poll it). */
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface DmpListMemberTable {
  list_name: string;
  dmp_id: string;
  added_at: string;
}

export interface DmpListTables {
  dmp_lists: DmpListTable;
  dmp_list_members: DmpListMemberTable;
}
