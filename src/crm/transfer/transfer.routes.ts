import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { defineRoute, principalOf, type RouteSpec, rolesAccess } from '../../http/route.js';
import { AppError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { spoolUpload } from '../../kernel/upload.js';
import type { DB } from '../../storage/schema.js';
import { assertCan, recordReaders } from '../access.js';
import { requireObjectType } from '../objects/object-types.js';
import { exportCsv } from './export.service.js';
import { parseMappingText } from './import.mapping.js';
import {
  type CrmImport,
  claimCrmImport,
  createCrmImport,
  getCrmImport,
  importErrorFile,
  runCrmImport,
} from './import.service.js';
import { crmErrorFileOf, crmUploadDir } from './upload.js';

const tags = ['crm'];
const importers = rolesAccess('sales', 'support');
const maxUploadBytes = 4 * 1024 * 1024 * 1024;
// The upload's answer waits this long for the import's first chunk, so small files are
// usually reported finished; larger ones are followed with GET /api/v1/crm/imports/{id}.
const firstStepWaitMs = 200;

const ImportSchema = Type.Object({
  id: Type.String(),
  objectType: Type.String(),
  status: Type.String({ description: 'queued, running, interrupted, done or failed' }),
  fileBytes: Type.Integer(),
  rowsDone: Type.Integer({ description: 'data rows processed (the resume point)' }),
  rowsCreated: Type.Integer(),
  rowsUpdated: Type.Integer(),
  rowsFailed: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 20 }) });

/** Imports running in this process, per database, so a re-upload joins a running one. */
const running = new WeakMap<object, Map<string, Promise<void>>>();

async function startInBackground(
  deps: { db: Kysely<DB>; clock: { now(): Date }; log: Logger },
  report: CrmImport,
  signal: AbortSignal,
): Promise<void> {
  let jobs = running.get(deps.db);
  if (!jobs) {
    jobs = new Map();
    running.set(deps.db, jobs);
  }
  if (jobs.has(report.id) || !(await claimCrmImport(deps, report.id))) return;
  let stepped: () => void = () => {};
  const firstStep = new Promise<void>((resolve) => {
    stepped = resolve;
  });
  const map = jobs;
  const job = runCrmImport(deps, report.id, { signal, onProgress: () => stepped() })
    .then(() => undefined)
    .catch((error: unknown) => deps.log.warn({ err: error, importId: report.id }, 'import failed'))
    .finally(() => {
      map.delete(report.id);
      stepped();
    });
  jobs.set(report.id, job);
  await Promise.race([firstStep, new Promise((r) => setTimeout(r, firstStepWaitMs))]);
}

const Scalar = Type.Union([Type.String({ maxLength: 10_000 }), Type.Number(), Type.Boolean()]);

export const transferRoutes: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/crm/imports',
    summary:
      'Upload a CSV of records (any object type) with a column mapping; imported in the background',
    tags,
    access: importers,
    rawBody: true,
    schema: {
      querystring: Type.Object({
        mapping: Type.String({
          maxLength: 20_000,
          description:
            'JSON: {objectType, columns: {header: property}, idProperty?, associations?}',
        }),
      }),
      response: { 202: ImportSchema },
    },
    handler: async (ctx) => {
      const principal = principalOf(ctx);
      const mapping = parseMappingText(ctx.query.mapping);
      assertCan(principal, requireObjectType(mapping.objectType), 'write');
      if (!ctx.bodyStream) throw new AppError('bad_request', 'The upload is empty');
      const { file } = await spoolUpload(ctx.bodyStream, {
        dir: crmUploadDir,
        maxBytes: maxUploadBytes,
      });
      const report = await createCrmImport(ctx.deps, {
        file,
        errorFile: crmErrorFileOf,
        mapping,
        actor: { id: principal.id, role: principal.role },
      }).catch(async (error: unknown) => {
        await rm(file, { force: true });
        throw error;
      });
      await startInBackground(ctx.deps, report, ctx.shutdown);
      return {
        status: 202,
        headers: { location: `/api/v1/crm/imports/${report.id}` },
        body: await getCrmImport(ctx.deps, report.id),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/imports/:id',
    summary: 'Status and counts of a CRM import',
    tags,
    access: importers,
    schema: { params: Params, response: { 200: ImportSchema } },
    handler: async (ctx) => ({ body: await getCrmImport(ctx.deps, ctx.params.id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/imports/:id/errors',
    summary: 'Rejected rows of a CRM import with their row, line and reason (JSON Lines)',
    tags,
    access: importers,
    schema: { params: Params, response: { 200: Type.String({ description: 'JSON Lines' }) } },
    handler: async (ctx) => {
      const file = await importErrorFile(ctx.deps, ctx.params.id);
      const exists = file !== '' && (await stat(file).catch(() => undefined));
      return {
        headers: { 'content-type': 'application/x-ndjson; charset=utf-8' },
        body: exists ? createReadStream(file) : '',
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/crm/exports',
    summary: 'Export any filtered list of records as CSV (same filters as search; streamed)',
    tags,
    access: rolesAccess(...recordReaders),
    schema: {
      body: Type.Object(
        {
          objectType: Type.String({ minLength: 1, maxLength: 64 }),
          filterGroups: Type.Optional(
            Type.Array(
              Type.Object({
                filters: Type.Array(
                  Type.Object({
                    propertyName: Type.String({ minLength: 1, maxLength: 200 }),
                    operator: Type.String({ minLength: 1, maxLength: 40 }),
                    value: Type.Optional(Scalar),
                    highValue: Type.Optional(Scalar),
                    values: Type.Optional(Type.Array(Scalar, { maxItems: 1000 })),
                  }),
                  { maxItems: 25 },
                ),
              }),
              { maxItems: 25 },
            ),
          ),
          sorts: Type.Optional(Type.Array(Type.String({ maxLength: 201 }), { maxItems: 5 })),
          query: Type.Optional(Type.String({ maxLength: 3000 })),
          properties: Type.Optional(
            Type.Array(Type.String({ maxLength: 200 }), { maxItems: 1000 }),
          ),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.String({ description: 'text/csv' }) },
    },
    handler: async (ctx) => {
      const stream = await exportCsv(ctx.deps, principalOf(ctx), ctx.body);
      const type = requireObjectType(ctx.body.objectType);
      return {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${type}.csv"`,
        },
        body: stream,
      };
    },
  }),
];
