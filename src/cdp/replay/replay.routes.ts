import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { logConsumers } from '../../log/consumers.js';
import { replayEvents } from './replay.service.js';

export const replayRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/replays',
    summary: 'Re-feed stored events to every consumer (identity, audiences...); idempotent',
    tags: ['events'],
    access: rolesAccess('marketer'),
    schema: {
      body: Type.Object({
        sourceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        from: Type.String({ format: 'date-time', description: 'receivedAt >= from' }),
        to: Type.String({ format: 'date-time', description: 'receivedAt < to' }),
      }),
      response: {
        200: Type.Object({ replayed: Type.Integer(), consumers: Type.Array(Type.String()) }),
      },
    },
    handler: async ({ deps, body }) => {
      const outcome = await replayEvents(deps, logConsumers(deps), {
        sourceId: body.sourceId,
        from: new Date(body.from).toISOString(),
        to: new Date(body.to).toISOString(),
      });
      return { body: outcome };
    },
  }),
];
