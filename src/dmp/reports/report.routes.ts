import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { IdParams } from '../../http/schemas.js';
import { segmentCounts, segmentOverlap, segmentReach } from './reach.service.js';

const Figure = Type.Object({
  estimate: Type.Number(),
  low: Type.Number(),
  high: Type.Number(),
  confidence: Type.Number(),
  exact: Type.Boolean(),
});
const Confidence = Type.Optional(Type.Number({ minimum: 0.5, maximum: 0.999 }));
const readers = rolesAccess('advertiser', 'analyst');
const tags = ['dmp'];

export const reportRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/segments/:id/reach',
    summary:
      'Reach of a segment (HyperLogLog estimate with a confidence interval); small ones suppressed',
    tags,
    access: readers,
    schema: {
      params: IdParams,
      querystring: Type.Object({ confidence: Confidence }),
      response: {
        200: Type.Object({
          segmentId: Type.String(),
          suppressed: Type.Boolean(),
          reach: Type.Union([Figure, Type.Null()]),
        }),
      },
    },
    handler: async ({ deps, params, query }) => ({
      body: await segmentReach(deps, params.id, query.confidence),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/segments/:id/overlap',
    summary: 'Estimated overlap with another segment (?with=); small figures suppressed',
    tags,
    access: readers,
    schema: {
      params: IdParams,
      querystring: Type.Object({
        with: Type.String({ minLength: 1, maxLength: 64 }),
        confidence: Confidence,
      }),
      response: {
        200: Type.Object({
          segmentIds: Type.Array(Type.String()),
          suppressed: Type.Boolean(),
          overlap: Type.Union([
            Type.Object({ ...Figure.properties, relativeError: Type.Number() }),
            Type.Null(),
          ]),
        }),
      },
    },
    handler: async ({ deps, params, query }) => ({
      body: await segmentOverlap(deps, params.id, query.with, query.confidence),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/reports/segments',
    summary: 'Member count of every segment; counts under the minimum size are suppressed',
    tags,
    access: readers,
    schema: {
      response: {
        200: Type.Object({
          minSegmentSize: Type.Integer(),
          data: Type.Array(
            Type.Object({
              segmentId: Type.String(),
              name: Type.String(),
              suppressed: Type.Boolean(),
              count: Type.Union([Type.Integer(), Type.Null()]),
            }),
          ),
        }),
      },
    },
    handler: async ({ deps }) => ({
      body: { minSegmentSize: deps.dmp.config.minSegmentSize, data: await segmentCounts(deps) },
    }),
  }),
];
