import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics for one app instance: request counts and latency per route template
 * (never per raw URL, which would explode label cardinality) plus Node process metrics.
 */
export function installMetrics(app: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'triad_' });
  const labels = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'triad_http_requests_total',
    help: 'HTTP requests served, by method, route template and status code',
    labelNames: labels,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'triad_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method, route template and status code',
    labelNames: labels,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const values = { method: request.method, route, status_code: String(reply.statusCode) };
    requests.inc(values);
    duration.observe(values, reply.elapsedTime / 1000);
  });
  return registry;
}
