import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../kernel/logger.js';
import { auditHttpCall } from '../privacy/audit/audit-policy.js';
import {
  type Access,
  type AppDeps,
  publicAccess,
  type RouteResult,
  type RouteSpec,
} from './route.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    errorFormat?: 'problem' | 'hubspot' | 'segment';
  }
}

/** Turns a declared route into a Fastify route; authorization runs in the app-wide hook. */
export function registerRoute(app: FastifyInstance, deps: AppDeps, spec: RouteSpec): void {
  const shutdown = shutdownSignalOf(app);
  if (spec.rawBody) {
    // Content-type parsers are per scope in Fastify: a scope of its own lets this route take
    // any body as a stream without changing how the rest of the app parses bodies.
    app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
      addRoute(scope, deps, spec, shutdown);
    });
    return;
  }
  addRoute(app, deps, spec, shutdown);
}

const shutdownControllers = new WeakMap<FastifyInstance, AbortController>();

/** One signal per app instance, aborted by its first `preClose`. */
function shutdownSignalOf(app: FastifyInstance): AbortSignal {
  let controller = shutdownControllers.get(app);
  if (!controller) {
    const created = new AbortController();
    app.addHook('preClose', async () => created.abort());
    shutdownControllers.set(app, created);
    controller = created;
  }
  return controller.signal;
}

function addRoute(
  app: FastifyInstance,
  deps: AppDeps,
  spec: RouteSpec,
  shutdown: AbortSignal,
): void {
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit }),
    config: { access: spec.access, errorFormat: spec.errorFormat ?? 'problem' },
    schema: {
      summary: spec.summary,
      tags: spec.tags,
      security: securityOf(spec.access),
      ...(spec.schema.params ? { params: spec.schema.params } : {}),
      ...(spec.schema.querystring ? { querystring: spec.schema.querystring } : {}),
      ...(spec.schema.body ? { body: spec.schema.body } : {}),
      response: { ...spec.schema.response, '4XX': { $ref: 'Problem#' } },
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const result = await spec.handler({
        params: request.params as never,
        query: request.query as never,
        body: request.body as never,
        principal: request.principal,
        source: request.source,
        remoteAddress: request.socket.remoteAddress ?? request.ip,
        host: request.headers.host ?? request.hostname,
        cookies: request.cookies,
        headers: request.headers,
        deps,
        log: request.log as Logger,
        requestId: request.id,
        protocol: request.protocol,
        bodyStream: spec.rawBody ? (request.body as Readable | undefined) : undefined,
        shutdown,
      });
      const status = result.status ?? 200;
      if (status < 400) {
        await auditHttpCall(deps, spec.audit, {
          method: request.method,
          url: request.url,
          actor: request.principal?.id,
          requestId: request.id,
          status,
        });
      }
      return send(reply, result);
    },
  });
}

function securityOf(access: Access): Record<string, string[]>[] {
  if ('public' in access) return [];
  if ('writeKey' in access) return [{ writeKey: [] }];
  return [{ bearerAuth: [] }, { sessionCookie: [] }];
}

function send(reply: FastifyReply, result: RouteResult) {
  for (const cookie of result.cookies ?? []) {
    reply.setCookie(cookie.name, cookie.value, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: reply.request.protocol === 'https',
      ...(cookie.maxAgeSeconds === undefined ? {} : { maxAge: cookie.maxAgeSeconds }),
    });
  }
  if (result.headers) reply.headers(result.headers);
  reply.code(result.status ?? 200);
  return reply.send(result.body ?? null);
}

/**
 * Every route must say who may call it. Routes that plugins add under /docs (the API
 * reference and its static files) are public; any other route without a rule is a bug caught
 * at start-up rather than an endpoint left open.
 */
export function requireAccessRules(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.config?.access) return;
    if (route.url === '/docs' || route.url.startsWith('/docs/')) {
      route.config = { ...route.config, access: publicAccess };
      return;
    }
    throw new Error(`route ${route.method} ${route.url} declares no access rule`);
  });
}
