/**
 * Every rejection code the pipeline emits, in one place so the HTTP layer and dashboards can
 * map them without reading each step.
 */
export const REJECTION_CODES = {
  /** The body is not a JSON object. */
  bodyNotObject: 'body_not_object',
  /** A batch body whose `batch` is missing or not an array. */
  batchNotArray: 'batch_not_array',
  /** A batch with more items than `Limits.maxBatchItems`. */
  batchTooLarge: 'batch_too_large',
  /** Batch-level `context` or `integrations` that is not an object. */
  batchDefaultsInvalid: 'batch_defaults_invalid',
  /** The pipeline was called with an unusable context (a caller bug, not a client one). */
  invalidCall: 'invalid_call',
  /** A batch item that is not a JSON object. */
  messageNotObject: 'message_not_object',
  /** A `__proto__`, `constructor` or `prototype` key somewhere in the message. */
  forbiddenKey: 'forbidden_key',
  /** Objects/arrays nested deeper than `Limits.maxDepth`. */
  tooDeep: 'too_deep',
  /** A string longer than `Limits.maxStringLength`. */
  stringTooLong: 'string_too_long',
  /** A value JSON cannot carry (non-finite number, function, class instance, accessor...). */
  invalidValue: 'invalid_value',
  /** The serialized message exceeds `Limits.maxEventBytes`. */
  eventTooLarge: 'event_too_large',
  /** `traits`, `properties` or `context.traits` with more than `Limits.maxObjectKeys` keys. */
  tooManyKeys: 'too_many_keys',
  /** `type` missing or not one of the six message types. */
  invalidType: 'invalid_type',
  /** The body's `type` disagrees with the endpoint it was posted to. */
  typeMismatch: 'type_mismatch',
  /** Neither `userId` nor `anonymousId`. */
  missingIdentity: 'missing_identity',
  /** A field the message type requires is absent (e.g. track without `event`). */
  missingField: 'missing_field',
  /** A field of the wrong JSON type (e.g. `properties` as an array). */
  invalidField: 'invalid_field',
  /** `messageId` longer than `Limits.maxMessageIdLength`. */
  messageIdTooLong: 'message_id_too_long',
  /** `timestamp`, `originalTimestamp` or `sentAt` that is not a valid ISO-8601 date. */
  invalidTimestamp: 'invalid_timestamp',
  /** A track event the source's tracking plan does not list, refused in block mode. */
  unplannedEvent: 'tracking_plan_unplanned_event',
  /** A message that breaks its tracking plan's schema (or carries unplanned properties), refused in block mode. */
  planViolation: 'tracking_plan_violation',
  /** A step threw; the message is kept so the bug can be reproduced. */
  internalError: 'internal_error',
} as const;

export type RejectionCode = (typeof REJECTION_CODES)[keyof typeof REJECTION_CODES];
