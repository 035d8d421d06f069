import { Type } from 'typebox';
import { adminOnly, defineRoute, rolesAccess } from '../../http/route.js';
import { listSharedIdentifiers } from '../identity/graph/identity.service.js';
import { dryRunRules, listRules, saveRules } from '../identity/graph/rules.service.js';

const Rule = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 64 }),
  maxPerProfile: Type.Integer({ minimum: 1, maximum: 1000 }),
  priority: Type.Integer({ minimum: 1, maximum: 100 }),
  blocked: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 200 }),
});
const GraphShape = Type.Object({
  profiles: Type.Integer(),
  merges: Type.Integer(),
  largestProfile: Type.Integer(),
});

export const identityRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/identity/shared-identifiers',
    summary: 'Identifiers seen on too many distinct people: they no longer merge profiles',
    tags: ['profiles'],
    access: rolesAccess('marketer'),
    schema: {
      response: {
        200: Type.Object({
          data: Type.Array(
            Type.Object({
              type: Type.String(),
              value: Type.String(),
              conflicts: Type.Integer(),
              flaggedAt: Type.String({ format: 'date-time' }),
            }),
          ),
        }),
      },
    },
    handler: async ({ deps }) => ({ body: { data: await listSharedIdentifiers(deps.db) } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/identity/rules',
    summary: 'Identity rules in force per identifier type: limit, priority, blocked values',
    tags: ['profiles'],
    access: rolesAccess('marketer'),
    schema: { response: { 200: Type.Object({ data: Type.Array(Rule) }) } },
    handler: async ({ deps }) => ({ body: { data: await listRules(deps) } }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/identity/rules',
    summary: 'Change identity rules, or (dryRun) see what they would do to recent history',
    tags: ['profiles'],
    access: adminOnly,
    schema: {
      body: Type.Object({
        rules: Type.Array(Rule, { minItems: 1, maxItems: 50 }),
        dryRun: Type.Optional(Type.Boolean()),
        recentEvents: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
        ),
      }),
      response: {
        200: Type.Union([
          Type.Object({ data: Type.Array(Rule) }),
          Type.Object({ events: Type.Integer(), current: GraphShape, proposed: GraphShape }),
        ]),
      },
    },
    handler: async ({ deps, body }) => {
      if (body.dryRun)
        return { body: await dryRunRules(deps, body.rules, body.recentEvents ?? 10_000) };
      return { body: { data: await saveRules(deps, body.rules) } };
    },
  }),
];
