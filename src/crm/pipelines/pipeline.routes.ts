import { Type } from 'typebox';
import { adminOnly, defineRoute, principalOf, rolesAccess } from '../../http/route.js';
import { assertCan, recordReaders } from '../access.js';
import { requireObjectType } from '../objects/object-types.js';
import { hubspotTags, NoContent, ObjectTypeParam } from '../wire.js';
import {
  archivePipeline,
  archiveStage,
  createPipeline,
  createStage,
  getPipeline,
  listPipelines,
  updatePipeline,
  updateStage,
} from './pipeline.service.js';

const Metadata = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
);

const StageSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  displayOrder: Type.Integer(),
  metadata: Type.Record(Type.String(), Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  archived: Type.Boolean(),
});

const PipelineSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  displayOrder: Type.Integer(),
  stages: Type.Array(StageSchema),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  archived: Type.Boolean(),
});

const StageInput = Type.Object({
  label: Type.String({ minLength: 1, maxLength: 200 }),
  displayOrder: Type.Optional(Type.Integer()),
  metadata: Type.Optional(Metadata),
});

const TypeParams = Type.Object({ objectType: ObjectTypeParam });
const PipelineParams = Type.Object({
  objectType: ObjectTypeParam,
  pipelineId: Type.String({ minLength: 1, maxLength: 100 }),
});
const StageParams = Type.Object({
  ...PipelineParams.properties,
  stageId: Type.String({ minLength: 1, maxLength: 100 }),
});

const readers = rolesAccess(...recordReaders);
const common = { tags: hubspotTags, errorFormat: 'hubspot' as const };

export const pipelineRoutes = [
  defineRoute({
    ...common,
    method: 'GET',
    url: '/crm/v3/pipelines/:objectType',
    summary: 'List the pipelines of deals or tickets',
    access: readers,
    schema: {
      params: TypeParams,
      querystring: Type.Object({ archived: Type.Optional(Type.Boolean()) }),
      response: { 200: Type.Object({ results: Type.Array(PipelineSchema) }) },
    },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      assertCan(principalOf(ctx), type, 'read');
      return {
        body: { results: await listPipelines(ctx.deps, type, ctx.query.archived ?? false) },
      };
    },
  }),
  defineRoute({
    ...common,
    method: 'GET',
    url: '/crm/v3/pipelines/:objectType/:pipelineId',
    summary: 'Read a pipeline and its stages',
    access: readers,
    schema: { params: PipelineParams, response: { 200: PipelineSchema } },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      assertCan(principalOf(ctx), type, 'read');
      return { body: await getPipeline(ctx.deps, type, ctx.params.pipelineId) };
    },
  }),
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/pipelines/:objectType',
    summary: 'Create a pipeline with its stages',
    access: adminOnly,
    schema: {
      params: TypeParams,
      body: Type.Object({
        label: Type.String({ minLength: 1, maxLength: 200 }),
        displayOrder: Type.Optional(Type.Integer()),
        stages: Type.Array(StageInput, { maxItems: 100 }),
      }),
      response: { 201: PipelineSchema },
    },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      return { status: 201, body: await createPipeline(ctx.deps, type, ctx.body) };
    },
  }),
  defineRoute({
    ...common,
    method: 'PATCH',
    url: '/crm/v3/pipelines/:objectType/:pipelineId',
    summary: 'Rename or reorder a pipeline',
    access: adminOnly,
    schema: {
      params: PipelineParams,
      body: Type.Object({
        label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        displayOrder: Type.Optional(Type.Integer()),
      }),
      response: { 200: PipelineSchema },
    },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      return { body: await updatePipeline(ctx.deps, type, ctx.params.pipelineId, ctx.body) };
    },
  }),
  defineRoute({
    ...common,
    method: 'DELETE',
    url: '/crm/v3/pipelines/:objectType/:pipelineId',
    summary: 'Archive a pipeline that holds no records',
    access: adminOnly,
    schema: { params: PipelineParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      await archivePipeline(ctx.deps, type, ctx.params.pipelineId);
      return { status: 204 };
    },
  }),
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/pipelines/:objectType/:pipelineId/stages',
    summary: 'Add a stage to a pipeline',
    access: adminOnly,
    schema: { params: PipelineParams, body: StageInput, response: { 201: StageSchema } },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      const stage = await createStage(ctx.deps, type, ctx.params.pipelineId, ctx.body);
      return { status: 201, body: stage };
    },
  }),
  defineRoute({
    ...common,
    method: 'PATCH',
    url: '/crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId',
    summary: 'Update a stage (label, order, metadata)',
    access: adminOnly,
    schema: {
      params: StageParams,
      body: Type.Partial(StageInput),
      response: { 200: StageSchema },
    },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      const { pipelineId, stageId } = ctx.params;
      return { body: await updateStage(ctx.deps, type, pipelineId, stageId, ctx.body) };
    },
  }),
  defineRoute({
    ...common,
    method: 'DELETE',
    url: '/crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId',
    summary: 'Archive a stage that holds no records',
    access: adminOnly,
    schema: { params: StageParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      await archiveStage(ctx.deps, type, ctx.params.pipelineId, ctx.params.stageId);
      return { status: 204 };
    },
  }),
];
