import type { Generated, Selectable } from 'kysely';

/** Kysely table types of destinations and their durable delivery queue. */
export interface DestinationTables {
  destinations: DestinationTable;
  destination_deliveries: DeliveryTable;
  destination_attempts: DeliveryAttemptTable;
  destination_egress_allowlist: EgressAllowTable;
}

export interface DestinationTable {
  id: string;
  name: string;
  /** `events` (matching events) or `audiences` (entries and exits). */
  kind: string;
  url: string;
  /** HMAC-SHA256 key for the signature header. */
  secret: string;
  /** JSON: `DestinationSettings` (filters, mappings, audiences, consent, rate). */
  settings: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface DeliveryTable {
  id: string;
  destination_id: string;
  /** Idempotency key: the same message is enqueued once and sent with this key every time. */
  message_id: string;
  profile_id: string | null;
  /** JSON body as sent. */
  payload: string;
  /** `pending`, `sending`, `delivered` or `dead`. */
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface DeliveryAttemptTable {
  id: Generated<number>;
  delivery_id: string;
  attempt: number;
  at: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

/** Hosts or CIDR ranges an admin allowed despite being private, loopback or link-local. */
export interface EgressAllowTable {
  entry: string;
  created_at: string;
}

export type DestinationRow = Selectable<DestinationTable>;
export type DeliveryRow = Selectable<DeliveryTable>;
