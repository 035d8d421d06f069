import { Type } from 'typebox';
import { defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { IdParams } from '../../http/schemas.js';
import {
  recommendationStatus,
  recommendationsFor,
  refreshRecommendations,
} from './recommendation.service.js';

const tags = ['recommendations'];

const Stats = Type.Object({
  interactions: Type.Integer(),
  items: Type.Integer(),
  profilesWithHistory: Type.Integer(),
  profilesWritten: Type.Integer(),
  segments: Type.Integer(),
  tookMs: Type.Integer(),
});

export const recommendationRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/profiles/:id/recommendations',
    summary: 'Recommended items for a profile, computed from its interactions now',
    tags,
    access: rolesAccess('marketer'),
    schema: {
      params: IdParams,
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
      }),
      response: {
        200: Type.Object({
          profileId: Type.String(),
          items: Type.Array(Type.String()),
          basis: Type.String({ description: 'history, segment, popular or none' }),
        }),
      },
    },
    handler: async (ctx) => ({
      body: await recommendationsFor(ctx.deps, ctx.params.id, ctx.query.limit ?? 10),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/recommendations',
    summary: 'The recommendation model: last refresh and its figures',
    tags,
    access: rolesAccess('marketer', 'analyst'),
    schema: {
      response: {
        200: Type.Object({
          lastRefreshAt: Type.Union([Type.String(), Type.Null()]),
          stats: Type.Union([Stats, Type.Null()]),
          trait: Type.String(),
          traitSize: Type.Integer(),
          halfLifeDays: Type.Number(),
        }),
      },
    },
    handler: async (ctx) => ({ body: await recommendationStatus(ctx.deps) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/recommendations/refresh',
    summary: 'Rebuild the item model now and rewrite recommended_items on every profile',
    tags,
    access: rolesAccess('marketer'),
    schema: { response: { 200: Stats } },
    handler: async (ctx) => ({ body: await refreshRecommendations(ctx.deps) }),
  }),
];
