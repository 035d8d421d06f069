import { Type } from 'typebox';
import { adminOnly, defineRoute, principalOf, rolesAccess } from '../../http/route.js';
import {
  dismissDuplicate,
  listDuplicates,
  mergeDuplicate,
  scanForDuplicates,
} from '../identity/graph/duplicates.service.js';
import { listSharedIdentifiers } from '../identity/graph/identity.service.js';
import { dryRunRules, listRules, saveRules } from '../identity/graph/rules.service.js';

const Rule = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 64 }),
  maxPerProfile: Type.Integer({ minimum: 1, maximum: 1000 }),
  priority: Type.Integer({ minimum: 1, maximum: 100 }),
  blocked: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 200 }),
  windowDays: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()], {
      description: 'Only values seen within this many days count toward the limit',
    }),
  ),
});
const DuplicateParams = Type.Object({ id: Type.String({ minLength: 3, maxLength: 200 }) });
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
  defineRoute({
    method: 'POST',
    url: '/api/v1/identity/duplicates/scan',
    summary: 'Find profiles that are the same person with no shared identifier (fuzzy matching)',
    tags: ['profiles'],
    access: rolesAccess('marketer'),
    schema: {
      response: {
        200: Type.Object({
          profiles: Type.Integer(),
          linked: Type.Integer(),
          suggested: Type.Integer(),
        }),
      },
    },
    handler: async ({ deps }) => ({ body: await scanForDuplicates(deps) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/identity/duplicates',
    summary: 'Duplicate suggestions to review (or merged / dismissed ones)',
    tags: ['profiles'],
    access: rolesAccess('marketer', 'sales', 'support'),
    schema: {
      querystring: Type.Object({
        status: Type.Optional(
          Type.Union([Type.Literal('open'), Type.Literal('merged'), Type.Literal('dismissed')], {
            default: 'open',
          }),
        ),
      }),
      response: {
        200: Type.Object({
          data: Type.Array(
            Type.Object({
              id: Type.String(),
              profileA: Type.String(),
              profileB: Type.String(),
              probability: Type.Number(),
              fields: Type.Array(
                Type.Object({ field: Type.String(), level: Type.String(), weight: Type.Number() }),
              ),
              status: Type.String(),
              createdAt: Type.String(),
            }),
          ),
        }),
      },
    },
    handler: async ({ deps, query }) => ({
      body: { data: await listDuplicates(deps.db, query.status ?? 'open') },
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/identity/duplicates/:id/merge',
    summary: 'Confirm a duplicate: the profiles merge through a link event (reversible)',
    tags: ['profiles'],
    access: rolesAccess('marketer', 'sales', 'support'),
    schema: {
      params: DuplicateParams,
      response: { 202: Type.Object({ linkMessageId: Type.String() }) },
    },
    handler: async (ctx) => ({
      status: 202,
      body: await mergeDuplicate(ctx.deps, ctx.params.id, principalOf(ctx).id),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/identity/duplicates/:id/dismiss',
    summary: 'Dismiss a duplicate suggestion',
    tags: ['profiles'],
    access: rolesAccess('marketer', 'sales', 'support'),
    schema: { params: DuplicateParams, response: { 204: Type.Null() } },
    handler: async ({ deps, params }) => {
      await dismissDuplicate(deps, params.id);
      return { status: 204 };
    },
  }),
];
