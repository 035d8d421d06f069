import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { PageOf } from '../../http/schemas.js';
import { defaultPageSize, maxPageSize } from '../../kernel/pagination.js';
import { browseTaxonomy, createCustomNode, getTaxonomyNode } from './taxonomy.service.js';

const NodeSchema = Type.Object({
  id: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  path: Type.Array(Type.String()),
  source: Type.Union([Type.Literal('iab'), Type.Literal('custom')]),
});
const readers = rolesAccess('advertiser', 'analyst');
const tags = ['dmp'];

export const taxonomyRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/taxonomy',
    summary: 'Browse or search the IAB Audience Taxonomy 1.1 and custom nodes (?q=, ?parentId=)',
    tags,
    access: readers,
    schema: {
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 200 })),
        parentId: Type.Optional(Type.Integer({ minimum: 1 })),
        limit: Type.Optional(
          Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
        ),
        cursor: Type.Optional(Type.String({ maxLength: 512 })),
      }),
      response: { 200: PageOf(NodeSchema) },
    },
    handler: async ({ deps, query }) => ({
      body: await browseTaxonomy(deps, { ...query, limit: query.limit ?? defaultPageSize }),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/taxonomy/:id',
    summary: 'One taxonomy node with its children',
    tags,
    access: readers,
    schema: {
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      response: {
        200: Type.Object({ ...NodeSchema.properties, children: Type.Array(NodeSchema) }),
      },
    },
    handler: async ({ deps, params }) => ({ body: await getTaxonomyNode(deps, params.id) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/taxonomy',
    summary: 'Add a custom taxonomy node (IDs from 1,000,000 up; never sent as segtax 4)',
    tags,
    access: rolesAccess('advertiser'),
    schema: {
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 200 }),
          parentId: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
      response: { 201: NodeSchema },
    },
    handler: async ({ deps, body }) => ({ status: 201, body: await createCustomNode(deps, body) }),
  }),
];
