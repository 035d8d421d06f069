import { Type } from 'typebox';
import { defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { attributionReport } from './attribution.service.js';

const Totals = Type.Object({ deals: Type.Integer(), revenue: Type.Number() });

export const attributionRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/stack/attribution',
    summary:
      'Revenue of deals closed won in [from, to), by first-touch UTM campaign or by the DMP segment that acquired the person',
    tags: ['stack'],
    access: rolesAccess('marketer', 'analyst'),
    schema: {
      querystring: Type.Object({
        from: Type.String({
          minLength: 1,
          maxLength: 40,
          description: 'YYYY-MM-DD or ISO date-time',
        }),
        to: Type.String({
          minLength: 1,
          maxLength: 40,
          description: 'exclusive; a date-only value includes that whole day',
        }),
        by: Type.Optional(
          Type.String({ maxLength: 40, description: 'campaign (default) | dmp_segment' }),
        ),
      }),
      response: {
        200: Type.Object({
          from: Type.String(),
          to: Type.String(),
          by: Type.String(),
          rows: Type.Array(
            Type.Object({
              key: Type.String(),
              label: Type.String(),
              deals: Type.Integer(),
              revenue: Type.Number(),
            }),
          ),
          unattributed: Totals,
          total: Totals,
        }),
      },
    },
    handler: async ({ deps, query }) => ({
      body: await attributionReport(deps, {
        from: query.from,
        to: query.to,
        by: query.by ?? 'campaign',
      }),
    }),
  }),
];
