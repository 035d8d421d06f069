import { Type } from 'typebox';
import { adminOnly, defineRoute, publicAccess } from '../../http/route.js';
import { IdParams, NoContent, PageOf, PageQuery } from '../../http/schemas.js';
import { pageByIdArgs } from '../../kernel/pagination.js';
import { secGpcOf } from '../collect/consent.js';
import { gifHeaders, TRANSPARENT_GIF } from '../collect/gif.js';
import { consentFields, cookieState, idCookieHeaders } from '../collect/http-helpers.js';
import {
  createPartner,
  deletePartner,
  getPartner,
  listPartners,
  updatePartner,
} from './partner.service.js';
import { inboundSync } from './sync.service.js';

const PartnerSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domains: Type.Array(Type.String(), { description: 'sync redirects may only go to these' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const Domains = Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
  minItems: 1,
  maxItems: 20,
});
const tags = ['dmp'];

export const syncRoutes = [
  defineRoute({
    method: 'GET',
    url: '/dmp/v1/sync',
    summary:
      'Inbound ID sync: ?partner=&puid=&redir= (302 to redir with the TRIAD_DMP_ID macro filled; without redir, a GIF)',
    tags,
    access: publicAccess,
    schema: {
      querystring: Type.Object({
        partner: Type.String({ minLength: 1, maxLength: 64 }),
        puid: Type.Optional(Type.String({ maxLength: 256 })),
        redir: Type.Optional(Type.String({ maxLength: 2048 })),
        gdpr: Type.Optional(Type.String({ maxLength: 1 })),
        gdpr_consent: Type.Optional(Type.String({ maxLength: 16_384 })),
        gpp: Type.Optional(Type.String({ maxLength: 32_768 })),
        gpp_sid: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      response: {
        200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
        302: Type.Null(),
      },
    },
    handler: async ({ deps, query, cookies, headers, protocol }) => {
      const outcome = await inboundSync(deps, {
        partner: query.partner,
        puid: query.puid === '' ? undefined : query.puid,
        redir: query.redir === '' ? undefined : query.redir,
        ...cookieState(cookies),
        consent: consentFields(query),
        secGpc: secGpcOf(headers),
      });
      const cookie = idCookieHeaders(outcome.dmpId, protocol === 'https', outcome.expireCookie);
      if (outcome.location !== undefined) {
        return {
          status: 302,
          headers: { location: outcome.location, 'cache-control': 'no-store', ...cookie },
        };
      }
      return { body: TRANSPARENT_GIF, headers: { ...gifHeaders, ...cookie } };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/dmp/partners',
    summary: 'Register an ID-sync partner and the domains its redirects may go to',
    tags,
    access: adminOnly,
    schema: {
      body: Type.Object({
        id: Type.String({ minLength: 2, maxLength: 32 }),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        domains: Domains,
      }),
      response: { 201: PartnerSchema },
    },
    handler: async ({ deps, body }) => ({ status: 201, body: await createPartner(deps, body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/partners',
    summary: 'List ID-sync partners',
    tags,
    access: adminOnly,
    schema: { querystring: PageQuery, response: { 200: PageOf(PartnerSchema) } },
    handler: async ({ deps, query }) => ({ body: await listPartners(deps, pageByIdArgs(query)) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/dmp/partners/:id',
    summary: 'Get one ID-sync partner',
    tags,
    access: adminOnly,
    schema: { params: IdParams, response: { 200: PartnerSchema } },
    handler: async ({ deps, params }) => ({ body: await getPartner(deps, params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/dmp/partners/:id',
    summary: 'Rename a partner or replace its redirect domains',
    tags,
    access: adminOnly,
    schema: {
      params: IdParams,
      body: Type.Object(
        {
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          domains: Type.Optional(Domains),
        },
        { minProperties: 1 },
      ),
      response: { 200: PartnerSchema },
    },
    handler: async ({ deps, params, body }) => ({
      body: await updatePartner(deps, params.id, body),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/dmp/partners/:id',
    summary: 'Delete a partner and its whole match table',
    tags,
    access: adminOnly,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async ({ deps, params }) => {
      await deletePartner(deps, params.id);
      return { status: 204 };
    },
  }),
];
