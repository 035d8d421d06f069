import { Type } from 'typebox';
import type { Principal } from '../../access/roles.js';
import { adminOnly, defineRoute, principalOf, rolesAccess } from '../../http/route.js';
import { AppError } from '../../kernel/errors.js';
import { assertCan, can, recordReaders, recordWriters, visibilityOf } from '../access.js';
import { type ObjectType, requireObjectType } from '../objects/object-types.js';
import { AssociationSpec, hubspotTags, IdParam, NoContent, ObjectTypeParam } from '../wire.js';
import {
  associateRecords,
  createLabel,
  deleteLabel,
  listAssociations,
  listLabels,
  removeAssociation,
  updateLabel,
} from './association.service.js';
import { defaultKind } from './association-types.js';

const common = { tags: hubspotTags, errorFormat: 'hubspot' as const };

const PairParams = Type.Object({
  objectType: ObjectTypeParam,
  objectId: IdParam,
  toObjectType: ObjectTypeParam,
  toObjectId: IdParam,
});
const LabelPairParams = Type.Object({
  fromObjectType: ObjectTypeParam,
  toObjectType: ObjectTypeParam,
});

const LabelSchema = Type.Object({
  category: Type.String(),
  typeId: Type.Integer(),
  label: Type.Union([Type.String(), Type.Null()]),
});

/**
 * Writing an association needs write access to one side and read access to both: a support
 * agent may link a ticket to a contact, not two contacts to each other.
 */
function pairFor(
  principal: Principal,
  rawFrom: string,
  rawTo: string,
  action: 'read' | 'write',
): { from: ObjectType; to: ObjectType } {
  const from = requireObjectType(rawFrom);
  const to = requireObjectType(rawTo);
  assertCan(principal, from, 'read');
  assertCan(principal, to, 'read');
  if (
    action === 'write' &&
    !can(principal.role, from, 'write') &&
    !can(principal.role, to, 'write')
  ) {
    assertCan(principal, from, 'write');
  }
  return { from, to };
}

const labelsResponse = Type.Object({ results: Type.Array(LabelSchema) });

