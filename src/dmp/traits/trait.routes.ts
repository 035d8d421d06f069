import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { IdParams, NoContent, PageOf, PageQuery } from '../../http/schemas.js';
import { pageByIdArgs } from '../../kernel/pagination.js';
import { MAX_ONBOARD_IDS, onboardTrait } from './onboard.service.js';
import { createTrait, deleteTrait, getTrait, listTraits, updateTrait } from './trait.service.js';
import { conditionOps } from './trait-rule.js';

const Scalar = Type.Union([Type.String({ maxLength: 256 }), Type.Number()]);
const TraitRuleSchema = Type.Object(
  {
    match: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('any')])),
    conditions: Type.Array(
      Type.Object(
        {
          key: Type.String({ minLength: 1, maxLength: 64 }),
          op: Type.Union(conditionOps.map((op) => Type.Literal(op))),
          value: Type.Optional(Type.Union([Scalar, Type.Array(Scalar, { maxItems: 100 })])),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    frequency: Type.Optional(
      Type.Object(
        {
          min: Type.Integer({ minimum: 1, maximum: 100 }),
          withinDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const TraitSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  kind: Type.Union([Type.Literal('rule'), Type.Literal('onboarded')]),
  rule: Type.Union([TraitRuleSchema, Type.Null()]),
  ttlDays: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 2000 });
const TtlDays = Type.Integer({ minimum: 1, maximum: 3650 });
const advertisers = rolesAccess('advertiser');
const tags = ['dmp'];

export const traitRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/traits',
    summary: 'Create a trait: a rule over signals (with frequency/recency) or an onboarded trait',
    tags,
    access: advertisers,
    schema: {
      body: Type.Object(
        {
          name: Name,
          description: Type.Optional(Description),
          kind: Type.Optional(Type.Union([Type.Literal('rule'), Type.Literal('onboarded')])),
          rule: Type.Optional(TraitRuleSchema),
          ttlDays: Type.Optional(TtlDays),
        },
        { additionalProperties: false },
      ),
      response: { 201: TraitSchema },
    },
    handler: async ({ deps, body }) => ({ status: 201, body: await createTrait(deps, body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/traits',
    summary: 'List traits',
    tags,
    access: advertisers,
    schema: { querystring: PageQuery, response: { 200: PageOf(TraitSchema) } },
    handler: async ({ deps, query }) => ({ body: await listTraits(deps, pageByIdArgs(query)) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/traits/:id',
    summary: 'Get one trait',
    tags,
    access: advertisers,
    schema: { params: IdParams, response: { 200: TraitSchema } },
    handler: async ({ deps, params }) => ({ body: await getTrait(deps, params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/dmp/traits/:id',
    summary: 'Change a trait (applies to realizations from now on)',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      body: Type.Object(
        {
          name: Type.Optional(Name),
          description: Type.Optional(Description),
          rule: Type.Optional(TraitRuleSchema),
          ttlDays: Type.Optional(TtlDays),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: TraitSchema },
    },
    handler: async ({ deps, params, body }) => ({
      body: await updateTrait(deps, params.id, body),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/dmp/traits/:id',
    summary: 'Delete a trait no segment uses, with its realizations',
    tags,
    access: advertisers,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async ({ deps, params }) => {
      await deleteTrait(deps, params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/traits/:id/onboard',
    summary:
      'Onboard offline data: realize an onboarded trait for known IDs (dmp, ifa, hem = SHA-256 e-mail, partner)',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      body: Type.Object({
        ids: Type.Array(
          Type.Object({
            type: Type.String({ maxLength: 16 }),
            value: Type.String({ minLength: 1, maxLength: 256 }),
            partner: Type.Optional(Type.String({ maxLength: 32 })),
          }),
          { minItems: 1, maxItems: MAX_ONBOARD_IDS },
        ),
      }),
      response: { 200: Type.Object({ matched: Type.Integer(), unmatched: Type.Integer() }) },
    },
    handler: async ({ deps, params, body }) => ({
      body: await onboardTrait(deps, params.id, body.ids),
    }),
  }),
];
