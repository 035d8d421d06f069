import { REJECTION_CODES } from './codes.js';
import { type JsonObject, objectField } from './json.js';
import type { Limits } from './limits.js';
import { dlq, ok, type StepResult } from './types.js';

type SizeLimits = Pick<Limits, 'maxEventBytes' | 'maxObjectKeys'>;

/**
 * Step 2: rejects a message whose serialized JSON exceeds `maxEventBytes` or whose `traits`,
 * `properties` or `context.traits` has more than `maxObjectKeys` top-level keys.
 *
 * Size is measured on the message as the client sent it plus merged batch defaults, before
 * server-side enrichment, so what Triad adds never pushes a valid message over the limit.
 */
export function sizeStep(
  message: JsonObject,
  limits: SizeLimits,
  /** An upper bound on the JSON size already known (see `structureStep`); skips serializing. */
  upperBound?: number,
): StepResult<JsonObject> {
  const bytes =
    upperBound !== undefined && upperBound <= limits.maxEventBytes
      ? upperBound
      : Buffer.byteLength(JSON.stringify(message), 'utf8');
  if (bytes > limits.maxEventBytes) {
    return dlq(
      REJECTION_CODES.eventTooLarge,
      `message is ${bytes} bytes of JSON; the limit is ${limits.maxEventBytes}`,
    );
  }
  const context = objectField(message, 'context');
  const checked: [string, JsonObject | undefined][] = [
    ['traits', objectField(message, 'traits')],
    ['properties', objectField(message, 'properties')],
    ['context.traits', context && objectField(context, 'traits')],
  ];
  for (const [name, obj] of checked) {
    const count = obj ? Object.keys(obj).length : 0;
    if (count > limits.maxObjectKeys) {
      return dlq(
        REJECTION_CODES.tooManyKeys,
        `${name} has ${count} keys; the limit is ${limits.maxObjectKeys}`,
      );
    }
  }
  return ok(message);
}
