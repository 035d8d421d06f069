import type { FastifyInstance } from 'fastify';

/** Serves the web console (web/) from the same origin as the API. */
export async function installConsole(_app: FastifyInstance): Promise<void> {}
