import { Type } from 'typebox';
import {
  defineRoute,
  type RouteContext,
  type RouteSchemas,
  rolesAccess,
} from '../../http/route.js';
import { AppError } from '../../kernel/errors.js';
import { profileAudienceTraits } from '../audiences/index.js';
import { findProfileId, getProfile, latestMessage, profileTimeline } from './profile.service.js';

/**
 * Segment's Profile API, so personalization backends written for it work against Triad:
 * `/v1/spaces/{space}/collections/users/profiles/{type}:{value}/...` with HTTP Basic auth (an
 * API token as the user name). Triad has one space: any space ID is accepted (`default` by
 * convention).
 */
const base = '/v1/spaces/:space/collections/users/profiles/:key';
const Params = Type.Object({
  space: Type.String({ minLength: 1, maxLength: 200 }),
  key: Type.String({
    minLength: 1,
    maxLength: 600,
    description: 'An identifier, type:value (user_id:42, email:...)',
  }),
});
const Cursor = Type.Object({ url: Type.String(), has_more: Type.Boolean(), next: Type.String() });
const Limit = (fallback: number) =>
  Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: fallback }));

const access = rolesAccess('marketer');
const tags = ['profile api'];

function cursor(url: string, next: string | null) {
  return { url, has_more: next !== null, next: next ?? '' };
}

type Ctx = RouteContext<RouteSchemas> & { params: { space: string; key: string } };

async function requireProfile(ctx: Ctx) {
  if (!ctx.params.key.includes(':')) {
    throw new AppError('bad_request', 'The profile must be named as type:value, e.g. user_id:42');
  }
  return findProfileId(ctx.deps, ctx.params.key);
}

