import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { AppError } from '../../kernel/errors.js';
import { customer360 } from './customer.service.js';

const Json = Type.Record(Type.String(), Type.Unknown());

export const customerRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/customers/:key',
    summary:
      'Customer 360: the unified profile, its audiences, predictions and consents, CRM records and DMP segment names',
    tags: ['customers'],
    access: rolesAccess('marketer', 'sales', 'support'),
    schema: {
      params: Type.Object({
        key: Type.String({
          minLength: 1,
          maxLength: 300,
          description: 'An identifier `type:value` (e.g. `email:ada@example.com`) or a profile ID',
        }),
      }),
      response: {
        200: Type.Object({
          profile: Json,
          audiences: Type.Array(Type.String()),
          predictions: Json,
          consents: Type.Array(Json),
          crm: Json,
          advertising: Json,
        }),
      },
    },
    handler: async ({ deps, params, principal }) => {
      if (!principal) throw new AppError('unauthorized', 'Sign in or send an API token');
      return { body: await customer360(deps, params.key, principal.role) };
    },
  }),
];
