import { Type } from 'typebox';
import { adminOnly, defineRoute, principalOf } from '../../http/route.js';
import { IdParams, NoContent, PageOf, PageQuery } from '../../http/schemas.js';
import { pageByIdArgs } from '../../kernel/pagination.js';
import { roles } from '../roles.js';
import { createToken, listTokens, revokeToken } from './token.service.js';

export const RoleSchema = Type.Union(roles.map((r) => Type.Literal(r)));

const ApiTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  hint: Type.String({ description: 'The last four characters of the secret' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revoked: Type.Boolean(),
});

const onlyAdmin = adminOnly;

export const tokenRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/tokens',
    summary: 'Create an API token; the secret is shown in this response only',
    tags: ['access'],
    access: onlyAdmin,
    schema: {
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), role: RoleSchema }),
      response: {
        201: Type.Object({
          id: Type.String(),
          name: Type.String(),
          role: RoleSchema,
          token: Type.String(),
        }),
      },
    },
    handler: async (ctx) => {
      const created = await createToken(ctx.deps, {
        name: ctx.body.name,
        role: ctx.body.role,
        createdBy: principalOf(ctx).id,
      });
      return { status: 201, body: created };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tokens',
    summary: 'List API tokens (never their secrets)',
    tags: ['access'],
    access: onlyAdmin,
    schema: {
      querystring: Type.Intersect([
        PageQuery,
        Type.Object({ includeRevoked: Type.Optional(Type.Boolean()) }),
      ]),
      response: { 200: PageOf(ApiTokenSchema) },
    },
    handler: async ({ deps, query }) => {
      const page = await listTokens(deps, {
        ...pageByIdArgs(query),
        includeRevoked: query.includeRevoked ?? false,
      });
      return { body: page };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/tokens/:id',
    summary: 'Revoke an API token; requests using it are refused from then on',
    tags: ['access'],
    access: onlyAdmin,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async ({ deps, params }) => {
      await revokeToken(deps, params.id);
      return { status: 204 };
    },
  }),
];
