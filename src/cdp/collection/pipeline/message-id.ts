import { createHash, randomUUID } from 'node:crypto';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/**
 * Makes a `messageId` for a message that arrived without one (Segment fills it in server-side
 * too; every official SDK sends its own).
 *
 * When the message carries a client time (`timestamp` or `originalTimestamp`) the ID is a hash
 * of its content minus `sentAt` (which clients refresh on every retry), so a retried request
 * gets the same ID and downstream dedupe works. Two genuinely distinct events with identical
 * content and identical client times are indistinguishable from a retry, so merging them is the
 * right call. Without a client time, identical content is common for legitimate repeats (a
 * bare `curl` of the same track call), so the ID is random instead.
 *
 * Generated IDs start with `triad-` so they are recognisable in storage and support tickets.
 */
export function generateMessageId(
  message: JsonObject,
  randomId: () => string = randomUUID,
): string {
  const hasClientTime =
    typeof message.timestamp === 'string' || typeof message.originalTimestamp === 'string';
  if (!hasClientTime) return `triad-${randomId()}`;
  const { sentAt: _sentAt, messageId: _messageId, ...content } = message;
  const digest = createHash('sha256').update(canonicalJson(content)).digest('hex');
  return `triad-${digest.slice(0, 32)}`;
}

/** JSON with object keys sorted at every level, so equal content hashes equally. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const parts = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] ?? null)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}
