import UAParser from 'ua-parser-js';
import { field, type JsonObject } from './json.js';
import { type CollectedEvent, ok, type StepResult } from './types.js';

/** The context key this step writes. */
export const PARSED_USER_AGENT_KEY = 'userAgentParsed';

/**
 * Step 7: parses `context.userAgent` into `context.userAgentParsed`:
 * `{ browser: {name, version}, engine: {name, version}, os: {name, version},
 *    device: {type, vendor, model} }`, each part and field present only when recognised.
 *
 * A key of its own, rather than filling `context.device` / `context.os`, because those are
 * Segment spec fields that mobile SDKs set with different meanings (`device.type` is "ios" or
 * "android" there, "mobile" or "tablet" here), and `context.userAgentData` already carries the
 * browser's client hints. A client-sent `userAgentParsed` is never overwritten. Only the
 * message's `context.userAgent` is used: the HTTP User-Agent of a server-side SDK names the SDK,
 * not the end user's browser.
 */
export function userAgentStep(event: CollectedEvent): StepResult<CollectedEvent> {
  const userAgent = field(event.context, 'userAgent');
  if (typeof userAgent !== 'string' || userAgent.trim() === '') return ok(event);
  if (field(event.context, PARSED_USER_AGENT_KEY) !== undefined) return ok(event);
  const parsed = parseUserAgent(userAgent);
  if (Object.keys(parsed).length === 0) return ok(event);
  return ok({ ...event, context: { ...event.context, [PARSED_USER_AGENT_KEY]: parsed } });
}

/** The recognised parts of a user agent string; empty when nothing is recognised. */
const parsedByUserAgent = new Map<string, JsonObject>();

/**
 * Parses a user agent string, memoized: traffic repeats a few hundred user agents, and the
 * parser's regular expressions are the costliest part of enrichment. The result is deeply
 * frozen and shared between events; nothing downstream may change it.
 */
export function parseUserAgent(userAgent: string): JsonObject {
  let parsed = parsedByUserAgent.get(userAgent);
  if (parsed === undefined) {
    parsed = parseUncached(userAgent);
    for (const part of Object.values(parsed)) Object.freeze(part);
    Object.freeze(parsed);
    if (parsedByUserAgent.size >= 2000) parsedByUserAgent.clear();
    parsedByUserAgent.set(userAgent, parsed);
  }
  return parsed;
}

function parseUncached(userAgent: string): JsonObject {
  const result = new UAParser(userAgent).getResult();
  const parts: Record<string, Record<string, string | undefined>> = {
    browser: { name: result.browser.name, version: result.browser.version },
    engine: { name: result.engine.name, version: result.engine.version },
    os: { name: result.os.name, version: result.os.version },
    device: { type: result.device.type, vendor: result.device.vendor, model: result.device.model },
  };
  const out: JsonObject = {};
  for (const [part, fields] of Object.entries(parts)) {
    const known: JsonObject = {};
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === 'string' && value !== '') known[name] = value;
    }
    if (Object.keys(known).length > 0) out[part] = known;
  }
  return out;
}
