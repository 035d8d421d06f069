import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../../http/route.js';
import { IdParams, NoContent } from '../../../http/schemas.js';
import { PLAN_MODES } from '../pipeline/index.js';
import {
  deleteTrackingPlan,
  getTrackingPlan,
  listViolations,
  putTrackingPlan,
} from './plan.service.js';

const JsonSchema = Type.Unknown({ description: 'A JSON Schema (draft-07 / 2019-09 keywords)' });

const PlanBody = Type.Object(
  {
    mode: Type.Union(
      PLAN_MODES.map((m) => Type.Literal(m)),
      {
        description:
          'allow: no checks; flag: accept and record violations; omit: also strip unplanned properties; block: refuse unplanned events and violating messages',
      },
    ),
    common: Type.Optional(JsonSchema),
    track: Type.Optional(
      Type.Record(Type.String(), JsonSchema, {
        description: 'Per track event name: the schema of its properties',
        maxProperties: 2000,
      }),
    ),
    identify: Type.Optional(JsonSchema),
    page: Type.Optional(JsonSchema),
  },
  { additionalProperties: false },
);

const PlanSchema = Type.Object({
  sourceId: Type.String(),
  version: Type.Integer({ description: 'Grows by one on every change' }),
  mode: Type.String(),
  common: Type.Optional(Type.Unknown()),
  track: Type.Optional(Type.Unknown()),
  identify: Type.Optional(Type.Unknown()),
  page: Type.Optional(Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const Violation = Type.Object({
  kind: Type.String(),
  property: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
});

const ViolationReport = Type.Object({
  counts: Type.Array(
    Type.Object({
      eventType: Type.String(),
      event: Type.Union([Type.String(), Type.Null()]),
      property: Type.Union([Type.String(), Type.Null()]),
      kind: Type.String({
        description:
          'unplanned_event, unplanned_property or a JSON Schema keyword (type, required, enum, ...)',
      }),
      count: Type.Integer(),
      firstSeen: Type.String({ format: 'date-time' }),
      lastSeen: Type.String({ format: 'date-time' }),
    }),
  ),
  examples: Type.Array(
    Type.Object({
      messageId: Type.String(),
      eventType: Type.String(),
      event: Type.Union([Type.String(), Type.Null()]),
      action: Type.String({ description: 'flagged, omitted or blocked' }),
      violations: Type.Array(Violation),
      receivedAt: Type.String({ format: 'date-time' }),
    }),
  ),
});

const marketers = rolesAccess('marketer');

export const planRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/sources/:id/tracking-plan',
    summary: "The source's tracking plan",
    tags: ['tracking plans'],
    access: marketers,
    schema: { params: IdParams, response: { 200: PlanSchema } },
    handler: async ({ deps, params }) => ({ body: await getTrackingPlan(deps, params.id) }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/sources/:id/tracking-plan',
    summary: 'Create or replace the tracking plan of a source (takes effect at once)',
    tags: ['tracking plans'],
    access: marketers,
    schema: { params: IdParams, body: PlanBody, response: { 200: PlanSchema } },
    handler: async ({ deps, params, body }) => ({
      body: await putTrackingPlan(deps, params.id, body),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/sources/:id/tracking-plan',
    summary: 'Remove the tracking plan and its violation history',
    tags: ['tracking plans'],
    access: marketers,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async ({ deps, params }) => {
      await deleteTrackingPlan(deps, params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/sources/:id/violations',
    summary: 'Tracking-plan violations: counts per event, property and kind, and recent examples',
    tags: ['tracking plans'],
    access: marketers,
    schema: {
      params: IdParams,
      querystring: Type.Object({
        event: Type.Optional(Type.String({ maxLength: 200 })),
        kind: Type.Optional(Type.String({ maxLength: 100 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        examples: Type.Optional(Type.Integer({ minimum: 0, maximum: 200, default: 20 })),
      }),
      response: { 200: ViolationReport },
    },
    handler: async ({ deps, params, query }) => ({
      body: await listViolations(
        deps,
        params.id,
        { event: query.event, kind: query.kind },
        { counts: query.limit ?? 100, examples: query.examples ?? 20 },
      ),
    }),
  }),
];
