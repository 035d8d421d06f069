import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { listSharedIdentifiers } from '../identity/graph/identity.service.js';

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
];