export const segmentProfileRoutes = [
  defineRoute({
    method: 'GET',
    url: `${base}/traits`,
    summary: "A profile's traits (Segment Profile API)",
    tags,
    access,
    errorFormat: 'segment',
    schema: {
      params: Params,
      querystring: Type.Object({
        limit: Limit(10),
        next: Type.Optional(
          Type.String({ maxLength: 300, description: 'Trait name to continue after' }),
        ),
        include: Type.Optional(
          Type.String({ maxLength: 2000, description: 'Comma-separated trait names' }),
        ),
        class: Type.Optional(
          Type.String({ maxLength: 50, description: 'traits | computed_trait | audience' }),
        ),
      }),
      response: {
        200: Type.Object({ traits: Type.Record(Type.String(), Type.Unknown()), cursor: Cursor }),
      },
    },
    handler: async (ctx) => {
      const profile = await getProfile(ctx.deps, await requireProfile(ctx));
      const limit = ctx.query.limit ?? 10;
      const include = ctx.query.include
        ? new Set(ctx.query.include.split(',').map((t) => t.trim()))
        : undefined;
      // Segment's classes: `traits` (plain), `computed_trait` and `audience`; none asked: all.
      const classes = ctx.query.class ? ctx.query.class.split(',').map((c) => c.trim()) : undefined;
      const wants = (c: string) => classes === undefined || classes.includes(c);
      const audienceTraits =
        wants('computed_trait') || wants('audience')
          ? await profileAudienceTraits(ctx.deps, profile.id)
          : { computed: {}, audiences: {} };
      const all: Record<string, unknown> = {
        ...(wants('traits') ? profile.traits : {}),
        ...(wants('computed_trait') ? audienceTraits.computed : {}),
        ...(wants('audience') ? audienceTraits.audiences : {}),
      };
      const names = Object.keys(all)
        .filter((name) => (include ? include.has(name) : true))
        .sort();
      const start = ctx.query.next ? names.findIndex((n) => n > (ctx.query.next as string)) : 0;
      const slice = start < 0 ? [] : names.slice(start, start + limit);
      const more = start >= 0 && start + limit < names.length;
      const traits = Object.fromEntries(slice.map((name) => [name, all[name]]));
      return {
        body: {
          traits,
          cursor: cursor(
            `/v1/spaces/${ctx.params.space}/collections/users/profiles/${ctx.params.key}/traits`,
            more ? (slice.at(-1) ?? null) : null,
          ),
        },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/events`,
    summary: "A profile's events, newest first (Segment Profile API)",
    tags,
    access,
    errorFormat: 'segment',
    schema: {
      params: Params,
      querystring: Type.Object({
        limit: Limit(10),
        next: Type.Optional(Type.String({ maxLength: 512 })),
      }),
      response: {
        200: Type.Object({
          data: Type.Array(Type.Record(Type.String(), Type.Unknown())),
          cursor: Cursor,
        }),
      },
    },
    handler: async (ctx) => {
      const id = await requireProfile(ctx);
      const page = await profileTimeline(ctx.deps, id, {
        limit: ctx.query.limit ?? 10,
        cursor: ctx.query.next,
      });
      const data = page.data.map((e) => ({
        ...e.payload,
        message_id: e.messageId,
        source_id: e.sourceId,
        timestamp: e.timestamp,
        received_at: e.receivedAt,
      }));
      return {
        body: {
          data,
          cursor: cursor(
            `/v1/spaces/${ctx.params.space}/collections/users/profiles/${ctx.params.key}/events`,
            page.next,
          ),
        },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/external_ids`,
    summary: "A profile's identifiers (Segment Profile API)",
    tags,
    access,
    errorFormat: 'segment',
    schema: {
      params: Params,
      querystring: Type.Object({
        limit: Limit(25),
        next: Type.Optional(Type.String({ maxLength: 600 })),
      }),
      response: {
        200: Type.Object({
          data: Type.Array(
            Type.Object({
              id: Type.String(),
              type: Type.String(),
              source_id: Type.String(),
              collection: Type.String(),
              created_at: Type.String(),
              encoding: Type.String(),
            }),
          ),
          cursor: Cursor,
        }),
      },
    },
    handler: async (ctx) => {
      const profile = await getProfile(ctx.deps, await requireProfile(ctx));
      const limit = ctx.query.limit ?? 25;
      const all = profile.identifiers.map((i) => ({ key: `${i.type}:${i.value}`, i }));
      const start = ctx.query.next ? all.findIndex((x) => x.key === ctx.query.next) + 1 : 0;
      const slice = all.slice(Math.max(0, start), Math.max(0, start) + limit);
      const more = Math.max(0, start) + limit < all.length;
      const data = slice.map(({ i }) => ({
        id: i.value,
        type: i.type,
        source_id: '',
        collection: 'users',
        created_at: i.firstSeen,
        encoding: 'none',
      }));
      return {
        body: {
          data,
          cursor: cursor(
            `/v1/spaces/${ctx.params.space}/collections/users/profiles/${ctx.params.key}/external_ids`,
            more ? (slice.at(-1)?.key ?? null) : null,
          ),
        },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/metadata`,
    summary: "A profile's metadata (Segment Profile API)",
    tags,
    access,
    errorFormat: 'segment',
    schema: {
      params: Params,
      response: {
        200: Type.Object({
          metadata: Type.Object({
            created_at: Type.String(),
            updated_at: Type.String(),
            expires_at: Type.Null(),
            first_message_at: Type.String(),
            last_message_at: Type.String(),
            last_source_id: Type.String(),
            last_message_id: Type.String(),
          }),
        }),
      },
    },
    handler: async (ctx) => {
      const profile = await getProfile(ctx.deps, await requireProfile(ctx));
      const last = await latestMessage(ctx.deps, profile.id);
      return {
        body: {
          metadata: {
            created_at: profile.createdAt,
            updated_at: profile.updatedAt,
            expires_at: null,
            first_message_at: profile.firstSeen,
            last_message_at: profile.lastSeen,
            last_source_id: last?.source_id ?? '',
            last_message_id: last?.message_id ?? '',
          },
        },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/links`,
    summary: "A profile's links to other collections, e.g. accounts (Segment Profile API)",
    tags,
    access,
    errorFormat: 'segment',
    schema: {
      params: Params,
      response: {
        200: Type.Object({
          data: Type.Array(Type.Record(Type.String(), Type.Unknown())),
          cursor: Cursor,
        }),
      },
    },
    handler: async (ctx) => {
      await requireProfile(ctx);
      // Account (group) links arrive with account-level audiences.
      return {
        body: {
          data: [],
          cursor: cursor(
            `/v1/spaces/${ctx.params.space}/collections/users/profiles/${ctx.params.key}/links`,
            null,
          ),
        },
      };
    },
  }),
];
