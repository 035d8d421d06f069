import type { Deps } from '../../kernel/deps.js';
import { decodeCursor, type Page, toPage } from '../../kernel/pagination.js';
import type { LoggedRecord } from '../../log/event-log.js';
import { loggedRecordFromRow } from '../../log/table-log.js';
import * as repo from './event.repository.js';
import type { EventRow, RejectedEventRow } from './event.table.js';

/** A stored event as the explorer shows it: the log record with its payload parsed. */
export interface StoredEvent extends Omit<LoggedRecord, 'payload'> {
  /** The whole normalized event, as collected. */
  payload: unknown;
}

export interface RejectedEvent {
  seq: number;
  sourceId: string;
  messageId: string | null;
  code: string;
  reason: string;
  receivedAt: string;
  /** The input as received (cut when very large). */
  payload: unknown;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return { ...loggedRecordFromRow(row), payload: JSON.parse(row.payload) };
}

function toRejectedEvent(row: RejectedEventRow): RejectedEvent {
  return {
    seq: row.seq,
    sourceId: row.source_id,
    messageId: row.message_id,
    code: row.code,
    reason: row.reason,
    receivedAt: row.received_at,
    payload: JSON.parse(row.payload),
  };
}

function beforeSeq(cursor: string | undefined): { beforeSeq?: number } {
  if (cursor === undefined) return {};
  const seq = Number(decodeCursor(cursor, ['seq'] as const).seq);
  return Number.isSafeInteger(seq) ? { beforeSeq: seq } : {};
}

const seqCursor = (row: { seq: number }) => ({ seq: String(row.seq) });

/** The event explorer: stored events, newest first. */
export async function listEvents(
  deps: Pick<Deps, 'db'>,
  filter: repo.EventFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<StoredEvent>> {
  const rows = await repo.listEvents(deps.db, filter, {
    limit: page.limit,
    ...beforeSeq(page.cursor),
  });
  return toPage(rows, page.limit, toStoredEvent, seqCursor);
}

/** Rejected inputs with their reasons, newest first. */
export async function listRejectedEvents(
  deps: Pick<Deps, 'db'>,
  filter: Parameters<typeof repo.listRejectedEvents>[1],
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<RejectedEvent>> {
  const rows = await repo.listRejectedEvents(deps.db, filter, {
    limit: page.limit,
    ...beforeSeq(page.cursor),
  });
  return toPage(rows, page.limit, toRejectedEvent, seqCursor);
}
