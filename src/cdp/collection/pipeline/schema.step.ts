import { REJECTION_CODES } from './codes.js';
import { clip, field, isJsonObject, type JsonObject } from './json.js';
import type { Limits } from './limits.js';
import { generateMessageId } from './message-id.js';
import {
  dlq,
  EVENT_TYPES,
  type EventType,
  isEventType,
  ok,
  type StepFailure,
  type StepResult,
  type ValidatedMessage,
} from './types.js';

export interface SchemaOptions {
  /** The type implied by the endpoint (`/v1/track`, `/v1/t`...); absent for batch items. */
  endpointType?: EventType;
  limits: Pick<Limits, 'maxMessageIdLength'>;
  /** Source of random IDs for generated messageIds; injectable for tests. */
  randomId?: () => string;
}

type TextField =
  | 'userId'
  | 'anonymousId'
  | 'event'
  | 'previousId'
  | 'groupId'
  | 'name'
  | 'category';

/** Fields each type must carry beyond an identity, per the Segment spec. */
const REQUIRED: Record<EventType, readonly TextField[]> = {
  track: ['event'],
  identify: [],
  page: [],
  screen: [],
  group: ['groupId'],
  alias: ['previousId', 'userId'],
};

type Checked<T> = { ok: true; value: T } | { ok: false; failure: StepFailure };

/**
 * Step 3: checks a message against the Segment spec for its type and returns it with typed
 * fields.
 *
 * - `type` comes from the endpoint when there is one. A body `type` that disagrees is rejected
 *   rather than overridden, because reading an identify as a track would silently lose traits.
 * - Every message needs `userId` or `anonymousId`; track needs `event`; group needs `groupId`;
 *   alias needs `previousId` and `userId`; page/screen `name` is optional.
 * - Identifiers may be strings or finite numbers (numbers become strings, as many backends send
 *   numeric user IDs); empty strings count as absent.
 * - `properties`, `traits`, `context` and `integrations` must be objects when present and become
 *   `{}` when absent or null.
 * - A missing or empty `messageId` is generated (see `generateMessageId`); one longer than the
 *   limit is rejected, since truncating would break dedupe against the client's own ID.
 * - Fields that do not belong to the type (e.g. `event` on identify) are not kept.
 */
export function schemaStep(
  message: JsonObject,
  options: SchemaOptions,
): StepResult<ValidatedMessage> {
  const type = resolveType(message, options.endpointType);
  if (!type.ok) return type.failure;

  const t = type.value;
  const isView = t === 'page' || t === 'screen';
  // Only the fields that belong to the type are read; a stray `event` on an identify is ignored
  // rather than validated, since it is not kept either.
  const wanted: [TextField, 'id' | 'text'][] = [
    ['userId', 'id'],
    ['anonymousId', 'id'],
  ];
  if (t === 'track') wanted.push(['event', 'text']);
  if (t === 'alias') wanted.push(['previousId', 'id']);
  if (t === 'group') wanted.push(['groupId', 'id']);
  if (isView) wanted.push(['name', 'text'], ['category', 'text']);

  const texts: Partial<Record<TextField, string | null>> = {};
  for (const [name, kind] of wanted) {
    const checked = kind === 'id' ? optionalId(message, name) : optionalString(message, name);
    if (!checked.ok) return checked.failure;
    texts[name] = checked.value;
  }
  if (texts.userId == null && texts.anonymousId == null) {
    return dlq(REJECTION_CODES.missingIdentity, 'message needs a userId or an anonymousId');
  }
  for (const name of REQUIRED[t]) {
    if (texts[name] == null) {
      return dlq(REJECTION_CODES.missingField, `${t} message needs a non-empty ${name}`);
    }
  }

  const objects: Record<string, JsonObject> = {};
  for (const name of ['properties', 'traits', 'context', 'integrations'] as const) {
    const checked = optionalObject(message, name);
    if (!checked.ok) return checked.failure;
    objects[name] = checked.value;
  }

  const times: Record<string, string | null> = {};
  for (const name of ['timestamp', 'originalTimestamp', 'sentAt'] as const) {
    const value = field(message, name);
    if (value != null && typeof value !== 'string') {
      return dlq(
        REJECTION_CODES.invalidTimestamp,
        `${name} must be an ISO-8601 date string, got ${jsonKind(value)}`,
      );
    }
    times[name] = value ?? null;
  }

  const messageId = resolveMessageId(message, options);
  if (!messageId.ok) return messageId.failure;

  return ok({
    type: t,
    messageId: messageId.value,
    anonymousId: texts.anonymousId ?? null,
    userId: texts.userId ?? null,
    event: texts.event ?? null,
    name: texts.name ?? null,
    category: texts.category ?? null,
    properties: objects.properties ?? {},
    traits: objects.traits ?? {},
    context: objects.context ?? {},
    integrations: objects.integrations ?? {},
    timestamp: times.timestamp ?? null,
    originalTimestamp: times.originalTimestamp ?? null,
    sentAt: times.sentAt ?? null,
    previousId: texts.previousId ?? null,
    groupId: texts.groupId ?? null,
  });
}

