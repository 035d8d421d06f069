import { Type } from 'typebox';
import { adminOnly, defineRoute, principalOf, rolesAccess } from '../../http/route.js';
import { assertCan, recordReaders } from '../access.js';
import { requireObjectType } from '../objects/object-types.js';
import { hubspotTags, NoContent, ObjectTypeParam } from '../wire.js';
import { toWireProperty } from './property.js';
import {
  archiveProperty,
  createProperty,
  getProperty,
  listProperties,
  updateProperty,
} from './property.service.js';

const Option = Type.Object({
  label: Type.String({ maxLength: 400 }),
  value: Type.String({ maxLength: 400 }),
  displayOrder: Type.Optional(Type.Integer()),
  hidden: Type.Optional(Type.Boolean()),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
});

const PropertySchema = Type.Object({
  name: Type.String(),
  label: Type.String(),
  type: Type.String(),
  fieldType: Type.String(),
  groupName: Type.String(),
  description: Type.String(),
  options: Type.Array(Option),
  displayOrder: Type.Integer(),
  hasUniqueValue: Type.Boolean(),
  hidden: Type.Boolean(),
  formField: Type.Boolean(),
  calculated: Type.Boolean(),
  externalOptions: Type.Boolean(),
  hubspotDefined: Type.Boolean(),
  showCurrencySymbol: Type.Boolean(),
  modificationMetadata: Type.Object({
    archivable: Type.Boolean(),
    readOnlyDefinition: Type.Boolean(),
    readOnlyValue: Type.Boolean(),
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  archived: Type.Boolean(),
});

const editable = {
  label: Type.String({ minLength: 1, maxLength: 400 }),
  type: Type.String({ maxLength: 40 }),
  fieldType: Type.Optional(Type.String({ maxLength: 40 })),
  groupName: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  options: Type.Optional(Type.Array(Option, { maxItems: 5000 })),
  displayOrder: Type.Optional(Type.Integer()),
  hidden: Type.Optional(Type.Boolean()),
  formField: Type.Optional(Type.Boolean()),
  showCurrencySymbol: Type.Optional(Type.Boolean()),
};

const TypeParams = Type.Object({ objectType: ObjectTypeParam });
const NameParams = Type.Object({
  objectType: ObjectTypeParam,
  propertyName: Type.String({ minLength: 1, maxLength: 100 }),
});
const ArchivedQuery = Type.Object({ archived: Type.Optional(Type.Boolean()) });

const readers = rolesAccess(...recordReaders);
const common = { tags: hubspotTags, errorFormat: 'hubspot' as const };

export const propertyRoutes = [
  defineRoute({
    ...common,
    method: 'GET',
    url: '/crm/v3/properties/:objectType',
    summary: 'List the properties of an object type',
    access: readers,
    schema: {
      params: TypeParams,
      querystring: ArchivedQuery,
      response: { 200: Type.Object({ results: Type.Array(PropertySchema) }) },
    },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      assertCan(principalOf(ctx), type, 'read');
      const defs = await listProperties(ctx.deps, type, ctx.query.archived ?? false);
      return { body: { results: defs.map(toWireProperty) } };
    },
  }),
  defineRoute({
    ...common,
    method: 'GET',
    url: '/crm/v3/properties/:objectType/:propertyName',
    summary: 'Read a property definition',
    access: readers,
    schema: { params: NameParams, querystring: ArchivedQuery, response: { 200: PropertySchema } },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      assertCan(principalOf(ctx), type, 'read');
      const def = await getProperty(ctx.deps, type, ctx.params.propertyName, ctx.query.archived);
      return { body: toWireProperty(def) };
    },
  }),
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/properties/:objectType',
    summary: 'Create a custom property (typed; enumerations carry their options)',
    access: adminOnly,
    schema: {
      params: TypeParams,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        ...editable,
        hasUniqueValue: Type.Optional(Type.Boolean()),
      }),
      response: { 201: PropertySchema },
    },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      const def = await createProperty(ctx.deps, type, ctx.body);
      return { status: 201, body: toWireProperty(def) };
    },
  }),
  defineRoute({
    ...common,
    method: 'PATCH',
    url: '/crm/v3/properties/:objectType/:propertyName',
    summary: 'Update a custom property (label, group, options, display)',
    access: adminOnly,
    schema: {
      params: NameParams,
      body: Type.Partial(Type.Object(editable)),
      response: { 200: PropertySchema },
    },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      const def = await updateProperty(ctx.deps, type, ctx.params.propertyName, ctx.body);
      return { body: toWireProperty(def) };
    },
  }),
  defineRoute({
    ...common,
    method: 'DELETE',
    url: '/crm/v3/properties/:objectType/:propertyName',
    summary: 'Archive a custom property',
    access: adminOnly,
    schema: { params: NameParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      const type = requireObjectType(ctx.params.objectType);
      await archiveProperty(ctx.deps, type, ctx.params.propertyName);
      return { status: 204 };
    },
  }),
];
