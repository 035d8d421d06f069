import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../../http/route.js';
import { IdParams } from '../../../http/schemas.js';
import { AppError } from '../../../kernel/errors.js';
import { importErrors, startUploadImport } from './import.jobs.js';
import type { ImportFormat } from './import.js';
import { getImport } from './import.service.js';

const ImportSchema = Type.Object({
  id: Type.String(),
  sourceId: Type.String(),
  fileName: Type.String(),
  fileHash: Type.String({ description: 'SHA-256 of the uploaded bytes' }),
  fileBytes: Type.Integer(),
  format: Type.String(),
  options: Type.Object({
    type: Type.Optional(Type.String()),
    map: Type.Optional(Type.String()),
    delimiter: Type.Optional(Type.String()),
  }),
  status: Type.String({ description: 'running, interrupted, completed or failed' }),
  checkpointLine: Type.Integer(),
  rowsRead: Type.Integer(),
  rowsImported: Type.Integer(),
  rowsDuplicate: Type.Integer(),
  rowsRejected: Type.Integer(),
  bytesRead: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

function formatOf(
  explicit: string | undefined,
  contentType: string | string[] | undefined,
): ImportFormat {
  if (explicit === 'csv' || explicit === 'jsonl') return explicit;
  const type = String(contentType ?? '').toLowerCase();
  if (type.includes('csv')) return 'csv';
  if (type.includes('ndjson') || type.includes('jsonl') || type.includes('jsonlines'))
    return 'jsonl';
  throw new AppError(
    'unsupported_media_type',
    'Send text/csv or application/x-ndjson, or say ?format=csv|jsonl',
  );
}

const marketers = rolesAccess('marketer');

export const importRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/imports',
    summary: 'Upload a CSV or JSONL file of identify/track rows; imported in the background',
    tags: ['imports'],
    access: marketers,
    rawBody: true,
    schema: {
      querystring: Type.Object({
        sourceId: Type.String({ minLength: 1, maxLength: 64 }),
        format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('jsonl')])),
        type: Type.Optional(Type.Union([Type.Literal('identify'), Type.Literal('track')])),
        map: Type.Optional(Type.String({ maxLength: 4000 })),
        delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 4 })),
        fileName: Type.Optional(Type.String({ maxLength: 300 })),
      }),
      response: { 202: ImportSchema },
    },
    handler: async ({ deps, query, headers, bodyStream, shutdown }) => {
      const report = await startUploadImport(deps, {
        sourceId: query.sourceId,
        format: formatOf(query.format, headers['content-type']),
        type: query.type,
        map: query.map,
        delimiter: query.delimiter,
        fileName: query.fileName,
        body: bodyStream,
        signal: shutdown,
      });
      return {
        status: 202,
        headers: { location: `/api/v1/imports/${report.id}` },
        body: report,
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/imports/:id',
    summary: 'Status and counts of an import',
    tags: ['imports'],
    access: marketers,
    schema: { params: IdParams, response: { 200: ImportSchema } },
    handler: async ({ deps, params }) => ({ body: await getImport(deps, params.id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/imports/:id/errors',
    summary: 'Rejected rows of an import with their line and reason (JSON Lines)',
    tags: ['imports'],
    access: marketers,
    schema: { params: IdParams, response: { 200: Type.String({ description: 'JSON Lines' }) } },
    handler: async ({ deps, params }) => ({
      headers: { 'content-type': 'application/x-ndjson; charset=utf-8' },
      body: await importErrors(deps, params.id),
    }),
  }),
];
