import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { Principal } from '../../access/roles.js';
import { defineRoute, principalOf, rolesAccess } from '../../http/route.js';
import { AppError } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import {
  assertCan,
  type CrmAction,
  inScope,
  recordReaders,
  recordWriters,
  visibilityOf,
} from '../access.js';
import { loadSchema } from '../properties/schema.js';
import {
  CreateAssociation,
  hubspotTags,
  IdParam,
  InputProperties,
  ListOf,
  NameList,
  NoContent,
  ObjectTypeParam,
  splitNames,
  WireRecord,
} from '../wire.js';
import { mergeRecords } from './merge.service.js';
import type { Actor } from './object.js';
import {
  archiveRecord,
  createRecord,
  getRecord,
  listRecords,
  updateRecord,
} from './object.service.js';
import { type ObjectType, requireObjectType } from './object-types.js';
import { present, presentation } from './present.js';

export const TypeParams = Type.Object({ objectType: ObjectTypeParam });
const RecordParams = Type.Object({ objectType: ObjectTypeParam, objectId: IdParam });

export const common = { tags: hubspotTags, errorFormat: 'hubspot' as const };
export const readers = rolesAccess(...recordReaders);
export const writers = rolesAccess(...recordWriters);

/** The object type a request names, once the caller's role may act on it. */
export function typeFor(
  ctx: { params: { objectType: string }; principal: Principal | undefined },
  action: CrmAction,
): { type: ObjectType; actor: Actor } {
  const type = requireObjectType(ctx.params.objectType);
  const principal = principalOf(ctx);
  assertCan(principal, type, action);
  return { type, actor: { id: principal.id, role: principal.role } };
}

const hiddenRecord = (type: ObjectType, id: string) =>
  new AppError('not_found', `No ${type} record with id ${id}`, [
    { field: 'objectId', message: `${id} was not found` },
  ]);

/**
 * Records outside the caller's owner-based visibility answer as if they did not exist, so
 * their ids leak nothing either.
 */
async function assertVisible(
  ctx: { principal: Principal | undefined; deps: { db: Kysely<DB> } },
  type: ObjectType,
  ownerId: string | undefined,
  rawId: string,
): Promise<void> {
  const scope = await visibilityOf(ctx.deps.db, principalOf(ctx));
  if (!inScope(scope, ownerId)) throw hiddenRecord(type, rawId);
}

/** Writes to a record outside the caller's visibility answer 404 too (only scoped callers pay). */
async function assertCanTouch(
  ctx: { principal: Principal | undefined; deps: { db: Kysely<DB> } },
  type: ObjectType,
  rawId: string,
  idProperty: string | undefined,
): Promise<void> {
  const scope = await visibilityOf(ctx.deps.db, principalOf(ctx));
  if (scope.kind === 'all') return;
  const current = await getRecord(ctx.deps, type, rawId, { idProperty }).catch(() => undefined);
  if (current && !inScope(scope, current.properties.hubspot_owner_id)) {
    throw hiddenRecord(type, rawId);
  }
}

