import { Type } from 'typebox';
import { adminOnly, defineRoute, principalOf, rolesAccess } from '../../http/route.js';
import { NoContent } from '../../http/schemas.js';
import { AppError } from '../../kernel/errors.js';
import { inScope, visibilityOf } from '../access.js';
import {
  createSlaPolicy,
  deleteSlaPolicy,
  getSlaPolicy,
  listSlaPolicies,
  ticketSla,
  updateSlaPolicy,
} from './sla.service.js';

const tags = ['crm'];
const readers = rolesAccess('support', 'analyst');

const Minutes = Type.Union([Type.Integer(), Type.Null()]);
const BusinessHours = Type.Object(
  {
    timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone or +HH:MM' }),
    hours: Type.Array(
      Type.Object(
        {
          day: Type.Integer({ description: '1 = Monday … 7 = Sunday' }),
          start: Type.String({ maxLength: 5, description: 'HH:MM' }),
          end: Type.String({ maxLength: 5, description: 'HH:MM; not after start = overnight' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
const PolicyFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  pipelineId: Type.String({ minLength: 1, maxLength: 100 }),
  priority: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  firstResponseMinutes: Type.Optional(Minutes),
  resolutionMinutes: Type.Optional(Minutes),
  warningPercent: Type.Optional(Type.Integer()),
  businessHours: BusinessHours,
  pausedStages: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })),
};
const PolicySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  pipelineId: Type.String(),
  priority: Type.Union([Type.String(), Type.Null()]),
  firstResponseMinutes: Minutes,
  resolutionMinutes: Minutes,
  warningPercent: Type.Integer(),
  businessHours: BusinessHours,
  pausedStages: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 20 }) });

const Target = Type.Union([
  Type.Object({
    targetMinutes: Type.Integer(),
    dueAt: Type.Union([Type.String(), Type.Null()]),
    warningAt: Type.Union([Type.String(), Type.Null()]),
    completedAt: Type.Union([Type.String(), Type.Null()]),
    elapsedMinutes: Type.Integer(),
    state: Type.String({ description: 'ok, warning, breached or met' }),
  }),
  Type.Null(),
]);

export const slaRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/sla-policies',
    summary: 'List ticket SLA policies',
    tags,
    access: readers,
    schema: { response: { 200: Type.Object({ data: Type.Array(PolicySchema) }) } },
    handler: async (ctx) => ({ body: { data: await listSlaPolicies(ctx.deps) } }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/crm/sla-policies',
    summary: 'Create a ticket SLA policy for a pipeline (and optionally one priority)',
    tags,
    access: adminOnly,
    schema: {
      body: Type.Object(PolicyFields, { additionalProperties: false }),
      response: { 201: PolicySchema },
    },
    handler: async (ctx) => ({ status: 201, body: await createSlaPolicy(ctx.deps, ctx.body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/sla-policies/:id',
    summary: 'Read a ticket SLA policy',
    tags,
    access: readers,
    schema: { params: Params, response: { 200: PolicySchema } },
    handler: async (ctx) => ({ body: await getSlaPolicy(ctx.deps, ctx.params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/crm/sla-policies/:id',
    summary: 'Change a ticket SLA policy',
    tags,
    access: adminOnly,
    schema: {
      params: Params,
      body: Type.Partial(Type.Object(PolicyFields, { additionalProperties: false })),
      response: { 200: PolicySchema },
    },
    handler: async (ctx) => ({
      body: await updateSlaPolicy(ctx.deps, ctx.params.id, ctx.body),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/crm/sla-policies/:id',
    summary: 'Delete a ticket SLA policy',
    tags,
    access: adminOnly,
    schema: { params: Params, response: { 204: NoContent } },
    handler: async (ctx) => {
      await deleteSlaPolicy(ctx.deps, ctx.params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/tickets/:id/sla',
    summary: "A ticket's SLA: first response and resolution due times and states",
    tags,
    access: rolesAccess('support'),
    schema: {
      params: Params,
      response: {
        200: Type.Object({
          ticketId: Type.String(),
          policyId: Type.Union([Type.String(), Type.Null()]),
          paused: Type.Boolean(),
          firstResponse: Target,
          resolution: Target,
        }),
      },
    },
    handler: async (ctx) => {
      const { ticket, sla } = await ticketSla(ctx.deps, ctx.params.id);
      const scope = await visibilityOf(ctx.deps.db, principalOf(ctx));
      if (!inScope(scope, ticket.properties.hubspot_owner_id)) {
        throw new AppError('not_found', `No tickets record with id ${ctx.params.id}`);
      }
      return {
        body: sla ?? {
          ticketId: String(ticket.id),
          policyId: null,
          paused: false,
          firstResponse: null,
          resolution: null,
        },
      };
    },
  }),
];
