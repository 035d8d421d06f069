import { REJECTION_CODES } from './codes.js';
import { isPlainObject, own } from './json.js';
import type { Limits } from './limits.js';
import { describeError, kindOf } from './structure.step.js';
import { dlq, ok, type StepResult } from './types.js';

/** A batch body taken apart: its items and the defaults that merge into each of them. */
export interface BatchEnvelope {
  /** A snapshot of `body.batch`, so later reads cannot see a different array. */
  items: unknown[];
  context: Record<string, unknown> | null;
  integrations: Record<string, unknown> | null;
  /** Batch-level `sentAt` as sent; validated per item by the timestamps step. */
  sentAt: unknown;
}

/**
 * Checks the shape of a `/v1/batch` (or `/v1/b`) body: an object whose `batch` is an array of at
 * most `limits.maxBatchItems` items, with batch-level `context` and `integrations` that are
 * objects when present. Items themselves are not looked at; each is validated on its own.
 * Never throws.
 */
export function checkBatchShape(
  body: unknown,
  limits: Pick<Limits, 'maxBatchItems'>,
): StepResult<BatchEnvelope> {
  try {
    if (!isPlainObject(body)) {
      return dlq(REJECTION_CODES.bodyNotObject, `body must be a JSON object, got ${kindOf(body)}`);
    }
    const batch = own(body, 'batch');
    if (!Array.isArray(batch)) {
      return dlq(
        REJECTION_CODES.batchNotArray,
        batch === undefined
          ? 'batch body needs a "batch" array'
          : `"batch" must be an array, got ${kindOf(batch)}`,
      );
    }
    if (batch.length > limits.maxBatchItems) {
      return dlq(
        REJECTION_CODES.batchTooLarge,
        `batch has ${batch.length} items; the limit is ${limits.maxBatchItems}`,
      );
    }
    const context = own(body, 'context');
    const integrations = own(body, 'integrations');
    for (const [name, value] of [
      ['context', context],
      ['integrations', integrations],
    ] as const) {
      if (value != null && !isPlainObject(value)) {
        return dlq(
          REJECTION_CODES.batchDefaultsInvalid,
          `batch-level ${name} must be an object, got ${kindOf(value)}`,
        );
      }
    }
    return ok({
      items: Array.from({ length: batch.length }, (_, i): unknown => batch[i]),
      context: isPlainObject(context) ? context : null,
      integrations: isPlainObject(integrations) ? integrations : null,
      sentAt: own(body, 'sentAt'),
    });
  } catch (error) {
    // Only a hostile in-process value (a throwing proxy or getter) gets here; JSON cannot.
    return dlq(REJECTION_CODES.bodyNotObject, `body could not be read: ${describeError(error)}`);
  }
}

/**
 * One batch item with the batch-level defaults applied, as the Segment batch API specifies:
 * `context` and `integrations` are merged key by key at the top level, the item's own keys
 * winning (a whole `context.page` from the item replaces the batch's, it is not deep-merged),
 * and the batch `sentAt` applies to items without their own. Items that are not plain objects
 * are returned as they are, for the structure step to reject.
 */
export function applyBatchDefaults(item: unknown, envelope: BatchEnvelope): unknown {
  if (!isPlainObject(item)) return item;
  // Spread copies own keys as data properties, so even a `__proto__` key stays inert here and
  // is caught by the structure step.
  const merged: Record<string, unknown> = { ...item };
  for (const name of ['context', 'integrations'] as const) {
    const defaults = envelope[name];
    if (!defaults) continue;
    const itemValue = own(item, name);
    if (itemValue == null) merged[name] = { ...defaults };
    else if (isPlainObject(itemValue)) merged[name] = { ...defaults, ...itemValue };
  }
  if (own(item, 'sentAt') == null && envelope.sentAt != null) merged.sentAt = envelope.sentAt;
  return merged;
}

/**
 * The write key carried in the body (Segment SDKs send it; RudderStack's only send it in the
 * `Authorization` header, which is the HTTP layer's business). Looks at the body's `writeKey`,
 * then at the first batch item carrying one. Returns `null` when there is none. Never throws.
 */
export function extractWriteKey(body: unknown): string | null {
  try {
    if (!isPlainObject(body)) return null;
    const top = own(body, 'writeKey');
    if (typeof top === 'string' && top !== '') return top;
    const batch = own(body, 'batch');
    if (!Array.isArray(batch)) return null;
    for (const item of batch) {
      if (!isPlainObject(item)) continue;
      const key = own(item, 'writeKey');
      if (typeof key === 'string' && key !== '') return key;
    }
    return null;
  } catch {
    return null;
  }
}
