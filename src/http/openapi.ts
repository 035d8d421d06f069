import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** Must be registered before any route: it collects route schemas as they are added. */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Triad API',
        version: '0.1.0',
        description:
          'Triad: a CDP, a CRM and a DMP in one product. Errors are RFC 9457 problem+json bodies with a stable `code`.',
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token from POST /api/v1/tokens or `triad token create`',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'triad_session',
            description: 'The console session',
          },
          writeKey: {
            type: 'http',
            scheme: 'basic',
            description:
              "A source's write key as the user name with an empty password (Segment's HTTP Tracking API)",
          },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
}

/** The rendered API reference at /docs, served from the package (no external CDN). */
export async function installDocsUi(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    staticCSP: true,
  });
}
