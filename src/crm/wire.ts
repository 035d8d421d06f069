import { type TSchema, Type } from 'typebox';
import { NoContent } from '../http/schemas.js';

/**
 * HubSpot's wire shapes, shared by the CRM routes. Response schemas also act as a filter:
 * the serializer drops any field they do not declare.
 */

/** Property values are strings on the wire (null when a requested property has no value). */
export const WireProperties = Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]));

/** What clients may send: HubSpot's clients send strings, plain JSON scripts often do not. */
export const InputProperties = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
);

export const AssociationSpec = Type.Object({
  associationCategory: Type.Union([
    Type.Literal('HUBSPOT_DEFINED'),
    Type.Literal('USER_DEFINED'),
    Type.Literal('INTEGRATOR_DEFINED'),
  ]),
  associationTypeId: Type.Integer(),
});

export const CreateAssociation = Type.Object({
  to: Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) }),
  types: Type.Array(AssociationSpec, { maxItems: 20 }),
});

export const WireRecord = Type.Object({
  id: Type.String(),
  properties: WireProperties,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  archived: Type.Boolean(),
  archivedAt: Type.Optional(Type.String()),
  associations: Type.Optional(
    Type.Record(
      Type.String(),
      Type.Object({
        results: Type.Array(Type.Object({ id: Type.String(), type: Type.String() })),
      }),
    ),
  ),
});

export const UpsertRecord = Type.Object({
  ...WireRecord.properties,
  new: Type.Boolean(),
});

export const Paging = Type.Optional(
  Type.Object({
    next: Type.Optional(Type.Object({ after: Type.String(), link: Type.Optional(Type.String()) })),
  }),
);

export function ListOf<T extends TSchema>(item: T) {
  return Type.Object({ results: Type.Array(item), paging: Paging });
}

export const BatchError = Type.Object({
  status: Type.String(),
  category: Type.String(),
  message: Type.String(),
  context: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
  errors: Type.Optional(
    Type.Array(
      Type.Object({
        message: Type.String(),
        context: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
      }),
    ),
  ),
});

export function BatchOf<T extends TSchema>(item: T) {
  return Type.Object({
    status: Type.String(),
    results: Type.Array(item),
    errors: Type.Optional(Type.Array(BatchError)),
    numErrors: Type.Optional(Type.Integer()),
    startedAt: Type.String(),
    completedAt: Type.String(),
  });
}

export const ObjectTypeParam = Type.String({ minLength: 1, maxLength: 64 });
export const IdParam = Type.String({ minLength: 1, maxLength: 300 });

/** Comma lists and repeated parameters alike (`properties=a,b` or `properties=a&properties=b`). */
export const NameList = Type.Optional(Type.Array(Type.String({ maxLength: 10_000 })));

export function splitNames(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export { NoContent };

export const hubspotTags = ['crm'];
