import { Type } from 'typebox';
import { adminOnly, defineRoute, principalOf, type RouteSpec } from '../../http/route.js';
import { PageOf } from '../../http/schemas.js';
import { defaultPageSize, maxPageSize } from '../../kernel/pagination.js';
import { requestStatuses, requestTypes } from './request.js';
import {
  accessDocument,
  createPrivacyRequest,
  getPrivacyRequest,
  listPrivacyRequests,
  processInBackground,
} from './request.service.js';

const RequestParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const ReceiptSchema = Type.Object({
  store: Type.String(),
  status: Type.String({ description: 'pending, completed or failed' }),
  found: Type.Integer({ description: 'rows or records the store held about the person' }),
  affected: Type.Integer({ description: 'rows or records deleted or anonymized' }),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  updatedAt: Type.String(),
});
const RequestSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  identityType: Type.String(),
  status: Type.String({ description: 'pending, running, completed or failed' }),
  attempts: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  completedAt: Type.Union([Type.String(), Type.Null()]),
  receipts: Type.Array(ReceiptSchema),
});

const SummarySchema = Type.Object({
  ...Type.Omit(RequestSchema, ['receipts']).properties,
  receipts: Type.Object(
    { pending: Type.Integer(), completed: Type.Integer(), failed: Type.Integer() },
    { description: "how many of the request's store receipts stand where" },
  ),
});

export const requestRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/privacy/requests',
    summary: 'Data subject requests, newest first, by status and type',
    tags: ['privacy'],
    access: adminOnly,
    schema: {
      querystring: Type.Object({
        status: Type.Optional(Type.Union(requestStatuses.map((s) => Type.Literal(s)))),
        type: Type.Optional(Type.Union(requestTypes.map((t) => Type.Literal(t)))),
        limit: Type.Optional(
          Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
        ),
        cursor: Type.Optional(Type.String({ maxLength: 512 })),
      }),
      response: { 200: PageOf(SummarySchema) },
    },
    handler: async ({ deps, query }) => ({
      body: await listPrivacyRequests(deps.db, {
        status: query.status,
        type: query.type,
        limit: query.limit ?? defaultPageSize,
        cursor: query.cursor,
      }),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/privacy/requests',
    summary: 'File a data subject request (access, erase or suppress); processed at once',
    tags: ['privacy'],
    access: adminOnly,
    schema: {
      body: Type.Object(
        {
          type: Type.Union(requestTypes.map((t) => Type.Literal(t))),
          identity: Type.Object(
            {
              type: Type.String({ minLength: 1, maxLength: 64 }),
              value: Type.String({ minLength: 1, maxLength: 256 }),
            },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
      response: { 202: RequestSchema },
    },
    handler: async (ctx) => {
      const deps = { ...ctx.deps, log: ctx.log };
      const created = await createPrivacyRequest(
        deps,
        ctx.body,
        principalOf(ctx).id,
        ctx.requestId,
      );
      processInBackground(deps, created.id);
      return {
        status: 202,
        headers: { location: `/api/v1/privacy/requests/${created.id}` },
        body: created,
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/privacy/requests/:id',
    summary: 'A data subject request: overall status and one receipt per store',
    tags: ['privacy'],
    access: adminOnly,
    schema: { params: RequestParams, response: { 200: RequestSchema } },
    handler: async ({ deps, params }) => ({ body: await getPrivacyRequest(deps.db, params.id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/privacy/requests/:id/document',
    summary: 'The access document: everything held about the person across CDP, CRM and DMP',
    tags: ['privacy'],
    access: adminOnly,
    audit: 'export',
    schema: {
      params: RequestParams,
      response: { 200: Type.Record(Type.String(), Type.Unknown()) },
    },
    handler: async ({ deps, params }) => ({
      body: (await accessDocument(deps.db, params.id)) as Record<string, unknown>,
    }),
  }),
];
