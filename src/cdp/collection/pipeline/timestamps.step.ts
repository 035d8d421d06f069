import { REJECTION_CODES } from './codes.js';
import { parseIsoTimestamp } from './iso-date.js';
import { clip } from './json.js';
import type { Limits } from './limits.js';
import { type CollectedEvent, dlq, ok, type StepResult, type ValidatedMessage } from './types.js';

export interface TimestampOptions {
  /** The server clock when the request arrived. */
  receivedAt: Date;
  limits: Pick<Limits, 'minTimestampMs'>;
}

/**
 * Step 4: sets the event's times.
 *
 * - `receivedAt` is the server clock, passed in.
 * - `originalTimestamp` is the client's reading when the call was made: the message's
 *   `originalTimestamp`, or its `timestamp` when only that is sent (analytics-node and
 *   analytics.js send `timestamp`; RudderStack sends `originalTimestamp`).
 * - `timestamp` corrects client clock skew with Segment's rule
 *   `receivedAt - (sentAt - originalTimestamp)`: both client readings come from the same clock,
 *   so their difference is a true delay whatever the clock's error. Without `sentAt` the client
 *   time is used as is; without any client time, `receivedAt`.
 * - A corrected time after `receivedAt` is impossible (the event cannot happen after it
 *   arrived), and one before `limits.minTimestampMs` comes from an unset device clock; both
 *   fall back to `receivedAt`, while `originalTimestamp` keeps what the client said. Old but
 *   plausible times (historical imports, offline queues) are kept.
 * - A time that is present but not a valid ISO-8601 date rejects the message: guessing would
 *   put the event at the wrong point in someone's history.
 */
export function timestampsStep(
  message: ValidatedMessage,
  options: TimestampOptions,
): StepResult<CollectedEvent> {
  const received = options.receivedAt.getTime();
  const parsed: Record<'timestamp' | 'originalTimestamp' | 'sentAt', number | null> = {
    timestamp: null,
    originalTimestamp: null,
    sentAt: null,
  };
  for (const name of ['timestamp', 'originalTimestamp', 'sentAt'] as const) {
    const text = message[name];
    if (text === null) continue;
    const ms = parseMemo(text);
    if (ms === null) {
      return dlq(
        REJECTION_CODES.invalidTimestamp,
        `${name} "${clip(text)}" is not a valid ISO-8601 date`,
      );
    }
    parsed[name] = ms;
  }

  const original = parsed.originalTimestamp ?? parsed.timestamp;
  let corrected = received;
  if (original !== null) {
    corrected = parsed.sentAt !== null ? received - (parsed.sentAt - original) : original;
  }
  if (corrected > received || corrected < options.limits.minTimestampMs) corrected = received;

  return ok({
    type: message.type,
    messageId: message.messageId,
    anonymousId: message.anonymousId,
    userId: message.userId,
    event: message.event,
    name: message.name,
    category: message.category,
    properties: message.properties,
    traits: message.traits,
    context: message.context,
    integrations: message.integrations,
    timestamp: isoOf(corrected),
    originalTimestamp: original === null ? null : isoOf(original),
    sentAt: parsed.sentAt === null ? null : isoOf(parsed.sentAt),
    receivedAt: isoOf(received),
    previousId: message.previousId,
    groupId: message.groupId,
  });
}

// A batch repeats the same few instants (its `sentAt`, the request's `receivedAt`, often one
// `originalTimestamp` per flush), so the last few parses and formats are remembered: parsing
// and formatting dates is otherwise the costliest part of this step.
const memoSize = 64;
const parsedTexts = new Map<string, number | null>();
const formatted = new Map<number, string>();

function parseMemo(text: string): number | null {
  let ms = parsedTexts.get(text);
  if (ms === undefined) {
    ms = parseIsoTimestamp(text);
    if (parsedTexts.size >= memoSize) parsedTexts.clear();
    parsedTexts.set(text, ms);
  }
  return ms;
}

function isoOf(ms: number): string {
  let text = formatted.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString();
    if (formatted.size >= memoSize) formatted.clear();
    formatted.set(ms, text);
  }
  return text;
}
