import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { PageOf } from '../../http/schemas.js';
import { defaultPageSize, maxPageSize } from '../../kernel/pagination.js';
import { listEvents, listRejectedEvents } from './event.service.js';

const Paging = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
};
const TimeRange = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'receivedAt >= from' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'receivedAt < to' })),
};
const Text = Type.Optional(Type.String({ minLength: 1, maxLength: 500 }));

const StoredEventSchema = Type.Object({
  seq: Type.Integer(),
  sourceId: Type.String(),
  messageId: Type.String(),
  type: Type.String(),
  event: Type.Union([Type.String(), Type.Null()]),
  userId: Type.Union([Type.String(), Type.Null()]),
  anonymousId: Type.Union([Type.String(), Type.Null()]),
  timestamp: Type.String({
    format: 'date-time',
    description: 'When it happened, corrected for client clock skew',
  }),
  receivedAt: Type.String({ format: 'date-time' }),
  payload: Type.Unknown(),
});

const RejectedEventSchema = Type.Object({
  seq: Type.Integer(),
  sourceId: Type.String(),
  messageId: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(),
  reason: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  payload: Type.Unknown(),
});

const iso = (value: string | undefined) =>
  value === undefined ? undefined : new Date(value).toISOString();

export const eventRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/events',
    summary: 'Stored events, newest first (the event explorer)',
    tags: ['events'],
    access: rolesAccess('marketer'),
    schema: {
      querystring: Type.Object({
        ...Paging,
        ...TimeRange,
        sourceId: Text,
        type: Type.Optional(
          Type.Union(
            ['track', 'identify', 'page', 'screen', 'group', 'alias'].map((t) => Type.Literal(t)),
          ),
        ),
        event: Text,
        userId: Text,
        anonymousId: Text,
        messageId: Text,
      }),
      response: { 200: PageOf(StoredEventSchema) },
    },
    handler: async ({ deps, query }) => {
      const { limit, cursor, from, to, ...filter } = query;
      const page = await listEvents(
        deps,
        { ...filter, from: iso(from), to: iso(to) },
        { limit: limit ?? defaultPageSize, cursor },
      );
      return { body: page };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/events/rejected',
    summary: 'Rejected events with the reason each was refused, newest first',
    tags: ['events'],
    access: rolesAccess('marketer'),
    schema: {
      querystring: Type.Object({ ...Paging, ...TimeRange, sourceId: Text, code: Text }),
      response: { 200: PageOf(RejectedEventSchema) },
    },
    handler: async ({ deps, query }) => {
      const { limit, cursor, from, to, ...filter } = query;
      const page = await listRejectedEvents(
        deps,
        { ...filter, from: iso(from), to: iso(to) },
        { limit: limit ?? defaultPageSize, cursor },
      );
      return { body: page };
    },
  }),
];
