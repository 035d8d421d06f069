import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../../http/route.js';
import { IdParams } from '../../../http/schemas.js';
import { getSource } from '../../sources/source.service.js';
import { liveHubFor, openLiveStream } from './live-hub.js';

// About a minute of a busy source for a viewer whose connection stalls; older frames go.
const maxBufferedFrames = 1_000;
const heartbeatMs = 15_000;

export const liveRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/sources/:id/live',
    summary:
      'Live debugger: accepted and rejected events of the source as Server-Sent Events (text/event-stream)',
    tags: ['sources'],
    access: rolesAccess('marketer'),
    schema: {
      params: IdParams,
      response: {
        200: Type.String({
          description:
            'An event stream: `accepted` and `rejected` events with JSON data; `dropped` when a slow viewer missed some',
        }),
      },
    },
    handler: async ({ deps, params, shutdown }) => {
      const source = await getSource(deps, params.id);
      const stream = openLiveStream(liveHubFor(deps.eventLog), source.id, {
        maxBuffered: maxBufferedFrames,
        heartbeatMs,
        signal: shutdown,
      });
      return {
        headers: {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          // Reverse proxies (nginx) buffer responses unless told not to.
          'x-accel-buffering': 'no',
        },
        body: stream,
      };
    },
  }),
];
