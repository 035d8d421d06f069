import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { IdParams, NoContent, PageOf, PageQuery } from '../../http/schemas.js';
import { pageByIdArgs } from '../../kernel/pagination.js';
import {
  createDestination,
  createMapping,
  deleteDestination,
  deleteMapping,
  getDestination,
  getTraitLabels,
  listDestinations,
  listMappings,
  setMappingEnabled,
  setTraitLabels,
  updateDestination,
} from './destination.service.js';
import { dataLabels, destinationLabels } from './labels.js';

const DestinationLabel = Type.Union(destinationLabels.map((l) => Type.Literal(l)));
const DataLabel = Type.Union(dataLabels.map((l) => Type.Literal(l)));
const IdType = Type.Union([
  Type.Literal('dmp_id'),
  Type.Literal('ifa'),
  Type.Literal('partner_uid'),
]);
const Url = Type.String({ minLength: 1, maxLength: 2048 });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Labels = Type.Array(DestinationLabel, { maxItems: destinationLabels.length * 2 });
const MinSize = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });

export const DestinationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('batch'), Type.Literal('push')]),
  idType: IdType,
  partnerId: Type.Union([Type.String(), Type.Null()]),
  url: Type.Union([Type.String(), Type.Null()]),
  labels: Type.Array(Type.String()),
  minSegmentSize: Type.Integer(),
  enabled: Type.Boolean(),
  failedAttempts: Type.Integer({ description: 'consecutive failed pushes' }),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  secret: Type.Optional(
    Type.String({ description: 'push signing secret (x-triad-signature); shown once' }),
  ),
});
const MappingSchema = Type.Object({
  id: Type.String(),
  destinationId: Type.String(),
  segmentId: Type.String(),
  key: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled'), Type.Literal('retired')]),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const MappingParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  mappingId: Type.String({ minLength: 1, maxLength: 64 }),
});
const advertisers = rolesAccess('advertiser');
const tags = ['dmp'];

export const destinationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/destinations',
    summary: 'Create an export destination: batch files or server-to-server pushes',
    tags,
    access: advertisers,
    schema: {
      body: Type.Object(
        {
          name: Name,
          kind: Type.Union([Type.Literal('batch'), Type.Literal('push')]),
          idType: IdType,
          partnerId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          url: Type.Optional(Url),
          labels: Type.Optional(Labels),
          minSegmentSize: Type.Optional(MinSize),
          enabled: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      response: { 201: DestinationSchema },
    },
    handler: async ({ deps, body }) => ({ status: 201, body: await createDestination(deps, body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/destinations',
    summary: 'List export destinations',
    tags,
    access: advertisers,
    schema: { querystring: PageQuery, response: { 200: PageOf(DestinationSchema) } },
    handler: async ({ deps, query }) => ({
      body: await listDestinations(deps, pageByIdArgs(query)),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/destinations/:id',
    summary: 'Get one export destination',
    tags,
    access: advertisers,
    schema: { params: IdParams, response: { 200: DestinationSchema } },
    handler: async ({ deps, params }) => ({ body: await getDestination(deps, params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/dmp/destinations/:id',
    summary: 'Change a destination; mappings its new labels conflict with are disabled',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      body: Type.Object(
        {
          name: Type.Optional(Name),
          url: Type.Optional(Url),
          labels: Type.Optional(Labels),
          minSegmentSize: Type.Optional(MinSize),
          enabled: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: {
        200: Type.Intersect([
          DestinationSchema,
          Type.Object({ disabledMappings: Type.Array(MappingSchema) }),
        ]),
      },
    },
    handler: async ({ deps, params, body }) => ({
      body: await updateDestination(deps, params.id, body),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/dmp/destinations/:id',
    summary: 'Delete a destination with its mappings, runs and delivery log',
    tags,
    access: advertisers,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async ({ deps, params }) => {
      await deleteDestination(deps, params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/destinations/:id/mappings',
    summary: 'Send a segment to the destination under its key (409 when data labels forbid it)',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      body: Type.Object(
        {
          segmentId: Type.String({ minLength: 1, maxLength: 64 }),
          key: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' }),
        },
        { additionalProperties: false },
      ),
      response: { 201: MappingSchema },
    },
    handler: async ({ deps, params, body }) => ({
      status: 201,
      body: await createMapping(deps, params.id, body),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/destinations/:id/mappings',
    summary: 'The segments a destination receives',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      response: { 200: Type.Object({ data: Type.Array(MappingSchema) }) },
    },
    handler: async ({ deps, params }) => ({ body: { data: await listMappings(deps, params.id) } }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/dmp/destinations/:id/mappings/:mappingId',
    summary: 'Enable (labels checked again) or disable a mapping',
    tags,
    access: advertisers,
    schema: {
      params: MappingParams,
      body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: MappingSchema },
    },
    handler: async ({ deps, params, body }) => ({
      body: await setMappingEnabled(deps, params.id, params.mappingId, body.enabled),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/dmp/destinations/:id/mappings/:mappingId',
    summary: 'Stop sending a segment; the next export removes what was delivered',
    tags,
    access: advertisers,
    schema: { params: MappingParams, response: { 204: NoContent } },
    handler: async ({ deps, params }) => {
      await deleteMapping(deps, params.id, params.mappingId);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/traits/:id/labels',
    summary: 'The data export labels of a trait',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      response: {
        200: Type.Object({ traitId: Type.String(), labels: Type.Array(Type.String()) }),
      },
    },
    handler: async ({ deps, params }) => ({ body: await getTraitLabels(deps, params.id) }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/dmp/traits/:id/labels',
    summary: 'Set the data export labels of a trait; mappings they now forbid are disabled',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      body: Type.Object(
        { labels: Type.Array(DataLabel, { maxItems: dataLabels.length * 2 }) },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          traitId: Type.String(),
          labels: Type.Array(Type.String()),
          disabledMappings: Type.Array(MappingSchema),
        }),
      },
    },
    handler: async ({ deps, params, body }) => ({
      body: await setTraitLabels(deps, params.id, body.labels),
    }),
  }),
];
