import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { IdParams, PageOf, PageQuery } from '../../http/schemas.js';
import { pageByIdArgs } from '../../kernel/pagination.js';
import {
  createSource,
  getSource,
  listSources,
  rotateWriteKey,
  updateSource,
} from './source.service.js';

const SourceSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  writeKey: Type.String({ description: 'Public key SDKs send events with (HTTP Basic user name)' }),
  enabled: Type.Boolean(),
  traitPriority: Type.Integer({
    description: "Rank of this source's traits on profiles (higher wins)",
  }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const marketers = rolesAccess('marketer');

export const sourceRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/sources',
    summary: 'Create an event source and its write key',
    tags: ['sources'],
    access: marketers,
    schema: {
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: { 201: SourceSchema },
    },
    handler: async ({ deps, body }) => ({ status: 201, body: await createSource(deps, body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/sources',
    summary: 'List event sources',
    tags: ['sources'],
    access: marketers,
    schema: { querystring: PageQuery, response: { 200: PageOf(SourceSchema) } },
    handler: async ({ deps, query }) => ({ body: await listSources(deps, pageByIdArgs(query)) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/sources/:id',
    summary: 'Get one event source',
    tags: ['sources'],
    access: marketers,
    schema: { params: IdParams, response: { 200: SourceSchema } },
    handler: async ({ deps, params }) => ({ body: await getSource(deps, params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/sources/:id',
    summary: 'Rename, disable or re-enable a source (a disabled source answers 403 to SDKs)',
    tags: ['sources'],
    access: marketers,
    schema: {
      params: IdParams,
      body: Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          enabled: Type.Optional(Type.Boolean()),
          traitPriority: Type.Optional(Type.Integer({ minimum: -100, maximum: 100 })),
        },
        { minProperties: 1 },
      ),
      response: { 200: SourceSchema },
    },
    handler: async ({ deps, params, body }) => ({
      body: await updateSource(deps, params.id, body),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/sources/:id/rotate-key',
    summary: 'Replace the write key; the old key stops working at once',
    tags: ['sources'],
    access: marketers,
    schema: { params: IdParams, response: { 200: SourceSchema } },
    handler: async ({ deps, params }) => ({ body: await rotateWriteKey(deps, params.id) }),
  }),
];
