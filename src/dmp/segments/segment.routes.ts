import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { IdParams, NoContent, PageOf, PageQuery } from '../../http/schemas.js';
import { pageByIdArgs } from '../../kernel/pagination.js';
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  updateSegment,
} from './segment.service.js';

const SegmentSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  expression: Type.String({
    description: 'e.g. "trt_a AND (trt_b OR frequency(trt_c, 7d) >= 3) AND recency(trt_a) <= 30d"',
  }),
  taxonomyIds: Type.Array(Type.Integer(), { description: 'IAB Audience Taxonomy 1.1 IDs' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 2000 });
const Expression = Type.String({ minLength: 1, maxLength: 4000 });
const TaxonomyIds = Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 100 });
const advertisers = rolesAccess('advertiser');
const tags = ['dmp'];

export const segmentRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/segments',
    summary: 'Create a segment: a boolean rule over traits, mapped to taxonomy IDs',
    tags,
    access: advertisers,
    schema: {
      body: Type.Object(
        {
          name: Name,
          description: Type.Optional(Description),
          expression: Expression,
          taxonomyIds: Type.Optional(TaxonomyIds),
        },
        { additionalProperties: false },
      ),
      response: { 201: SegmentSchema },
    },
    handler: async ({ deps, body }) => ({ status: 201, body: await createSegment(deps, body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/segments',
    summary: 'List segments',
    tags,
    access: advertisers,
    schema: { querystring: PageQuery, response: { 200: PageOf(SegmentSchema) } },
    handler: async ({ deps, query }) => ({ body: await listSegments(deps, pageByIdArgs(query)) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/segments/:id',
    summary: 'Get one segment',
    tags,
    access: advertisers,
    schema: { params: IdParams, response: { 200: SegmentSchema } },
    handler: async ({ deps, params }) => ({ body: await getSegment(deps, params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/dmp/segments/:id',
    summary: 'Change a segment; a new rule requalifies the IDs holding its traits',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      body: Type.Object(
        {
          name: Type.Optional(Name),
          description: Type.Optional(Description),
          expression: Type.Optional(Expression),
          taxonomyIds: Type.Optional(TaxonomyIds),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: SegmentSchema },
    },
    handler: async ({ deps, params, body }) => ({
      body: await updateSegment(deps, params.id, body),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/dmp/segments/:id',
    summary: 'Delete a segment and its memberships',
    tags,
    access: advertisers,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async ({ deps, params }) => {
      await deleteSegment(deps, params.id);
      return { status: 204 };
    },
  }),
];
