import { Type } from 'typebox';
import { defineRoute, principalOf, type RouteSpec, rolesAccess } from '../../http/route.js';
import { NoContent } from '../../http/schemas.js';
import { contactCdpFacts } from './cdp-facts.service.js';
import {
  dismissCrmDuplicate,
  listCrmDuplicates,
  mergeCrmDuplicate,
} from './merge-queue.service.js';

const tags = ['crm'];
const Json = Type.Record(Type.String(), Type.Unknown());
const DuplicateParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const QueueContact = Type.Object({
  id: Type.String(),
  profileId: Type.String(),
  properties: Type.Record(Type.String(), Type.String()),
});
const QueuedPair = Type.Object({
  id: Type.String({ description: 'the identity suggestion, `profileA|profileB`' }),
  contacts: Type.Array(QueueContact, { minItems: 2, maxItems: 2 }),
  score: Type.Number({ description: 'probability that the two are one person' }),
  reasons: Type.Array(
    Type.Object({ field: Type.String(), level: Type.String(), weight: Type.Number() }),
  ),
});

/** The CRM record's read-only CDP facts, and the merge queue fed by identity resolution. */
export const crmRecordRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/contacts/:id/cdp',
    summary:
      "A contact's CDP facts, read-only: traits, computed traits, predictions and audiences of its linked profile",
    tags,
    access: rolesAccess('sales', 'support', 'marketer'),
    // Traits name the person (e-mail, phone...): a personal-data read, like the record itself.
    audit: 'read',
    schema: {
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) }),
      response: {
        200: Type.Object({
          contactId: Type.String(),
          profileId: Type.String(),
          linkedBy: Type.String({ description: '`crm_contact_id` or `email`' }),
          traits: Json,
          computedTraits: Json,
          predictions: Json,
          audiences: Type.Array(Type.String()),
        }),
      },
    },
    handler: async (ctx) => ({
      body: await contactCdpFacts(ctx.deps, principalOf(ctx), ctx.params.id),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/duplicates',
    summary:
      'The contact merge queue: duplicate suggestions of identity resolution whose two profiles are linked to two contacts',
    tags,
    access: rolesAccess('sales', 'support'),
    audit: 'read',
    schema: { response: { 200: Type.Object({ data: Type.Array(QueuedPair) }) } },
    handler: async (ctx) => ({
      body: { data: await listCrmDuplicates(ctx.deps, principalOf(ctx)) },
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/crm/duplicates/:id/merge',
    summary:
      'Merge the two contacts of a queued pair (HubSpot merge) and confirm the identity suggestion',
    tags,
    // Merging writes contacts, which only sales (and admins) may do.
    access: rolesAccess('sales'),
    audit: 'write',
    schema: {
      params: DuplicateParams,
      body: Type.Optional(
        Type.Object(
          {
            primaryContactId: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 40,
                description: 'the contact that stays (default: the older one)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
      ),
      response: {
        200: Type.Object({
          primaryContactId: Type.String(),
          mergedContactId: Type.String(),
          linkMessageId: Type.Union([Type.String(), Type.Null()]),
        }),
      },
    },
    handler: async (ctx) => ({
      body: await mergeCrmDuplicate(
        ctx.deps,
        principalOf(ctx),
        ctx.params.id,
        ctx.body?.primaryContactId,
      ),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/crm/duplicates/:id/dismiss',
    summary: 'Set a queued pair aside: the identity suggestion is dismissed',
    tags,
    access: rolesAccess('sales', 'support'),
    schema: { params: DuplicateParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      await dismissCrmDuplicate(ctx.deps, principalOf(ctx), ctx.params.id);
      return { status: 204 };
    },
  }),
];
