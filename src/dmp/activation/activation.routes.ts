import { Type } from 'typebox';
import { defineRoute, rolesAccess } from '../../http/route.js';
import { IdParams } from '../../http/schemas.js';
import { secGpcOf } from '../collect/consent.js';
import { consentFields } from '../collect/http-helpers.js';
import { enrichBidRequest, lookupId } from './activation.service.js';
import type { JsonObject } from './openrtb.js';

const advertisers = rolesAccess('advertiser');
const tags = ['dmp'];
const AnyObject = Type.Object({}, { additionalProperties: true });

export const activationRoutes = [
  defineRoute({
    method: 'GET',
    url: '/dmp/v1/ids/:id/segments',
    summary:
      'Real-time lookup: activatable segments and IAB taxonomy IDs of a DMP ID (consent macros honoured)',
    tags,
    access: advertisers,
    schema: {
      params: IdParams,
      querystring: Type.Object({
        gdpr: Type.Optional(Type.String({ maxLength: 1 })),
        gdpr_consent: Type.Optional(Type.String({ maxLength: 16_384 })),
        gpp: Type.Optional(Type.String({ maxLength: 32_768 })),
        gpp_sid: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      response: {
        200: Type.Object({
          id: Type.String(),
          segments: Type.Array(Type.String()),
          taxonomyIds: Type.Array(Type.Integer()),
        }),
      },
    },
    handler: async ({ deps, params, query, headers }) => ({
      body: await lookupId(deps, params.id, consentFields(query), secGpcOf(headers)),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/dmp/v1/openrtb',
    summary:
      'OpenRTB 2.6: returns the BidRequest with user.data[] gaining the DMP segments (segtax 4), all else untouched',
    tags,
    access: advertisers,
    schema: { body: AnyObject, response: { 200: AnyObject } },
    handler: async ({ deps, body }) => ({
      body: await enrichBidRequest(deps, body as JsonObject),
    }),
  }),
];
