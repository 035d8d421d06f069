import type { Generated } from 'kysely';

/**
 * One ad-server event attributed to one segment: an event attributed to three segments is three
 * rows sharing `event_id`; an event attributed to none is one row with `segment_id` null (kept so
 * that a later click still finds the impression it follows). Pseudonymous IDs and short campaign
 * and creative tokens only.
 */
export interface DmpMediaHitTable {
  seq: Generated<number>;
  event_id: string;
  dmp_id: string;
  campaign: string;
  creative: string;
  kind: 'impression' | 'click' | 'conversion';
  segment_id: string | null;
  /** Media cost of the event in millionths of the account currency. */
  cost_micros: number;
  /** Conversion value in millionths of the account currency (0 for other kinds). */
  value_micros: number;
  at: string;
}

/** Tables of this feature. */
export type DmpMediaTables = {
  dmp_media_hits: DmpMediaHitTable;
};
