import { Type } from 'typebox';
import { defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { consentChannels } from '../../privacy/index.js';
import { type PersonalizeInput, personalize } from './personalization.service.js';

const Content = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200 }),
    conditions: Type.Optional(
      Type.Unknown({ description: 'A condition tree, or a list of conditions that must all hold' }),
    ),
    score: Type.Optional(Type.Number()),
  },
  { additionalProperties: true, description: 'Any other field is payload, returned as given' },
);

const personalizeRoute = defineRoute({
  method: 'POST',
  url: '/api/v1/personalize',
  summary: 'Choose the content to show a visitor, with the profile facts behind the choice',
  tags: ['personalization'],
  access: rolesAccess('marketer'),
  schema: {
    body: Type.Object(
      {
        identifier: Type.String({
          minLength: 3,
          maxLength: 500,
          description:
            'type:value (email:ada@example.com, user_id:42, anonymous_id:...) or a profile ID',
        }),
        contents: Type.Array(Content, { maxItems: 500 }),
        strategy: Type.Union([
          Type.Literal('first_match'),
          Type.Literal('highest_score'),
          Type.Literal('random'),
        ]),
        fallback: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        facts: Type.Optional(
          Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 }),
        ),
        seed: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Number()])),
        channel: Type.Optional(
          Type.Union(
            consentChannels.map((c) => Type.Literal(c)),
            {
              description: 'Channel the content is for (consent may differ per channel)',
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({
        content: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
        reason: Type.String({
          description: 'matched, fallback, no_consent or profile_not_found',
        }),
        matched: Type.Array(Type.String()),
        profile: Type.Union([
          Type.Object({
            id: Type.String(),
            traits: Type.Record(Type.String(), Type.Unknown()),
            audiences: Type.Array(Type.String()),
            predictions: Type.Record(Type.String(), Type.Unknown()),
          }),
          Type.Null(),
        ]),
        consent: Type.Object({ personalization: Type.Boolean() }),
      }),
    },
  },
  handler: async (ctx) => ({
    body: await personalize(ctx.deps, ctx.body as PersonalizeInput),
  }),
});

export const personalizationRoutes: RouteSpec[] = [personalizeRoute];
