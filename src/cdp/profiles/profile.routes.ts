import { Type } from 'typebox';
import { defineRoute, principalOf, type RouteSpec, rolesAccess } from '../../http/route.js';
import { PageOf } from '../../http/schemas.js';
import { defaultPageSize, maxPageSize } from '../../kernel/pagination.js';
import { identityRoutes } from './identity.routes.js';
import {
  getProfile,
  profileMergeLog,
  profileTimeline,
  searchProfiles,
  unmergeProfile,
} from './profile.service.js';
import { segmentProfileRoutes } from './segment-profile.routes.js';

const marketers = rolesAccess('marketer');
const KeyParams = Type.Object({
  id: Type.String({
    minLength: 1,
    maxLength: 600,
    description: 'A profile ID or an identifier type:value',
  }),
});

const Identifier = Type.Object({
  type: Type.String(),
  value: Type.String(),
  firstSeen: Type.String(),
  lastSeen: Type.String(),
});
const ProfileSchema = Type.Object({
  id: Type.String(),
  traits: Type.Record(Type.String(), Type.Unknown()),
  traitTimes: Type.Record(Type.String(), Type.String()),
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  identifiers: Type.Array(Identifier),
  mergedFrom: Type.Array(Type.String()),
  computedTraits: Type.Record(Type.String(), Type.Unknown()),
  audiences: Type.Array(Type.String()),
});
const TimelineEventSchema = Type.Object({
  seq: Type.Integer(),
  sourceId: Type.String(),
  messageId: Type.String(),
  type: Type.String(),
  event: Type.Union([Type.String(), Type.Null()]),
  timestamp: Type.String({ format: 'date-time' }),
  receivedAt: Type.String({ format: 'date-time' }),
  payload: Type.Record(Type.String(), Type.Unknown()),
});
const MergeLogSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'merge or unmerge' }),
  profileId: Type.String(),
  otherProfileId: Type.Union([Type.String(), Type.Null()]),
  seq: Type.Union([Type.Integer(), Type.Null()]),
  reason: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
  reversedBy: Type.Union([Type.String(), Type.Null()]),
});

const consoleRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/profiles',
    summary: 'Search profiles by any identifier value or trait text',
    tags: ['profiles'],
    access: marketers,
    schema: {
      querystring: Type.Object({
        query: Type.String({ minLength: 1, maxLength: 300 }),
        limit: Type.Optional(
          Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
        ),
      }),
      response: {
        200: PageOf(
          Type.Object({
            id: Type.String(),
            traits: Type.Record(Type.String(), Type.Unknown()),
            firstSeen: Type.String(),
            lastSeen: Type.String(),
          }),
        ),
      },
    },
    handler: async ({ deps, query }) => ({
      body: {
        data: await searchProfiles(deps, query.query, query.limit ?? defaultPageSize),
        next: null,
      },
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/profiles/:id',
    summary: 'A unified profile: traits, identifiers, first and last seen',
    tags: ['profiles'],
    access: marketers,
    schema: { params: KeyParams, response: { 200: ProfileSchema } },
    handler: async ({ deps, params }) => ({ body: await getProfile(deps, params.id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/profiles/:id/events',
    summary: "The profile's event timeline, newest first",
    tags: ['profiles'],
    access: marketers,
    schema: {
      params: KeyParams,
      querystring: Type.Object({
        limit: Type.Optional(
          Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
        ),
        cursor: Type.Optional(Type.String({ maxLength: 512 })),
      }),
      response: { 200: PageOf(TimelineEventSchema) },
    },
    handler: async ({ deps, params, query }) => ({
      body: await profileTimeline(deps, params.id, {
        limit: query.limit ?? defaultPageSize,
        cursor: query.cursor,
      }),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/profiles/:id/merges',
    summary: 'The merge log of this profile: every merge and unmerge, with its reason',
    tags: ['profiles'],
    access: marketers,
    schema: {
      params: KeyParams,
      response: { 200: Type.Object({ data: Type.Array(MergeLogSchema) }) },
    },
    handler: async ({ deps, params }) => ({
      body: { data: await profileMergeLog(deps, params.id) },
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/profiles/:id/unmerge',
    summary:
      'Reverse a merge: identifiers, events and traits go back to the profiles they came from',
    tags: ['profiles'],
    access: marketers,
    schema: {
      params: KeyParams,
      body: Type.Object({
        mergeId: Type.Optional(
          Type.String({ maxLength: 64, description: 'Default: the latest merge still in force' }),
        ),
      }),
      response: {
        200: Type.Object({
          unmergeId: Type.String(),
          reversed: Type.String(),
          profiles: Type.Array(Type.String()),
        }),
      },
    },
    handler: async (ctx) => ({
      body: await unmergeProfile(ctx.deps, ctx.params.id, {
        mergeId: ctx.body.mergeId,
        actor: principalOf(ctx).id,
      }),
    }),
  }),
];

/** The HTTP routes of profiles, the identity graph and the Segment-compatible Profile API. */
export const profileRoutes: RouteSpec[] = [
  ...consoleRoutes,
  ...identityRoutes,
  ...segmentProfileRoutes,
];
