import { Type } from 'typebox';
import { defineRoute, publicAccess, rolesAccess } from '../../http/route.js';
import { AppError } from '../../kernel/errors.js';
import { secGpcOf } from '../collect/consent.js';
import { gifHeaders, TRANSPARENT_GIF } from '../collect/gif.js';
import { cookieState, idCookieHeaders } from '../collect/http-helpers.js';
import { partnerIds } from '../sync/partner.repository.js';
import { mediaKinds } from './media.js';
import { recordMediaBatch, recordMediaPixel } from './media.service.js';
import { mediaReport } from './media-report.service.js';

const tags = ['dmp'];
const Gif = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: '43-byte GIF' });
// Every query string validates (a pixel answers its GIF whatever it is sent); the service
// refuses what it does not understand.
const QueryValue = Type.Union([Type.String(), Type.Array(Type.String())]);
const MediaPixelQuery = Type.Object(
  {
    e: Type.Optional(QueryValue),
    cmp: Type.Optional(QueryValue),
    cr: Type.Optional(QueryValue),
    seg: Type.Optional(QueryValue),
    cost: Type.Optional(QueryValue),
    value: Type.Optional(QueryValue),
    gdpr: Type.Optional(QueryValue),
    gdpr_consent: Type.Optional(QueryValue),
    gpp: Type.Optional(QueryValue),
    gpp_sid: Type.Optional(QueryValue),
  },
  { additionalProperties: QueryValue },
);
const IdRefSchema = Type.Object({
  type: Type.Union([
    Type.Literal('dmp'),
    Type.Literal('ifa'),
    Type.Literal('hem'),
    Type.Literal('partner'),
  ]),
  value: Type.String({ minLength: 1, maxLength: 256 }),
  partner: Type.Optional(Type.String({ maxLength: 32 })),
});
const Micros = Type.Integer({ minimum: 0, description: 'millionths of the account currency' });
const MediaEventSchema = Type.Object(
  {
    id: IdRefSchema,
    event: Type.Union(mediaKinds.map((k) => Type.Literal(k))),
    campaign: Type.String({ minLength: 1, maxLength: 48 }),
    creative: Type.String({ minLength: 1, maxLength: 48 }),
    segments: Type.Optional(
      Type.Array(Type.String({ maxLength: 64 }), {
        maxItems: 50,
        description: 'segments the ad server targeted (impressions only)',
      }),
    ),
    costMicros: Type.Optional(Micros),
    valueMicros: Type.Optional(Micros),
    at: Type.Optional(Type.String({ maxLength: 40, description: 'ISO-8601; default now' })),
    gdpr: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 1 })])),
    gdpr_consent: Type.Optional(Type.String({ maxLength: 16_384 })),
    gpp: Type.Optional(Type.String({ maxLength: 32_768 })),
    gpp_sid: Type.Optional(
      Type.Union([Type.String({ maxLength: 64 }), Type.Array(Type.Integer())]),
    ),
  },
  { additionalProperties: false },
);
const Num = Type.Union([Type.Number(), Type.Null()]);
const Figures = {
  suppressed: Type.Boolean(),
  reach: Num,
  impressions: Num,
  frequency: Num,
  clicks: Num,
  ctr: Num,
  conversions: Num,
  conversionRate: Num,
  costMicros: Num,
  cpaMicros: Num,
  valueMicros: Num,
  roas: Num,
};

export const mediaRoutes = [
  defineRoute({
    method: 'GET',
    url: '/dmp/v1/media/px',
    summary:
      'Media pixel: e=impression|click|conversion, cmp, cr, seg, cost, value and consent macros; always a GIF (bad input records nothing)',
    tags,
    access: publicAccess,
    schema: { querystring: MediaPixelQuery, response: { 200: Gif } },
    handler: async ({ deps, query, cookies, headers, protocol, log }) => {
      let cookieHeaders: Record<string, string> = {};
      try {
        const outcome = await recordMediaPixel(deps, {
          ...cookieState(cookies),
          query: query as Record<string, unknown>,
          secGpc: secGpcOf(headers),
        });
        cookieHeaders = idCookieHeaders(null, protocol === 'https', outcome.expireCookie);
      } catch (error) {
        // A pixel cannot show an error: answer the GIF, record nothing, log the code only.
        if (!(error instanceof AppError)) log.error({ err: error }, 'dmp media pixel failed');
        else log.info({ code: error.code, detail: error.message }, 'dmp media pixel refused');
      }
      return { body: TRANSPARENT_GIF, headers: { ...gifHeaders, ...cookieHeaders } };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/dmp/v1/media/events',
    summary:
      'Server-to-server media events (advertiser or admin token): [{id, event, campaign, creative, segments?, costMicros?, valueMicros?, at?, consent...}]; all or nothing',
    tags,
    access: rolesAccess('advertiser'),
    schema: {
      body: Type.Object({ events: Type.Array(MediaEventSchema, { minItems: 1, maxItems: 1_000 }) }),
      response: {
        200: Type.Object({
          recorded: Type.Integer(),
          unmatched: Type.Integer({ description: 'events whose ID the DMP does not know' }),
          denied: Type.Integer({ description: 'events whose consent denies storage' }),
        }),
      },
    },
    handler: async ({ deps, body }) => ({
      body: await recordMediaBatch(deps, body.events, await partnerIds(deps.db)),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/reports/media',
    summary:
      'Media efficiency per segment and campaign (reach, frequency, CTR, conversion rate, CPA); rows under the minimum size suppressed',
    tags,
    access: rolesAccess('advertiser', 'analyst'),
    schema: {
      querystring: Type.Object({
        from: Type.Optional(
          Type.String({ maxLength: 40, description: 'date or time; default to - 30 days' }),
        ),
        to: Type.Optional(
          Type.String({ maxLength: 40, description: 'date (inclusive) or time; default now' }),
        ),
        campaign: Type.Optional(Type.String({ minLength: 1, maxLength: 48 })),
        segment: Type.Optional(Type.String({ pattern: '^seg_[0-9a-z]{26}$' })),
      }),
      response: {
        200: Type.Object({
          from: Type.String(),
          to: Type.String(),
          minSegmentSize: Type.Integer(),
          attributionLookbackDays: Type.Integer(),
          rows: Type.Array(
            Type.Object({
              segmentId: Type.String(),
              segmentName: Type.Union([Type.String(), Type.Null()]),
              campaign: Type.String(),
              ...Figures,
            }),
          ),
          totals: Type.Array(
            Type.Object({
              segmentId: Type.String(),
              segmentName: Type.Union([Type.String(), Type.Null()]),
              campaigns: Type.Integer(),
              suppressedCampaigns: Type.Integer(),
              ...Figures,
            }),
          ),
        }),
      },
    },
    handler: async ({ deps, query }) => ({ body: await mediaReport(deps, query) }),
  }),
];
