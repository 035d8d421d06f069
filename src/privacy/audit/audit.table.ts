import type { Generated } from 'kysely';

/** Append-only: nothing in Triad updates or deletes these rows. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  /** `usr_...`, `tok_...` or `system`. */
  actor: string;
  /** `read`, `write`, `export` or `privacy.<type>`. */
  action: string;
  /** The path read or changed, identifiers in it replaced by their digests. */
  resource: string;
  request_id: string | null;
  /** The HTTP status answered, when the entry comes from a request. */
  status: number | null;
}
