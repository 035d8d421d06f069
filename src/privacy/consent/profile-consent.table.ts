import type { Generated } from 'kysely';

/**
 * The current consent decision per identifier, purpose and channel. Keyed by identifier (not
 * profile ID) so decisions follow a person through identity merges and unmerges: a profile's
 * consent is the newest decision across all of its identifiers.
 */
export interface ConsentTable {
  subject_type: string;
  subject_value: string;
  purpose: string;
  /** `*` applies to every channel; a specific channel overrides it. */
  channel: string;
  /** 1 granted, 0 denied. */
  granted: number;
  source: string;
  recorded_at: string;
  evidence: string | null;
}

/** Every consent decision ever recorded, for the history and for audits. */
export interface ConsentHistoryTable {
  id: Generated<number>;
  subject_type: string;
  subject_value: string;
  purpose: string;
  channel: string;
  granted: number;
  source: string;
  recorded_at: string;
  evidence: string | null;
}
