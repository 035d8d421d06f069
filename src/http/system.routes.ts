import { Type } from 'typebox';
import { defineRoute, publicAccess } from './route.js';

/** Operator endpoints: probes, metrics and the API description. */
export function systemRoutes(opts: {
  metrics: () => Promise<{ contentType: string; text: string }>;
  openApi: () => unknown;
}) {
  return [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      summary: 'Liveness: the process is up and serving',
      tags: ['operations'],
      access: publicAccess,
      schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
      handler: () => ({ body: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      summary: 'Readiness: the store answers queries',
      tags: ['operations'],
      access: publicAccess,
      schema: {
        response: {
          200: Type.Object({ status: Type.Literal('ready'), store: Type.String() }),
          503: Type.Object({
            status: Type.Literal('unavailable'),
            store: Type.String(),
            detail: Type.String(),
          }),
        },
      },
      handler: async ({ deps, log }) => {
        try {
          await deps.store.ping();
          return { body: { status: 'ready', store: deps.store.engine } };
        } catch (error) {
          log.warn({ err: error }, 'readiness check failed');
          return {
            status: 503,
            body: {
              status: 'unavailable',
              store: deps.store.engine,
              detail: 'the store did not answer',
            },
          };
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/metrics',
      summary: 'Prometheus metrics (text exposition format)',
      tags: ['operations'],
      access: publicAccess,
      schema: { response: { 200: Type.String() } },
      handler: async () => {
        const { contentType, text } = await opts.metrics();
        return { body: text, headers: { 'content-type': contentType } };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/openapi.json',
      summary: 'The OpenAPI 3.1 description of every endpoint',
      tags: ['operations'],
      access: publicAccess,
      schema: { response: { 200: Type.Object({}, { additionalProperties: true }) } },
      handler: () => ({ body: opts.openApi() }),
    }),
  ];
}
