import { Type } from 'typebox';
import { lifecycleStages } from '../../crm/index.js';
import { adminOnly, defineRoute, type RouteSpec } from '../../http/route.js';
import { configureCrmSync, crmSyncStatus, runCrmSync } from './crm-sync.service.js';

const Rule = Type.Object(
  {
    audienceKey: Type.String({ minLength: 1, maxLength: 80 }),
    // Checked by the service, which names the rule in its error (`rules[0].lifecycleStage`).
    lifecycleStage: Type.String({
      minLength: 1,
      maxLength: 40,
      description: `One of ${lifecycleStages.join(', ')}`,
    }),
    ownerTeamId: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    ownerUserIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }),
    ),
  },
  { additionalProperties: false },
);

const Status = Type.Object({
  rules: Type.Array(Rule),
  offsets: Type.Object({ crmChanges: Type.Number(), audienceMemberships: Type.Number() }),
  recent: Type.Array(
    Type.Object({
      direction: Type.String(),
      ref: Type.String(),
      outcome: Type.String(),
      detail: Type.String(),
      at: Type.String(),
    }),
  ),
});

export const crmSyncRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/stack/crm-sync',
    summary: 'The CDP <-> CRM flows: lifecycle rules, feed offsets and the latest outcomes',
    tags: ['stack'],
    access: adminOnly,
    schema: { response: { 200: Status } },
    handler: async ({ deps }) => ({ body: await crmSyncStatus(deps) }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/stack/crm-sync',
    summary: 'Replace the lifecycle rules: entering an audience makes the person a CRM contact',
    tags: ['stack'],
    access: adminOnly,
    schema: {
      body: Type.Object(
        { rules: Type.Array(Rule, { maxItems: 50 }) },
        { additionalProperties: false },
      ),
      response: { 200: Status },
    },
    handler: async ({ deps, body }) => ({ body: await configureCrmSync(deps, body.rules) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/stack/crm-sync/run',
    summary: 'Run both directions of the CDP <-> CRM flows once, now',
    tags: ['stack'],
    access: adminOnly,
    schema: {
      response: {
        200: Type.Object({ eventsAppended: Type.Number(), membershipsHandled: Type.Number() }),
      },
    },
    handler: async ({ deps }) => ({ body: await runCrmSync(deps) }),
  }),
];
