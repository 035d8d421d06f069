import { Type } from 'typebox';
import { defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { IdParams, PageOf, PageQuery } from '../../http/schemas.js';
import { decodeCursor, encodeCursor } from '../../kernel/pagination.js';
import { destinationRoutes } from './destination.routes.js';
import { requireDestination } from './destination.service.js';
import { listDeliveries } from './export.repository.js';
import { pushDestination } from './push.service.js';
import { getRun, listRuns, runBatchExport, runFile } from './run.service.js';

const Outcome = Type.Object({
  mappingId: Type.String(),
  segmentId: Type.String(),
  key: Type.String(),
  outcome: Type.Union(
    ['exported', 'suppressed', 'retracted', 'idle', 'failed'].map((o) => Type.Literal(o)),
  ),
  added: Type.Integer(),
  removed: Type.Integer(),
  reason: Type.Optional(Type.String()),
});
const RunSchema = Type.Object({
  id: Type.String(),
  destinationId: Type.String(),
  mode: Type.Union([Type.Literal('full'), Type.Literal('delta')]),
  lines: Type.Integer(),
  fileAvailable: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  segments: Type.Array(Outcome),
});
const DeliverySchema = Type.Object({
  id: Type.Integer(),
  segmentId: Type.String(),
  key: Type.String(),
  added: Type.Integer(),
  removed: Type.Integer(),
  status: Type.Union([Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
const RunParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  runId: Type.String({ minLength: 1, maxLength: 64 }),
});
const advertisers = rolesAccess('advertiser');
const tags = ['dmp'];

const runRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/destinations/:id/exports',
    summary: 'Export a batch destination now: full (current members) or delta (adds and removes)',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      body: Type.Object(
        { mode: Type.Union([Type.Literal('full'), Type.Literal('delta')]) },
        { additionalProperties: false },
      ),
      response: { 201: RunSchema },
    },
    handler: async ({ deps, params, body }) => ({
      status: 201,
      body: await runBatchExport(deps, params.id, body.mode),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/destinations/:id/exports',
    summary: 'Export runs of a destination, newest first',
    tags,
    access: advertisers,
    schema: { params: IdParams, querystring: PageQuery, response: { 200: PageOf(RunSchema) } },
    handler: async ({ deps, params, query }) => ({ body: await listRuns(deps, params.id, query) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/destinations/:id/exports/:runId',
    summary: 'One export run and its per-segment summary',
    tags,
    access: advertisers,
    schema: { params: RunParams, response: { 200: RunSchema } },
    handler: async ({ deps, params }) => ({ body: await getRun(deps, params.id, params.runId) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/destinations/:id/exports/:runId/file',
    summary: 'The CSV of an export run: id_type,id,segment,action (add|remove)',
    tags,
    access: advertisers,
    audit: 'export',
    schema: {
      params: RunParams,
      response: { 200: Type.String({ description: 'text/csv' }) },
    },
    handler: async ({ deps, params }) => {
      const file = await runFile(deps, params.id, params.runId);
      return {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${file.filename}"`,
        },
        body: file.stream,
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/destinations/:id/push',
    summary: 'Push a push destination now (the worker also pushes every minute)',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      response: {
        200: Type.Object({
          destinationId: Type.String(),
          status: Type.Union([
            Type.Literal('delivered'),
            Type.Literal('failed'),
            Type.Literal('busy'),
          ]),
          requests: Type.Integer(),
          segments: Type.Array(Outcome),
        }),
      },
    },
    handler: async ({ deps, params, log }) => ({
      body: await pushDestination({ ...deps, log }, params.id, {
        minSegmentSize: deps.dmp.config.minSegmentSize,
      }),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/destinations/:id/deliveries',
    summary: 'The push log of a destination, newest first',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      querystring: PageQuery,
      response: { 200: PageOf(DeliverySchema) },
    },
    handler: async ({ deps, params, query }) => {
      await requireDestination(deps.db, params.id);
      const limit = query.limit ?? 50;
      const before = query.cursor
        ? Number(decodeCursor(query.cursor, ['seq'] as const).seq)
        : undefined;
      const rows = await listDeliveries(deps.db, params.id, {
        limit,
        ...(before === undefined || Number.isNaN(before) ? {} : { before }),
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        body: {
          data: page.map((r) => ({
            id: Number(r.seq),
            segmentId: r.segment_id,
            key: r.segment_key,
            added: r.added,
            removed: r.removed,
            status: r.status,
            attempts: r.attempts,
            statusCode: r.status_code,
            error: r.error,
            createdAt: r.created_at,
          })),
          next: rows.length > limit && last ? encodeCursor({ seq: String(last.seq) }) : null,
        },
      };
    },
  }),
];

/** Export destinations: destinations, mappings, trait data labels, batch runs and pushes. */
export const exportRoutes: RouteSpec[] = [...destinationRoutes, ...runRoutes] as RouteSpec[];
