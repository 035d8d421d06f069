import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import type { EventLog, LogRecord } from '../../log/event-log.js';
import type { DB } from '../../storage/schema.js';
import type { Source } from '../sources/source.js';
import {
  type CollectedEvent,
  type EndpointKind,
  type Limits,
  normalizeBody,
  type Rejection,
} from './pipeline/index.js';

export interface CollectDeps {
  db: Kysely<DB>;
  clock: Clock;
  eventLog: EventLog;
}

export interface CollectInput {
  source: Source;
  body: unknown;
  endpoint: EndpointKind;
  connectionIp?: string | undefined;
  limits?: Partial<Limits>;
}

export interface CollectOutcome {
  accepted: number;
  /** Accepted messages the log already held (SDK retries): acknowledged, stored once. */
  duplicates: number;
  rejections: Rejection[];
}

// Rejected inputs are kept for inspection, but a hostile client must not be able to fill the
// disk through them: the stored copy is cut at this size.
const maxStoredRejectionBytes = 8 * 1024;

/**
 * Cleans a request body into events, appends them to the durable log and keeps the rejected
 * ones for inspection. Resolves only when both are durable: the caller may acknowledge then.
 */
export async function collect(deps: CollectDeps, input: CollectInput): Promise<CollectOutcome> {
  const receivedAt = deps.clock.now();
  const { events, rejections } = normalizeBody(input.body, {
    ...(input.endpoint === 'batch' ? {} : { endpointType: input.endpoint }),
    receivedAt,
    ...(input.connectionIp ? { connectionIp: input.connectionIp } : {}),
    ...(input.limits ? { limits: input.limits } : {}),
  });
  const records = events.map((event) => toLogRecord(input.source.id, event));
  const [appended] = await Promise.all([
    deps.eventLog.append(records),
    storeRejections(deps.db, input.source.id, rejections, receivedAt.toISOString()),
  ]);
  return { accepted: events.length, duplicates: appended.duplicates.length, rejections };
}

export function toLogRecord(sourceId: string, event: CollectedEvent): LogRecord {
  return {
    sourceId,
    messageId: event.messageId,
    type: event.type,
    event: event.event,
    userId: event.userId,
    anonymousId: event.anonymousId,
    timestamp: event.timestamp,
    receivedAt: event.receivedAt,
    payload: JSON.stringify(event),
  };
}

async function storeRejections(
  db: Kysely<DB>,
  sourceId: string,
  rejections: Rejection[],
  receivedAt: string,
) {
  if (rejections.length === 0) return;
  await db
    .insertInto('rejected_events')
    .values(
      rejections.map((r) => ({
        source_id: sourceId,
        message_id: r.messageId,
        code: r.code,
        reason: r.reason,
        payload: boundedJson(r.raw),
        received_at: receivedAt,
      })),
    )
    .execute();
}

function boundedJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    text = JSON.stringify(String(value));
  }
  if (text.length <= maxStoredRejectionBytes) return text;
  return JSON.stringify({
    truncated: true,
    bytes: text.length,
    head: text.slice(0, maxStoredRejectionBytes),
  });
}
