import type { Generated, Selectable } from 'kysely';

export interface EventTable {
  seq: Generated<number>;
  source_id: string;
  message_id: string;
  type: string;
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  timestamp: string;
  received_at: string;
  /** The whole normalized event as JSON. */
  payload: string;
}

export interface RejectedEventTable {
  seq: Generated<number>;
  source_id: string;
  message_id: string | null;
  code: string;
  reason: string;
  /** The input as received (JSON), cut to a bounded size. */
  payload: string;
  received_at: string;
}

export interface LogOffsetTable {
  consumer: string;
  position: number;
  updated_at: string;
}

export type EventRow = Selectable<EventTable>;
export type RejectedEventRow = Selectable<RejectedEventTable>;