export const associationRoutes = [
  defineRoute({
    ...common,
    method: 'GET',
    url: '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType',
    summary: 'List the records of a type associated with a record, with their labels',
    access: rolesAccess(...recordReaders),
    schema: {
      params: Type.Object({
        objectType: ObjectTypeParam,
        objectId: IdParam,
        toObjectType: ObjectTypeParam,
      }),
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 500 })),
        after: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$' })),
      }),
      response: {
        200: Type.Object({
          results: Type.Array(
            Type.Object({ toObjectId: Type.Integer(), associationTypes: Type.Array(LabelSchema) }),
          ),
          paging: Type.Optional(Type.Object({ next: Type.Object({ after: Type.String() }) })),
        }),
      },
    },
    handler: async (ctx) => {
      const { from, to } = pairFor(
        principalOf(ctx),
        ctx.params.objectType,
        ctx.params.toObjectType,
        'read',
      );
      const page = await listAssociations(
        ctx.deps,
        { type: from, id: ctx.params.objectId },
        to,
        {
          limit: ctx.query.limit ?? 500,
          after: ctx.query.after === undefined ? undefined : Number(ctx.query.after),
        },
        await visibilityOf(ctx.deps.db, principalOf(ctx)),
      );
      return {
        body: {
          results: page.results,
          ...(page.after === undefined ? {} : { paging: { next: { after: String(page.after) } } }),
        },
      };
    },
  }),
  defineRoute({
    ...common,
    method: 'PUT',
    url: '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId',
    summary: 'Associate two records with labels (the default association comes along)',
    access: rolesAccess(...recordWriters),
    schema: {
      params: PairParams,
      body: Type.Array(AssociationSpec, { maxItems: 50 }),
      response: {
        201: Type.Object({
          fromObjectTypeId: Type.String(),
          fromObjectId: Type.String(),
          toObjectTypeId: Type.String(),
          toObjectId: Type.String(),
          labels: Type.Array(Type.String()),
        }),
      },
    },
    handler: async (ctx) => {
      const { from, to } = pairFor(
        principalOf(ctx),
        ctx.params.objectType,
        ctx.params.toObjectType,
        'write',
      );
      const result = await associateRecords(
        ctx.deps,
        { type: from, id: ctx.params.objectId },
        { type: to, id: ctx.params.toObjectId },
        ctx.body,
        await visibilityOf(ctx.deps.db, principalOf(ctx)),
      );
      return { status: 201, body: result };
    },
  }),
  defineRoute({
    ...common,
    method: 'PUT',
    url: '/crm/v4/objects/:objectType/:objectId/associations/default/:toObjectType/:toObjectId',
    summary: 'Associate two records with the default (unlabeled) association',
    access: rolesAccess(...recordWriters),
    schema: {
      params: PairParams,
      response: {
        200: Type.Object({
          status: Type.String(),
          results: Type.Array(
            Type.Object({
              from: Type.Object({ id: Type.String() }),
              to: Type.Object({ id: Type.String() }),
              associationSpec: AssociationSpec,
            }),
          ),
          startedAt: Type.String(),
          completedAt: Type.String(),
        }),
      },
    },
    handler: async (ctx) => {
      const { from, to } = pairFor(
        principalOf(ctx),
        ctx.params.objectType,
        ctx.params.toObjectType,
        'write',
      );
      const startedAt = new Date().toISOString();
      await associateRecords(
        ctx.deps,
        { type: from, id: ctx.params.objectId },
        { type: to, id: ctx.params.toObjectId },
        [],
        await visibilityOf(ctx.deps.db, principalOf(ctx)),
      );
      const forward = defaultKind(from, to);
      const spec = (typeId: number) => ({
        associationCategory: 'HUBSPOT_DEFINED' as const,
        associationTypeId: typeId,
      });
      const a = { id: ctx.params.objectId };
      const b = { id: ctx.params.toObjectId };
      return {
        body: {
          status: 'COMPLETE',
          results: [
            { from: a, to: b, associationSpec: spec(forward.typeId) },
            { from: b, to: a, associationSpec: spec(forward.inverseTypeId) },
          ],
          startedAt,
          completedAt: new Date().toISOString(),
        },
      };
    },
  }),
  defineRoute({
    ...common,
    method: 'DELETE',
    url: '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId',
    summary: 'Remove every association between two records',
    access: rolesAccess(...recordWriters),
    schema: { params: PairParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      const { from, to } = pairFor(
        principalOf(ctx),
        ctx.params.objectType,
        ctx.params.toObjectType,
        'write',
      );
      await removeAssociation(
        ctx.deps,
        { type: from, id: ctx.params.objectId },
        { type: to, id: ctx.params.toObjectId },
        await visibilityOf(ctx.deps.db, principalOf(ctx)),
      );
      return { status: 204 };
    },
  }),
  defineRoute({
    ...common,
    method: 'GET',
    url: '/crm/v4/associations/:fromObjectType/:toObjectType/labels',
    summary: 'Association kinds between two object types (built-in and labels)',
    access: rolesAccess(...recordReaders),
    schema: { params: LabelPairParams, response: { 200: labelsResponse } },
    handler: async (ctx) => {
      const { from, to } = pairFor(
        principalOf(ctx),
        ctx.params.fromObjectType,
        ctx.params.toObjectType,
        'read',
      );
      return { body: { results: await listLabels(ctx.deps, from, to) } };
    },
  }),
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v4/associations/:fromObjectType/:toObjectType/labels',
    summary: 'Define an association label (e.g. "Decision maker") and its inverse',
    access: adminOnly,
    schema: {
      params: LabelPairParams,
      body: Type.Object({
        label: Type.String({ minLength: 1, maxLength: 100 }),
        name: Type.String({ minLength: 1, maxLength: 100 }),
        inverseLabel: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      }),
      response: { 200: labelsResponse },
    },
    handler: async (ctx) => {
      const from = requireObjectType(ctx.params.fromObjectType);
      const to = requireObjectType(ctx.params.toObjectType);
      return { body: { results: await createLabel(ctx.deps, from, to, ctx.body) } };
    },
  }),
  defineRoute({
    ...common,
    method: 'PUT',
    url: '/crm/v4/associations/:fromObjectType/:toObjectType/labels',
    summary: 'Rename an association label',
    access: adminOnly,
    schema: {
      params: LabelPairParams,
      body: Type.Object({
        associationTypeId: Type.Integer(),
        label: Type.String({ minLength: 1, maxLength: 100 }),
        inverseLabel: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      }),
      response: { 204: NoContent },
    },
    handler: async (ctx) => {
      const from = requireObjectType(ctx.params.fromObjectType);
      const to = requireObjectType(ctx.params.toObjectType);
      await updateLabel(ctx.deps, from, to, ctx.body);
      return { status: 204 };
    },
  }),
  defineRoute({
    ...common,
    method: 'DELETE',
    url: '/crm/v4/associations/:fromObjectType/:toObjectType/labels/:associationTypeId',
    summary: 'Delete an association label (associations keep their default kind)',
    access: adminOnly,
    schema: {
      params: Type.Object({
        ...LabelPairParams.properties,
        associationTypeId: Type.String({ maxLength: 20 }),
      }),
      response: { 204: NoContent },
    },
    handler: async (ctx) => {
      const from = requireObjectType(ctx.params.fromObjectType);
      const to = requireObjectType(ctx.params.toObjectType);
      const typeId = Number(ctx.params.associationTypeId);
      if (!Number.isSafeInteger(typeId)) {
        throw new AppError('bad_request', 'associationTypeId must be an integer', [
          { field: 'associationTypeId', message: 'not an integer' },
        ]);
      }
      await deleteLabel(ctx.deps, from, to, typeId);
      return { status: 204 };
    },
  }),
];
