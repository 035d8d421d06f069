import type { Readable } from 'node:stream';
import type { Static, TSchema } from 'typebox';
import type { Principal, Role } from '../access/roles.js';
import type { Source } from '../cdp/sources/source.js';
import type { Config } from '../config.js';
import type { CrmRuntime } from '../crm/runtime.js';
import type { DmpRuntime } from '../dmp/runtime.js';
import type { Deps } from '../kernel/deps.js';
import type { Logger } from '../kernel/logger.js';
import type { EventLog } from '../log/event-log.js';
import type { Store } from '../storage/store.js';

/**
 * Routes are declared as data: schema, access rule and a handler that returns a result.
 * Only `http/` turns them into Fastify routes, so features never depend on the web framework
 * and the OpenAPI document, validation and authorization all come from the same declaration.
 */

/**
 * Who may call a route. `admin` passes every role check. `writeKey` routes are called by SDKs
 * with a source's write key instead of a token (event collection).
 */
export type Access = { public: true } | { roles: readonly Role[] } | { writeKey: true };

export const writeKeyAccess: Access = { writeKey: true };

export const publicAccess: Access = { public: true };
export const rolesAccess = (...roles: Role[]): Access => ({ roles });

export interface RouteSchemas {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  response: Record<number, TSchema>;
}

type StaticOf<T> = T extends TSchema ? Static<T> : undefined;

export interface AppDeps extends Deps {
  store: Store;
  eventLog: EventLog;
  dmp: DmpRuntime;
  crm: CrmRuntime;
  config: Pick<Config, 'bodyLimitBytes' | 'collect'>;
}

export interface RouteContext<S extends RouteSchemas> {
  params: StaticOf<S['params']>;
  query: StaticOf<S['querystring']>;
  body: StaticOf<S['body']>;
  /** Set on every route whose access is a role list; undefined on public routes. */
  principal: Principal | undefined;
  /** The source whose write key authorized a collection request (`writeKey` routes). */
  source: Source | undefined;
  /** The peer address of the connection (a proxy's, when behind one). */
  remoteAddress: string;
  /** The Host the client addressed, as sent. */
  host: string;
  cookies: Record<string, string | undefined>;
  headers: Record<string, string | string[] | undefined>;
  deps: AppDeps;
  log: Logger;
  requestId: string;
  /** `https` when the request arrived over TLS, as seen by the server. */
  protocol: 'http' | 'https';
  /** The unparsed request body, on routes declared with `rawBody` (uploads); else undefined. */
  bodyStream: Readable | undefined;
  /** Aborted when the server starts closing: long-lived responses (event streams) end on it. */
  shutdown: AbortSignal;
}

export interface CookieToSet {
  name: string;
  value: string;
  /** Omit for a session cookie; 0 deletes the cookie. */
  maxAgeSeconds?: number;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  cookies?: CookieToSet[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RouteSpec<S extends RouteSchemas = RouteSchemas> {
  method: HttpMethod;
  url: string;
  summary: string;
  tags: string[];
  access: Access;
  schema: S;
  /** Per-route override of the request body limit, in bytes. */
  bodyLimit?: number;
  /**
   * The body is handed over unread as `bodyStream`, whatever its content type, so a handler
   * can stream an upload of any size; the handler enforces its own limits.
   */
  rawBody?: boolean;
  /**
   * How errors are answered: RFC 9457 problem+json (default), or HubSpot's error body
   * (`{status, message, correlationId, category}`) on the HubSpot-compatible CRM API.
   */
  errorFormat?: 'problem' | 'hubspot' | 'segment';
  /**
   * How successful calls are written to the audit log: `read`, `write` or `export`, or false for
   * never. Omitted: decided from the path (personal-data routes; see `privacy/audit`).
   */
  audit?: 'read' | 'write' | 'export' | false;
  // Method syntax on purpose: it lets a RouteSpec<Specific> sit in a RouteSpec[] list.
  handler(ctx: RouteContext<S>): Promise<RouteResult> | RouteResult;
}

export function defineRoute<S extends RouteSchemas>(spec: RouteSpec<S>): RouteSpec<S> {
  return spec;
}

/** The principal of a role-gated route; the auth hook guarantees there is one. */
export function principalOf(ctx: { principal: Principal | undefined }): Principal {
  if (!ctx.principal) throw new Error('principalOf called on a public route');
  return ctx.principal;
}

/** Only admins (who pass every role check anyway). */
export const adminOnly: Access = { roles: [] };
