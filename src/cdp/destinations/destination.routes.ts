import { Type } from 'typebox';
import { adminOnly, defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { IdParams, NoContent } from '../../http/schemas.js';
import { defaultPageSize, maxPageSize } from '../../kernel/pagination.js';
import type { DestinationSettings } from './destination.js';
import {
  allow,
  createDestination,
  deleteDestination,
  deliveryLog,
  disallow,
  getDestination,
  listAllowList,
  listDestinations,
  redriveDeadLetters,
  updateDestination,
} from './destination.service.js';

const editors = rolesAccess('marketer');
const tags = ['destinations'];

const Kind = Type.Union([Type.Literal('events'), Type.Literal('audiences')]);
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const Settings = Type.Object(
  {
    types: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 })),
    events: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 })),
    where: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 50 })),
    audiences: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 200 })),
    audienceMessage: Type.Optional(Type.Union([Type.Literal('identify'), Type.Literal('track')])),
    mappings: Type.Optional(
      Type.Array(
        Type.Object(
          {
            to: Type.String({ minLength: 1, maxLength: 200 }),
            from: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            value: Type.Optional(Scalar),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    consentPurpose: Type.Optional(Type.String({ maxLength: 40 })),
    ratePerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10000 })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    forwardDeletions: Type.Optional(
      Type.Boolean({ description: 'send a signed delete message when a person is erased' }),
    ),
  },
  { additionalProperties: false },
);
const DestinationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  url: Type.String(),
  enabled: Type.Boolean(),
  settings: Type.Unknown(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  secret: Type.Optional(Type.String({ description: 'HMAC-SHA256 signing secret, shown once' })),
});
const Url = Type.String({ minLength: 8, maxLength: 2000 });

const settingsOf = (s: unknown) => s as Partial<DestinationSettings> | undefined;

/** Webhook destinations, their delivery log and dead letters, and the egress allow-list. */
export const destinationRoutes: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/destinations',
    summary: 'Create a webhook destination (returns its signing secret once)',
    tags,
    access: editors,
    schema: {
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 200 }),
          kind: Kind,
          url: Url,
          enabled: Type.Optional(Type.Boolean()),
          settings: Type.Optional(Settings),
        },
        { additionalProperties: false },
      ),
      response: { 201: DestinationSchema },
    },
    handler: async (ctx) => ({
      status: 201,
      body: await createDestination(ctx.deps, {
        ...ctx.body,
        settings: settingsOf(ctx.body.settings),
      }),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/destinations',
    summary: 'List destinations',
    tags,
    access: editors,
    schema: { response: { 200: Type.Object({ data: Type.Array(DestinationSchema) }) } },
    handler: async (ctx) => ({ body: { data: await listDestinations(ctx.deps) } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/destinations/:id',
    summary: 'A destination',
    tags,
    access: editors,
    schema: { params: IdParams, response: { 200: DestinationSchema } },
    handler: async (ctx) => ({ body: await getDestination(ctx.deps, ctx.params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/destinations/:id',
    summary: 'Change a destination (settings merge into the current ones)',
    tags,
    access: editors,
    schema: {
      params: IdParams,
      body: Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          url: Type.Optional(Url),
          enabled: Type.Optional(Type.Boolean()),
          settings: Type.Optional(Settings),
        },
        { additionalProperties: false },
      ),
      response: { 200: DestinationSchema },
    },
    handler: async (ctx) => ({
      body: await updateDestination(ctx.deps, ctx.params.id, {
        ...ctx.body,
        settings: settingsOf(ctx.body.settings),
      }),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/destinations/:id',
    summary: 'Delete a destination (queued messages go to the dead-letter state)',
    tags,
    access: editors,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      await deleteDestination(ctx.deps, ctx.params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/destinations/:id/deliveries',
    summary: 'Delivery log: messages with every attempt (status code, latency, error)',
    tags,
    access: editors,
    schema: {
      params: IdParams,
      querystring: Type.Object({
        status: Type.Optional(
          Type.Union([
            Type.Literal('pending'),
            Type.Literal('sending'),
            Type.Literal('delivered'),
            Type.Literal('dead'),
          ]),
        ),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxPageSize })),
        cursor: Type.Optional(Type.String({ maxLength: 512 })),
      }),
      response: {
        200: Type.Object({
          data: Type.Array(Type.Record(Type.String(), Type.Unknown())),
          next: Type.Union([Type.String(), Type.Null()]),
        }),
      },
    },
    handler: async (ctx) => ({
      body: await deliveryLog(ctx.deps, ctx.params.id, {
        status: ctx.query.status,
        limit: ctx.query.limit ?? defaultPageSize,
        cursor: ctx.query.cursor,
      }),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/destinations/:id/redrive',
    summary: 'Send dead-lettered messages again (all, or the ids given)',
    tags,
    access: editors,
    schema: {
      params: IdParams,
      body: Type.Optional(
        Type.Object(
          { ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 })) },
          { additionalProperties: false },
        ),
      ),
      response: { 200: Type.Object({ redriven: Type.Integer() }) },
    },
    handler: async (ctx) => ({
      body: { redriven: await redriveDeadLetters(ctx.deps, ctx.params.id, ctx.body?.ids) },
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/destinations/egress-allowlist',
    summary: 'Private hosts and ranges destinations may reach (admins only)',
    tags,
    access: adminOnly,
    schema: { response: { 200: Type.Object({ data: Type.Array(Type.String()) }) } },
    handler: async (ctx) => ({ body: { data: await listAllowList(ctx.deps) } }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/destinations/egress-allowlist',
    summary: 'Allow destinations to reach a private host, address or CIDR range',
    tags,
    access: adminOnly,
    schema: {
      body: Type.Object(
        { entry: Type.String({ minLength: 1, maxLength: 300 }) },
        { additionalProperties: false },
      ),
      response: { 204: NoContent },
    },
    handler: async (ctx) => {
      await allow(ctx.deps, ctx.body.entry);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/destinations/egress-allowlist/:entry',
    summary: 'Remove an allow-list entry',
    tags,
    access: adminOnly,
    schema: {
      params: Type.Object({ entry: Type.String({ minLength: 1, maxLength: 300 }) }),
      response: { 204: NoContent },
    },
    handler: async (ctx) => {
      await disallow(ctx.deps, ctx.params.entry);
      return { status: 204 };
    },
  }),
];
