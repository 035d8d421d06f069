import type { Generated, Selectable } from 'kysely';

export interface SlaPolicyTable {
  id: Generated<number>;
  name: string;
  pipeline_id: string;
  priority: string | null;
  first_response_minutes: number | null;
  resolution_minutes: number | null;
  warning_percent: number;
  /** JSON: `{timezone, hours: [{day, start, end}]}`. */
  business_hours: string;
  /** JSON array of stage ids whose time does not count. */
  paused_stages: string;
  created_at: string;
  updated_at: string;
}

/** A ticket crossing its warning threshold or its target, as the SLA clock detected it. */
export interface SlaEventTable {
  id: Generated<number>;
  ticket_id: number;
  policy_id: number;
  kind: string;
  target: string;
  /** When the threshold was crossed (business-time arithmetic), not when it was noticed. */
  at: string;
  detected_at: string;
}

export type SlaPolicyRow = Selectable<SlaPolicyTable>;
export type SlaEventRow = Selectable<SlaEventTable>;
