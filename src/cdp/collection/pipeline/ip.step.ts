import { isIP } from 'node:net';
import { field } from './json.js';
import { type CollectedEvent, ok, type StepResult } from './types.js';

export interface IpOptions {
  /** The client address as resolved by the caller (see `clientIp`). */
  connectionIp?: string | undefined;
}

/**
 * Step 9: sets `context.ip` to the connection's address when the client did not send one.
 * A client-sent `context.ip` wins: server-side SDKs forward their end user's address there, and
 * the connection would only name the server. A `null` or empty `context.ip` counts as not sent.
 * Connection addresses that are not valid IPs are ignored.
 */
export function ipStep(event: CollectedEvent, options: IpOptions): StepResult<CollectedEvent> {
  const sent = field(event.context, 'ip');
  if (sent !== undefined && sent !== null && sent !== '') return ok(event);
  const ip = options.connectionIp;
  if (ip === undefined || isIP(ip) === 0) return ok(event);
  return ok({ ...event, context: { ...event.context, ip } });
}