function resolveType(message: JsonObject, endpointType: EventType | undefined): Checked<EventType> {
  const bodyType = field(message, 'type');
  if (endpointType !== undefined) {
    if (bodyType == null || bodyType === endpointType) return { ok: true, value: endpointType };
    return fail(
      REJECTION_CODES.typeMismatch,
      `type ${describe(bodyType)} was sent to the ${endpointType} endpoint`,
    );
  }
  if (isEventType(bodyType)) return { ok: true, value: bodyType };
  if (bodyType == null) {
    return fail(REJECTION_CODES.invalidType, `type is required (one of ${EVENT_TYPES.join(', ')})`);
  }
  return fail(
    REJECTION_CODES.invalidType,
    `type ${describe(bodyType)} is not one of ${EVENT_TYPES.join(', ')}`,
  );
}

function resolveMessageId(message: JsonObject, options: SchemaOptions): Checked<string> {
  const value = field(message, 'messageId');
  if (value == null || value === '') {
    return { ok: true, value: generateMessageId(message, options.randomId) };
  }
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') {
    return fail(REJECTION_CODES.invalidField, `messageId must be a string, got ${jsonKind(value)}`);
  }
  const max = options.limits.maxMessageIdLength;
  if (text.length > max) {
    return fail(
      REJECTION_CODES.messageIdTooLong,
      `messageId is ${text.length} characters; the limit is ${max}`,
    );
  }
  return { ok: true, value: text };
}

/** An identifier: string or finite number, empty meaning absent. */
function optionalId(message: JsonObject, name: string): Checked<string | null> {
  const value = field(message, name);
  if (value == null || value === '') return { ok: true, value: null };
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number') return { ok: true, value: String(value) };
  return fail(
    REJECTION_CODES.invalidField,
    `${name} must be a string or a number, got ${jsonKind(value)}`,
  );
}

function optionalString(message: JsonObject, name: string): Checked<string | null> {
  const value = field(message, name);
  if (value == null || value === '') return { ok: true, value: null };
  if (typeof value === 'string') return { ok: true, value };
  return fail(REJECTION_CODES.invalidField, `${name} must be a string, got ${jsonKind(value)}`);
}

function optionalObject(message: JsonObject, name: string): Checked<JsonObject> {
  const value = field(message, name);
  if (value == null) return { ok: true, value: {} };
  if (isJsonObject(value)) return { ok: true, value };
  return fail(REJECTION_CODES.invalidField, `${name} must be an object, got ${jsonKind(value)}`);
}

function fail(code: string, reason: string): { ok: false; failure: StepFailure } {
  return { ok: false, failure: dlq(code, reason) };
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${clip(value)}"` : jsonKind(value);
}
