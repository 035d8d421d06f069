import { Type } from 'typebox';
import { defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { IdParams, NoContent, PageOf, PageQuery } from '../../http/schemas.js';
import { pageByIdArgs } from '../../kernel/pagination.js';
import {
  activateLookalike,
  createLookalike,
  deleteLookalike,
  getLookalike,
  listLookalikes,
  refreshLookalike,
} from './lookalike.service.js';
import { modelKinds } from './model.js';

const Fraction = Type.Number({ exclusiveMinimum: 0, maximum: 1 });
const TraitStatSchema = Type.Object({
  traitId: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  weight: Type.Number(),
  lift: Type.Number(),
  seedRate: Type.Number(),
  populationRate: Type.Number(),
});
const CurvePointSchema = Type.Object({
  reach: Type.Number({ description: 'fraction of the non-seed population' }),
  audienceSize: Type.Union([Type.Integer(), Type.Null()]),
  suppressed: Type.Boolean(),
  precision: Type.Number({ description: 'share of held-out seed members in the audience' }),
  recall: Type.Number({ description: 'share of held-out seed members the audience holds' }),
  baselinePrecision: Type.Number({ description: 'precision of a random ranking' }),
  lift: Type.Number(),
});
const SeedSchema = Type.Union([
  Type.Object(
    { segmentId: Type.String({ minLength: 1, maxLength: 64 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { list: Type.String({ minLength: 1, maxLength: 64 }) },
    { additionalProperties: false },
  ),
]);
const ModelSchema = Type.Union(modelKinds.map((kind) => Type.Literal(kind)));
const LookalikeSchema = Type.Object({
  id: Type.String(),
  traitId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  seed: SeedSchema,
  model: ModelSchema,
  status: Type.Union([Type.Literal('trained'), Type.Literal('active')]),
  holdout: Type.Number(),
  ttlDays: Type.Integer(),
  seedSize: Type.Integer(),
  populationSize: Type.Union([Type.Integer(), Type.Null()]),
  minSegmentSize: Type.Integer(),
  curve: Type.Array(CurvePointSchema),
  topTraits: Type.Array(TraitStatSchema),
  activation: Type.Union([
    Type.Object({
      reach: Type.Number(),
      audienceSize: Type.Integer(),
      activatedAt: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ]),
  trainedAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const advertisers = rolesAccess('advertiser');
const tags = ['dmp'];

export const lookalikeRoutes: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/lookalikes',
    summary: 'Create a lookalike model from a seed and train it; answers its accuracy-reach curve',
    tags,
    access: advertisers,
    schema: {
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 200 }),
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          seed: SeedSchema,
          model: Type.Optional(ModelSchema),
          holdout: Type.Optional(Type.Number({ minimum: 0.1, maximum: 0.5 })),
          reachLevels: Type.Optional(Type.Array(Fraction, { minItems: 1, maxItems: 20 })),
          ttlDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
        },
        { additionalProperties: false },
      ),
      response: { 201: LookalikeSchema },
    },
    handler: async ({ deps, body }) => ({ status: 201, body: await createLookalike(deps, body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/lookalikes',
    summary: 'List lookalike models',
    tags,
    access: advertisers,
    schema: { querystring: PageQuery, response: { 200: PageOf(LookalikeSchema) } },
    handler: async ({ deps, query }) => ({ body: await listLookalikes(deps, pageByIdArgs(query)) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/lookalikes/:id',
    summary: 'Get one lookalike model: curve, top traits, seed size, status',
    tags,
    access: advertisers,
    schema: { params: IdParams, response: { 200: LookalikeSchema } },
    handler: async ({ deps, params }) => ({ body: await getLookalike(deps, params.id) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/lookalikes/:id/activate',
    summary:
      'Realize the lookalike trait for the best-scoring non-seed IDs, at a reach (fraction), a count or the widest reach of a precision',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      body: Type.Union([
        Type.Object({ reach: Fraction }, { additionalProperties: false }),
        Type.Object(
          { count: Type.Integer({ minimum: 1, maximum: 100_000_000 }) },
          { additionalProperties: false },
        ),
        Type.Object(
          { precision: Type.Number({ minimum: 0, maximum: 1 }) },
          { additionalProperties: false },
        ),
      ]),
      response: { 200: LookalikeSchema },
    },
    handler: async ({ deps, params, body }) => ({
      body: await activateLookalike(deps, params.id, body),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/lookalikes/:id/refresh',
    summary: 'Retrain on the seed as it is now; an active lookalike is re-activated at its reach',
    tags,
    access: advertisers,
    schema: { params: IdParams, response: { 200: LookalikeSchema } },
    handler: async ({ deps, params }) => ({ body: await refreshLookalike(deps, params.id) }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/dmp/lookalikes/:id',
    summary: 'Delete a lookalike and its trait (409 while a segment uses the trait)',
    tags,
    access: advertisers,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async ({ deps, params }) => {
      await deleteLookalike(deps, params.id);
      return { status: 204 };
    },
  }),
] as RouteSpec[];
