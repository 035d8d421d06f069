import { Type } from 'typebox';
import { defineRoute, principalOf } from '../../http/route.js';
import { visibilityOf } from '../access.js';
import { common, readers, TypeParams, typeFor } from '../objects/object.routes.js';
import { present, presentation } from '../objects/present.js';
import { WireRecord } from '../wire.js';
import { maxSearchLimit } from './search.js';
import { searchRecords } from './search.service.js';

const Scalar = Type.Union([Type.String({ maxLength: 10_000 }), Type.Number(), Type.Boolean()]);

const Filter = Type.Object({
  propertyName: Type.String({ minLength: 1, maxLength: 200 }),
  operator: Type.String({ minLength: 1, maxLength: 40 }),
  value: Type.Optional(Scalar),
  highValue: Type.Optional(Scalar),
  values: Type.Optional(Type.Array(Scalar, { maxItems: 1000 })),
});

const Sort = Type.Union([
  Type.String({ minLength: 1, maxLength: 201 }),
  Type.Object({
    propertyName: Type.String({ minLength: 1, maxLength: 200 }),
    direction: Type.Optional(Type.Union([Type.Literal('ASCENDING'), Type.Literal('DESCENDING')])),
  }),
]);

export const searchRoutes = [
  defineRoute({
    ...common,
    method: 'POST',
    url: '/crm/v3/objects/:objectType/search',
    summary: 'Search records: filter groups (OR of ANDs), a sort, a text query; no result cap',
    access: readers,
    schema: {
      params: TypeParams,
      body: Type.Object({
        filterGroups: Type.Optional(
          Type.Array(Type.Object({ filters: Type.Array(Filter, { maxItems: 25 }) }), {
            maxItems: 25,
          }),
        ),
        sorts: Type.Optional(Type.Array(Sort, { maxItems: 5 })),
        query: Type.Optional(Type.String({ maxLength: 3000 })),
        properties: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 1000 })),
        limit: Type.Optional(Type.Integer({ minimum: 0, maximum: maxSearchLimit })),
        after: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Integer()])),
      }),
      response: {
        200: Type.Object({
          total: Type.Integer(),
          results: Type.Array(WireRecord),
          paging: Type.Optional(Type.Object({ next: Type.Object({ after: Type.String() }) })),
        }),
      },
    },
    handler: async (ctx) => {
      const { type } = typeFor(ctx, 'read');
      const { after, limit, ...rest } = ctx.body;
      const page = await searchRecords(
        ctx.deps,
        type,
        {
          ...rest,
          limit: limit === 0 ? 10 : limit,
          // "0" is how some scripts ask for the first page.
          after: after === undefined || String(after) === '0' ? undefined : String(after),
        },
        await visibilityOf(ctx.deps.db, principalOf(ctx)),
      );
      const p = presentation(page.schema, principalOf(ctx), ctx.body.properties);
      const results = await present(ctx.deps.db, p, page.records);
      return {
        body: {
          total: page.total,
          results,
          ...(page.after === undefined ? {} : { paging: { next: { after: page.after } } }),
        },
      };
    },
  }),
];
