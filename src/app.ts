import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Principal } from './access/roles.js';
import { tokenRoutes } from './access/tokens/token.routes.js';
import { userRoutes } from './access/users/user.routes.js';
import { audienceRoutes } from './cdp/audiences/audience.routes.js';
import { collectionRoutes } from './cdp/collection/collection.routes.js';
import { ingestRoutes } from './cdp/collection/ingest.routes.js';
import { sourceForRequest } from './cdp/collection/write-key.js';
import { eventRoutes } from './cdp/events/event.routes.js';
import { insightRoutes } from './cdp/insights/insight.routes.js';
import { personalizationRoutes } from './cdp/personalization/personalization.routes.js';
import { predictionRoutes } from './cdp/predictions/prediction.routes.js';
import { profileRoutes } from './cdp/profiles/profile.routes.js';
import { replayRoutes } from './cdp/replay/replay.routes.js';
import type { Source } from './cdp/sources/source.js';
import { sourceRoutes } from './cdp/sources/source.routes.js';
import { crmRoutes } from './crm/crm.routes.js';
import { dmpRoutes } from './dmp/dmp.routes.js';
import { authenticate, authorize, checkSameOrigin } from './http/auth.js';
import { installJsonParser } from './http/body-parsers.js';
import { installCollectionBodyParser, installCollectionCors } from './http/collection.js';
import { installConsole } from './http/console.js';
import { hubSpotErrorBody } from './http/hubspot-error.js';
import { installMetrics } from './http/metrics.js';
import { installDocsUi, installOpenApi } from './http/openapi.js';
import { problemBody, problemContentType, statusOf, toAppError } from './http/problem.js';
import { registerRoute, requireAccessRules } from './http/register.js';
import type { AppDeps, RouteSpec } from './http/route.js';
import { Problem } from './http/schemas.js';
import { segmentErrorBody } from './http/segment-error.js';
import { systemRoutes } from './http/system.routes.js';
import { installValidation } from './http/validation.js';
import { AppError } from './kernel/errors.js';
import { newId } from './kernel/ids.js';
import { privacyRoutes } from './privacy/privacy.routes.js';
import { stackRoutes } from './stack/stack.routes.js';

export type { AppDeps };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    source: Source | undefined;
  }
}

export interface BuildAppOptions {
  /** `probes`: only the operator endpoints (health, readiness, metrics), for worker processes. */
  surfaces?: 'all' | 'probes';
  /** Extra routes (tests use this to exercise the platform with routes of their own). */
  extraRoutes?: RouteSpec[];
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The whole HTTP surface as a Fastify instance that is not listening yet: `main.ts` listens,
 * tests call `inject()`.
 */
export async function buildApp(
  deps: AppDeps,
  opts: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is Fastify's logger; the cast only widens the generic so plugins type-check.
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimitBytes,
    // Keep a caller's request id (so traces join up across services) when it is sane.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming)
        ? incoming
        : newId('request');
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });

  // Request logs carry the path only: query strings can hold write keys or identifiers.
  app.setChildLoggerFactory((logger, bindings, childOpts) =>
    logger.child(bindings, { ...childOpts, serializers: { req: serializeRequest } }),
  );

  await app.register(cookie);
  installValidation(app);
  installJsonParser(app);
  app.addSchema(Problem);
  await installOpenApi(app);
  const metrics = installMetrics(app);
  requireAccessRules(app);

  app.decorateRequest('principal', undefined);
  app.decorateRequest('source', undefined);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (!access) throw new AppError('internal', 'route has no access rule');
    // On collection routes the Authorization header carries a write key, checked once the
    // body (which may carry it instead) is parsed.
    if ('writeKey' in access) return;
    const principal = await authenticate(deps, request);
    authorize(access, principal);
    checkSameOrigin(request, principal);
    request.principal = principal;
  });
  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config.access;
    if (access && 'writeKey' in access && request.method !== 'OPTIONS') {
      request.source = await sourceForRequest(deps, request.headers.authorization, request.body);
    }
  });

  // While closing, answer in-flight requests with `Connection: close`, so keep-alive clients
  // let go and shutdown does not wait for their idle sockets to time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    const status = statusOf(appError.code);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code, detail: appError.message }, 'request refused');
    reply.code(status).headers(appError.headers);
    if (request.routeOptions.config?.errorFormat === 'segment') {
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify(segmentErrorBody(appError, request.id)));
    }
    if (request.routeOptions.config?.errorFormat === 'hubspot') {
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify(hubSpotErrorBody(appError, request.id)));
    }
    return reply
      .header('content-type', problemContentType)
      .send(JSON.stringify(problemBody(appError, request.id, pathOf(request.url))));
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new AppError(
      'route_not_found',
      `No route matches ${request.method} ${pathOf(request.url)}`,
    );
    return reply
      .code(404)
      .header('content-type', problemContentType)
      .send(JSON.stringify(problemBody(error, request.id, pathOf(request.url))));
  });

  const operatorRoutes = systemRoutes({
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.metrics() }),
    openApi: () => app.swagger(),
  });
  // A worker process (consumers only) still answers probes and metrics, nothing else.
  if (opts.surfaces === 'probes') {
    for (const route of operatorRoutes) registerRoute(app, deps, route);
    return app;
  }
  const routes: RouteSpec[] = [
    ...operatorRoutes,
    ...tokenRoutes,
    ...userRoutes,
    ...sourceRoutes,
    ...eventRoutes,
    ...profileRoutes,
    ...replayRoutes,
    ...audienceRoutes,
    ...ingestRoutes,
    ...crmRoutes,
    ...dmpRoutes,
    ...predictionRoutes,
    ...personalizationRoutes,
    ...insightRoutes,
    ...privacyRoutes,
    ...stackRoutes,
    ...(opts.extraRoutes ?? []),
  ];
  for (const route of routes) registerRoute(app, deps, route);
  // Collection speaks the Segment wire format: its own body parsing, CORS and limits.
  await app.register(async (scope) => {
    installCollectionBodyParser(scope, deps.config.collect.maxRequestBytes);
    installCollectionCors(scope);
    for (const route of collectionRoutes) registerRoute(scope, deps, route);
  });
  await installDocsUi(app);
  await installConsole(app);
  return app;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function serializeRequest(req: { method: string; url: string; id: string }) {
  return { method: req.method, path: pathOf(req.url), id: req.id };
}
