import { Type } from 'typebox';
import { parseJsonBody } from '../../http/body-parsers.js';
import { defineRoute, publicAccess, rolesAccess } from '../../http/route.js';
import { AppError } from '../../kernel/errors.js';
import {
  dmpCookieHeader,
  isDmpId,
  OPT_OUT_COOKIE,
  OPT_OUT_MAX_AGE_SECONDS,
} from '../ids/dmp-id.js';
import { partnerIds } from '../sync/partner.repository.js';
import { collectBrowserHit, collectServerBatch, forgetIds } from './collect.service.js';
import { secGpcOf } from './consent.js';
import { gifHeaders, TRANSPARENT_GIF } from './gif.js';
import {
  consentFields,
  cookieState,
  expireIdCookie,
  idCookieHeaders,
  pixelSignals,
} from './http-helpers.js';

const tags = ['dmp'];
const Gif = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: '43-byte GIF' });
// Every query string validates (a pixel must answer its GIF whatever it is sent): the consent
// macros are documented, and any other parameter is a signal.
const QueryValue = Type.Union([Type.String(), Type.Array(Type.String())]);
const PixelQuery = Type.Object(
  {
    gdpr: Type.Optional(QueryValue),
    gdpr_consent: Type.Optional(QueryValue),
    gpp: Type.Optional(QueryValue),
    gpp_sid: Type.Optional(QueryValue),
  },
  { additionalProperties: QueryValue },
);
const ConsentProps = {
  gdpr: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 1 })])),
  gdpr_consent: Type.Optional(Type.String({ maxLength: 16_384 })),
  gpp: Type.Optional(Type.String({ maxLength: 32_768 })),
  gpp_sid: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Array(Type.Integer())])),
};
const SignalMap = Type.Record(Type.String(), Type.Unknown());
const BeaconBody = Type.Object({ signals: Type.Optional(SignalMap), ...ConsentProps });
const HitResult = Type.Object({
  recorded: Type.Boolean(),
  dropped: Type.Integer({ description: 'signals left out by the PII firewall (drop mode)' }),
  reasons: Type.Array(Type.String(), { description: 'consent denials, if any' }),
});
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

/** Browsers embedding the beacon on other sites read nothing back but must be let through. */
function corsHeaders(origin: string | string[] | undefined): Record<string, string> {
  if (typeof origin !== 'string') return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  };
}

export const collectRoutes = [
  defineRoute({
    method: 'GET',
    url: '/dmp/v1/px',
    summary:
      'Pixel: signals as query parameters, consent as gdpr/gdpr_consent/gpp/gpp_sid; always a GIF (bad input records nothing)',
    tags,
    access: publicAccess,
    schema: { querystring: PixelQuery, response: { 200: Gif } },
    handler: async ({ deps, query, cookies, headers, protocol, log }) => {
      const q = query as Record<string, unknown>;
      let cookieHeaders: Record<string, string> = {};
      try {
        const outcome = await collectBrowserHit(deps, {
          ...cookieState(cookies),
          signals: pixelSignals(q),
          consent: consentFields(q),
          secGpc: secGpcOf(headers),
        });
        cookieHeaders = idCookieHeaders(outcome.dmpId, protocol === 'https', outcome.expireCookie);
      } catch (error) {
        // A pixel cannot show an error: answer the GIF and record nothing. The code (never
        // the input) is logged so broken tags can still be found.
        if (!(error instanceof AppError)) log.error({ err: error }, 'dmp pixel failed');
        else log.info({ code: error.code, detail: error.message }, 'dmp pixel refused');
      }
      return { body: TRANSPARENT_GIF, headers: { ...gifHeaders, ...cookieHeaders } };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/dmp/v1/events',
    summary:
      'JS beacon: {signals, gdpr, gdpr_consent, gpp, gpp_sid} as JSON (text/plain from sendBeacon too)',
    tags,
    access: publicAccess,
    bodyLimit: 64 * 1024,
    schema: {
      body: Type.Union([BeaconBody, Type.String({ maxLength: 65_536 })]),
      response: { 202: HitResult },
    },
    handler: async ({ deps, body, cookies, headers, protocol }) => {
      const parsed = typeof body === 'string' ? parseJsonBody(body) : body;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new AppError('validation_failed', 'The body must be a JSON object', [
          { field: 'body', message: 'must be an object' },
        ]);
      }
      const fields = parsed as Record<string, unknown>;
      const outcome = await collectBrowserHit(deps, {
        ...cookieState(cookies),
        signals: fields.signals,
        consent: consentFields(fields),
        secGpc: secGpcOf(headers),
      });
      return {
        status: 202,
        body: { recorded: outcome.recorded, dropped: outcome.dropped, reasons: outcome.reasons },
        headers: {
          ...corsHeaders(headers.origin),
          ...idCookieHeaders(outcome.dmpId, protocol === 'https', outcome.expireCookie),
        },
      };
    },
  }),
  defineRoute({
    method: 'OPTIONS',
    url: '/dmp/v1/events',
    summary: 'CORS preflight of the JS beacon',
    tags,
    access: publicAccess,
    schema: { response: { 204: Type.Null() } },
    handler: ({ headers }) => ({
      status: 204,
      headers: {
        ...corsHeaders(headers.origin),
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '86400',
      },
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/dmp/v1/signals',
    summary:
      'Server-to-server batch (advertiser or admin token): [{id: {type, value, partner?}, signals, consent...}]; all or nothing',
    tags,
    access: rolesAccess('advertiser'),
    schema: {
      body: Type.Object({
        signals: Type.Array(Type.Object({ id: IdRefSchema, signals: SignalMap, ...ConsentProps }), {
          minItems: 1,
          maxItems: 1_000,
        }),
      }),
      response: {
        200: Type.Object({
          recorded: Type.Integer(),
          unmatched: Type.Integer(),
          denied: Type.Integer(),
          dropped: Type.Integer(),
        }),
      },
    },
    handler: async ({ deps, body }) => ({
      body: await collectServerBatch(deps, body.signals, await partnerIds(deps.db)),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/dmp/v1/optout',
    summary: 'Global opt-out: sets the opt-out cookie, deletes the DMP cookie and all its data',
    tags,
    access: publicAccess,
    schema: { response: { 200: Type.Object({ optedOut: Type.Literal(true) }) } },
    handler: async ({ deps, cookies, protocol }) => {
      const { cookieId } = cookieState(cookies);
      if (isDmpId(cookieId)) await forgetIds(deps, [cookieId]);
      return {
        body: { optedOut: true },
        headers: {
          'cache-control': 'no-store',
          'set-cookie': dmpCookieHeader(
            OPT_OUT_COOKIE,
            '1',
            OPT_OUT_MAX_AGE_SECONDS,
            protocol === 'https',
          ),
        },
        cookies: [expireIdCookie],
      };
    },
  }),
];