export const objectRoutes = [
  defineRoute({
    ...common,
    method: 'GET',
    url: '/crm/v3/objects/:objectType',
    summary: 'List records of an object type (keyset paging with `after`)',
    access: readers,
    schema: {
      params: TypeParams,
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
        after: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$' })),
        properties: NameList,
        propertiesWithHistory: NameList,
        associations: NameList,
        archived: Type.Optional(Type.Boolean()),
      }),
      response: { 200: ListOf(WireRecord) },
    },
    handler: async (ctx) => {
      const { type } = typeFor(ctx, 'read');
      const { limit = 10, after, archived = false } = ctx.query;
      const page = await listRecords(
        ctx.deps,
        type,
        { limit, archived, after: after === undefined ? undefined : Number(after) },
        await visibilityOf(ctx.deps.db, principalOf(ctx)),
      );
      const schema = await loadSchema(ctx.deps.db, type);
      const p = presentation(
        schema,
        principalOf(ctx),
        splitNames(ctx.query.properties),
        splitNames(ctx.query.associations),
      );
      const results = await present(ctx.deps.db, p, page.records);
      return {
        body: {
          results,
          ...(page.after === undefined ? {} : { paging: { next: { after: String(page.after) } } }),
        },
      };
    },
  }),
  defineRoute({
    ...common,
    method: 'GET',
    url: '/crm/v3/objects/:objectType/:objectId',
    summary: 'Read a record by id, or by a unique property with `idProperty`',
    access: readers,
    schema: {
      params: RecordParams,
      querystring: Type.Object({
        properties: NameList,
        propertiesWithHistory: NameList,
        associations: NameList,
        idProperty: Type.Optional(Type.String({ maxLength: 100 })),
        archived: Type.Optional(Type.Boolean()),
      }),
      response: { 200: WireRecord },
    },
    handler: async (ctx) => {
      const { type } = typeFor(ctx, 'read');
      const record = await getRecord(ctx.deps, type, ctx.params.objectId, ctx.query);
      await assertVisible(ctx, type, record.properties.hubspot_owner_id, ctx.params.objectId);
      const schema = await loadSchema(ctx.deps.db, type);
      const p = presentation(
        schema,
        principalOf(ctx),
        splitNames(ctx.query.properties),
        splitNames(ctx.query.associations),
      );
      const [wire] = await present(ctx.deps.db, p, [record]);
      return { body: wire };
    },
  }),
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/objects/:objectType',
    summary: 'Create a record, optionally associated with others',
    access: writers,
    schema: {
      params: TypeParams,
      body: Type.Object({
        properties: InputProperties,
        associations: Type.Optional(Type.Array(CreateAssociation, { maxItems: 500 })),
      }),
      response: { 201: WireRecord },
    },
    handler: async (ctx) => {
      const { type, actor } = typeFor(ctx, 'write');
      const record = await createRecord(ctx.deps, type, ctx.body, actor);
      const schema = await loadSchema(ctx.deps.db, type);
      const names = [...new Set([...Object.keys(record.properties), 'createdate', 'hs_object_id'])];
      const [wire] = await present(ctx.deps.db, presentation(schema, principalOf(ctx), names), [
        record,
      ]);
      return { status: 201, body: wire };
    },
  }),
  defineRoute({
    ...common,
    method: 'PATCH',
    url: '/crm/v3/objects/:objectType/:objectId',
    summary: 'Update some properties of a record (empty string clears one)',
    access: writers,
    schema: {
      params: RecordParams,
      querystring: Type.Object({ idProperty: Type.Optional(Type.String({ maxLength: 100 })) }),
      body: Type.Object({ properties: InputProperties }),
      response: { 200: WireRecord },
    },
    handler: async (ctx) => {
      const { type, actor } = typeFor(ctx, 'write');
      await assertCanTouch(ctx, type, ctx.params.objectId, ctx.query.idProperty);
      const record = await updateRecord(
        ctx.deps,
        type,
        ctx.params.objectId,
        { properties: ctx.body.properties, idProperty: ctx.query.idProperty },
        actor,
      );
      const schema = await loadSchema(ctx.deps.db, type);
      const names = [...Object.keys(record.properties), ...Object.keys(ctx.body.properties)];
      const [wire] = await present(ctx.deps.db, presentation(schema, principalOf(ctx), names), [
        record,
      ]);
      return { body: wire };
    },
  }),
  defineRoute({
    ...common,
    method: 'DELETE',
    url: '/crm/v3/objects/:objectType/:objectId',
    summary: 'Archive a record',
    access: writers,
    schema: { params: RecordParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      const { type } = typeFor(ctx, 'write');
      await assertCanTouch(ctx, type, ctx.params.objectId, undefined);
      await archiveRecord(ctx.deps, type, ctx.params.objectId, ctx.principal?.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/objects/:objectType/merge',
    summary: 'Merge two records (contacts, companies, deals, tickets) into the primary one',
    access: writers,
    schema: {
      params: TypeParams,
      body: Type.Object({
        primaryObjectId: Type.String({ minLength: 1, maxLength: 40 }),
        objectIdToMerge: Type.String({ minLength: 1, maxLength: 40 }),
      }),
      response: { 200: WireRecord },
    },
    handler: async (ctx) => {
      const { type, actor } = typeFor(ctx, 'write');
      const record = await mergeRecords(ctx.deps, type, ctx.body, actor);
      const schema = await loadSchema(ctx.deps.db, type);
      const names = Object.keys(record.properties);
      const [wire] = await present(ctx.deps.db, presentation(schema, principalOf(ctx), names), [
        record,
      ]);
      return { body: wire };
    },
  }),
];
