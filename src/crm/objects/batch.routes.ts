import { type TSchema, Type } from 'typebox';
import type { Principal } from '../../access/roles.js';
import { type AppDeps, defineRoute, principalOf } from '../../http/route.js';
import { visibilityOf } from '../access.js';
import { loadSchema } from '../properties/schema.js';
import {
  BatchOf,
  CreateAssociation,
  IdParam,
  InputProperties,
  NoContent,
  splitNames,
  UpsertRecord,
  WireRecord,
} from '../wire.js';
import {
  type BatchOutcome,
  batchArchive,
  batchCreate,
  batchRead,
  batchUpdate,
  batchUpsert,
  maxBatchInputs,
} from './batch.service.js';
import { common, readers, TypeParams, typeFor, writers } from './object.routes.js';
import { batchError, present, presentation } from './present.js';

const batchBodyLimit = 32 * 1024 * 1024;
const inputs = <T extends TSchema>(item: T) => Type.Array(item, { maxItems: maxBatchInputs });
const IdInput = Type.Object({ id: IdParam });
const UpdateInput = Type.Object({
  id: IdParam,
  idProperty: Type.Optional(Type.String({ maxLength: 100 })),
  objectWriteTraceId: Type.Optional(Type.String({ maxLength: 200 })),
  properties: InputProperties,
});

/** HubSpot's batch envelope: 207 with per-input errors when some inputs failed. */
/**
 * Written records as the caller may see them: the properties they wrote, minus what their
 * role may not read.
 */
async function presentWritten(
  ctx: { deps: AppDeps; principal: Principal | undefined },
  type: Parameters<typeof loadSchema>[1],
  names: string[],
  records: Parameters<typeof present>[2],
) {
  const schema = await loadSchema(ctx.deps.db, type);
  return present(ctx.deps.db, presentation(schema, principalOf(ctx), [...new Set(names)]), records);
}

function envelope<T>(
  outcome: BatchOutcome<T>,
  results: unknown[],
  requestId: string,
  okStatus: number,
) {
  const failed = outcome.errors.length > 0;
  return {
    status: failed ? 207 : okStatus,
    body: {
      status: 'COMPLETE',
      results,
      ...(failed
        ? {
            errors: outcome.errors.map((e) => batchError(e, requestId)),
            numErrors: outcome.errors.length,
          }
        : {}),
      startedAt: outcome.startedAt,
      completedAt: outcome.completedAt,
    },
  };
}

export const batchRoutes = [
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/objects/:objectType/batch/read',
    summary: 'Read records by id or by a unique property',
    access: readers,
    bodyLimit: batchBodyLimit,
    schema: {
      params: TypeParams,
      querystring: Type.Object({ archived: Type.Optional(Type.Boolean()) }),
      body: Type.Object({
        inputs: inputs(IdInput),
        properties: Type.Optional(Type.Array(Type.String({ maxLength: 200 }))),
        propertiesWithHistory: Type.Optional(Type.Array(Type.String({ maxLength: 200 }))),
        idProperty: Type.Optional(Type.String({ maxLength: 100 })),
      }),
      response: { 200: BatchOf(WireRecord), 207: BatchOf(WireRecord) },
    },
    handler: async (ctx) => {
      const { type } = typeFor(ctx, 'read');
      const outcome = await batchRead(
        ctx.deps,
        type,
        ctx.body.inputs,
        { idProperty: ctx.body.idProperty, archived: ctx.query.archived },
        await visibilityOf(ctx.deps.db, principalOf(ctx)),
      );
      const schema = await loadSchema(ctx.deps.db, type);
      const p = presentation(schema, principalOf(ctx), splitNames(ctx.body.properties));
      const results = await present(ctx.deps.db, p, outcome.results);
      return envelope(outcome, results, ctx.requestId, 200);
    },
  }),
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/objects/:objectType/batch/create',
    summary: 'Create records; invalid inputs are reported, valid ones created (207)',
    access: writers,
    bodyLimit: batchBodyLimit,
    schema: {
      params: TypeParams,
      body: Type.Object({
        inputs: inputs(
          Type.Object({
            properties: InputProperties,
            associations: Type.Optional(Type.Array(CreateAssociation, { maxItems: 500 })),
            objectWriteTraceId: Type.Optional(Type.String({ maxLength: 200 })),
          }),
        ),
      }),
      response: { 201: BatchOf(WireRecord), 207: BatchOf(WireRecord) },
    },
    handler: async (ctx) => {
      const { type, actor } = typeFor(ctx, 'write');
      const outcome = await batchCreate(ctx.deps, type, ctx.body.inputs, actor);
      const names = ctx.body.inputs.flatMap((i) => Object.keys(i.properties));
      const results = await presentWritten(ctx, type, names, outcome.results);
      return envelope(outcome, results, ctx.requestId, 201);
    },
  }),
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/objects/:objectType/batch/update',
    summary: 'Update records by id (or idProperty); per-input errors (207)',
    access: writers,
    bodyLimit: batchBodyLimit,
    schema: {
      params: TypeParams,
      body: Type.Object({ inputs: inputs(UpdateInput) }),
      response: { 200: BatchOf(WireRecord), 207: BatchOf(WireRecord) },
    },
    handler: async (ctx) => {
      const { type, actor } = typeFor(ctx, 'write');
      const scope = await visibilityOf(ctx.deps.db, principalOf(ctx));
      const outcome = await batchUpdate(ctx.deps, type, ctx.body.inputs, actor, scope);
      const names = ctx.body.inputs.flatMap((i) => Object.keys(i.properties));
      const results = await presentWritten(ctx, type, names, outcome.results);
      return envelope(outcome, results, ctx.requestId, 200);
    },
  }),
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/objects/:objectType/batch/upsert',
    summary: 'Create or update records matched on idProperty (a unique property)',
    access: writers,
    bodyLimit: batchBodyLimit,
    schema: {
      params: TypeParams,
      body: Type.Object({ inputs: inputs(UpdateInput) }),
      response: { 200: BatchOf(UpsertRecord), 207: BatchOf(UpsertRecord) },
    },
    handler: async (ctx) => {
      const { type, actor } = typeFor(ctx, 'write');
      const scope = await visibilityOf(ctx.deps.db, principalOf(ctx));
      const outcome = await batchUpsert(ctx.deps, type, ctx.body.inputs, actor, scope);
      const names = ctx.body.inputs.flatMap((i) => [
        ...Object.keys(i.properties),
        i.idProperty ?? 'hs_object_id',
      ]);
      const records = outcome.results.map((r) => r.record);
      const wires = await presentWritten(ctx, type, names, records);
      const results = wires.map((w, i) => ({ ...w, new: outcome.results[i]?.created ?? false }));
      return envelope(outcome, results, ctx.requestId, 200);
    },
  }),
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/objects/:objectType/batch/archive',
    summary: 'Archive records by id',
    access: writers,
    bodyLimit: batchBodyLimit,
    schema: {
      params: TypeParams,
      body: Type.Object({ inputs: inputs(IdInput) }),
      response: { 204: NoContent },
    },
    handler: async (ctx) => {
      const { type } = typeFor(ctx, 'write');
      const scope = await visibilityOf(ctx.deps.db, principalOf(ctx));
      await batchArchive(ctx.deps, type, ctx.body.inputs, ctx.principal?.id, scope);
      return { status: 204 };
    },
  }),
];
