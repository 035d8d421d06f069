import { Type } from 'typebox';
import { adminOnly, defineRoute, principalOf, type RouteSpec } from '../../http/route.js';
import { requestTypes } from './request.js';
import {
  accessDocument,
  createPrivacyRequest,
  getPrivacyRequest,
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

export const requestRoutes: RouteSpec[] = [
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
