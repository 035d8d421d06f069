import { Type } from 'typebox';
import {
  defineRoute,
  publicAccess,
  type RouteContext,
  type RouteSchemas,
  writeKeyAccess,
} from '../../http/route.js';
import { AppError } from '../../kernel/errors.js';
import { findSourceByWriteKey } from '../sources/source.service.js';
import { collect } from './collect.service.js';
import { clientIp, type EndpointKind } from './pipeline/index.js';

/** Segment's paths and analytics.js's one-letter ones, both accepted. */
const endpoints: [path: string, kind: EndpointKind][] = [
  ['track', 'track'],
  ['identify', 'identify'],
  ['page', 'page'],
  ['screen', 'screen'],
  ['group', 'group'],
  ['alias', 'alias'],
  ['batch', 'batch'],
  ['t', 'track'],
  ['i', 'identify'],
  ['p', 'page'],
  ['s', 'screen'],
  ['g', 'group'],
  ['a', 'alias'],
  ['b', 'batch'],
];

const Accepted = Type.Object({
  success: Type.Literal(true),
  accepted: Type.Integer({ description: 'Events stored (retried messages count once)' }),
  duplicates: Type.Integer({
    description: 'Messages already stored: acknowledged, not stored again',
  }),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'Position in the batch (0 for a single message)' }),
      messageId: Type.Union([Type.String(), Type.Null()]),
      code: Type.String(),
      reason: Type.String(),
    }),
  ),
});

const EventBody = Type.Unknown({
  description:
    'A Segment message, or for batch endpoints {batch: [...], context?, integrations?, sentAt?}. Sent as JSON, text/plain JSON or gzip.',
});

function collectRoute(path: string, kind: EndpointKind) {
  return defineRoute({
    method: 'POST',
    url: `/v1/${path}`,
    summary:
      kind === 'batch'
        ? `Send a batch of events (/v1/${path})`
        : `Send one ${kind} event (/v1/${path})`,
    tags: ['collection'],
    access: writeKeyAccess,
    schema: { body: EventBody, response: { 200: Accepted } },
    handler: (ctx) => handleCollect(ctx, kind),
  });
}

async function handleCollect(ctx: RouteContext<RouteSchemas>, kind: EndpointKind) {
  const { deps } = ctx;
  const source = ctx.source;
  if (!source) throw new AppError('unauthorized', 'Missing write key');
  if (deps.eventLog.pending() > deps.config.collect.maxPendingEvents) {
    throw new AppError('rate_limited', 'Triad is over capacity; retry shortly', [], {
      'retry-after': '1',
    });
  }
  const forwarded = ctx.headers['x-forwarded-for'];
  const connectionIp =
    clientIp(ctx.remoteAddress, forwarded, deps.config.collect.trustedProxies) ?? undefined;
  const outcome = await collect(deps, { source, body: ctx.body, endpoint: kind, connectionIp });
  const rejected = outcome.rejections.map(({ index, messageId, code, reason }) => ({
    index,
    messageId,
    code,
    reason,
  }));
  // A body with nothing usable is a client error. Events a tracking plan blocked (`drop`) are
  // not: the sender did what it was asked, and Segment answers them with success too.
  const invalid = outcome.rejections.some((r) => r.kind === 'dlq');
  if (outcome.accepted === 0 && invalid) {
    const first = rejected[0];
    throw new AppError(
      'validation_failed',
      rejected.length === 1 && first
        ? `The event was rejected: ${first.reason}`
        : `All ${rejected.length} events were rejected`,
      rejected.map((r) => ({
        field: r.index < 0 ? 'body' : `batch[${r.index}]`,
        message: `${r.code}: ${r.reason}`,
      })),
    );
  }
  return {
    body: {
      success: true,
      accepted: outcome.accepted - outcome.duplicates,
      duplicates: outcome.duplicates,
      rejected,
    },
  };
}

const Settings = Type.Object({
  integrations: Type.Object({
    'Segment.io': Type.Object({
      apiKey: Type.String(),
      apiHost: Type.String(),
      protocol: Type.String(),
    }),
  }),
  metrics: Type.Object({ sampleRate: Type.Number() }),
});

export const collectionRoutes = [
  ...endpoints.map(([path, kind]) => collectRoute(path, kind)),
  defineRoute({
    method: 'POST',
    url: '/v1/m',
    summary: 'analytics.js client metrics: accepted and counted (in /metrics), not stored',
    tags: ['collection'],
    access: publicAccess,
    schema: {
      body: Type.Unknown(),
      response: { 200: Type.Object({ success: Type.Literal(true) }) },
    },
    handler: () => ({ body: { success: true } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/projects/:writeKey/settings',
    summary: 'analytics.js settings that keep the library talking to this server only',
    tags: ['collection'],
    access: publicAccess,
    schema: {
      params: Type.Object({ writeKey: Type.String({ maxLength: 200 }) }),
      response: { 200: Settings },
    },
    handler: async ({ deps, params, host, protocol }) => {
      const source = await findSourceByWriteKey(deps, params.writeKey);
      if (!source) throw new AppError('not_found', 'Unknown write key');
      if (!source.enabled) throw new AppError('forbidden', `Source "${source.name}" is disabled`);
      return {
        body: {
          // Exactly one integration: any other key makes analytics.js load third-party code.
          integrations: {
            'Segment.io': { apiKey: source.writeKey, apiHost: `${host}/v1`, protocol },
          },
          metrics: { sampleRate: 0 },
        },
        headers: { 'cache-control': 'public, max-age=60' },
      };
    },
  }),
  defineRoute({
    method: 'OPTIONS',
    url: '/v1/*',
    summary: 'CORS preflight for browser SDKs',
    tags: ['collection'],
    access: publicAccess,
    schema: { response: { 204: Type.Null() } },
    handler: () => ({ status: 204 }),
  }),
];
