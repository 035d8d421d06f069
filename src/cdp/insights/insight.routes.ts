import { Type } from 'typebox';
import { defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { traitDistribution } from './distribution.js';
import { audienceHistory, eventVolume, funnel, retention } from './insight.service.js';

const readers = rolesAccess('marketer', 'analyst');
const tags = ['insights'];

const When = Type.String({ maxLength: 40, description: 'ISO date-time' });
const AudienceParam = Type.String({
  minLength: 1,
  maxLength: 80,
  description: 'Only profiles currently in this audience (ID or key)',
});
const Range = {
  from: Type.Optional(When),
  to: Type.Optional(When),
  audience: Type.Optional(AudienceParam),
};

const volume = defineRoute({
  method: 'GET',
  url: '/api/v1/insights/volume',
  summary: 'Event volume over time, by event name and source',
  tags,
  access: readers,
  schema: {
    querystring: Type.Object(
      {
        interval: Type.Optional(
          Type.Union([Type.Literal('hour'), Type.Literal('day'), Type.Literal('week')]),
        ),
        event: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        sourceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        ...Range,
      },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({
        interval: Type.String(),
        from: Type.String(),
        to: Type.String(),
        audience: Type.Union([Type.String(), Type.Null()]),
        buckets: Type.Array(Type.String()),
        totals: Type.Array(Type.Integer()),
        total: Type.Integer(),
        series: Type.Array(
          Type.Object({
            name: Type.String(),
            sourceId: Type.String(),
            total: Type.Integer(),
            counts: Type.Array(Type.Integer()),
          }),
        ),
      }),
    },
  },
  handler: async (ctx) => ({ body: await eventVolume(ctx.deps, ctx.query) }),
});

const funnelRoute = defineRoute({
  method: 'POST',
  url: '/api/v1/insights/funnel',
  summary: 'Conversion between ordered events within a window',
  tags,
  access: readers,
  schema: {
    body: Type.Object(
      {
        steps: Type.Array(
          Type.Object(
            { event: Type.String({ minLength: 1, maxLength: 200 }) },
            { additionalProperties: false },
          ),
          { minItems: 2, maxItems: 10 },
        ),
        windowHours: Type.Integer({ minimum: 1, maximum: 24 * 366 }),
        ...Range,
      },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({
        from: Type.String(),
        to: Type.String(),
        windowHours: Type.Integer(),
        audience: Type.Union([Type.String(), Type.Null()]),
        steps: Type.Array(
          Type.Object({
            event: Type.String(),
            count: Type.Integer(),
            conversion: Type.Number(),
            fromPrevious: Type.Number(),
          }),
        ),
      }),
    },
  },
  handler: async (ctx) => ({ body: await funnel(ctx.deps, ctx.body) }),
});

const retentionRoute = defineRoute({
  method: 'GET',
  url: '/api/v1/insights/retention',
  summary: 'Weekly retention by first-seen week',
  tags,
  access: readers,
  schema: {
    querystring: Type.Object(
      { weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 52 })), ...Range },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({
        from: Type.String(),
        to: Type.String(),
        weeks: Type.Integer(),
        audience: Type.Union([Type.String(), Type.Null()]),
        cohorts: Type.Array(
          Type.Object({
            cohort: Type.String(),
            size: Type.Integer(),
            retained: Type.Array(Type.Integer()),
            rates: Type.Array(Type.Number()),
          }),
        ),
      }),
    },
  },
  handler: async (ctx) => ({ body: await retention(ctx.deps, ctx.query) }),
});

const historyRoute = defineRoute({
  method: 'GET',
  url: '/api/v1/insights/audiences/:id/history',
  summary: 'Audience size at the end of each day',
  tags,
  access: readers,
  schema: {
    params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) }),
    querystring: Type.Object(
      { from: Type.Optional(When), to: Type.Optional(When) },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({
        audience: Type.Object({
          id: Type.String(),
          key: Type.String(),
          name: Type.String(),
          size: Type.Integer(),
        }),
        from: Type.String(),
        to: Type.String(),
        days: Type.Array(
          Type.Object({
            day: Type.String(),
            size: Type.Integer(),
            entered: Type.Integer(),
            exited: Type.Integer(),
          }),
        ),
      }),
    },
  },
  handler: async (ctx) => ({ body: await audienceHistory(ctx.deps, ctx.params.id, ctx.query) }),
});

const distributionRoute = defineRoute({
  method: 'GET',
  url: '/api/v1/insights/traits/:name/distribution',
  summary: 'How a trait (profile, computed or predicted) is spread over profiles',
  tags,
  access: readers,
  schema: {
    params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }),
    querystring: Type.Object(
      {
        top: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        buckets: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        audience: Type.Optional(AudienceParam),
      },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({
        trait: Type.String(),
        source: Type.String(),
        kind: Type.String(),
        audience: Type.Union([Type.String(), Type.Null()]),
        profiles: Type.Integer(),
        missing: Type.Integer(),
        top: Type.Array(Type.Object({ value: Type.Unknown(), count: Type.Integer() })),
        others: Type.Object({ values: Type.Integer(), count: Type.Integer() }),
        histogram: Type.Union([
          Type.Object({
            min: Type.Number(),
            max: Type.Number(),
            buckets: Type.Array(
              Type.Object({ from: Type.Number(), to: Type.Number(), count: Type.Integer() }),
            ),
          }),
          Type.Null(),
        ]),
      }),
    },
  },
  handler: async (ctx) => ({
    body: await traitDistribution(ctx.deps, ctx.params.name, ctx.query),
  }),
});

export const insightRoutes: RouteSpec[] = [
  volume,
  funnelRoute,
  retentionRoute,
  historyRoute,
  distributionRoute,
];
