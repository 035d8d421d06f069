import { type Kysely, sql } from 'kysely';
import type { DB } from '../../storage/schema.js';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  resource: string;
  requestId: string | null;
  status: number | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/** Appends entries. The log has no update or delete: entries are evidence. */
export async function appendAudit(db: Kysely<DB>, entries: NewAuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        at: e.at,
        actor: e.actor,
        action: e.action,
        resource: e.resource,
        request_id: e.requestId,
        status: e.status,
      })),
    )
    .execute();
}

export interface AuditQuery {
  actor?: string | undefined;
  /** Exact resource, or a prefix when it ends with `*`. */
  resource?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Entries older than this id (newest first paging). */
  before?: number | undefined;
  limit: number;
}

/** Newest first, keyset-paged on id; fetches `limit + 1` rows (see `toPage`). */
export async function queryAudit(db: Kysely<DB>, q: AuditQuery): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (q.actor !== undefined) query = query.where('actor', '=', q.actor);
  if (q.resource !== undefined) {
    const prefix = q.resource.slice(0, -1);
    // substr rather than LIKE or a range: portable, no escaping, no collation surprises.
    query = q.resource.endsWith('*')
      ? query.where(sql<boolean>`substr(resource, 1, ${prefix.length}) = ${prefix}`)
      : query.where('resource', '=', q.resource);
  }
  if (q.from !== undefined) query = query.where('at', '>=', q.from);
  if (q.to !== undefined) query = query.where('at', '<', q.to);
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    action: r.action,
    resource: r.resource,
    requestId: r.request_id,
    status: r.status === null ? null : Number(r.status),
  }));
}
