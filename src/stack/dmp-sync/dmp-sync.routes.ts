import { Type } from 'typebox';
import { defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { attributionRoutes } from '../attribution/attribution.routes.js';
import { configureDmpSync, dmpSyncStatus } from './dmp-sync.service.js';

const tags = ['stack'];
const marketers = rolesAccess('marketer');

const SyncList = Type.Object({
  name: Type.String(),
  kind: Type.Union([Type.Literal('seed'), Type.Literal('suppression')]),
  audience: Type.Union([
    Type.Object({ id: Type.String(), key: Type.String(), name: Type.String() }),
    Type.Null(),
  ]),
  size: Type.Integer({ description: 'DMP IDs on the DMP-side list' }),
  belowMinimum: Type.Boolean({
    description: 'smaller than the DMP minimum segment size: a seed list this small is not used',
  }),
  sweptAt: Type.Union([Type.String(), Type.Null()]),
});
const Status = Type.Object({ minSegmentSize: Type.Integer(), lists: Type.Array(SyncList) });

export const dmpSyncRoutes: RouteSpec[] = [
  defineRoute({
    method: 'PUT',
    url: '/api/v1/stack/dmp-sync',
    summary:
      'Which CDP audiences the DMP receives as seed or suppression lists (members’ DMP IDs only; replaces the whole set)',
    tags,
    access: marketers,
    schema: {
      body: Type.Object({
        lists: Type.Array(
          Type.Object({
            name: Type.String({ minLength: 1, maxLength: 64, description: 'the DMP list name' }),
            audience: Type.String({
              minLength: 1,
              maxLength: 100,
              description: 'audience ID or key',
            }),
            kind: Type.Union([Type.Literal('seed'), Type.Literal('suppression')]),
          }),
          { maxItems: 100 },
        ),
      }),
      response: { 200: Status },
    },
    handler: async ({ deps, body }) => {
      const min = deps.dmp.config.minSegmentSize;
      return {
        body: { minSegmentSize: min, lists: await configureDmpSync(deps, body.lists, min) },
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/stack/dmp-sync',
    summary: 'The CDP audiences synced to the DMP, each with the size of its DMP-side list',
    tags,
    access: marketers,
    schema: { response: { 200: Status } },
    handler: async ({ deps }) => {
      const min = deps.dmp.config.minSegmentSize;
      return { body: { minSegmentSize: min, lists: await dmpSyncStatus(deps, min) } };
    },
  }),
  ...attributionRoutes,
];
