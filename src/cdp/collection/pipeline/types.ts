import type { JsonObject } from './json.js';

/** The six Segment message types, in the order the Segment spec lists them. */
export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Narrows any value to one of the six message types (exact, lower-case match). */
export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * A clean event as Triad stores it. Every field is present; "not applicable" is `null` (or `{}`
 * for the object fields) so storage never has to tell `undefined` from `null`.
 *
 * Times are ISO-8601 UTC strings with milliseconds. `timestamp` is the corrected time the event
 * happened; `originalTimestamp` and `sentAt` are the client's clock readings, normalized to UTC
 * but otherwise as sent; `receivedAt` is the server clock.
 */
export interface CollectedEvent {
  type: EventType;
  messageId: string;
  anonymousId: string | null;
  userId: string | null;
  /** track only. */
  event: string | null;
  /** page and screen only. */
  name: string | null;
  /** page and screen only (a Segment message field that would otherwise be lost). */
  category: string | null;
  properties: JsonObject;
  traits: JsonObject;
  context: JsonObject;
  integrations: JsonObject;
  timestamp: string;
  originalTimestamp: string | null;
  sentAt: string | null;
  receivedAt: string;
  /** alias only. */
  previousId: string | null;
  /** group only. */
  groupId: string | null;
}

/**
 * What a step returns. `drop` means intentionally discarded (for example blocked by a tracking
 * plan) and is not an error; `dlq` means invalid and kept, with the raw input, for inspection.
 */
export type StepResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'drop'; code: string; reason: string }
  | { kind: 'dlq'; code: string; reason: string };

/** The two failure arms of `StepResult`, which fit any `StepResult<T>`. */
export type StepFailure = Exclude<StepResult<never>, { kind: 'ok' }>;

/** Wraps a step's successful output. */
export function ok<T>(value: T): StepResult<T> {
  return { kind: 'ok', value };
}

/** An invalid input, kept for inspection. */
export function dlq(code: string, reason: string): StepFailure {
  return { kind: 'dlq', code, reason };
}

/** An input discarded on purpose. */
export function drop(code: string, reason: string): StepFailure {
  return { kind: 'drop', code, reason };
}

/**
 * One input that did not become an event. `index` is the item's position in the batch (0 for a
 * single-message body) or `BODY_INDEX` (-1) when the body as a whole was unusable. `raw` is the
 * item exactly as received, before batch defaults were merged in. `kind` keeps the step's
 * drop/dlq distinction so the caller can route each rejection.
 */
export interface Rejection {
  index: number;
  messageId: string | null;
  kind: 'drop' | 'dlq';
  code: string;
  reason: string;
  raw: unknown;
}

/** The `Rejection.index` of a failure that concerns the whole body rather than one item. */
export const BODY_INDEX = -1;

/**
 * A message that passed the schema step: identity and type-specific fields are checked and
 * typed, timestamps are still the client's strings (the timestamps step parses them).
 */
export interface ValidatedMessage {
  type: EventType;
  messageId: string;
  anonymousId: string | null;
  userId: string | null;
  event: string | null;
  name: string | null;
  category: string | null;
  properties: JsonObject;
  traits: JsonObject;
  context: JsonObject;
  integrations: JsonObject;
  timestamp: string | null;
  originalTimestamp: string | null;
  sentAt: string | null;
  previousId: string | null;
  groupId: string | null;
}
