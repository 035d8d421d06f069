import { Type } from 'typebox';
import { defineRoute, type RouteSpec, rolesAccess } from '../../http/route.js';
import { consentView, setConsents } from './consent.service.js';
import { consentStats } from './consent-stats.js';
import { consentChannels, consentPurposes } from './profile-consent.js';

const KeyParams = Type.Object({
  id: Type.String({
    minLength: 1,
    maxLength: 600,
    description: 'A profile ID or an identifier type:value (e.g. email:ada@example.com)',
  }),
});

const Purpose = Type.Union(consentPurposes.map((p) => Type.Literal(p)));
const Channel = Type.Union(consentChannels.map((c) => Type.Literal(c)));
const Subject = Type.Object({ type: Type.String(), value: Type.String() });
const Decision = Type.Object({
  purpose: Type.String(),
  channel: Type.String(),
  granted: Type.Boolean(),
  source: Type.String(),
  recordedAt: Type.String(),
  evidence: Type.Optional(Type.String()),
});
const ConsentViewSchema = Type.Object({
  subjects: Type.Array(Subject),
  current: Type.Array(Decision),
  history: Type.Array(Type.Intersect([Decision, Type.Object({ subject: Subject })])),
});

const ConsentBody = Type.Object(
  {
    decisions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            purpose: Purpose,
            channel: Type.Optional(Channel),
            granted: Type.Boolean(),
            recordedAt: Type.Optional(Type.String({ format: 'date-time' })),
            evidence: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    tcString: Type.Optional(Type.String({ minLength: 1, maxLength: 16_384 })),
    gppString: Type.Optional(Type.String({ minLength: 1, maxLength: 32_768 })),
    gppSid: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 100 }), { maxItems: 30 })),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);

const consentRoles = rolesAccess('marketer', 'support');

export const consentRoutes: RouteSpec[] = [
  defineRoute({
    method: 'PUT',
    url: '/api/v1/profiles/:id/consents',
    summary: 'Record consent decisions per purpose and channel (or from a TCF / GPP string)',
    tags: ['privacy'],
    access: consentRoles,
    audit: 'write',
    schema: { params: KeyParams, body: ConsentBody, response: { 200: ConsentViewSchema } },
    handler: async ({ deps, params, body }) => ({
      body: await setConsents(deps, params.id, {
        decisions: body.decisions?.map((d) => ({
          purpose: d.purpose,
          channel: d.channel ?? '*',
          granted: d.granted,
          recordedAt: d.recordedAt,
          evidence: d.evidence,
        })),
        tcString: body.tcString,
        gppString: body.gppString,
        gppSid: body.gppSid,
        source: body.source,
      }),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/profiles/:id/consents',
    summary: "A person's current consent per purpose and channel, and its history (newest first)",
    tags: ['privacy'],
    access: consentRoles,
    audit: 'read',
    schema: { params: KeyParams, response: { 200: ConsentViewSchema } },
    handler: async ({ deps, params }) => ({ body: await consentView(deps, params.id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/privacy/consents/stats',
    summary:
      'Consent statistics: current decisions per purpose and channel (one per person), decisions per day, sources',
    tags: ['privacy'],
    access: rolesAccess('marketer'),
    schema: {
      querystring: Type.Object(
        { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })) },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          peopleWithDecisions: Type.Integer(),
          profiles: Type.Integer(),
          current: Type.Array(
            Type.Object({
              purpose: Type.String(),
              channel: Type.String(),
              granted: Type.Integer(),
              denied: Type.Integer(),
            }),
          ),
          daily: Type.Array(
            Type.Object({ day: Type.String(), granted: Type.Integer(), withdrawn: Type.Integer() }),
          ),
          sources: Type.Array(Type.Object({ source: Type.String(), decisions: Type.Integer() })),
        }),
      },
    },
    handler: async ({ deps, query }) => ({
      body: await consentStats(deps.db, { days: query.days ?? 30, now: deps.clock.now() }),
    }),
  }),
];
