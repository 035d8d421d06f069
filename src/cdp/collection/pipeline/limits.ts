/** Size and shape limits for incoming messages. All are per event except `maxBatchItems`. */
export interface Limits {
  /** Serialized JSON size of one message (after batch defaults are merged in), in UTF-8 bytes. */
  maxEventBytes: number;
  /** Items in one `/v1/batch` body. */
  maxBatchItems: number;
  /** Characters in a client-sent `messageId`. */
  maxMessageIdLength: number;
  /** Top-level keys in `traits`, `properties` and `context.traits` each. */
  maxObjectKeys: number;
  /** Nesting of objects and arrays; the message object itself is depth 1. */
  maxDepth: number;
  /** Characters in any string value (keys included). */
  maxStringLength: number;
  /**
   * Earliest believable corrected `timestamp` (epoch ms). Earlier values come from unset device
   * clocks, so the event falls back to `receivedAt` (see the timestamps step).
   */
  minTimestampMs: number;
}

/** Segment's published limits where it has one; conservative choices elsewhere. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxEventBytes: 32 * 1024,
  maxBatchItems: 2500,
  maxMessageIdLength: 100,
  maxObjectKeys: 300,
  maxDepth: 32,
  maxStringLength: 16 * 1024,
  minTimestampMs: Date.UTC(2000, 0, 1),
});

/**
 * Fills unset limits with the defaults. Overrides that are not finite numbers are ignored, so a
 * bad configuration value cannot switch a limit off by accident.
 */
export function resolveLimits(overrides?: Partial<Limits>): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS };
  if (!overrides) return limits;
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const value = overrides[key];
    if (typeof value === 'number' && Number.isFinite(value)) limits[key] = value;
  }
  return limits;
}
