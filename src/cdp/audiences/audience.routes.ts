import { Type } from 'typebox';
import { defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { IdParams, NoContent, PageOf, PageQuery } from '../../http/schemas.js';
import { defaultPageSize } from '../../kernel/pagination.js';
import { destinationRoutes } from '../destinations/destination.routes.js';
import {
  audienceHistory,
  audienceMembers,
  conditionOf,
  createAudience,
  deleteAudience,
  getAudience,
  listAudiences,
  runAudienceNow,
  updateAudience,
} from './audience.service.js';
import {
  createComputedTrait,
  deleteComputedTrait,
  getComputedTrait,
  listComputedTraits,
} from './computed-trait.service.js';
import { formatCondition } from './definition.text.js';
import { previewAudience } from './preview.js';

const editors = rolesAccess('marketer');
const readers = rolesAccess('marketer', 'analyst');
const tags = ['audiences'];

const Mode = Type.Union([Type.Literal('realtime'), Type.Literal('batch')]);
const DefinitionInput = {
  definition: Type.Optional(Type.Unknown({ description: 'The condition as a JSON AST' })),
  text: Type.Optional(Type.String({ maxLength: 20000, description: 'The condition in text form' })),
};
const AudienceSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  description: Type.String(),
  definition: Type.Unknown(),
  text: Type.String(),
  mode: Mode,
  status: Type.String({ description: 'backfilling or ready' }),
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
  size: Type.Integer(),
  lastBatchAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const ComputedTraitSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  definition: Type.Unknown(),
  status: Type.String(),
  createdAt: Type.String(),
});
const Key = Type.String({ minLength: 1, maxLength: 80 });
const Name = Type.String({ minLength: 1, maxLength: 200 });

const audienceOnly: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/audiences',
    summary: 'Create an audience (backfills from history in the background)',
    tags,
    access: editors,
    schema: {
      body: Type.Object(
        {
          key: Key,
          name: Name,
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          mode: Type.Optional(Mode),
          ...DefinitionInput,
        },
        { additionalProperties: false },
      ),
      response: { 201: AudienceSchema },
    },
    handler: async (ctx) => ({ status: 201, body: await createAudience(ctx.deps, ctx.body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audiences',
    summary: 'List audiences with their sizes',
    tags,
    access: readers,
    schema: { response: { 200: Type.Object({ data: Type.Array(AudienceSchema) }) } },
    handler: async (ctx) => ({ body: { data: await listAudiences(ctx.deps) } }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/audiences/preview',
    summary: 'Estimate the size of a definition without creating it',
    tags,
    access: readers,
    schema: {
      body: Type.Object(
        {
          ...DefinitionInput,
          sampleSize: Type.Optional(Type.Integer({ minimum: 10, maximum: 100000 })),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          estimate: Type.Integer(),
          low: Type.Integer(),
          high: Type.Integer(),
          sampled: Type.Integer(),
          matched: Type.Integer(),
          totalProfiles: Type.Integer(),
          exact: Type.Boolean(),
          tookMs: Type.Integer(),
          text: Type.String(),
        }),
      },
    },
    handler: async (ctx) => {
      const condition = conditionOf(ctx.body);
      const result = await previewAudience(ctx.deps, condition, {
        ...(ctx.body.sampleSize ? { sampleSize: ctx.body.sampleSize } : {}),
      });
      return { body: { ...result, text: formatCondition(condition) } };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audiences/:id',
    summary: 'An audience with its size and backfill progress',
    tags,
    access: readers,
    schema: { params: IdParams, response: { 200: AudienceSchema } },
    handler: async (ctx) => ({ body: await getAudience(ctx.deps, ctx.params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/audiences/:id',
    summary: 'Rename, redefine, or switch an audience between real-time and batch',
    tags,
    access: editors,
    schema: {
      params: IdParams,
      body: Type.Object(
        {
          name: Type.Optional(Name),
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          mode: Type.Optional(Mode),
          ...DefinitionInput,
        },
        { additionalProperties: false },
      ),
      response: { 200: AudienceSchema },
    },
    handler: async (ctx) => ({ body: await updateAudience(ctx.deps, ctx.params.id, ctx.body) }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/audiences/:id',
    summary: 'Delete an audience',
    tags,
    access: editors,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      await deleteAudience(ctx.deps, ctx.params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/audiences/:id/run',
    summary: 'Evaluate the audience over every profile now (batch run)',
    tags,
    access: editors,
    schema: { params: IdParams, response: { 202: Type.Object({ started: Type.Boolean() }) } },
    handler: async (ctx) => {
      await runAudienceNow(ctx.deps, ctx.params.id);
      return { status: 202, body: { started: true } };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audiences/:id/members',
    summary: 'Members of an audience (cursor-paged by profile)',
    tags,
    access: editors,
    schema: {
      params: IdParams,
      querystring: PageQuery,
      response: {
        200: PageOf(Type.Object({ profileId: Type.String(), enteredAt: Type.String() })),
      },
    },
    handler: async (ctx) => ({
      body: await audienceMembers(ctx.deps, ctx.params.id, {
        limit: ctx.query.limit ?? defaultPageSize,
        cursor: ctx.query.cursor,
      }),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audiences/:id/history',
    summary: 'Entries and exits of an audience, newest first',
    tags,
    access: editors,
    schema: {
      params: IdParams,
      querystring: PageQuery,
      response: {
        200: PageOf(
          Type.Object({
            id: Type.Integer(),
            profileId: Type.String(),
            kind: Type.String(),
            at: Type.String(),
            seq: Type.Union([Type.Integer(), Type.Null()]),
            reason: Type.String(),
          }),
        ),
      },
    },
    handler: async (ctx) => ({
      body: await audienceHistory(ctx.deps, ctx.params.id, {
        limit: ctx.query.limit ?? defaultPageSize,
        cursor: ctx.query.cursor,
      }),
    }),
  }),
];

const computedTraitRoutes: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/computed-traits',
    summary: 'Create a computed trait (backfills from history in the background)',
    tags,
    access: editors,
    schema: {
      body: Type.Object(
        { key: Key, name: Name, definition: Type.Unknown() },
        { additionalProperties: false },
      ),
      response: { 201: ComputedTraitSchema },
    },
    handler: async (ctx) => ({ status: 201, body: await createComputedTrait(ctx.deps, ctx.body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/computed-traits',
    summary: 'List computed traits',
    tags,
    access: readers,
    schema: { response: { 200: Type.Object({ data: Type.Array(ComputedTraitSchema) }) } },
    handler: async (ctx) => ({ body: { data: await listComputedTraits(ctx.deps) } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/computed-traits/:id',
    summary: 'A computed trait',
    tags,
    access: readers,
    schema: { params: IdParams, response: { 200: ComputedTraitSchema } },
    handler: async (ctx) => ({ body: await getComputedTrait(ctx.deps, ctx.params.id) }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/computed-traits/:id',
    summary: 'Delete a computed trait (refused while an audience uses it)',
    tags,
    access: editors,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      await deleteComputedTrait(ctx.deps, ctx.params.id);
      return { status: 204 };
    },
  }),
];

/** The HTTP routes of computed traits, audiences and destinations. */
export const audienceRoutes: RouteSpec[] = [
  ...audienceOnly,
  ...computedTraitRoutes,
  ...destinationRoutes,
];
