import { Type } from 'typebox';
import { sessionCookie } from '../../http/auth.js';
import {
  adminOnly,
  defineRoute,
  principalOf,
  publicAccess,
  rolesAccess,
} from '../../http/route.js';
import { NoContent, PageOf, PageQuery } from '../../http/schemas.js';
import { AppError } from '../../kernel/errors.js';
import { pageByIdArgs } from '../../kernel/pagination.js';
import { roles } from '../roles.js';
import { RoleSchema } from '../tokens/token.routes.js';
import {
  createUser,
  getUser,
  listUsers,
  logIn,
  logOut,
  sessionLifetimeMs,
} from './user.service.js';

const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  createdAt: Type.String({ format: 'date-time' }),
  disabled: Type.Boolean(),
});

const Me = Type.Object({
  kind: Type.Union([Type.Literal('user'), Type.Literal('token')]),
  id: Type.String(),
  role: RoleSchema,
  email: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
});

const everyRole = rolesAccess(...roles);

export const userRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/users',
    summary: 'Create a console user',
    tags: ['access'],
    access: adminOnly,
    schema: {
      body: Type.Object({
        email: Type.String({ minLength: 3, maxLength: 254 }),
        role: RoleSchema,
        name: Type.Optional(Type.String({ maxLength: 200 })),
        password: Type.Optional(Type.String({ minLength: 10, maxLength: 1024 })),
      }),
      response: {
        201: Type.Object({
          user: UserSchema,
          generatedPassword: Type.Optional(
            Type.String({ description: 'Shown once, when no password was given' }),
          ),
        }),
      },
    },
    handler: async ({ deps, body }) => {
      const { user, generatedPassword } = await createUser(deps, body);
      return { status: 201, body: generatedPassword ? { user, generatedPassword } : { user } };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/users',
    summary: 'List console users',
    tags: ['access'],
    access: adminOnly,
    schema: { querystring: PageQuery, response: { 200: PageOf(UserSchema) } },
    handler: async ({ deps, query }) => ({ body: await listUsers(deps, pageByIdArgs(query)) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/session',
    summary: 'Log in to the console: sets an HttpOnly, SameSite=Strict session cookie',
    tags: ['access'],
    access: publicAccess,
    schema: {
      body: Type.Object({
        email: Type.String({ maxLength: 254 }),
        password: Type.String({ maxLength: 1024 }),
      }),
      response: {
        200: Type.Object({ user: UserSchema, expiresAt: Type.String({ format: 'date-time' }) }),
      },
    },
    handler: async ({ deps, body }) => {
      const session = await logIn(deps, body);
      if (!session) throw new AppError('unauthorized', 'The e-mail address or password is wrong');
      return {
        body: { user: session.user, expiresAt: session.expiresAt.toISOString() },
        cookies: [
          {
            name: sessionCookie,
            value: session.sessionToken,
            maxAgeSeconds: sessionLifetimeMs / 1000,
          },
        ],
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/session',
    summary: 'Who is calling: the session user or the API token',
    tags: ['access'],
    access: everyRole,
    schema: { response: { 200: Me } },
    handler: async (ctx) => {
      const principal = principalOf(ctx);
      if (principal.kind === 'token') {
        return {
          body: { kind: 'token', id: principal.id, role: principal.role, name: principal.name },
        };
      }
      const user = await getUser(ctx.deps, principal.id);
      return {
        body: {
          kind: 'user',
          id: principal.id,
          role: principal.role,
          email: principal.email,
          ...(user?.name ? { name: user.name } : {}),
        },
      };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/session',
    summary: 'Log out of the console',
    tags: ['access'],
    access: everyRole,
    schema: { response: { 204: NoContent } },
    handler: async (ctx) => {
      const principal = principalOf(ctx);
      if (principal.kind === 'user') await logOut(ctx.deps, principal.sessionId);
      return { status: 204, cookies: [{ name: sessionCookie, value: '', maxAgeSeconds: 0 }] };
    },
  }),
];
