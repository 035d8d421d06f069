import { Type } from 'typebox';
import { adminOnly, defineRoute, rolesAccess } from '../../http/route.js';
import { NoContent } from '../../http/schemas.js';
import { common } from '../objects/object.routes.js';
import { ListOf } from '../wire.js';
import {
  createTeam,
  deleteTeam,
  getOwner,
  getTeam,
  getVisibility,
  listOwners,
  listTeams,
  setVisibility,
  updateTeam,
  visibilityScopes,
} from './owner.service.js';

const OwnerSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  userId: Type.String(),
  teams: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), primary: Type.Boolean() }),
  ),
  archived: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const TeamSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  members: Type.Array(Type.Object({ userId: Type.String(), primary: Type.Boolean() })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Members = Type.Array(
  Type.Object(
    {
      userId: Type.String({ minLength: 1, maxLength: 64 }),
      primary: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  { maxItems: 1000 },
);
const TeamName = Type.String({ minLength: 1, maxLength: 200 });
const TeamParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 20 }) });

const Scope = Type.Union(visibilityScopes.map((s) => Type.Literal(s)));
const VisibilitySchema = Type.Object({ sales: Scope, support: Scope, marketer: Scope });

// Every role that works records needs owner names (pickers, reports).
const ownerReaders = rolesAccess('sales', 'support', 'marketer', 'analyst');
const teamReaders = rolesAccess('sales', 'support', 'analyst');
const tags = ['crm'];

export const ownerRoutes = [
  defineRoute({
    ...common,
    method: 'GET',
    url: '/crm/v3/owners',
    summary: 'List owners (Triad users) with their teams, HubSpot-style',
    access: ownerReaders,
    schema: {
      querystring: Type.Object({
        email: Type.Optional(Type.String({ maxLength: 254 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        after: Type.Optional(Type.String({ maxLength: 64 })),
        archived: Type.Optional(Type.Boolean()),
      }),
      response: { 200: ListOf(OwnerSchema) },
    },
    handler: async (ctx) => {
      const { limit = 100, after, archived = false, email } = ctx.query;
      const page = await listOwners(ctx.deps, { limit, after, archived, email });
      return {
        body: {
          results: page.owners,
          ...(page.after === undefined ? {} : { paging: { next: { after: page.after } } }),
        },
      };
    },
  }),
  defineRoute({
    ...common,
    method: 'GET',
    url: '/crm/v3/owners/:ownerId',
    summary: 'Read an owner by id',
    access: ownerReaders,
    schema: {
      params: Type.Object({ ownerId: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: OwnerSchema },
    },
    handler: async (ctx) => ({ body: await getOwner(ctx.deps, ctx.params.ownerId) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/teams',
    summary: 'List CRM teams and their members',
    tags,
    access: teamReaders,
    schema: { response: { 200: Type.Object({ data: Type.Array(TeamSchema) }) } },
    handler: async (ctx) => ({ body: { data: await listTeams(ctx.deps) } }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/crm/teams',
    summary: 'Create a team (members are user ids)',
    tags,
    access: adminOnly,
    schema: {
      body: Type.Object(
        { name: TeamName, members: Type.Optional(Members) },
        { additionalProperties: false },
      ),
      response: { 201: TeamSchema },
    },
    handler: async (ctx) => ({
      status: 201,
      body: await createTeam(ctx.deps, { name: ctx.body.name, members: ctx.body.members ?? [] }),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/teams/:id',
    summary: 'Read a team',
    tags,
    access: teamReaders,
    schema: { params: TeamParams, response: { 200: TeamSchema } },
    handler: async (ctx) => ({ body: await getTeam(ctx.deps, ctx.params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/crm/teams/:id',
    summary: 'Rename a team or replace its members',
    tags,
    access: adminOnly,
    schema: {
      params: TeamParams,
      body: Type.Object(
        { name: Type.Optional(TeamName), members: Type.Optional(Members) },
        { additionalProperties: false },
      ),
      response: { 200: TeamSchema },
    },
    handler: async (ctx) => ({ body: await updateTeam(ctx.deps, ctx.params.id, ctx.body) }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/crm/teams/:id',
    summary: 'Delete a team',
    tags,
    access: adminOnly,
    schema: { params: TeamParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      await deleteTeam(ctx.deps, ctx.params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/visibility',
    summary: 'Owner-based record visibility per role (own, team or all)',
    tags,
    access: adminOnly,
    schema: { response: { 200: VisibilitySchema } },
    handler: async (ctx) => ({ body: await getVisibility(ctx.deps) }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/crm/visibility',
    summary: 'Set owner-based record visibility for some roles',
    tags,
    access: adminOnly,
    schema: {
      body: Type.Object(
        {
          sales: Type.Optional(Scope),
          support: Type.Optional(Scope),
          marketer: Type.Optional(Scope),
        },
        { additionalProperties: false },
      ),
      response: { 200: VisibilitySchema },
    },
    handler: async (ctx) => ({ body: await setVisibility(ctx.deps, ctx.body) }),
  }),
];
