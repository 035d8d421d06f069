import type { DmpListTables } from '../../dmp/index.js';

/**
 * The CDP -> DMP sync's bookkeeping, plus the DMP-side lists it fills (their types live with
 * the DMP; migration 0014 creates both).
 */
export interface DmpSyncTables extends DmpListTables {
  dmp_sync_lists: DmpSyncListTable;
  dmp_sync_members: DmpSyncMemberTable;
  dmp_sync_state: DmpSyncStateTable;
}

/** One CDP audience sent to the DMP as a list of the same name. */
export interface DmpSyncListTable {
  name: string;
  audience_id: string;
  /** `seed` or `suppression`. */
  kind: string;
  created_at: string;
  updated_at: string;
  /** When every member was last reconciled (consent and DMP IDs change without log entries). */
  swept_at: string | null;
}

/** Which profile put which DMP ID on a list: the stack side knows, the DMP never does. */
export interface DmpSyncMemberTable {
  list_name: string;
  profile_id: string;
  dmp_id: string;
}

/** Key-value state: the position reached in `audience_membership_log`. */
export interface DmpSyncStateTable {
  key: string;
  value: string;
}
