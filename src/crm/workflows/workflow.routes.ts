import { Type } from 'typebox';
import { defineRoute, principalOf, type RouteSpec, rolesAccess } from '../../http/route.js';
import { IdParams, NoContent, PageOf, PageQuery } from '../../http/schemas.js';
import { defaultPageSize } from '../../kernel/pagination.js';
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  getWorkflowRun,
  getWorkflowVersion,
  listWorkflowRuns,
  listWorkflows,
  updateWorkflow,
} from './workflow.service.js';

/** Sales and support automate their own work; admins pass every role check. */
const managers = rolesAccess('sales', 'support');
const tags = ['crm workflows'];

// Triggers and steps are checked by the service, which names the failing field precisely
// (`steps[2].type`); the schema only bounds the shape.
const Trigger = Type.Object(
  { type: Type.String({ maxLength: 40 }) },
  { additionalProperties: true },
);
const StepSchema = Type.Object(
  { id: Type.String({ maxLength: 64 }), type: Type.String({ maxLength: 40 }) },
  { additionalProperties: true },
);
const Steps = Type.Array(StepSchema, { maxItems: 100 });

const WorkflowSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  trigger: Type.Unknown(),
  steps: Type.Array(Type.Unknown()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  secret: Type.Optional(
    Type.String({ description: 'Signs webhook steps (x-triad-signature), shown once' }),
  ),
});

const RunStepSchema = Type.Object({
  stepId: Type.String(),
  action: Type.String(),
  status: Type.String(),
  attempt: Type.Integer(),
  output: Type.Unknown(),
  error: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
});

const RunSchema = Type.Object({
  id: Type.String(),
  workflowId: Type.String(),
  version: Type.Integer(),
  status: Type.String(),
  objectType: Type.Union([Type.String(), Type.Null()]),
  objectId: Type.Union([Type.String(), Type.Null()]),
  trigger: Type.Unknown(),
  nextStep: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.String(),
  updatedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  steps: Type.Optional(Type.Array(RunStepSchema)),
});

const Name = Type.String({ minLength: 1, maxLength: 200 });

/** Workflows: CRUD with versions, and the run log. */
export const workflowRoutes: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/crm/workflows',
    summary: 'Create a workflow (returns its webhook signing secret once)',
    tags,
    access: managers,
    schema: {
      body: Type.Object(
        { name: Name, enabled: Type.Optional(Type.Boolean()), trigger: Trigger, steps: Steps },
        { additionalProperties: false },
      ),
      response: { 201: WorkflowSchema },
    },
    handler: async (ctx) => ({
      status: 201,
      body: await createWorkflow(ctx.deps, ctx.body, principalOf(ctx).id),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/workflows',
    summary: 'List workflows',
    tags,
    access: managers,
    schema: { response: { 200: Type.Object({ data: Type.Array(WorkflowSchema) }) } },
    handler: async (ctx) => ({ body: { data: await listWorkflows(ctx.deps) } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/workflows/:id',
    summary: 'A workflow (its current version)',
    tags,
    access: managers,
    schema: { params: IdParams, response: { 200: WorkflowSchema } },
    handler: async (ctx) => ({ body: await getWorkflow(ctx.deps, ctx.params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/crm/workflows/:id',
    summary: 'Change a workflow: a new name, trigger or steps makes a new version',
    tags,
    access: managers,
    schema: {
      params: IdParams,
      body: Type.Object(
        {
          name: Type.Optional(Name),
          enabled: Type.Optional(Type.Boolean()),
          trigger: Type.Optional(Trigger),
          steps: Type.Optional(Steps),
        },
        { additionalProperties: false },
      ),
      response: { 200: WorkflowSchema },
    },
    handler: async (ctx) => ({
      body: await updateWorkflow(ctx.deps, ctx.params.id, ctx.body, principalOf(ctx).id),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/crm/workflows/:id',
    summary: 'Delete a workflow (runs under way finish)',
    tags,
    access: managers,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      await deleteWorkflow(ctx.deps, ctx.params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/workflows/:id/versions/:version',
    summary: 'One version of a workflow',
    tags,
    access: managers,
    schema: {
      params: Type.Object({ ...IdParams.properties, version: Type.Integer({ minimum: 1 }) }),
      response: {
        200: Type.Object({
          version: Type.Integer(),
          name: Type.String(),
          trigger: Type.Unknown(),
          steps: Type.Array(Type.Unknown()),
          createdAt: Type.String(),
          createdBy: Type.String(),
        }),
      },
    },
    handler: async (ctx) => ({
      body: await getWorkflowVersion(ctx.deps, ctx.params.id, ctx.params.version),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/workflows/:id/runs',
    summary: "A workflow's runs, newest first",
    tags,
    access: managers,
    schema: { params: IdParams, querystring: PageQuery, response: { 200: PageOf(RunSchema) } },
    handler: async (ctx) => ({
      body: await listWorkflowRuns(ctx.deps, ctx.params.id, {
        limit: ctx.query.limit ?? defaultPageSize,
        cursor: ctx.query.cursor,
      }),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/workflows/:id/runs/:runId',
    summary: 'One run with its step-by-step log',
    tags,
    access: managers,
    schema: {
      params: Type.Object({ ...IdParams.properties, runId: Type.String({ maxLength: 64 }) }),
      response: { 200: RunSchema },
    },
    handler: async (ctx) => ({
      body: await getWorkflowRun(ctx.deps, ctx.params.id, ctx.params.runId),
    }),
  }),
];
