import type { Generated, Selectable } from 'kysely';

/** Kysely table types of the CDP <-> CRM flows (see migration 0013). */
export interface CrmSyncTables {
  crm_sync_state: CrmSyncStateTable;
  crm_sync_log: CrmSyncLogTable;
}

/** Key-value bookkeeping: feed offsets, the `crm` source id, rules, owner rotation pointers. */
export interface CrmSyncStateTable {
  key: string;
  value: string;
  updated_at: string;
}

/** What each pass did or refused, per item: the flows' audit trail. */
export interface CrmSyncLogTable {
  id: Generated<number>;
  /** `crm_to_cdp` or `cdp_to_crm`. */
  direction: string;
  /** The change id or membership log id handled. */
  ref: string;
  /** `ok`, `skipped` or `refused`. */
  outcome: string;
  detail: string;
  at: string;
}

export type CrmSyncLogRow = Selectable<CrmSyncLogTable>;
