import { Type } from 'typebox';
import { adminOnly, defineRoute, principalOf, type RouteSpec } from '../../http/route.js';
import { listRetention, setRetention } from './retention.service.js';

const RunSchema = Type.Object({
  at: Type.String(),
  removed: Type.Integer(),
  cutoff: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
});
const PolicySchema = Type.Object({
  context: Type.String(),
  applies: Type.String(),
  days: Type.Union([Type.Integer(), Type.Null()]),
  basis: Type.String(),
  editable: Type.Boolean(),
  setBy: Type.Union([Type.String(), Type.Null()]),
  lastRun: Type.Union([RunSchema, Type.Null()]),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});
const PoliciesSchema = Type.Object({ data: Type.Array(PolicySchema) });

export const retentionRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/privacy/retention',
    summary: 'Retention policies per context (CDP raw events, DMP, CRM) with their last run',
    tags: ['privacy'],
    access: adminOnly,
    schema: { response: { 200: PoliciesSchema } },
    handler: async ({ deps }) => ({
      body: { data: await listRetention(deps.db, deps.dmp.config.idTtlDays) },
    }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/privacy/retention',
    summary: 'Set the retention of CDP raw events, in days (null: kept until erased)',
    tags: ['privacy'],
    access: adminOnly,
    schema: {
      body: Type.Object(
        {
          context: Type.String({ minLength: 1, maxLength: 20 }),
          days: Type.Union([Type.Integer({ minimum: 1, maximum: 36_500 }), Type.Null()]),
        },
        { additionalProperties: false },
      ),
      response: { 200: PoliciesSchema },
    },
    handler: async (ctx) => {
      await setRetention(ctx.deps, ctx.body.context, ctx.body.days, principalOf(ctx).id);
      return { body: { data: await listRetention(ctx.deps.db, ctx.deps.dmp.config.idTtlDays) } };
    },
  }),
];
