import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

export interface EventFilter {
  sourceId?: string | undefined;
  type?: string | undefined;
  event?: string | undefined;
  userId?: string | undefined;
  anonymousId?: string | undefined;
  messageId?: string | undefined;
  /** Inclusive lower bound on receivedAt (ISO). */
  from?: string | undefined;
  /** Exclusive upper bound on receivedAt (ISO). */
  to?: string | undefined;
}

/** Newest first, keyset-paged on the log position. */
export function listEvents(
  db: Kysely<DB>,
  filter: EventFilter,
  page: { beforeSeq?: number; limit: number },
) {
  let query = db
    .selectFrom('events')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(page.limit + 1);
  if (page.beforeSeq !== undefined) query = query.where('seq', '<', page.beforeSeq);
  if (filter.sourceId) query = query.where('source_id', '=', filter.sourceId);
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.event) query = query.where('event', '=', filter.event);
  if (filter.userId) query = query.where('user_id', '=', filter.userId);
  if (filter.anonymousId) query = query.where('anonymous_id', '=', filter.anonymousId);
  if (filter.messageId) query = query.where('message_id', '=', filter.messageId);
  if (filter.from) query = query.where('received_at', '>=', filter.from);
  if (filter.to) query = query.where('received_at', '<', filter.to);
  return query.execute();
}

export function listRejectedEvents(
  db: Kysely<DB>,
  filter: {
    sourceId?: string | undefined;
    code?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
  page: { beforeSeq?: number; limit: number },
) {
  let query = db
    .selectFrom('rejected_events')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(page.limit + 1);
  if (page.beforeSeq !== undefined) query = query.where('seq', '<', page.beforeSeq);
  if (filter.sourceId) query = query.where('source_id', '=', filter.sourceId);
  if (filter.code) query = query.where('code', '=', filter.code);
  if (filter.from) query = query.where('received_at', '>=', filter.from);
  if (filter.to) query = query.where('received_at', '<', filter.to);
  return query.execute();
}
