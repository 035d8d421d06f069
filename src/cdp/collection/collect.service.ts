import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import type { EventLog, LogRecord } from '../../log/event-log.js';
import type { DB } from '../../storage/schema.js';
import type { Source } from '../sources/source.js';
import { liveHubFor, sseFrame } from './live/live-hub.js';
import {
  type CollectedEvent,
  type EndpointKind,
  type EventViolations,
  type Limits,
  normalizeBody,
  type Rejection,
} from './pipeline/index.js';
import { SUPPRESSED_CODE } from './pipeline/suppression.step.js';
import { planForSource, recordViolations } from './plans/plan.service.js';

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
  /**
   * Keep rejections in `rejected_events` (default). Imports turn it off: they write rejected
   * rows to their own error file, and a resumed import would otherwise store them twice.
   */
  storeRejections?: boolean;
}

export interface CollectOutcome {
  accepted: number;
  /** Accepted messages the log already held (SDK retries): acknowledged, stored once. */
  duplicates: number;
  /** Their messageIds. */
  duplicateIds: string[];
  rejections: Rejection[];
  /** Tracking-plan findings (flagged, stripped or blocked), empty without a plan. */
  violations: EventViolations[];
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
  const trackingPlan = await planForSource(deps, input.source.id);
  const {
    events,
    rejections,
    violations = [],
  } = normalizeBody(input.body, {
    ...(input.endpoint === 'batch' ? {} : { endpointType: input.endpoint }),
    receivedAt,
    ...(input.connectionIp ? { connectionIp: input.connectionIp } : {}),
    ...(input.limits ? { limits: input.limits } : {}),
    trackingPlan,
  });
  const records = events.map((event) => toLogRecord(input.source.id, event));
  const at = receivedAt.toISOString();
  // An event dropped for carrying an erased person's identifier is counted, never kept: its
  // payload would bring back exactly what the erasure removed.
  const stored = rejections
    .filter((r) => r.code !== SUPPRESSED_CODE)
    .map((r) => ({ rejection: r, payload: boundedJson(r.raw) }));
  const [appended] = await Promise.all([
    deps.eventLog.append(records),
    input.storeRejections === false
      ? Promise.resolve()
      : storeRejections(deps.db, input.source.id, stored, at),
    recordViolations(deps.db, input.source.id, violations, at),
  ]);
  const hub = liveHubFor(deps.eventLog);
  if (hub.has(input.source.id)) {
    publishLive(input.source.id, records, appended.duplicates, stored, violations, (frame) =>
      hub.publish(input.source.id, frame),
    );
  }
  return {
    accepted: events.length,
    duplicates: appended.duplicates.length,
    duplicateIds: appended.duplicates,
    rejections,
    violations,
  };
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

/** Frames for the live debugger, built from text already serialized for storage. */
function publishLive(
  sourceId: string,
  records: LogRecord[],
  duplicates: string[],
  rejected: { rejection: Rejection; payload: string }[],
  violations: EventViolations[],
  publish: (frame: string) => void,
) {
  const repeated = new Set(duplicates);
  const found = new Map(violations.map((v) => [v.messageId, v]));
  for (const r of records) {
    const v = found.get(r.messageId);
    publish(
      sseFrame(
        'accepted',
        `{"sourceId":${JSON.stringify(sourceId)},"messageId":${JSON.stringify(r.messageId)},"duplicate":${repeated.has(r.messageId)},"violations":${JSON.stringify(v?.violations ?? [])},"event":${r.payload}}`,
      ),
    );
  }
  for (const { rejection: r, payload } of rejected) {
    publish(
      sseFrame(
        'rejected',
        `{"sourceId":${JSON.stringify(sourceId)},"index":${r.index},"messageId":${JSON.stringify(r.messageId)},"kind":"${r.kind}","code":${JSON.stringify(r.code)},"reason":${JSON.stringify(r.reason)},"violations":${JSON.stringify(found.get(r.messageId ?? '')?.violations ?? [])},"raw":${payload}}`,
      ),
    );
  }
}

async function storeRejections(
  db: Kysely<DB>,
  sourceId: string,
  rejections: { rejection: Rejection; payload: string }[],
  receivedAt: string,
) {
  if (rejections.length === 0) return;
  await db
    .insertInto('rejected_events')
    .values(
      rejections.map(({ rejection: r, payload }) => ({
        source_id: sourceId,
        message_id: r.messageId,
        code: r.code,
        reason: r.reason,
        payload,
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
